// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Map and Set with integer and string keys: set, get, has, delete, size, growth past rehashing.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const m = new Map<i32, i32>();
  for (let i = 0; i < 500; i++) m.set(i * 7919 % 1009, i);
  for (let i = 0; i < 500; i += 3) m.delete(i);
  let s = 0;
  for (let i = 0; i < 1009; i++) if (m.has(i)) s += m.get(i) ^ i;
  printInt(m.size); print(" "); printInt(s); print("\n");
  const names = new Map<string, i32>();
  const words = "the quick brown fox jumps over the lazy dog the end".split(" ");
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    names.set(w, names.has(w) ? names.get(w) + 1 : 1);
  }
  print("the="); printInt(names.get("the")); print(" fox="); printInt(names.get("fox")); print(" size="); printInt(names.size); print("\n");
  const keys = names.keys();
  keys.sort();
  print(keys.join(" ")); print("\n");
  const set = new Set<i64>();
  for (let i: i64 = 0; i < 100; i++) set.add((i * i) % 37);
  printInt(set.size); print(" "); printInt(<i32>set.has(36)); printInt(<i32>set.has(5)); print("\n");
  return 0;
}
