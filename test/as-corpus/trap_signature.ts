// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// call_indirect through a table entry whose function has a different signature traps.
// expect: trap indirect
import { print, printInt } from "../../servers/lib/index";

function takesTwo(a: i32, b: i32): i32 { return a + b; }
function takesNone(): i32 { return 5; }
let f2: (a: i32, b: i32) => i32 = takesTwo;
let f0: () => i32 = takesNone;

export function main(): i32 {
  printInt(f2(1, 2) + f0()); print("\n");
  const index = load<u32>(changetype<usize>(f2));
  printInt(call_indirect<i32>(index)); print("\n");
  return 0;
}
