// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// crashsvc: a service that faults (a load from an unmapped address) at
// rs's first ping, every time it is started.
import { Message } from "../../../servers/lib/index";
import { serverInit, serverOnNotify, serverRun } from "../../../servers/lib/server";
import { RS_EP } from "../../../servers/lib/proto";

let zero: i32 = 0;
let sink: i32 = 0;

function onNotify(m: Message): void {
  if (m.m_source == RS_EP) sink = load<i32>(<usize>(0x7000_0000 + zero));
}

export function main(): i32 {
  serverInit("crashsvc", 0x900, 1);
  serverOnNotify(onNotify);
  serverRun();
  return 0;
}
