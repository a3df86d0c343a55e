// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Remainder by zero traps too, here in unsigned i64 arithmetic.
// expect: trap div_zero
import { print, printInt } from "../../servers/lib/index";

let zero: u64 = 0;

export function main(): i32 {
  printInt(<i64>(<u64>12345678901 % (zero + 10))); print("\n");
  printInt(<i64>(<u64>12345678901 % zero)); print("\n");
  return 0;
}
