// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Benchmark kernel: the sieve of Eratosthenes below N, REPS times (bench/as_vs_c.ts
// substitutes REPS). Same algorithm as sieve.c.
import { print, printInt } from "../../servers/lib/index";

const N: i32 = 8192;
const REPS: i32 = 1;

function sieve(flags: StaticArray<u8>, n: i32): i32 {
  for (let i = 0; i < n; i++) unchecked(flags[i] = 0);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (unchecked(flags[i]) == 0) {
      count++;
      for (let j = i * i; j < n; j += i) unchecked(flags[j] = 1);
    }
  }
  return count;
}

export function main(): i32 {
  const flags = new StaticArray<u8>(N);
  let total = 0;
  for (let r = 0; r < REPS; r++) total += sieve(flags, N);
  printInt(total); print("\n");
  return 0;
}
