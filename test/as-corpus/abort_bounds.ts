// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// An array index out of range is an abort with AssemblyScript's own message.
// expect: exit 134
import { print, printInt } from "../../servers/lib/index";

let i: i32 = 7;

export function main(): i32 {
  const a = new Array<i32>(5);
  a[2] = 9;
  printInt(a[2]); print("\n");
  printInt(a[i]); print("\n");
  return 0;
}
