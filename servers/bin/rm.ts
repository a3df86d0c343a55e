// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// rm [-f] file...: remove files (-f: say nothing about missing ones).
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { ENOENT } from "../lib/fs_proto";
import { needVfs, complain } from "./util";

export function main(): i32 {
  if (!needVfs("rm")) return 1;
  let force = false;
  let status = 0;
  let any = false;
  for (let i = 1; i < argc(); i++) {
    if (argv(i) == "-f") { force = true; continue; }
    any = true;
    const r = fs.unlink(argv(i));
    if (r < 0 && !(force && r == -ENOENT)) status = complain("rm", argv(i), r);
  }
  if (!any && !force) { complain("rm", "missing operand", 22); return 2; }
  return status;
}
