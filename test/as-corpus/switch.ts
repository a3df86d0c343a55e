// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// switch statements: dense cases (a br_table jump table), sparse cases, fall-through, default.
// expect: exit 0
import { print, printInt } from "../../servers/lib/index";

function dense(x: i32): i32 {
  switch (x) {
    case 0: return 100;
    case 1: return 101;
    case 2: return 205;
    case 3: return 300;
    case 4: return 444;
    case 5: return 512;
    case 6: return 606;
    case 7: return 777;
    case 8: return 808;
    default: return -1;
  }
}
function sparse(x: i32): i32 {
  switch (x) {
    case -5: return 1;
    case 10: return 2;
    case 1000: return 3;
    case 0x10000: return 4;
    default: return 0;
  }
}
function fall(x: i32): i32 {
  let r = 0;
  switch (x) {
    case 1: r += 1;
    case 2: r += 10;
    case 3: r += 100; break;
    case 4: r += 1000;
    default: r += 10000;
  }
  return r;
}
function kind(c: i32): string {
  switch (c) {
    case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: return "digit";
    case 0x20: case 0x09: return "space";
    default: return "other";
  }
}

export function main(): i32 {
  let h = 0;
  for (let i = -2; i < 12; i++) h = h * 7 + dense(i) + sparse(i * 100) + fall(i);
  printInt(h); print("\n");
  printInt(sparse(-5) + sparse(1000) * 10 + sparse(0x10000) * 100); print("\n");
  print(kind(0x33)); print(" "); print(kind(0x20)); print(" "); print(kind(0x41)); print("\n");
  return 0;
}
