// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A stand-in for RS in test/fs/recovery.test.ts (boot slot 2, RS's
// endpoint). The test kills blk and starts a fresh copy itself (what PM and
// RS do in the full system); it then tells this stand-in the new endpoint
// with a kernel message (m_type 0x7e57, p0 the endpoint), and the stand-in
// does what RS does after a restart: publish "blk" in ds (which notifies
// its subscribers: mfs) and tell VFS the driver is up, without waiting
// (sendnb): VFS may itself be waiting for mfs, which waits for the driver,
// and an RS blocked on VFS could not publish the next restart.

import { Message, receive, sendnb, print, printInt, ANY } from "../../../servers/lib/index";
import { dsPublish } from "../../../servers/lib/server";
import { VFS_DRIVER_UP, KERNEL } from "../../../servers/lib/fs_proto";
import { findProc } from "./tlib";

const m = new Message();
const v = new Message();

export function main(): void {
  for (;;) {
    if (receive(ANY, m) != 0) continue;
    if (m.m_source != KERNEL || m.m_type != 0x7e57) continue;
    const ep = m.p0;
    const r = dsPublish("blk", ep, 0);
    v.clear();
    v.m_type = VFS_DRIVER_UP;
    v.p0 = ep; v.p1 = 1; v.p2 = 0;
    const s = sendnb(findProc("vfs"), v);
    print("rs: blk is back at "); printInt(ep); print(" (ds "); printInt(r); print(", vfs "); printInt(s); print(")\n");
  }
}
