// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// memory.size and memory.grow: new pages are zero, usable, and grow fails cleanly past the limit.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const before = memory.size();
  const old = memory.grow(3);
  printInt(<i32>(old == before)); print(" "); printInt(memory.size() - before); print("\n");
  const base = <usize>old << 16;
  let zeros = 0;
  for (let a = base; a < base + (3 << 16); a += 4096) if (load<i32>(a) == 0) zeros++;
  printInt(zeros); print("\n");
  for (let a = base; a < base + (3 << 16); a += 4) store<i32>(a, <i32>a);
  let ok = 0;
  for (let a = base; a < base + (3 << 16); a += 4) if (load<i32>(a) == <i32>a) ok++;
  printInt(ok); print("\n");
  printInt(memory.grow(0) - memory.size()); print("\n");
  printInt(memory.grow(0x10000)); print("\n");
  printInt(memory.grow(-1)); print("\n");
  return 0;
}
