// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// sinksvc: a service that takes every request and answers none (its
// handler suspends them for good), while its loop answers rs's pings.
import { Message } from "../../../servers/lib/index";
import { serverInit, serverCall, serverRun } from "../../../servers/lib/server";
import { SUSPEND } from "../../../servers/lib/proto";

function hold(m: Message): i32 {
  return SUSPEND;
}

export function main(): i32 {
  serverInit("sinksvc", 0x900, 1);
  serverCall(0x900, hold);
  serverRun();
  return 0;
}
