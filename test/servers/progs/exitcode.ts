// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// exitcode N: exit with status N.
import { argc, argv } from "../../../servers/lib/posix";

export function main(): i32 {
  return argc() > 1 ? I32.parseInt(argv(1)) : 0;
}
