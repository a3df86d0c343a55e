// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// touch file...: make each file that does not exist (empty).
import { argc, argv, open, close } from "../lib/posix";
import { O_WRONLY, O_CREAT } from "../lib/fs_proto";
import { needVfs, complain, Getopt } from "./util";

export function main(): i32 {
  if (!needVfs("touch")) return 1;
  const opts = new Getopt("touch", "", "usage: touch file...");
  if (opts.next() >= 0) return 2;
  let status = 0;
  for (let i = opts.optind; i < argc(); i++) {
    const fd = open(argv(i), O_WRONLY | O_CREAT, 0o644);
    if (fd < 0) { status = complain("touch", argv(i), fd); continue; }
    close(fd);
  }
  return status;
}
