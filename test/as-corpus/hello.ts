// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The smallest program: print a line, exit 0 by returning it from main.
// expect: exit 0
import { print } from "../../servers/lib/index";

export function main(): i32 {
  print("hello, Tessera\n");
  return 0;
}
