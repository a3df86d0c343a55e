// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// call_indirect with a table index past the table traps.
// expect: trap table_oob
import { print, printInt } from "../../servers/lib/index";

function one(): i32 { return 1; }
function two(): i32 { return 2; }
let fns: (() => i32)[] = [one, two];
let idx: u32 = 0;

export function main(): i32 {
  printInt(fns[1]()); print("\n");
  idx = <u32>memory.size() * 1000; // not a constant binaryen could fold
  printInt(call_indirect<i32>(idx)); print("\n");
  return 0;
}
