// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Conditional expressions, min/max/abs/clamp and boolean logic that binaryen turns into selects and if-results.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i32> = [-100, -3, -1, 0, 1, 2, 50, 99, 100, 1000];

function clamp(x: i32, lo: i32, hi: i32): i32 { return x < lo ? lo : x > hi ? hi : x; }
function sign(x: i64): i32 { return x > 0 ? 1 : x < 0 ? -1 : 0; }

export function main(): i32 {
  let h = 0;
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    const a = x < 0 ? -x : x;
    const m = max(x, 3) + min(x, -5);
    const c = clamp(x, -10, 60);
    const b = (x > 0 && x % 2 == 0) || x == -3 ? 1 : 0;
    const s = sign(<i64>x * 0x100000000);
    printInt(a); print(" "); printInt(m); print(" "); printInt(c); print(" "); printInt(b); print(" "); printInt(s); print("\n");
    h = h * 17 + a + m * 3 + c * 5 + b + s;
  }
  printInt(h); print("\n");
  return 0;
}
