// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The minimal runtime collects only when asked: allocating garbage in a loop that calls collect()
// at its top (as a server's receive loop does) keeps the memory size flat.
// expect: exit 0
import { print, printInt, collect } from "../../servers/lib/index";

class Request { constructor(public id: i32, public body: string) {} }

function handle(i: i32): i32 {
  const r = new Request(i, "request number " + i.toString());
  const parts = r.body.split(" ");
  return parts.length + r.body.length;
}

export function main(): i32 {
  let total = 0;
  collect();
  const start = memory.size();
  for (let i = 0; i < 3000; i++) {
    collect();
    total += handle(i);
  }
  printInt(total); print(" grew by "); printInt(memory.size() - start); print(" pages\n");
  return memory.size() - start < 2 ? 0 : 1;
}
