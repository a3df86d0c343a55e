// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// pm's view of VFS: its endpoint (asked of ds; a system without VFS has
// none, and pm then tells nobody about forks, execs and exits), and the
// notices MINIX's PM sends it: a fork copies the parent's descriptors, an
// exec closes the close-on-exec ones, an exit closes them all.
//
// pm never waits for VFS. VFS may be waiting on a file server that waits
// for its disk driver, and rs needs pm to start the driver again, so a pm
// blocked on VFS would close the circle (docs/fs.md, "What PM and RS must
// not do"). A notice goes with sendnb, which VFS takes only in its main
// loop's receive, and VFS handles one message at a time: once delivered, a
// notice is dealt with before anything VFS receives after it. VFS's answer
// is not awaited (it reaches pm as a stray reply, which the skeleton drops,
// or nowhere). A notice VFS cannot take now joins a queue, kept in order
// and retried on pm's alarm (retryAt), first after RETRY_MIN ticks, then
// less and less often. A fork is answered only once its notice is in
// (vfsFork's `pid`): the child must not reach VFS before its descriptors.
//
// Entry points: vfsEndpoint, vfsFork, vfsExec, vfsExit, vfsFlush,
// vfsRetryAt, vfsShutdown.

import { Message, sendnb, sendrec } from "../lib/index";
import { dsLookup, reply, sysNow } from "../lib/server";
import { ENOTREADY, EDEADSRCDST } from "../lib/proto";
import { VFS_PM_FORK, VFS_PM_EXEC, VFS_PM_EXIT, VFS_SHUTDOWN } from "../lib/fs_proto";

/** 0 not asked yet, -1 none. */
let vfsEp: i32 = 0;
const vmsg = new Message();
const rmsg = new Message();

export function vfsEndpoint(): i32 {
  if (vfsEp == 0) {
    const ep = dsLookup("vfs");
    vfsEp = ep > 0 ? ep : -1;
  }
  return vfsEp;
}

// The queue of notices VFS has not taken yet (a ring).
const QMAX: i32 = 128;
const qType = new StaticArray<i32>(QMAX);
const qA = new StaticArray<i32>(QMAX);
const qB = new StaticArray<i32>(QMAX);
/** For a fork: the child's pid, the parent's answer once the notice is in (0: nothing to answer). */
const qPid = new StaticArray<i32>(QMAX);
let qHead: i32 = 0;
let qLen: i32 = 0;

/** Ticks (10 MHz) before the first retry, and the longest wait between two. */
const RETRY_MIN: i64 = 1000;
const RETRY_MAX: i64 = 100000;
let retryGap: i64 = RETRY_MIN;
let retryAt: i64 = i64.MAX_VALUE;

/** When pm's alarm must fire to retry the queue (i64.MAX_VALUE: nothing waits). */
export function vfsRetryAt(): i64 {
  return qLen > 0 ? retryAt : i64.MAX_VALUE;
}

/** Try to hand one notice to VFS: 0 delivered (or VFS is gone: nothing to tell), -ENOTREADY busy. */
function deliver(type: i32, a: i32, b: i32): i32 {
  for (let tries = 0; tries < 2; tries++) {
    const vfs = vfsEndpoint();
    if (vfs <= 0) return 0;
    vmsg.clear();
    vmsg.m_type = type;
    vmsg.p0 = a;
    vmsg.p1 = b;
    const r = sendnb(vfs, vmsg);
    if (r != -EDEADSRCDST) return r == -ENOTREADY ? r : 0;
    vfsEp = 0; // VFS was restarted: ask ds once more
  }
  return 0;
}

/** Answer a fork whose notice is in: the child gets 0, the parent the child's pid. */
function forkDone(parent: i32, child: i32, pid: i32): void {
  rmsg.clear();
  reply(child, rmsg, 0);
  rmsg.clear();
  reply(parent, rmsg, pid);
}

/** Take the oldest notice off the queue (delivered): answer its fork. */
function pop(): void {
  const a = qA[qHead], b = qB[qHead], pid = qPid[qHead];
  qHead = (qHead + 1) % QMAX;
  qLen--;
  if (pid > 0) forkDone(a, b, pid);
}

/** Hand VFS what it will take of the queue, in order. True when the queue is empty. */
export function vfsFlush(): bool {
  while (qLen > 0) {
    if (deliver(qType[qHead], qA[qHead], qB[qHead]) == -ENOTREADY) {
      retryAt = sysNow() + retryGap;
      retryGap = retryGap * 2 > RETRY_MAX ? RETRY_MAX : retryGap * 2;
      return false;
    }
    pop();
  }
  retryGap = RETRY_MIN;
  return true;
}

/** Send a notice now if VFS takes it and nothing waits before it; else queue it. True if it is in. */
function tell(type: i32, a: i32, b: i32, pid: i32): bool {
  if (vfsEndpoint() <= 0) return true;
  if (vfsFlush() && deliver(type, a, b) != -ENOTREADY) return true;
  if (qLen == QMAX) {
    // Full (a hundred notices stuck): wait for VFS to take the oldest, the old way, rather than lose one.
    vmsg.clear();
    vmsg.m_type = qType[qHead];
    vmsg.p0 = qA[qHead];
    vmsg.p1 = qB[qHead];
    sendrec(vfsEndpoint(), vmsg);
    pop();
  }
  const i = (qHead + qLen) % QMAX;
  qType[i] = type;
  qA[i] = a;
  qB[i] = b;
  qPid[i] = pid;
  if (qLen == 0) {
    retryGap = RETRY_MIN;
    retryAt = sysNow() + retryGap;
  }
  qLen++;
  return false;
}

/**
 * `child` is `parent`'s fork, pid `pid`. True if VFS has the notice (answer
 * the fork now); false if it is queued: the fork is answered when it goes.
 */
export function vfsFork(parent: i32, child: i32, pid: i32): bool {
  return tell(VFS_PM_FORK, parent, child, pid);
}

export function vfsExec(ep: i32): void {
  tell(VFS_PM_EXEC, ep, 0, 0);
}

export function vfsExit(ep: i32): void {
  tell(VFS_PM_EXIT, ep, 0, 0);
}

/** Sync and unmount every file system before the power goes (pm waits: nothing comes after). */
export function vfsShutdown(): i32 {
  const vfs = vfsEndpoint();
  if (vfs <= 0) return 0;
  vfsFlush();
  vmsg.clear();
  vmsg.m_type = VFS_SHUTDOWN;
  const r = sendrec(vfs, vmsg);
  return r != 0 ? r : vmsg.p0;
}
