// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Indirect calls through function references: a table of operations, callbacks, closures-free higher-order functions.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

type BinOp = (a: i32, b: i32) => i32;
type Wide = (a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, h: i32, i: i32, j: i32) => i32;

function add(a: i32, b: i32): i32 { return a + b; }
function sub(a: i32, b: i32): i32 { return a - b; }
function mul(a: i32, b: i32): i32 { return a * b; }
function xor(a: i32, b: i32): i32 { return a ^ b; }
function wideSum(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, h: i32, i: i32, j: i32): i32 {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}
function wideMix(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, h: i32, i: i32, j: i32): i32 {
  return a * b - c * d + e * f - g * h + i * j;
}

function fold(ops: BinOp[], start: i32, x: i32): i32 {
  let acc = start;
  for (let i = 0; i < ops.length; i++) acc = ops[i](acc, x + i);
  return acc;
}

export function main(): i32 {
  const ops: BinOp[] = [add, mul, sub, xor, add, mul];
  printInt(fold(ops, 1, 3)); print(" "); printInt(fold(ops, -7, 11)); print("\n");
  const wides: Wide[] = [wideSum, wideMix];
  for (let k = 0; k < 4; k++) {
    const f = wides[k & 1];
    printInt(f(k, 1, 2, 3, 4, 5, 6, 7, 8, 9 + k)); print(" ");
  }
  print("\n");
  let pick: BinOp = sub;
  if (ops.length > 3) pick = mul;
  printInt(pick(6, 7)); print("\n");
  return 0;
}
