// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Integer division by zero traps in wasm (RISC-V would return -1): the translator must check.
// expect: trap div_zero
import { print, printInt } from "../../servers/lib/index";

let zero: i32 = 0;

export function main(): i32 {
  printInt(100 / (zero + 1)); print("\n");
  printInt(100 / zero); print("\n");
  return 0;
}
