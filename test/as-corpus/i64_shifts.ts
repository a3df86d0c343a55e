// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// i64 shifts and rotations by constant and variable amounts (modulo 64).
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let v: i64 = 0x8123456789abcdef;
let amounts: StaticArray<i64> = [0, 1, 4, 31, 32, 33, 63, 64, 65, -1];

export function main(): i32 {
  for (let i = 0; i < amounts.length; i++) {
    const n = amounts[i];
    printInt(n); print(": ");
    printInt(v << n); print(" "); printInt(v >> n); print(" "); printInt(<i64>(<u64>v >>> n)); print(" ");
    printInt(rotl<i64>(v, n)); print(" "); printInt(rotr<i64>(v, n)); print("\n");
  }
  printInt(v << 1); print(" "); printInt(v << 31); print(" "); printInt(v << 32); print(" "); printInt(v << 40); print("\n");
  printInt(v >> 1); print(" "); printInt(v >> 31); print(" "); printInt(v >> 32); print(" "); printInt(v >> 40); print("\n");
  printInt(v >>> 1); print(" "); printInt(v >>> 31); print(" "); printInt(v >>> 32); print(" "); printInt(v >>> 40); print("\n");
  return 0;
}
