// Message passing with MINIX 3's semantics (docs/kernel.md): send blocks
// until the destination receives; receive blocks until a message (or a
// notification) arrives from the named source or ANY; sendrec is a send
// followed by a receive from the same peer, with no window between them;
// notify never blocks and coalesces (one pending bit per source); sendnb
// fails with ENOTREADY instead of blocking. A send that would close a cycle
// of blocked senders fails with EDEADLK. Messages are 64 bytes, copied
// straight from the sender's buffer to the receiver's through both page
// tables; the kernel writes m_source.
//
// Results are returned to the caller (a negative errno, or 0) or, for a
// process that was blocked, written into its saved a0 when it wakes.
//
// Entry points: ipcSend, ipcReceive, ipcNotify, deliverKernelMessage.

import { IPC, MESSAGE, KERR, ENDPOINT, NOTIFY_MESSAGE, TRACE_KIND } from './abi.ts';
import { STATE, type Proc } from './proc.ts';
import type { Kernel } from './kernel.ts';
import { COPY_OK, COPY_BAD_SRC, COPY_BAD_DST } from './copy.ts';
import { traceMessage } from './trace.ts';

/** What a call returns to its caller: a value now, or BLOCKED (the caller sleeps). */
export const BLOCKED = Symbol('blocked');
export type IpcResult = number | typeof BLOCKED;

/** Is `r` waiting to receive from `sender` (a process endpoint or a kernel task)? */
function receivingFrom(r: Proc, sender: number): boolean {
  return r.state === STATE.RECEIVING && (r.ipc.peer === IPC.ANY || r.ipc.peer === sender);
}

/** Would `caller` sending to `dest` close a cycle of processes blocked in send? */
function deadlocks(k: Kernel, caller: Proc, dest: Proc): boolean {
  let p: Proc | undefined = dest;
  for (let hops = 0; p !== undefined && hops < 64; hops++) {
    if (p === caller) return true;
    if (p.state !== STATE.SENDING) return false;
    p = k.procs.lookup(p.ipc.peer);
  }
  return false;
}

/** Copy a message from `from`'s buffer to `to`'s and stamp m_source: COPY_OK, COPY_BAD_SRC or COPY_BAD_DST. */
function copyMessage(k: Kernel, from: Proc, fromVa: number, to: Proc, toVa: number): number {
  let r = copyOnce(k, from, fromVa, to, toVa);
  // A buffer on a stack or heap page not touched yet is the process's own: map it and try again.
  if (r !== COPY_OK) r = k.user.retryCopy(r, from, fromVa, to, toVa, MESSAGE.size, () => copyOnce(k, from, fromVa, to, toVa));
  if (r === COPY_OK && (from.trace !== undefined || to.trace !== undefined)) {
    traceMessage(k, from, to, new Int32Array(k.user.read(to, toVa, MESSAGE.size)!.buffer));
  }
  return r;
}

function copyOnce(k: Kernel, from: Proc, fromVa: number, to: Proc, toVa: number): number {
  const c = k.copy;
  if (c.copyMessage !== undefined) return c.copyMessage(from.space!.root, fromVa, to.space!.root, toVa, from.endpoint);
  const r = c.copy(from.space!.root, fromVa, to.space!.root, toVa, MESSAGE.size);
  if (r === COPY_OK) k.user.writeWord(to, toVa + MESSAGE.m_source, from.endpoint);
  return r;
}

/**
 * send / sendrec / sendnb from `caller` to endpoint `destEp` with the
 * message at `msg` in the caller's space.
 */
export function ipcSend(k: Kernel, caller: Proc, destEp: number, msg: number, mode: 'send' | 'sendrec' | 'sendnb'): IpcResult {
  if (destEp === ENDPOINT.SYSTEM) {
    if (mode !== 'sendrec') return -KERR.EINVAL;
    return k.kernelCall(caller, msg);
  }
  const dest = k.procs.lookup(destEp);
  if (dest === undefined) return -KERR.EDEADSRCDST;
  if (!k.mayReach(caller, dest)) return -KERR.ECALLDENIED;
  if (dest === caller) return -KERR.EDEADLK;
  if (receivingFrom(dest, caller.endpoint)) {
    const r = copyMessage(k, caller, msg, dest, dest.ipc.msg);
    if (r === COPY_BAD_SRC) return -KERR.EFAULT;
    k.wake(dest, r === COPY_OK ? 0 : -KERR.EFAULT);
    if (r === COPY_OK) return mode === 'sendrec' ? blockReceive(caller, destEp, msg, true) : 0;
    // The receiver's buffer was bad: that is its error; the message waits as if it had not been receiving.
  }
  if (mode === 'sendnb') return -KERR.ENOTREADY;
  if (deadlocks(k, caller, dest)) return -KERR.EDEADLK;
  if (!k.user.readable(caller, msg, MESSAGE.size)) return -KERR.EFAULT;
  caller.state = STATE.SENDING;
  caller.ipc.peer = destEp;
  caller.ipc.msg = msg;
  caller.ipc.sendrec = mode === 'sendrec';
  dest.ipc.senders.push(caller.slot);
  return BLOCKED;
}

function blockReceive(p: Proc, from: number, msg: number, replyWait = false): IpcResult {
  p.state = STATE.RECEIVING;
  p.ipc.peer = from;
  p.ipc.msg = msg;
  p.ipc.sendrec = false;
  p.ipc.replyWait = replyWait;
  return BLOCKED;
}

/** receive from `srcEp` (or ANY) into the message at `msg`. */
export function ipcReceive(k: Kernel, caller: Proc, srcEp: number, msg: number): IpcResult {
  if (srcEp !== IPC.ANY && srcEp >= 0 && k.procs.lookup(srcEp) === undefined) return -KERR.EDEADSRCDST;
  if (!k.user.messageWritable(caller, msg)) return -KERR.EFAULT;
  // Kernel messages (signals for PM) and notifications first, then senders in arrival order.
  if ((srcEp === IPC.ANY || srcEp === ENDPOINT.KERNEL) && caller.ipc.kmsgs.length) {
    const r = deliverKernelMessage(k, caller, msg, caller.ipc.kmsgs[0]);
    if (r === 0) caller.ipc.kmsgs.shift();
    return r;
  }
  if (caller.ipc.notify.size !== 0) {
    const n = pendingNotification(k, caller, srcEp);
    if (n !== undefined) return deliverNotification(k, caller, msg, n);
  }
  const senders = caller.ipc.senders;
  for (let i = 0; i < senders.length;) {
    const s = k.procs.procs[senders[i]];
    if (srcEp !== IPC.ANY && s.endpoint !== srcEp) { i++; continue; }
    if (i === 0) senders.shift(); else senders.splice(i, 1);
    const r = copyMessage(k, s, s.ipc.msg, caller, msg);
    if (r === COPY_BAD_DST) { senders.splice(i, 0, s.slot); return -KERR.EFAULT; }
    if (r === COPY_BAD_SRC) { k.wake(s, -KERR.EFAULT); continue; } // its buffer went bad while it waited: next one
    if (s.ipc.sendrec) blockReceive(s, caller.endpoint, s.ipc.msg, true);
    else k.wake(s, 0);
    return 0;
  }
  return blockReceive(caller, srcEp, msg);
}

/** The source of a pending notification `caller` may take now, if any. */
function pendingNotification(k: Kernel, caller: Proc, srcEp: number): number | undefined {
  for (const src of caller.ipc.notify) {
    const ep = src < 0 ? src : k.procs.procs[src].endpoint;
    if (srcEp === IPC.ANY || srcEp === ep) return src;
  }
  return undefined;
}

/** Deliver the pending notification from `src`; the bit (and its payload) is consumed only if the write succeeds. */
function deliverNotification(k: Kernel, p: Proc, msg: number, src: number): number {
  const ep = src < 0 ? src : k.procs.procs[src].endpoint;
  const words = new Int32Array(16);
  words[0] = ep;
  words[1] = NOTIFY_MESSAGE;
  words[2] = k.notifyPayload(p, src, false);
  words[3] = k.now() | 0;
  const r = deliverKernelMessage(k, p, msg, words);
  if (r === 0) {
    p.ipc.notify.delete(src);
    k.notifyPayload(p, src, true);
  }
  return r;
}

/** Write a kernel-made message (m_source already set) into `p`'s buffer. */
export function deliverKernelMessage(k: Kernel, p: Proc, msg: number, words: Int32Array): number {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, MESSAGE.size);
  const ok = k.user.write(p, msg, bytes) || (k.user.faultIn(p, msg, MESSAGE.size) && k.user.write(p, msg, bytes));
  if (ok && p.trace !== undefined) traceMessage(k, words[0], p, words);
  return ok ? 0 : -KERR.EFAULT;
}

/**
 * notify `destEp` from `src` (a process, or a kernel task's negative
 * endpoint): delivered at once if the destination is receiving from it,
 * else remembered as one pending bit (repeats coalesce). Never blocks.
 */
export function ipcNotify(k: Kernel, src: Proc | number, destEp: number): number {
  const dest = k.procs.lookup(destEp);
  if (dest === undefined) return -KERR.EDEADSRCDST;
  if (typeof src !== 'number' && !k.mayReach(src, dest)) return -KERR.ECALLDENIED;
  const key = typeof src === 'number' ? src : src.slot;
  const ep = typeof src === 'number' ? src : src.endpoint;
  // A traced process's notify is logged when made (its delivery may come much later, coalesced).
  if (typeof src !== 'number' && src.trace !== undefined) src.trace.add(k.now() | 0, TRACE_KIND.NOTIFY, ep, destEp, NOTIFY_MESSAGE, 0, 0, 0);
  dest.ipc.notify.add(key);
  if (receivingFrom(dest, ep) && !dest.ipc.replyWait) {
    const err = deliverNotification(k, dest, dest.ipc.msg, key);
    k.wake(dest, err);
  }
  return 0;
}

/** Queue a kernel message for `dest` (e.g. a signal for PM), delivering it now if it is receiving. */
export function sendKernelMessage(k: Kernel, dest: Proc, words: Int32Array): void {
  words[0] = ENDPOINT.KERNEL;
  if (receivingFrom(dest, ENDPOINT.KERNEL)) {
    const r = deliverKernelMessage(k, dest, dest.ipc.msg, words);
    if (r !== 0) dest.ipc.kmsgs.push(words); // its buffer was bad: it hears of that, the message waits
    k.wake(dest, r);
  } else dest.ipc.kmsgs.push(words);
}

/** Cancel whatever `p` itself was blocked in (exec gives it a fresh start). */
export function ipcDetach(k: Kernel, p: Proc): void {
  if (p.state === STATE.SENDING) {
    const dest = k.procs.lookup(p.ipc.peer);
    const i = dest ? dest.ipc.senders.indexOf(p.slot) : -1;
    if (dest && i >= 0) dest.ipc.senders.splice(i, 1);
  }
  p.ipc.peer = 0;
  p.ipc.sendrec = false;
}

/** Take `dead` out of every IPC relationship (it exited or was killed). */
export function ipcCleanup(k: Kernel, dead: Proc): void {
  for (const s of dead.ipc.senders) {
    const sender = k.procs.procs[s];
    if (sender.state === STATE.SENDING) k.wake(sender, -KERR.EDEADSRCDST);
  }
  dead.ipc.senders = [];
  for (const p of k.procs.living()) {
    if (p === dead) continue;
    p.ipc.notify.delete(dead.slot);
    const i = p.ipc.senders.indexOf(dead.slot);
    if (i >= 0) p.ipc.senders.splice(i, 1);
    if (p.state === STATE.RECEIVING && p.ipc.peer === dead.endpoint) k.wake(p, -KERR.EDEADSRCDST);
  }
}
