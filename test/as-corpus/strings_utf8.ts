// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Non-ASCII text: 2-, 3- and 4-byte UTF-8 from UTF-16 strings (surrogate pairs).
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const s = "héllo wörld — 日本語 🚀 ok";
  print(s); print("\n");
  printInt(s.length); print(" "); printInt(String.UTF8.byteLength(s)); print("\n");
  let cps = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c >= 0xe000) cps++;
  }
  printInt(cps); print("\n");
  print(String.fromCodePoint(0x1f600)); print(String.fromCharCode(0xe9)); print("\n");
  return 0;
}
