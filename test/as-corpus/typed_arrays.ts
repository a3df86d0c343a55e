// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Typed arrays: Uint8Array, Int16Array, Int32Array, Uint32Array, Int64Array, subarray views, fill, set.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++) b[i] = <u8>(i * 13);
  const view = b.subarray(8, 16);
  view.fill(0xee, 2, 4);
  const w = Uint32Array.wrap(b.buffer, 4, 4);
  printInt(<i64>w[0]); print(" "); printInt(<i64>w[3]); print(" "); printInt(b[10]); print("\n");
  const s = new Int16Array(5);
  s[0] = -1; s[1] = 40000; s[2] = -32768;
  printInt(s[0]); print(" "); printInt(s[1]); print(" "); printInt(s[2]); print("\n");
  const q = new Int64Array(3);
  q[0] = -5; q[1] = 0x7fffffffffffffff; q[2] = q[0] * q[1];
  printInt(q[2]); print("\n");
  const n = new Int32Array(10);
  n.set([1, 2, 3], 4);
  let h = 0;
  for (let i = 0; i < n.length; i++) h = h * 10 + n[i];
  printInt(h); print("\n");
  return 0;
}
