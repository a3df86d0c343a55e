// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// INT_MIN / -1 overflows and traps in wasm (RISC-V returns INT_MIN).
// expect: trap overflow
import { print, printInt } from "../../servers/lib/index";

let minus: i32 = -1;
let min: i32 = i32.MIN_VALUE;

export function main(): i32 {
  printInt(min / 1); print("\n");
  printInt(min % minus); print("\n");
  printInt(min / minus); print("\n");
  return 0;
}
