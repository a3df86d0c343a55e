// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// unreachable() is a wasm trap: the program dies with the unreachable trap after its first line of output.
// expect: trap unreachable
import { print } from "../../servers/lib/index";

let n: i32 = 3;

export function main(): i32 {
  print("before\n");
  if (n > 2) unreachable();
  print("after\n");
  return 0;
}
