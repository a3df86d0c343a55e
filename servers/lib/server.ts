// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The one skeleton every server runs (MINIX 3's SEF main loop and call
// table): receive a message, dispatch it, reply. A server registers
//   - a handler per request type (a call table indexed by m_type - base),
//   - one handler for notifications (interrupts, alarms, other servers),
//   - (pm only) one for the kernel's SIGNAL_MESSAGE,
// then calls serverRun(), which never returns.
//
// A handler gets the request in `m` and returns the result: >= 0 or -errno
// goes back as the reply's m_type, with whatever payload words the handler
// wrote into `m`; SUSPEND means no reply now (the handler kept what it needs
// and answers later with reply()). Replies use sendnb: a client waiting in
// its sendrec gets it at once, and one that is not waiting cannot block the
// server. Unknown request types get -ENOSYS.
//
// rs pings each service with a notification; the skeleton answers it by
// notifying rs back, so a server that stops looping is found hung.
//
// A notification never reaches a client in place of its reply: the kernel
// keeps it pending while the client waits for a sendrec's reply (MINIX's
// MF_REPLY_PEND), so a server notifies whenever it likes (serverNotify).
// The collector runs at the top of the loop, where no object is live on the
// stack, every COLLECT_EVERY messages (a full mark-and-sweep costs pm
// thousands of instructions; the garbage of 16 requests is a few KiB), so a
// server's memory stays flat however long it runs.
//
// Also here, for servers and the POSIX library alike: the kernel calls
// (sys*, docs/kernel.md; each a sendrec to SYSTEM with its own static
// message, so a handler's message is never clobbered), names in a message
// (setName, getName) and the ds client (dsLookup, dsPublish, dsSubscribe).
//
// Entry points: Handler, NotifyHandler, serverInit, serverCall,
// serverOnNotify, serverOnKernel, serverReplyType, serverRun, reply,
// replyRaw, serverNotify, serverMessage, sys*, KINFO_*, KSTATE_*, kresult,
// zalloc, setName, getName, cString, dsLookup, dsPublish, dsSubscribe.

import { Message, receive, sendnb, sendrec, notify, replyrecv, ANY } from "./ipc";
import {
  RS_EP, DS_EP, SYSTEM, NOTIFY_MESSAGE, SIGNAL_MESSAGE, SUSPEND, ENOSYS, NAME_OFF, NAME_MAX,
  DS_LOOKUP, DS_PUBLISH, DS_SUBSCRIBE,
} from "./proto";
import { printErr, printInt } from "./io";

export type Handler = (m: Message) => i32;
export type NotifyHandler = (m: Message) => void;

/** Print every message received and every reply (on stderr). */
const TRACE: bool = false;

let callBase: i32 = 0;
let calls: StaticArray<Handler | null> = new StaticArray<Handler | null>(0);
let onNotify: NotifyHandler | null = null;
let onKernel: NotifyHandler | null = null;
let serverName: string = "server";
/** 0: replies carry the status in m_type (pm, rs, ds); else m_type is this and the status goes in p0 (fs_proto.ts's drivers). */
let replyType: i32 = 0;

/** The message the loop receives into (and replies from). */
const msg = new Message();

/** The receive buffer: a handler that suspends copies what it needs from it. */
export function serverMessage(): Message {
  return msg;
}

/** Name the server (for its diagnostics) and size its call table: types base .. base + count - 1. */
export function serverInit(name: string, base: i32, count: i32): void {
  serverName = name;
  callBase = base;
  calls = new StaticArray<Handler | null>(count);
}

/** Handle request type `type` with `h`. */
export function serverCall(type: i32, h: Handler): void {
  const i = type - callBase;
  if (i < 0 || i >= calls.length) {
    printErr(serverName);
    printErr(": call type out of its table\n");
    return;
  }
  calls[i] = h;
}

/** Handle notifications (m_source says from whom; p0 the IRQ bits for HARDWARE). rs's pings are answered before this is called. */
export function serverOnNotify(h: NotifyHandler): void {
  onNotify = h;
}

/** Handle the kernel's SIGNAL_MESSAGE (the process manager). */
export function serverOnKernel(h: NotifyHandler): void {
  onKernel = h;
}

/** Reply as fs_proto.ts's servers do: m_type `type` (CDEV_REPLY, ...) and the status in p0. */
export function serverReplyType(type: i32): void {
  replyType = type;
}

/**
 * Notify `dest`. 0 or -errno. The kernel keeps a notification pending while
 * its destination waits for a sendrec's reply (docs/kernel.md), so a client
 * that awaits my reply gets the reply first and the notification at its
 * next receive.
 */
export function serverNotify(dest: i32): i32 {
  return notify(dest);
}

/** Reply to `dest` with `status` and the payload of `m`. 0 or -errno (a client that gave up is not an error of ours). */
export function reply(dest: i32, m: Message, status: i32): i32 {
  if (replyType != 0) {
    m.m_type = replyType;
    m.p0 = status;
  } else {
    m.m_type = status;
  }
  return replyRaw(dest, m);
}

/** Reply with `m` as it is (its m_type already set). */
export function replyRaw(dest: i32, m: Message): i32 {
  if (TRACE) trace("reply to", dest, m.m_type);
  return sendnb(dest, m);
}

function trace(what: string, ep: i32, type: i32): void {
  printErr(serverName);
  printErr(": ");
  printErr(what);
  printErr(" ");
  printInt(ep, 2);
  printErr(" type ");
  printInt(type, 2);
  printErr("\n");
}

/** m_types that only ever come as replies: a status (<= 0), the storage protocols' reply types. */
function isReply(type: i32): bool {
  return type <= 0 || type == 0x380 || type == 0x480 || type == 0x580 || (type >= 0x780 && type <= 0x782);
}

/** The reply the loop still has to send (with its next receive), or 0. */
let replyTo: i32 = 0;

function dispatch(m: Message): void {
  const src = m.m_source;
  const type = m.m_type;
  if (TRACE) trace("from", src, type);
  if (type == NOTIFY_MESSAGE) {
    if (src == RS_EP) notify(RS_EP); // a ping: I am alive
    const h = onNotify;
    if (h !== null) h(m);
    return;
  }
  if (type == SIGNAL_MESSAGE) {
    const h = onKernel;
    if (h !== null) h(m);
    return;
  }
  // A stray reply (to a request its sender made with sendnb, not waiting for
  // the answer) is no request: answering it with -ENOSYS could start two
  // servers answering each other forever.
  if (isReply(type)) return;
  const i = type - callBase;
  let status = -ENOSYS;
  if (i >= 0 && i < calls.length) {
    const h = calls[i];
    if (h !== null) status = h(m);
  }
  if (status == SUSPEND) return;
  // Sent by the loop together with its next receive.
  if (replyType != 0) {
    m.m_type = replyType;
    m.p0 = status;
  } else {
    m.m_type = status;
  }
  if (TRACE) trace("reply to", src, m.m_type);
  replyTo = src;
}

const COLLECT_EVERY: i32 = 16;

/** The main loop: never returns. */
export function serverRun(): void {
  let n = 0;
  for (;;) {
    if (++n >= COLLECT_EVERY) {
      __collect();
      n = 0;
    }
    let r: i32;
    if (replyTo != 0) {
      const dest = replyTo;
      replyTo = 0;
      r = replyrecv(dest, msg, ANY);
      if (r != 0) r = receive(ANY, msg); // the reply failed (its client is gone): nothing was received
    } else {
      r = receive(ANY, msg);
    }
    if (r != 0) continue; // a bad buffer cannot happen here (static); anything else: try again
    dispatch(msg);
  }
}

// --- kernel calls (docs/kernel.md) ------------------------------------------

export const K_FORK: i32 = 0x600;
export const K_EXEC: i32 = 0x601;
export const K_EXIT: i32 = 0x602;
export const K_KILL: i32 = 0x603;
export const K_PRIVCTL: i32 = 0x604;
export const K_SAFECOPYFROM: i32 = 0x605;
export const K_SAFECOPYTO: i32 = 0x606;
export const K_SETGRANT: i32 = 0x607;
export const K_IRQCTL: i32 = 0x608;
export const K_DEVMAP: i32 = 0x609;
export const K_UMAP: i32 = 0x60a;
export const K_VMCTL: i32 = 0x60b;
export const K_TIMES: i32 = 0x60c;
export const K_SETALARM: i32 = 0x60d;
export const K_GETINFO: i32 = 0x60e;
export const K_SHUTDOWN: i32 = 0x60f;
export const K_TRACE: i32 = 0x610;

export const GRANT_READ: i32 = 1;
export const GRANT_WRITE: i32 = 2;
export const IRQ_SETPOLICY: i32 = 1;
export const IRQ_ENABLE: i32 = 2;
export const IRQ_DISABLE: i32 = 3;
export const GETINFO_PROCTAB: i32 = 1;
/** GETINFO PROCTAB entries: endpoint, state, priority, flags, instret lo/hi, name[16] at 24, blocked-on at 40, pages at 44. */
export const KINFO_SIZE: i32 = 48;
export const KINFO_NAME: i32 = 24;
export const PRIV_ANY_TARGET: i32 = 1;
export const PRIV_SYSTEM: i32 = 2;
export const PRIV_SET_PRIORITY: i32 = 4;
/** GETINFO PROCTAB entry fields (docs/kernel.md). */
export const KINFO_STATE: i32 = 4;
export const KINFO_PRIORITY: i32 = 8;
export const KINFO_FLAGS: i32 = 12;
export const KINFO_INSTRET: i32 = 16;
export const KINFO_BLOCKED: i32 = 40;
/** GETINFO states. */
export const KSTATE_RUNNABLE: i32 = 1;
export const KSTATE_SENDING: i32 = 2;
export const KSTATE_RECEIVING: i32 = 3;
export const KSTATE_STOPPED: i32 = 4;
/** The kernel's process slots (docs/kernel.md NR_PROCS). */
export const NR_KPROCS: i32 = 64;

const kmsg = new Message();

/** Payload word `i` of the last kernel call's reply. */
export function kresult(i: i32): i32 {
  return kmsg.getI32(i);
}

function kcall(type: i32): i32 {
  kmsg.m_type = type;
  const r = sendrec(SYSTEM, kmsg);
  return r != 0 ? r : kmsg.m_type;
}

function kargs(a: i32, b: i32, c: i32, d: i32, e: i32): void {
  kmsg.p0 = a; kmsg.p1 = b; kmsg.p2 = c; kmsg.p3 = d; kmsg.p4 = e;
}

/** A copy of `parent`, waiting for the caller's reply -> the child's endpoint, or -errno. */
export function sysFork(parent: i32): i32 {
  kargs(parent, 0, 0, 0, 0);
  const r = kcall(K_FORK);
  return r < 0 ? r : kmsg.p0;
}

/** Longest process name the kernel keeps (EXEC p4). */
export const KNAME_MAX: i32 = 15;
const kname = new StaticArray<u8>(KNAME_MAX);

/**
 * Replace `ep`'s program with the ELF at `image` (`len` bytes) of the caller,
 * naming the process `name` (its first KNAME_MAX bytes, anything but
 * printable ASCII as '?'; "" keeps the old name).
 */
export function sysExec(ep: i32, image: usize, len: i32, name: string): i32 {
  let n = name.length;
  if (n > KNAME_MAX) n = KNAME_MAX;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    kname[i] = c >= 0x20 && c <= 0x7e ? <u8>c : 0x3f;
  }
  kargs(ep, <i32>image, len, <i32>changetype<usize>(kname), n);
  return kcall(K_EXEC);
}

export function sysExit(ep: i32, status: i32): i32 {
  kargs(ep, status, 0, 0, 0);
  return kcall(K_EXIT);
}

export function sysKill(ep: i32, sig: i32): i32 {
  kargs(ep, sig, 0, 0, 0);
  return kcall(K_KILL);
}

/**
 * Set `ep`'s privileges: flags (PRIV_*), kernel-call bits, target slot bits
 * (0-31, 32-63), IRQ bits, one MMIO range; with PRIV_SET_PRIORITY in the
 * flags, `priority` (0-15) becomes its scheduling priority.
 */
export function sysPrivctl(ep: i32, flags: i32, kcalls: i32, t0: i32, t1: i32, irqs: i32, mmioBase: i32, mmioSize: i32, priority: i32 = 0): i32 {
  kargs(ep, flags, kcalls, t0, t1);
  kmsg.p5 = irqs; kmsg.p6 = mmioBase; kmsg.p7 = mmioSize; kmsg.p8 = priority;
  return kcall(K_PRIVCTL);
}

/** Copy `len` bytes from `granter`'s grant `grant` at `offset` to my `dst`. */
export function sysSafecopyFrom(granter: i32, grant: i32, offset: i32, dst: usize, len: i32): i32 {
  kargs(granter, grant, offset, <i32>dst, len);
  return kcall(K_SAFECOPYFROM);
}

/** Copy `len` bytes of my `src` into `granter`'s grant `grant` at `offset`. */
export function sysSafecopyTo(granter: i32, grant: i32, offset: i32, src: usize, len: i32): i32 {
  kargs(granter, grant, offset, <i32>src, len);
  return kcall(K_SAFECOPYTO);
}

/** Let `grantee` copy [base, base+len) of my memory (access: GRANT_READ | GRANT_WRITE; 0 revokes). */
export function sysSetGrant(id: i32, grantee: i32, base: usize, len: i32, access: i32): i32 {
  kargs(id, grantee, <i32>base, len, access);
  return kcall(K_SETGRANT);
}

export function sysIrqctl(op: i32, line: i32): i32 {
  kargs(op, line, 0, 0, 0);
  return kcall(K_IRQCTL);
}

/** Map `size` bytes of device memory at physical `pa` at my `va` -> 0 or -errno. */
export function sysDevmap(pa: i32, size: i32, va: i32): i32 {
  kargs(pa, size, va, 0, 0);
  return kcall(K_DEVMAP);
}

/** -> 0, kresult(0..1) = `ep`'s retired instructions, kresult(2..3) = mtime (lo, hi). */
export function sysTimes(ep: i32): i32 {
  kargs(ep, 0, 0, 0, 0);
  return kcall(K_TIMES);
}

/** The current mtime (10 MHz ticks since power-on), or 0 if the call fails. */
export function sysNow(): i64 {
  if (sysTimes(0x8ace) != 0) return 0;
  return (<i64>kmsg.p3 << 32) | (<i64>kmsg.p2 & 0xffffffff);
}

/** Ask CLOCK to notify me in `ticks` (0 cancels) -> the ticks that were left of the previous alarm. */
export function sysSetAlarm(ticks: i32): i32 {
  kargs(ticks, 0, 0, 0, 0);
  const r = kcall(K_SETALARM);
  return r < 0 ? r : kmsg.p0;
}

/** The kernel's process table into `buf` (KINFO_SIZE-byte entries) -> entries, or -errno. */
export function sysGetProcTab(buf: usize, len: i32): i32 {
  kargs(GETINFO_PROCTAB, <i32>buf, len, 0, 0);
  const r = kcall(K_GETINFO);
  return r < 0 ? r : kmsg.p0;
}

export function sysShutdown(code: i32): i32 {
  kargs(code, 0, 0, 0, 0);
  return kcall(K_SHUTDOWN);
}

/** Heap memory, zeroed (a buffer that goes out whole, whatever the copy into it filled). Free with heap.free. */
export function zalloc(size: i32): usize {
  const p = heap.alloc(<usize>size);
  memory.fill(p, 0, <usize>size);
  return p;
}

// --- names in a message -----------------------------------------------------

/** Write `s` (ASCII, truncated to NAME_MAX - 1 bytes) NUL-terminated at NAME_OFF of the payload. */
export function setName(m: Message, s: string): void {
  const p = m.payload() + <usize>NAME_OFF;
  let n = s.length;
  if (n > NAME_MAX - 1) n = NAME_MAX - 1;
  for (let i = 0; i < n; i++) store<u8>(p + <usize>i, <u8>s.charCodeAt(i));
  memory.fill(p + <usize>n, 0, <usize>(NAME_MAX - n));
}

/** The NUL-terminated name at NAME_OFF (at most NAME_MAX - 1 bytes). */
export function getName(m: Message): string {
  return cString(m.payload() + <usize>NAME_OFF, NAME_MAX - 1);
}

/** The NUL-terminated ASCII string at `p`, of at most `max` bytes. */
export function cString(p: usize, max: i32): string {
  let n = 0;
  while (n < max && load<u8>(p + <usize>n) != 0) n++;
  return String.UTF8.decodeUnsafe(p, <usize>n);
}

// --- the ds client ----------------------------------------------------------

const dmsg = new Message();

/** The endpoint published under `name`, or -errno (-ESRCH: none). */
export function dsLookup(name: string): i32 {
  dmsg.clear();
  dmsg.m_type = DS_LOOKUP;
  setName(dmsg, name);
  const r = sendrec(DS_EP, dmsg);
  if (r != 0) return r;
  return dmsg.m_type < 0 ? dmsg.m_type : dmsg.p0;
}

/** The value published with `name` (after a successful dsLookup of it). */
export function dsLookupValue(): i32 {
  return dmsg.p1;
}

/** Publish `name` -> `ep` (0: me) and a small value. */
export function dsPublish(name: string, ep: i32, value: i32): i32 {
  dmsg.clear();
  dmsg.m_type = DS_PUBLISH;
  dmsg.p0 = ep;
  dmsg.p1 = value;
  setName(dmsg, name);
  const r = sendrec(DS_EP, dmsg);
  return r != 0 ? r : dmsg.m_type;
}

/** Be notified (from ds) whenever `name` is published again. */
export function dsSubscribe(name: string): i32 {
  dmsg.clear();
  dmsg.m_type = DS_SUBSCRIBE;
  setName(dmsg, name);
  const r = sendrec(DS_EP, dmsg);
  return r != 0 ? r : dmsg.m_type;
}
