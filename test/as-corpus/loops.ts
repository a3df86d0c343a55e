// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Nested loops with break and continue, do-while, and early exits from nested loops.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let N: i32 = 50;

export function main(): i32 {
  let s = 0;
  for (let i = 0; i < N; i++) {
    if (i % 3 == 0) continue;
    for (let j = i; j < N; j += 2) {
      if (j * i > 900) break;
      s += j ^ i;
    }
  }
  printInt(s); print("\n");
  let k = 0, d = 0;
  do { k += 7; d++; } while (k % 13 != 0);
  printInt(k); print(" "); printInt(d); print("\n");
  let w = 1000, steps = 0;
  while (w != 1) { w = (w & 1) ? 3 * w + 1 : w >> 1; steps++; if (steps > 10000) break; }
  printInt(steps); print("\n");
  let found = -1;
  for (let a = 1; a < 30 && found < 0; a++) {
    for (let b = a; b < 30 && found < 0; b++) {
      for (let c = b; c < 30; c++) {
        if (a * a + b * b == c * c && a + b + c == 24) { found = a * 10000 + b * 100 + c; break; }
      }
    }
  }
  printInt(found); print("\n");
  return 0;
}
