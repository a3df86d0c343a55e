// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// ln existing new: a second name (a hard link) for a file.
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { needVfs, complain, isDir, joinPath, baseName } from "./util";

export function main(): i32 {
  if (!needVfs("ln")) return 1;
  if (argc() != 3) { complain("ln", "usage: ln existing new", 22); return 2; }
  const dst = isDir(argv(2)) ? joinPath(argv(2), baseName(argv(1))) : argv(2);
  const r = fs.link(argv(1), dst);
  return r < 0 ? complain("ln", dst, r) : 0;
}
