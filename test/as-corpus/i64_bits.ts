// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// clz, ctz, popcnt on i64 and conversions between i32 and i64.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i64> = [0, 1, -1, 0x80000000, 0x100000000, 0x8000000000000000, 0x00ff00ff00ff00ff, 0x123456789];
let small: StaticArray<i32> = [0, -1, 0x7fffffff, -0x80000000, 12345];

export function main(): i32 {
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    printInt(clz<i64>(x)); print(" "); printInt(ctz<i64>(x)); print(" "); printInt(popcnt<i64>(x)); print(" ");
    printInt(<i32>x); print(" "); printInt(<i32>(x >> 32)); print("\n");
  }
  for (let i = 0; i < small.length; i++) {
    const s = small[i];
    printInt(<i64>s); print(" "); printInt(<i64><u32>s); print(" "); printInt((<i64>s) * 0x100000000); print("\n");
  }
  return 0;
}
