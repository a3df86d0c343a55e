// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// exit() from deep inside the program ends it at once with that status.
// expect: exit 42
import { print, exit } from "../../servers/lib/index";

function inner(n: i32): void {
  if (n == 0) { print("exiting\n"); exit(42); }
  inner(n - 1);
}

export function main(): i32 {
  inner(10);
  print("not reached\n");
  return 1;
}
