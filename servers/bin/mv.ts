// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mv src dst: rename (into dst/src's name if dst is a directory).
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { needVfs, complain, isDir, joinPath, baseName, Getopt } from "./util";

export function main(): i32 {
  if (!needVfs("mv")) return 1;
  const opts = new Getopt("mv", "", "usage: mv src dst");
  if (opts.next() >= 0) return 2;
  const i = opts.optind;
  if (argc() - i != 2) { complain("mv", "usage: mv src dst", 22); return 2; }
  const src = argv(i);
  const dst = isDir(argv(i + 1)) ? joinPath(argv(i + 1), baseName(src)) : argv(i + 1);
  const r = fs.rename(src, dst);
  return r < 0 ? complain("mv", src, r) : 0;
}
