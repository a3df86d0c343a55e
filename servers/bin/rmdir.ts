// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// rmdir dir...: remove empty directories.
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { needVfs, complain, Getopt } from "./util";

export function main(): i32 {
  if (!needVfs("rmdir")) return 1;
  const opts = new Getopt("rmdir", "", "usage: rmdir dir...");
  if (opts.next() >= 0) return 2;
  if (opts.optind >= argc()) { complain("rmdir", "missing operand", 22); return 2; }
  let status = 0;
  for (let i = opts.optind; i < argc(); i++) {
    const r = fs.rmdir(argv(i));
    if (r < 0) status = complain("rmdir", argv(i), r);
  }
  return status;
}
