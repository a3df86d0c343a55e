// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Signed and unsigned division and remainder, including negative operands,
// powers of two, INT_MIN % -1 (0 in wasm, no trap) and INT_MIN / 1.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let vals: StaticArray<i32> = [0, 1, -1, 7, -7, 100, -100, 0x7fffffff, -0x80000000, 13, 256, -3];

function line(a: i32, b: i32): void {
  printInt(a); print(" "); printInt(b); print(": ");
  printInt(a / b); print(" "); printInt(a % b); print(" ");
  printInt(<i32>(<u32>a / <u32>b)); print(" "); printInt(<i32>(<u32>a % <u32>b)); print("\n");
}

export function main(): i32 {
  for (let i = 0; i < vals.length; i++) {
    for (let j = 0; j < vals.length; j++) {
      const b = vals[j];
      if (b == 0) continue;
      const a = vals[i];
      if (a == i32.MIN_VALUE && b == -1) {
        print("INT_MIN % -1 = "); printInt(a % b); print("\n");
        continue;
      }
      line(a, b);
    }
  }
  // Division by constants the translator may strength-reduce.
  let x = vals[7];
  printInt(x / 16); print(" "); printInt(<i32>(<u32>x / 16)); print(" "); printInt(<i32>(<u32>x % 16)); print(" ");
  printInt(x / 10); print(" "); printInt(x % 10); print(" "); printInt(vals[8] / 1); print(" "); printInt(vals[4] / -1);
  print("\n");
  return 0;
}
