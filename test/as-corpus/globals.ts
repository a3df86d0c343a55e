// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Globals: mutable i32 and i64 globals, constants, state kept across calls, top-level initialization.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

let counter: i32 = 10;
let big: i64 = 0x100000000;
const LIMIT: i32 = 5;
let log: string = "start";
let table = new Array<i32>(3);

function tick(): i32 { counter += 3; big = big * 3 + <i64>counter; return counter; }

table[1] = 42;
log += "+init";

export function main(): i32 {
  for (let i = 0; i < LIMIT; i++) tick();
  printInt(counter); print(" "); printInt(big); print(" "); print(log); print(" "); printInt(table[1]); print("\n");
  return counter - 25;
}
