// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// i64 add, sub, mul with carries across the 32-bit halves, and wrapping.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i64> = [0, 1, -1, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 123456789012345, -98765432109, 0x0123456789abcdef];

export function main(): i32 {
  let acc: i64 = 17;
  for (let i = 0; i < vals.length; i++) {
    for (let j = 0; j < vals.length; j++) {
      const a = vals[i], b = vals[j];
      printInt(a + b); print(" "); printInt(a - b); print(" "); printInt(a * b); print("\n");
      acc = acc * 31 + (a ^ b) - (a & b) + (a | 5);
    }
  }
  printInt(acc); print("\n");
  let x: i64 = 1;
  for (let k = 0; k < 70; k++) x = x * 3 + 1;
  printInt(x); print("\n");
  printInt(acc + 1); print(" "); printInt(acc - 0x100000001); print("\n");
  return 0;
}
