// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A legitimately deep (non-tail) recursion that fits the 1 MiB stack.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function depth(n: i32, acc: i32): i32 {
  if (n == 0) return acc;
  const r = depth(n - 1, acc + (n & 7));
  return r + 1;
}

export function main(): i32 {
  printInt(depth(5000, 0)); print("\n");
  return 0;
}
