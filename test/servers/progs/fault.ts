// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// fault [segv|div|ill]: die of a fault (a load from an unmapped address,
// an integer division by zero, `unreachable`).
import { argc, argv, out } from "../../../servers/lib/posix";

let zero: i32 = 0;

export function main(): i32 {
  const how = argc() > 1 ? argv(1) : "segv";
  out("faulting: " + how + "\n");
  if (how == "div") return 100 / zero;
  if (how == "ill") unreachable();
  return load<i32>(<usize>(0x7000_0000 + zero));
}
