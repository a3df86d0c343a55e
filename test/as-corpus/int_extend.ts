// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Sign extension (extend8_s, extend16_s) and narrow casts.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i32> = [0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x12345678, -1, -129];

export function main(): i32 {
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    printInt(<i8>x); print(" "); printInt(<u8>x); print(" "); printInt(<i16>x); print(" "); printInt(<u16>x); print(" ");
    printInt(<i64>x); print(" "); printInt(<i64><u32>x); print(" "); printInt(<i64><i8>x); print("\n");
  }
  return 0;
}
