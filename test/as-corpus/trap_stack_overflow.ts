// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Unbounded recursion exhausts the stack and hits the guard page below it.
// expect: trap stack
import { print, printInt } from "../../servers/lib/index";

let calls: i32 = 0;

function down(n: i32): i32 {
  calls++;
  if (n == -1) return 0;
  return down(n + 1) + 1;
}

export function main(): i32 {
  print("recursing\n");
  printInt(down(0)); print("\n");
  return 0;
}
