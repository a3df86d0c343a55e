// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The same for i64: INT64_MIN / -1 traps.
// expect: trap overflow
import { print, printInt } from "../../servers/lib/index";

let minus: i64 = -1;

export function main(): i32 {
  printInt(i64.MIN_VALUE / 3); print("\n");
  printInt(i64.MIN_VALUE / minus); print("\n");
  return 0;
}
