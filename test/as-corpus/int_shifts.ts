// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Shifts use the amount modulo 32 in wasm; rotations by constant and variable amounts.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let v: i32 = 0x81234567;
let amounts: StaticArray<i32> = [0, 1, 4, 31, 32, 33, 63, -1, 100];

export function main(): i32 {
  for (let i = 0; i < amounts.length; i++) {
    const n = amounts[i];
    printInt(n); print(": ");
    printInt(v << n); print(" ");
    printInt(v >> n); print(" ");
    printInt(<i32>(<u32>v >>> n)); print(" ");
    printInt(rotl<i32>(v, n)); print(" ");
    printInt(rotr<i32>(v, n)); print("\n");
  }
  printInt(v << 3); print(" "); printInt(v >> 3); print(" "); printInt(v >>> 3); print(" ");
  printInt(rotl<i32>(v, 8)); print(" "); printInt(rotr<i32>(v, 12)); print("\n");
  return 0;
}
