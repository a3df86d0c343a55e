// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Functions with many i32 and i64 parameters (past the eight argument registers) and i64 results.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

@inline const K: i64 = 1000003;

// Loops keep these too big for binaryen to inline, so the calls really pass arguments.
function mix(a: i64, b: i32, c: i64, d: i32, e: i64, f: i64, g: i32): i64 {
  let r: i64 = 0;
  for (let n = 0; n < (b & 3) + 1; n++) {
    r += a * K + <i64>b * 7 - c + <i64>d * e - f + <i64>g;
    a = (a << 1) ^ c;
    e = e * 5 + <i64>n;
  }
  return r;
}

function many(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, h: i32, i: i32, j: i32, k: i32): i32 {
  let r = 0;
  for (let n = 0; n < (a & 3) + 1; n++) {
    r += a - b + c * d - e + f * g - h + i * j - k;
    a = a * 3 + k;
    k ^= r;
  }
  return r;
}

function many64(a: i64, b: i64, c: i64, d: i64, e: i64, f: i32): i64 {
  let r: i64 = 0;
  for (let n = 0; n < f; n++) r = r * 31 + (a ^ b) - c + d * e + <i64>n;
  return r;
}

export function main(): i32 {
  let total: i64 = 0;
  for (let n = 0; n < 20; n++) {
    total += mix(<i64>n << 33, n, -<i64>n, n * 3, 0x123456789 + <i64>n, 99, -n);
    total ^= <i64>many(n, 2, 3, n, 5, 6, n, 8, 9, n, 11);
  }
  printInt(total); print("\n");
  printInt(many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)); print("\n");
  printInt(many(-1, 2, -3, 4, -5, 6, -7, 8, -9, 10, -11)); print("\n");
  printInt(mix(-1, 2, -3, 4, -5, 6, -7)); print("\n");
  printInt(many64(1, 2, 3, 4, 5, 3)); print(" "); printInt(many64(-1, 0x100000000, 3, -4, 0x7fffffff, 9)); print("\n");
  printInt(many64(total, total >> 7, 3, 4, 5, 2)); print("\n");
  return 0;
}
