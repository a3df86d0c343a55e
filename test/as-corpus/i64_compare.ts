// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// i64 comparisons (the high words decide, then the unsigned low words) and eqz.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i64> = [-0x100000000, -1, 0, 1, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000];

export function main(): i32 {
  let h = 0;
  for (let i = 0; i < vals.length; i++) {
    for (let j = 0; j < vals.length; j++) {
      const a = vals[i], b = vals[j];
      let m = 0;
      if (a < b) m |= 1;
      if (a <= b) m |= 2;
      if (a > b) m |= 4;
      if (a >= b) m |= 8;
      if (<u64>a < <u64>b) m |= 16;
      if (<u64>a <= <u64>b) m |= 32;
      if (<u64>a > <u64>b) m |= 64;
      if (<u64>a >= <u64>b) m |= 128;
      if (a == b) m |= 256;
      if (a != b) m |= 512;
      if (a == 0) m |= 1024;
      printInt(m); print(" ");
      h = h * 7 + m;
    }
    print("\n");
  }
  printInt(h); print("\n");
  return 0;
}
