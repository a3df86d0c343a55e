// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mkdir dir...: make directories.
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { needVfs, complain } from "./util";

export function main(): i32 {
  if (!needVfs("mkdir")) return 1;
  if (argc() < 2) { complain("mkdir", "missing operand", 22); return 2; }
  let status = 0;
  for (let i = 1; i < argc(); i++) {
    const r = fs.mkdir(argv(i), 0o755);
    if (r < 0) status = complain("mkdir", argv(i), r);
  }
  return status;
}
