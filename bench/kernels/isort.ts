// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Benchmark kernel: fill 256 ints from a linear congruential generator and
// insertion-sort them, REPS times. Same algorithm as isort.c.
import { print, printInt } from "../../servers/lib/index";

const N: i32 = 256;
const REPS: i32 = 1;

function fill(a: StaticArray<i32>, n: i32, seed: u32): void {
  for (let i = 0; i < n; i++) {
    seed = seed * 1103515245 + 12345;
    unchecked(a[i] = <i32>(seed >>> 8));
  }
}

function isort(a: StaticArray<i32>, n: i32): void {
  for (let i = 1; i < n; i++) {
    const x = unchecked(a[i]);
    let j = i - 1;
    while (j >= 0 && unchecked(a[j]) > x) {
      unchecked(a[j + 1] = a[j]);
      j--;
    }
    unchecked(a[j + 1] = x);
  }
}

export function main(): i32 {
  const a = new StaticArray<i32>(N);
  let check: i32 = 0;
  for (let r = 0; r < REPS; r++) {
    fill(a, N, <u32>r);
    isort(a, N);
    check ^= unchecked(a[r & (N - 1)]) + unchecked(a[N - 1]);
  }
  printInt(check); print("\n");
  return 0;
}
