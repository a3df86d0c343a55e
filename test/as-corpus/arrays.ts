// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Arrays: push, pop, sort with a comparator, map/filter/reduce callbacks (indirect calls), reverse, includes.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

export function main(): i32 {
  const a = new Array<i32>();
  let seed = 12345;
  for (let i = 0; i < 40; i++) { seed = seed * 1103515245 + 12345; a.push((seed >>> 16) % 1000); }
  a.sort((x: i32, y: i32): i32 => x - y);
  for (let i = 0; i < a.length; i++) { printInt(a[i]); print(i % 10 == 9 ? "\n" : " "); }
  const evens = a.filter((x: i32): bool => (x & 1) == 0);
  const doubled = evens.map<i32>((x: i32): i32 => x * 2);
  const total = doubled.reduce<i32>((acc: i32, x: i32): i32 => acc + x, 0);
  printInt(evens.length); print(" "); printInt(total); print("\n");
  a.reverse();
  printInt(a[0]); print(" "); printInt(a.pop()); print(" "); printInt(a.length); print(" ");
  printInt(<i32>a.includes(a[5])); printInt(a.indexOf(-3)); print("\n");
  const words = ["pear", "apple", "fig", "banana"];
  words.sort((x: string, y: string): i32 => x.length - y.length);
  print(words.join(",")); print("\n");
  const grid = new Array<Array<i32>>(4);
  for (let i = 0; i < 4; i++) { grid[i] = new Array<i32>(4); for (let j = 0; j < 4; j++) grid[i][j] = i * j; }
  printInt(grid[3][2] + grid[2][3]); print("\n");
  return 0;
}
