// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Table-driven CRC-32 (IEEE): the check value of "123456789" is 0xCBF43926.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

const table = new StaticArray<u32>(256);

function initTable(): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c;
  }
}

function crc(s: string): u32 {
  let c: u32 = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = table[(c ^ <u32>s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return c ^ 0xffffffff;
}

export function main(): i32 {
  initTable();
  const check = crc("123456789");
  printInt(<i64>check); print(" "); printInt(<i64>crc("The quick brown fox jumps over the lazy dog")); print("\n");
  return check == 0xcbf43926 ? 0 : 1;
}
