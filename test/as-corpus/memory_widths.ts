// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Loads and stores of every width and sign, at aligned and unaligned addresses.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const p = heap.alloc(64);
  for (let i = 0; i < 64; i++) store<u8>(p + i, <u8>(i * 37 + 11));
  let s: i64 = 0;
  for (let off = 0; off < 8; off++) {
    const a = p + off;
    printInt(load<i8>(a)); print(" "); printInt(load<u8>(a)); print(" ");
    printInt(load<i16>(a)); print(" "); printInt(load<u16>(a)); print(" ");
    printInt(load<i32>(a)); print(" "); printInt(load<u32>(a)); print(" ");
    printInt(load<i64>(a)); print("\n");
    s += <i64>load<i8>(a, 3) + <i64>load<u16>(a, 5) + load<i64>(a, 9);
    s += <i64>load<i32>(a, 1);
  }
  printInt(s); print("\n");
  store<i8>(p + 1, -5);
  store<i16>(p + 3, -300);
  store<i32>(p + 7, 0x12345678);
  store<i64>(p + 13, 0x0102030405060708);
  store<u8>(p + 30, 0x1ff);
  store<u16>(p + 31, 0x1ffff);
  let h = 0;
  for (let i = 0; i < 40; i++) h = h * 31 + <i32>load<u8>(p + i);
  printInt(h); print("\n");
  printInt(<i64>load<i8>(p, 1)); print(" "); printInt(<i64>load<u16>(p, 3)); print(" ");
  printInt(<i64>load<i32>(p, 7)); print(" "); printInt(load<i64>(p, 13)); print("\n");
  // i64 narrow loads and stores
  store<i64>(p + 40, -2);
  printInt(<i64>load<u32>(p + 40)); print(" "); printInt(<i64>load<i32>(p + 40)); print(" ");
  printInt(<i64>load<u8>(p + 40)); print(" "); printInt(<i64>load<i16>(p + 40)); print("\n");
  heap.free(p);
  return 0;
}
