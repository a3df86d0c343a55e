// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// sync: write every file system's changed blocks to its disk.
import * as fs from "../lib/fs";
import { needVfs, complain } from "./util";

export function main(): i32 {
  if (!needVfs("sync")) return 1;
  const r = fs.sync();
  return r < 0 ? complain("sync", "sync", r) : 0;
}
