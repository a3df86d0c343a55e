// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// memory.copy with overlap in both directions and unaligned ends, memory.fill.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function dump(p: usize, n: i32): void {
  let h = 0;
  for (let i = 0; i < n; i++) h = h * 33 + <i32>load<u8>(p + i);
  printInt(h); print("\n");
}

export function main(): i32 {
  const p = heap.alloc(256);
  for (let i = 0; i < 256; i++) store<u8>(p + i, <u8>i);
  memory.copy(p + 10, p, 100);
  dump(p, 256);
  memory.copy(p, p + 33, 150);
  dump(p, 256);
  memory.copy(p + 1, p + 2, 77);
  dump(p, 256);
  memory.copy(p + 64, p + 128, 64);
  dump(p, 256);
  memory.copy(p + 3, p + 3, 50);
  dump(p, 256);
  memory.fill(p + 5, 0xab, 101);
  dump(p, 256);
  memory.fill(p, 0, 3);
  memory.fill(p + 200, 7, 0);
  dump(p, 256);
  return 0;
}
