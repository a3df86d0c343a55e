// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// waitsvc: a service that answers rs's first ping, then at the second sends
// a request to sinksvc, which never answers: it waits in that sendrec for
// good, missing every later ping. rs must see it waiting on another service
// (the kernel's GETINFO) and leave it alone.
import { Message, sendrec, print } from "../../../servers/lib/index";
import { serverInit, serverOnNotify, serverRun, dsLookup } from "../../../servers/lib/server";
import { RS_EP } from "../../../servers/lib/proto";

let pings: i32 = 0;
const req = new Message();

function onNotify(m: Message): void {
  if (m.m_source != RS_EP) return;
  pings++;
  if (pings != 2) return;
  print("waitsvc: waiting on sinksvc\n");
  req.m_type = 0x900;
  sendrec(dsLookup("sinksvc"), req);
  print("waitsvc: answered\n");
}

export function main(): i32 {
  serverInit("waitsvc", 0x900, 1);
  serverOnNotify(onNotify);
  serverRun();
  return 0;
}
