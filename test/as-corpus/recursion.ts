// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Recursion: fib, Ackermann, mutual recursion, Tower of Hanoi move count.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function fib(n: i32): i32 { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function ack(m: i32, n: i32): i32 {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
function isEven(n: i32): bool { return n == 0 ? true : isOdd(n - 1); }
function isOdd(n: i32): bool { return n == 0 ? false : isEven(n - 1); }
function hanoi(n: i32, from: i32, to: i32, via: i32): i32 {
  if (n == 0) return 0;
  return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from);
}
function gcd(a: i64, b: i64): i64 { return b == 0 ? a : gcd(b, a % b); }

export function main(): i32 {
  printInt(fib(22)); print("\n");
  printInt(ack(2, 3)); print(" "); printInt(ack(3, 3)); print("\n");
  printInt(<i32>isEven(101)); print(" "); printInt(<i32>isOdd(77)); print("\n");
  printInt(hanoi(12, 1, 3, 2)); print("\n");
  printInt(gcd(0x123456789ab, 0x3456789abcd)); print("\n");
  return fib(10) - 55;
}
