// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Backtracking: count the solutions of the N-queens problem with bitmasks.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function solve(n: i32, row: i32, cols: i32, d1: i32, d2: i32): i32 {
  if (row == n) return 1;
  let count = 0;
  let free = ~(cols | d1 | d2) & ((1 << n) - 1);
  while (free != 0) {
    const bit = free & -free;
    free ^= bit;
    count += solve(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
  }
  return count;
}

export function main(): i32 {
  let r = 0;
  for (let n = 1; n <= 8; n++) { const c = solve(n, 0, 0, 0, 0); printInt(c); print(" "); r = r * 3 + c; }
  print("\n");
  return solve(8, 0, 0, 0, 0) == 92 ? 0 : 1;
}
