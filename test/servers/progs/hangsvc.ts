// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// hangsvc: a service that answers rs's first pings (so rs knows it speaks
// the protocol) and then hangs in a loop at its third, every time it is
// started: rs must find it hung, kill it and restart it, each time after a
// longer delay.
import { Message } from "../../../servers/lib/index";
import { serverInit, serverOnNotify, serverRun } from "../../../servers/lib/server";
import { RS_EP } from "../../../servers/lib/proto";

let pings: i32 = 0;
let spin: i32 = 0;

function onNotify(m: Message): void {
  if (m.m_source != RS_EP) return;
  pings++;
  if (pings >= 2) for (;;) spin++; // (the skeleton answered pings 1 and 2 before calling this)
}

export function main(): i32 {
  serverInit("hangsvc", 0x900, 1);
  serverOnNotify(onNotify);
  serverRun();
  return 0;
}
