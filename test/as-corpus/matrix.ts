// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Integer matrix multiplication and a determinant by fraction-free elimination (i64).
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

const N = 12;

export function main(): i32 {
  const a = new StaticArray<i64>(N * N), b = new StaticArray<i64>(N * N), c = new StaticArray<i64>(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    a[i * N + j] = <i64>((i * 7 + j * 3) % 11) - 5;
    b[i * N + j] = <i64>((i * j + 1) % 13) - 6;
  }
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    let s: i64 = 0;
    for (let k = 0; k < N; k++) s += a[i * N + k] * b[k * N + j];
    c[i * N + j] = s;
  }
  let tr: i64 = 0;
  for (let i = 0; i < N; i++) tr += c[i * N + i] * <i64>(i + 1);
  printInt(tr); print("\n");
  // Bareiss determinant of a small matrix
  const m = new StaticArray<i64>(16);
  const src: StaticArray<i64> = [2, -1, 0, 3, 1, 4, -2, 0, 0, 5, 1, -1, 3, 0, 2, 6];
  for (let i = 0; i < 16; i++) m[i] = src[i];
  let prev: i64 = 1;
  for (let k = 0; k < 3; k++) {
    for (let i = k + 1; i < 4; i++) for (let j = k + 1; j < 4; j++) {
      m[i * 4 + j] = (m[i * 4 + j] * m[k * 4 + k] - m[i * 4 + k] * m[k * 4 + j]) / prev;
    }
    prev = m[k * 4 + k];
  }
  printInt(m[15]); print("\n");
  return 0;
}
