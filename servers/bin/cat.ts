// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// cat [file...]: the files (standard input for none, or for "-") to
// standard output.
import { argc, argv, open, close } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, copyFd, Getopt } from "./util";

export function main(): i32 {
  if (!needVfs("cat")) return 1;
  const opts = new Getopt("cat", "", "usage: cat [file...]");
  if (opts.next() >= 0) return 2;
  if (opts.optind >= argc()) return copyFd(0, 1) < 0 ? 1 : 0;
  let status = 0;
  for (let i = opts.optind; i < argc(); i++) {
    const name = argv(i);
    if (name == "-") { if (copyFd(0, 1) < 0) status = 1; continue; }
    const fd = open(name, O_RDONLY);
    if (fd < 0) { status = complain("cat", name, fd); continue; }
    const r = copyFd(fd, 1);
    if (r < 0) status = complain("cat", name, r);
    close(fd);
  }
  return status;
}
