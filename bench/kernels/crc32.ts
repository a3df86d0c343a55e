// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Benchmark kernel: table-driven CRC-32 of a 4 KiB buffer, REPS times. Same algorithm as crc32.c.
import { print, printInt } from "../../servers/lib/index";

const LEN: i32 = 4096;
const REPS: i32 = 1;
const table = new StaticArray<u32>(256);

function makeTable(): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    unchecked(table[i] = c);
  }
}

function crc32(buf: StaticArray<u8>, len: i32): u32 {
  let c: u32 = 0xffffffff;
  for (let i = 0; i < len; i++) c = unchecked(table[(c ^ unchecked(buf[i])) & 0xff]) ^ (c >>> 8);
  return c ^ 0xffffffff;
}

export function main(): i32 {
  makeTable();
  const buf = new StaticArray<u8>(LEN);
  for (let i = 0; i < LEN; i++) unchecked(buf[i] = <u8>(i * 7 + (i >> 5)));
  let x: u32 = 0;
  for (let r = 0; r < REPS; r++) {
    unchecked(buf[r & (LEN - 1)] ^= <u8>r); // a different input each time
    x ^= crc32(buf, LEN);
  }
  printInt(<i64>x); print("\n");
  return 0;
}
