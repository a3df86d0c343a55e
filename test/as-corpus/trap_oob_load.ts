// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A load past the end of memory is out of bounds: the page beyond the wasm memory is unmapped.
// expect: trap mem_oob
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const end = <usize>memory.size() << 16;
  printInt(load<u8>(end - 1)); print("\n");
  printInt(load<i32>(end + 100)); print("\n");
  return 0;
}
