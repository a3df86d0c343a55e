// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// quietsvc: a well-behaved service that does nothing but answer rs's pings.
import { serverInit, serverRun } from "../../../servers/lib/server";

export function main(): i32 {
  serverInit("quietsvc", 0x900, 1);
  serverRun();
  return 0;
}
