// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// spin: say "spinning", then loop forever (for ^C and kill tests).
import { out } from "../../../servers/lib/posix";

let counter: i32 = 0;

export function main(): i32 {
  out("spinning\n");
  for (;;) counter++;
  return 0;
}
