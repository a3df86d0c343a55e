// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// FNV-1a and a 64-bit xorshift-multiply hash over generated text.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function fnv1a(p: usize, n: i32): u32 {
  let h: u32 = 2166136261;
  for (let i = 0; i < n; i++) { h ^= load<u8>(p + i); h *= 16777619; }
  return h;
}
function mix64(x: u64): u64 {
  x ^= x >> 33; x *= 0xff51afd7ed558ccd;
  x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53;
  x ^= x >> 33;
  return x;
}

export function main(): i32 {
  const n = 1000;
  const p = heap.alloc(n);
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>(0x61 + (i * i) % 26));
  printInt(<i64>fnv1a(p, n)); print(" ");
  let acc: u64 = 0;
  for (let i: u64 = 0; i < 200; i++) acc += mix64(i ^ acc);
  printInt(<i64>acc); print("\n");
  return 0;
}
