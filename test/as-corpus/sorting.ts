// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Insertion sort, quicksort and binary search on pseudo-random data, checked against each other.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function insertion(a: StaticArray<i32>): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) { a[j + 1] = a[j]; j--; }
    a[j + 1] = x;
  }
}
function quick(a: StaticArray<i32>, lo: i32, hi: i32): void {
  if (lo >= hi) return;
  const p = a[(lo + hi) >>> 1];
  let i = lo, j = hi;
  while (i <= j) {
    while (a[i] < p) i++;
    while (a[j] > p) j--;
    if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
  }
  quick(a, lo, j);
  quick(a, i, hi);
}
function search(a: StaticArray<i32>, x: i32): i32 {
  let lo = 0, hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] == x) return mid;
    if (a[mid] < x) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

export function main(): i32 {
  const n = 600;
  const a = new StaticArray<i32>(n), b = new StaticArray<i32>(n);
  let s: u32 = 2463534242;
  for (let i = 0; i < n; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; a[i] = b[i] = <i32>(s % 10000) - 5000; }
  insertion(a);
  quick(b, 0, n - 1);
  let same = 0, sorted = 1;
  for (let i = 0; i < n; i++) { if (a[i] == b[i]) same++; if (i > 0 && a[i - 1] > a[i]) sorted = 0; }
  printInt(same); print(" "); printInt(sorted); print(" "); printInt(a[0]); print(" "); printInt(a[n - 1]); print(" ");
  printInt(search(a, a[123]) >= 0 ? 1 : 0); print(" "); printInt(search(a, 99999)); print("\n");
  return same == n && sorted ? 0 : 1;
}
