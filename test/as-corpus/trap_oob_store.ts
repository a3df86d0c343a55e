// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A store far beyond memory (here a wrapping pointer computation) faults.
// expect: trap mem_oob
import { print } from "../../servers/lib/index";

let p: usize = 0xfffffff0;

export function main(): i32 {
  print("storing\n");
  store<i64>(p, 1, 8);
  print("not reached\n");
  return 0;
}
