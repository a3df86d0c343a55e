// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// clz, ctz and popcnt on i32 edge values.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i32> = [0, 1, 2, 3, -1, 0x80000000, 0x7fffffff, 0x00010000, 0x00f0f000, 0x12345678, 255, 256];

export function main(): i32 {
  let sum = 0;
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    printInt(clz<i32>(x)); print(" "); printInt(ctz<i32>(x)); print(" "); printInt(popcnt<i32>(x)); print("\n");
    sum += clz<i32>(x) * 3 + ctz<i32>(x) * 5 + popcnt<i32>(x) * 7;
  }
  print("sum "); printInt(sum); print("\n");
  return 0;
}
