// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The longest Collatz chain below a bound, with u64 intermediate values.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  let best = 0, bestLen = 0;
  for (let start = 1; start < 3000; start++) {
    let x: u64 = start, len = 1;
    while (x != 1) { x = x & 1 ? 3 * x + 1 : x >> 1; len++; }
    if (len > bestLen) { bestLen = len; best = start; }
  }
  printInt(best); print(" "); printInt(bestLen); print("\n");
  return best == 2919 ? 0 : 1;
}
