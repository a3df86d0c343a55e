// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A stand-in console driver for test/fs (booted under the name "tty"): it
// speaks the character-device protocol of fs_proto.ts as a real driver
// must. Writes are printed as "tty: <text>". The first read is answered at
// once ("line one\n"); every later read is suspended (CDEV_SUSPEND), VFS is
// notified at once, and CDEV_STATUS then revives it with "line N\n". An
// ioctl answers its request number plus its argument; a cancel is counted.

import { Message, notify, print, writeBytes, sendnb } from "../../../servers/lib/index";
import {
  serverInit, serverCall, serverReplyType, serverRun, sysSafecopyFrom, sysSafecopyTo,
} from "../../../servers/lib/server";
import { SUSPEND } from "../../../servers/lib/proto";
import {
  CDEV_OPEN, CDEV_CLOSE, CDEV_READ, CDEV_WRITE, CDEV_IOCTL, CDEV_CANCEL, CDEV_STATUS, CDEV_REPLY,
  CDEV_REVIVE, CDEV_NO_STATUS, CDEV_SUSPEND, ENXIO, EINTR,
} from "../../../servers/lib/fs_proto";

const data: usize = memory.data(4096);
let reads = 0;
// The one suspended read.
let pendingEp = 0, pendingGrant = 0, pendingCount = 0, pendingId = -1;

function line(n: i32): i32 {
  const s = "line " + n.toString() + "\n";
  return <i32>String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, data, false);
}

function doOpen(m: Message): i32 { return m.p0 == 0 ? 0 : -ENXIO; }
function doClose(m: Message): i32 { return 0; }

function doWrite(m: Message): i32 {
  const n = min(m.p2, 4096);
  const r = sysSafecopyFrom(m.m_source, m.p1, 0, data, n);
  if (r < 0) return r;
  print("tty: ");
  writeBytes(1, data, n);
  return n;
}

function doRead(m: Message): i32 {
  reads++;
  if (reads == 1) {
    const n = min(line(1), m.p2);
    const r = sysSafecopyTo(m.m_source, m.p1, 0, data, n);
    return r < 0 ? r : n;
  }
  pendingEp = m.m_source; pendingGrant = m.p1; pendingCount = m.p2; pendingId = m.p5;
  // Answer first, then notify: a notification while VFS waits in its sendrec would end that wait
  // instead of the reply (the kernel delivers it there), and the reply would be lost.
  m.m_type = CDEV_REPLY;
  m.p0 = CDEV_SUSPEND;
  sendnb(m.m_source, m);
  notify(m.m_source);
  return SUSPEND;
}

function doIoctl(m: Message): i32 { return m.p1 + m.p2; }

function doCancel(m: Message): i32 {
  if (m.p5 == pendingId) { pendingId = -1; print("tty: cancel\n"); }
  return -EINTR;
}

function doStatus(m: Message): i32 {
  if (pendingId >= 0 && m.m_source == pendingEp) {
    const n = min(line(reads), pendingCount);
    const r = sysSafecopyTo(pendingEp, pendingGrant, 0, data, n);
    m.m_type = CDEV_REVIVE;
    m.p0 = r < 0 ? r : n;
    m.p5 = pendingId;
    pendingId = -1;
  } else {
    m.m_type = CDEV_NO_STATUS;
  }
  // The skeleton would reply with m_type CDEV_REPLY: a status reply has its own types, so it goes here.
  sendnb(m.m_source, m);
  return SUSPEND;
}

export function main(): void {
  serverInit("tty", CDEV_OPEN, CDEV_STATUS - CDEV_OPEN + 1);
  serverReplyType(CDEV_REPLY);
  serverCall(CDEV_OPEN, doOpen);
  serverCall(CDEV_CLOSE, doClose);
  serverCall(CDEV_READ, doRead);
  serverCall(CDEV_WRITE, doWrite);
  serverCall(CDEV_IOCTL, doIoctl);
  serverCall(CDEV_CANCEL, doCancel);
  serverCall(CDEV_STATUS, doStatus);
  serverRun();
}
