// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// An access whose static offset pushes the address past 4 GiB traps in wasm; the translator checks large offsets.
// expect: trap mem_oob
import { print, printInt } from "../../servers/lib/index";

let base: usize = 0xffff0000;

export function main(): i32 {
  print("go\n");
  printInt(load<i32>(base, 0x20000)); print("\n");
  return 0;
}
