// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// throw compiles to abort(): the runtime prints the message and location on stderr and exits 134.
// expect: exit 134
import { print } from "../../servers/lib/index";

function check(x: i32): i32 {
  if (x > 10) throw new Error("value too large");
  return x;
}

export function main(): i32 {
  print("checking\n");
  check(3);
  check(30);
  print("not reached\n");
  return 0;
}
