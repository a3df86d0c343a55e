// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Character devices: VFS's own memory devices (major 1: /dev/null, and
// /dev/zero) and drivers that speak fs_proto.ts's CDEV protocol (major 4:
// the console, served by tty). VFS calls a driver with sendrec and the
// driver answers at once: with a count, an error, or CDEV_SUSPEND (the
// caller then waits in susp.ts). When a suspended request is done the
// driver notifies VFS, and VFS collects the results with CDEV_STATUS.
//
// A driver copies through an I/O slot: a CDEV_MAX_IO-byte buffer of VFS's
// granted to it for one request (the caller's own grant names VFS, which a
// driver cannot use), so a suspended read keeps its slot until revived.
//
// Entry points: cdevSetDriver, cdevDriver, cdevOpen, cdevClose, cdevRead,
// cdevWrite, cdevIoctl, cdevStatus, cdevNotified, cdevCancel.

import { Message, sendrec, receive, notify, SELF } from "../lib/index";
import { sysSafecopyFrom, sysSafecopyTo, sysSetGrant, dsLookup } from "../lib/server";
import { SUSPEND } from "../lib/proto";
import {
  CDEV_OPEN, CDEV_CLOSE, CDEV_READ, CDEV_WRITE, CDEV_IOCTL, CDEV_CANCEL, CDEV_STATUS, CDEV_REPLY,
  CDEV_REVIVE, CDEV_SUSPEND, CDEV_MAX_IO, GRANT_READ, GRANT_WRITE, MAJOR_MEMORY, MAJOR_TTY, MINOR_NULL,
  MINOR_ZERO, ENXIO, ENODEV, EAGAIN, EIO, O_NONBLOCK, NOTIFY_MESSAGE, EDEADSRCDST, ENOTTY, EDEADLK, EINTR,
} from "../lib/fs_proto";
import {
  suspend, resume, suspKind, suspIo, suspDev, suspGrant, suspEp, suspDone, SUSP_CDEV_READ, SUSP_CDEV_WRITE,
} from "./susp";
import { newI32s, touch } from "./arrays";

const NR_MAJORS: i32 = 8;
const NR_IO: i32 = 16;
const GRANT_IO_BASE: i32 = 16;

const driverEp = newI32s(NR_MAJORS);
const ioBuf = newI32s(NR_IO);
const ioSlot = newI32s(NR_IO);
const ioMajor = newI32s(NR_IO);
const cm = new Message();

@inline function major(dev: i32): i32 { return (dev >> 8) & 0xff; }
@inline function minor(dev: i32): i32 { return dev & 0xff; }

/**
 * `ep` now drives major `maj` (a restart, or the first time). Requests the
 * old driver had suspended are gone with it: their callers get -EIO.
 */
export function cdevSetDriver(maj: i32, ep: i32): void {
  if (maj <= 0 || maj >= NR_MAJORS) return;
  const old = driverEp[maj];
  driverEp[maj] = ep;
  if (old <= 0 || old == ep) return;
  for (let io = 0; io < NR_IO; io++) {
    if (ioSlot[io] == 0 || ioMajor[io] != maj) continue;
    const slot = ioSlot[io] - 1;
    const k = suspKind[slot];
    if ((k != SUSP_CDEV_READ && k != SUSP_CDEV_WRITE) || suspIo[slot] != io) continue; // a call in progress
    ioFree(io);
    resume(slot, -EIO);
  }
}

/** The driver of major `maj`: known, or asked of ds by its name ("tty" for the console). */
export function cdevDriver(maj: i32): i32 {
  if (maj <= 0 || maj >= NR_MAJORS) return 0;
  if (driverEp[maj] <= 0 && maj == MAJOR_TTY) {
    const ep = dsLookup("tty");
    if (ep > 0) driverEp[maj] = ep;
  }
  return driverEp[maj];
}

function ioAlloc(slot: i32, maj: i32): i32 {
  for (let i = 0; i < NR_IO; i++) {
    if (ioSlot[i] == 0) {
      if (ioBuf[i] == 0) {
        ioBuf[i] = <i32>heap.alloc(CDEV_MAX_IO);
        touch(<usize>ioBuf[i], CDEV_MAX_IO);
      }
      ioSlot[i] = slot + 1;
      ioMajor[i] = maj;
      return i;
    }
  }
  return -1;
}

function ioFree(i: i32): void {
  ioSlot[i] = 0;
}

/** A driver that notified VFS while VFS waited for its reply (0: none): collected after the call. */
let notified: i32 = 0;

/**
 * One request to the driver of major `maj`. The kernel lets a notification
 * from the driver end the receive half of the sendrec; it is remembered
 * (see `notified`) and the real reply awaited. A driver found dead is looked
 * up again in ds (RS publishes a restarted one) and asked once more, with
 * I/O slot `io`'s grant (if any, with `access`) made over to it.
 */
function call(maj: i32, type: i32, dev: i32, a: i32, b: i32, c: i32, d: i32, e: i32, io: i32, access: i32): i32 {
  for (let attempt = 0; ; attempt++) {
    const ep = cdevDriver(maj);
    if (ep <= 0) return -ENODEV;
    if (io >= 0) {
      const g = sysSetGrant(GRANT_IO_BASE + io, ep, <usize>ioBuf[io], CDEV_MAX_IO, access);
      if (g < 0) return g;
    }
    cm.clear();
    cm.m_type = type;
    cm.p0 = minor(dev); cm.p1 = a; cm.p2 = b; cm.p3 = c; cm.p4 = d; cm.p5 = e;
    let r = sendrec(ep, cm);
    while (r == 0 && cm.m_type == NOTIFY_MESSAGE && cm.m_source == ep) {
      notified = ep;
      r = receive(ep, cm);
    }
    if (r == -EDEADSRCDST && attempt == 0 && refresh(maj, ep)) continue;
    // A cycle through PM (tty sending a signal, PM telling VFS of an exit): the call is interrupted.
    if (r == -EDEADLK) return -EINTR;
    if (r < 0) return r;
    if (cm.m_type != CDEV_REPLY) return -EIO;
    return cm.p0;
  }
}

/** Driver `dead` of major `maj` is gone: ask ds for its successor. True if there is one. */
function refresh(maj: i32, dead: i32): bool {
  if (maj != MAJOR_TTY) return false;
  const ep = dsLookup("tty");
  if (ep <= 0 || ep == dead) return false;
  cdevSetDriver(maj, ep);
  return true;
}

/** Collect what a driver announced during a call (once the call's own effects are in place). */
function collect(): void {
  while (notified != 0) {
    const ep = notified;
    notified = 0;
    cdevStatus(ep);
  }
}

function cdevOpenNow(dev: i32, user: i32, flags: i32): i32 {
  const maj = major(dev);
  if (maj == MAJOR_MEMORY) return minor(dev) == MINOR_NULL || minor(dev) == MINOR_ZERO ? 0 : -ENXIO;
  const ep = cdevDriver(maj);
  if (ep <= 0) return -ENODEV;
  return call(maj, CDEV_OPEN, dev, user, flags, 0, 0, 0, -1, 0);
}

function cdevCloseNow(dev: i32, user: i32): i32 {
  const maj = major(dev);
  if (maj == MAJOR_MEMORY) return 0;
  const ep = cdevDriver(maj);
  if (ep <= 0) return 0;
  return call(maj, CDEV_CLOSE, dev, user, 0, 0, 0, 0, -1, 0);
}

/** /dev/zero: `count` zeros into the caller's grant, in pieces of the zeroed I/O slot. */
function readZero(slot: i32, user: i32, grant: i32, count: i32): i32 {
  const io = ioAlloc(slot, MAJOR_MEMORY);
  if (io < 0) return -EAGAIN;
  memory.fill(<usize>ioBuf[io], 0, CDEV_MAX_IO);
  let done = 0;
  while (done < count) {
    const n = min(CDEV_MAX_IO, count - done);
    const r = sysSafecopyTo(user, grant, done, <usize>ioBuf[io], n);
    if (r < 0) { ioFree(io); return done > 0 ? done : r; }
    done += n;
  }
  ioFree(io);
  return done;
}

/**
 * A read of `count` bytes from device `dev` for `user` (slot `slot`) into
 * its grant: bytes, -errno, or SUSPEND (answered later by cdevStatus).
 */
function cdevReadNow(slot: i32, user: i32, dev: i32, grant: i32, count: i32, flags: i32): i32 {
  const maj = major(dev);
  if (maj == MAJOR_MEMORY) return minor(dev) == MINOR_ZERO ? readZero(slot, user, grant, count) : 0;
  const ep = cdevDriver(maj);
  if (ep <= 0) return -ENODEV;
  const io = ioAlloc(slot, maj);
  if (io < 0) return -EAGAIN;
  const n = min(count, CDEV_MAX_IO);
  let r = call(maj, CDEV_READ, dev, GRANT_IO_BASE + io, n, user, flags & O_NONBLOCK, io, io, GRANT_WRITE);
  if (r == CDEV_SUSPEND) {
    suspend(slot, user, SUSP_CDEV_READ, -1, grant, n, 0);
    suspIo[slot] = io;
    suspDev[slot] = dev;
    return SUSPEND;
  }
  if (r > 0) r = deliver(io, user, grant, r);
  ioFree(io);
  return r;
}

/** Copy `n` bytes a driver read into slot io to the user's grant: n, or -errno. */
function deliver(io: i32, user: i32, grant: i32, n: i32): i32 {
  const r = sysSafecopyTo(user, grant, 0, <usize>ioBuf[io], n);
  return r < 0 ? r : n;
}

/** A write: bytes written, -errno, or SUSPEND. */
function cdevWriteNow(slot: i32, user: i32, dev: i32, grant: i32, count: i32, flags: i32): i32 {
  const maj = major(dev);
  if (maj == MAJOR_MEMORY) return count;
  const ep = cdevDriver(maj);
  if (ep <= 0) return -ENODEV;
  const io = ioAlloc(slot, maj);
  if (io < 0) return -EAGAIN;
  let done = 0;
  while (done < count) {
    const n = min(CDEV_MAX_IO, count - done);
    let r = sysSafecopyFrom(user, grant, done, <usize>ioBuf[io], n);
    if (r == 0) r = call(maj, CDEV_WRITE, dev, GRANT_IO_BASE + io, n, user, flags & O_NONBLOCK, io, io, GRANT_READ);
    if (r == CDEV_SUSPEND) {
      suspend(slot, user, SUSP_CDEV_WRITE, -1, grant, count, done);
      suspIo[slot] = io;
      suspDev[slot] = dev;
      return SUSPEND;
    }
    if (r < 0) { ioFree(io); return done > 0 ? done : r; }
    done += r;
    if (r < n) break;
  }
  ioFree(io);
  return done;
}

function cdevIoctlNow(dev: i32, user: i32, request: i32, arg: i32): i32 {
  const maj = major(dev);
  if (maj == MAJOR_MEMORY) return -ENOTTY;
  return call(maj, CDEV_IOCTL, dev, request, arg, user, 0, 0, -1, 0);
}

// Each call, then whatever the driver announced meanwhile.
export function cdevOpen(dev: i32, user: i32, flags: i32): i32 {
  const r = cdevOpenNow(dev, user, flags); collect(); return r;
}
export function cdevClose(dev: i32, user: i32): i32 {
  const r = cdevCloseNow(dev, user); collect(); return r;
}
export function cdevRead(slot: i32, user: i32, dev: i32, grant: i32, count: i32, flags: i32): i32 {
  const r = cdevReadNow(slot, user, dev, grant, count, flags); collect(); return r;
}
export function cdevWrite(slot: i32, user: i32, dev: i32, grant: i32, count: i32, flags: i32): i32 {
  const r = cdevWriteNow(slot, user, dev, grant, count, flags); collect(); return r;
}
export function cdevIoctl(dev: i32, user: i32, request: i32, arg: i32): i32 {
  const r = cdevIoctlNow(dev, user, request, arg); collect(); return r;
}

/** A driver whose results could not be collected yet (0: none): VFS notified itself to try again. */
let statusDue: i32 = 0;

/**
 * A notification from `src`: from a driver, collect its results; from
 * anyone (VFS itself, after a collection that had to wait), collect the
 * results still due.
 */
export function cdevNotified(src: i32): void {
  const due = statusDue;
  statusDue = 0;
  if (due != 0 && due != src) cdevStatus(due);
  for (let maj = 1; maj < NR_MAJORS; maj++) {
    if (driverEp[maj] == src && src > 0) { cdevStatus(src); return; }
  }
}

/** A driver notified VFS: collect its finished requests and answer their callers. */
export function cdevStatus(ep: i32): void {
  if (statusDue == ep) statusDue = 0;
  for (let guard = 0; guard < 64; guard++) {
    cm.clear();
    cm.m_type = CDEV_STATUS;
    let r = sendrec(ep, cm);
    while (r == 0 && cm.m_type == NOTIFY_MESSAGE && cm.m_source == ep) r = receive(ep, cm);
    if (r == -EDEADLK) {
      // The driver is itself waiting on someone who waits on VFS (tty on PM, PM on VFS): ask again soon.
      statusDue = ep;
      notify(SELF);
      return;
    }
    if (r < 0 || cm.m_type != CDEV_REVIVE) return;
    const io = cm.p5, status = cm.p0;
    if (io < 0 || io >= NR_IO || ioSlot[io] == 0) continue; // cancelled meanwhile
    const slot = ioSlot[io] - 1;
    ioFree(io);
    const k = suspKind[slot];
    if ((k != SUSP_CDEV_READ && k != SUSP_CDEV_WRITE) || suspIo[slot] != io) continue;
    if (k == SUSP_CDEV_READ) resume(slot, status > 0 ? deliver(io, suspEp[slot], suspGrant[slot], status) : status);
    else resume(slot, status >= 0 ? suspDone[slot] + status : (suspDone[slot] > 0 ? suspDone[slot] : status));
  }
}

/** The process in `slot` is gone: drop its suspended device request. */
export function cdevCancel(slot: i32, user: i32): void {
  const dev = suspDev[slot];
  const io = suspIo[slot];
  if (io < 0 || io >= NR_IO || ioSlot[io] != slot + 1) return;
  if (cdevDriver(ioMajor[io]) > 0) call(ioMajor[io], CDEV_CANCEL, dev, 0, 0, user, 0, io, -1, 0);
  ioFree(io);
  collect();
}
