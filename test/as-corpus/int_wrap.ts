// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// i32 arithmetic wraps modulo 2^32: add, sub, mul and negation at the edges.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

// Values the optimizer cannot see through (globals read at run time).
let MAX: i32 = i32.MAX_VALUE;
let MIN: i32 = i32.MIN_VALUE;
let seven: i32 = 7;

function show(label: string, v: i32): void {
  print(label); print(" "); printInt(v); print("\n");
}

export function main(): i32 {
  show("max+1", MAX + 1);
  show("min-1", MIN - 1);
  show("max*2", MAX * 2);
  show("min*-1", MIN * -1);
  show("-min", -MIN);
  show("max*max", MAX * MAX);
  show("7*-3", seven * -3);
  show("7-100000", seven - 100000);
  show("big const", seven + 0x12345678);
  show("mul 0x10001", seven * 0x10001);
  show("mul pow2", seven * 1024);
  show("u32 as i32", <i32>(<u32>MAX + 2));
  return 0;
}
