// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Integers to and from strings: toString in several radixes, i32.parse, i64.parse.
// expect: exit 0
import { print } from "../../servers/lib/index";

export function main(): i32 {
  const xs: StaticArray<i32> = [0, 7, -7, 12345, -2147483648, 2147483647, 1000000];
  for (let i = 0; i < xs.length; i++) {
    print(xs[i].toString()); print(" "); print(xs[i].toString(16)); print(" "); print((<u32>xs[i]).toString(2)); print("\n");
  }
  const ys: StaticArray<i64> = [0, -1, 9007199254740993, -9223372036854775808, 0x0123456789abcdef];
  for (let i = 0; i < ys.length; i++) { print(ys[i].toString()); print(" "); print((<u64>ys[i]).toString(36)); print("\n"); }
  print((i32.parse("-42") * 2).toString()); print(" ");
  print((i32.parse("ff", 16) + 1).toString()); print(" ");
  print((i64.parse("123456789012345678") + 1).toString()); print("\n");
  return 0;
}
