// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Signed against unsigned comparisons, eqz, and select (conditional expressions).
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i32> = [-2, -1, 0, 1, 2, 0x7fffffff, 0x80000000];

export function main(): i32 {
  let bits = 0;
  for (let i = 0; i < vals.length; i++) {
    for (let j = 0; j < vals.length; j++) {
      const a = vals[i], b = vals[j];
      let m = 0;
      if (a < b) m |= 1;
      if (a <= b) m |= 2;
      if (a > b) m |= 4;
      if (a >= b) m |= 8;
      if (<u32>a < <u32>b) m |= 16;
      if (<u32>a <= <u32>b) m |= 32;
      if (<u32>a > <u32>b) m |= 64;
      if (<u32>a >= <u32>b) m |= 128;
      if (a == b) m |= 256;
      if (a != b) m |= 512;
      const s = a < b ? a : b;
      const u = <u32>a > <u32>b ? a : b;
      printInt(m); print(" "); printInt(s); print(" "); printInt(u); print("\n");
      bits = (bits * 31) ^ m ^ <i32>(a == 0) ^ (<i32>(b != 0) << 3);
    }
  }
  printInt(bits); print("\n");
  return 0;
}
