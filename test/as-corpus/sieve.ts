// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The sieve of Eratosthenes over a byte array.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const n = 20000;
  const composite = new Uint8Array(n);
  let count = 0, sum: i64 = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  printInt(count); print(" "); printInt(sum); print("\n");
  return count == 2262 ? 0 : 1;
}
