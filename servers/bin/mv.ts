// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mv src dst: rename (into dst/src's name if dst is a directory).
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { needVfs, complain, isDir, joinPath, baseName } from "./util";

export function main(): i32 {
  if (!needVfs("mv")) return 1;
  if (argc() != 3) { complain("mv", "usage: mv src dst", 22); return 2; }
  const src = argv(1);
  const dst = isDir(argv(2)) ? joinPath(argv(2), baseName(src)) : argv(2);
  const r = fs.rename(src, dst);
  return r < 0 ? complain("mv", src, r) : 0;
}
