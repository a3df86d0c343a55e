// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// i64 division and remainder, signed and unsigned, small and huge operands.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i64> = [1, -1, 7, -7, 10, 0xffffffff, 0x100000000, -0x100000001, 0x7fffffffffffffff, 0x8000000000000000, 1000000007, 0x0123456789abcdef];

export function main(): i32 {
  for (let i = 0; i < vals.length; i++) {
    for (let j = 0; j < vals.length; j++) {
      const a = vals[i], b = vals[j];
      if (a == i64.MIN_VALUE && b == -1) continue;
      printInt(a / b); print(" "); printInt(a % b); print(" ");
      printInt(<i64>(<u64>a / <u64>b)); print(" "); printInt(<i64>(<u64>a % <u64>b)); print("\n");
    }
  }
  let x: u64 = 0xfedcba9876543210;
  let digits = 0;
  while (x != 0) { x /= 10; digits++; }
  printInt(digits); print("\n");
  printInt(i64.MIN_VALUE % -1); print("\n");
  return 0;
}
