// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Top-level statements run in the wasm start function before main, in order, and may print.
// expect: exit 3
import { print, printInt } from "../../servers/lib/index";

let order: i32 = 0;
function note(tag: string): i32 { print(tag); print("\n"); return ++order; }

const first = note("first");
let items = [note("second"), note("third")];
print("top-level done\n");

export function main(): i32 {
  print("main: "); printInt(first); print(" "); printInt(items[1]); print("\n");
  return order;
}
