// Message tracing, for `trace` (MINIX's trace, Hurd's rpctrace): while a
// process is traced, the kernel logs every message it sends or receives,
// every notification and kernel message delivered to it, and every kernel
// call it makes with its result. The log is a ring of fixed records per
// traced process, read by its tracer with the TRACE kernel call; when the
// ring is full the oldest records are dropped and counted.
//
// The hot paths pay one field test (Proc.trace) when nothing is traced.
//
// Entry points: TraceLog, traceMessage, traceKernelCall, traceControl,
// traceExit.

import { KERR, TRACE, TRACE_KIND, TRACE_RECORD_SIZE, NOTIFY_MESSAGE } from './abi.ts';
import type { Proc } from './proc.ts';
import type { Kernel } from './kernel.ts';

/** Records kept per traced process before the oldest are dropped. */
export const TRACE_RING = 1024;
const WORDS = TRACE_RECORD_SIZE / 4;

export class TraceLog {
  readonly ring = new Int32Array(TRACE_RING * WORDS);
  /** Index of the oldest record, and how many are kept. */
  private head = 0;
  count = 0;
  /** Records lost to a full ring since the last read. */
  dropped = 0;
  /** The traced process has exited: after the last read the log goes. */
  ended = false;

  constructor(readonly tracer: number, readonly target: number) {}

  add(time: number, kind: number, from: number, to: number, mType: number, p0: number, p1: number, p2: number): void {
    if (this.count === TRACE_RING) {
      this.head = (this.head + 1) % TRACE_RING;
      this.count--;
      this.dropped++;
    }
    const o = ((this.head + this.count) % TRACE_RING) * WORDS, r = this.ring;
    r[o] = time; r[o + 1] = kind; r[o + 2] = from; r[o + 3] = to;
    r[o + 4] = mType; r[o + 5] = p0; r[o + 6] = p1; r[o + 7] = p2;
    this.count++;
  }

  /** Take up to `max` of the oldest records, as bytes. */
  take(max: number): Uint8Array {
    const n = Math.min(max, this.count);
    const out = new Int32Array(n * WORDS);
    for (let i = 0; i < n; i++) {
      const o = ((this.head + i) % TRACE_RING) * WORDS;
      out.set(this.ring.subarray(o, o + WORDS), i * WORDS);
    }
    this.head = (this.head + n) % TRACE_RING;
    this.count -= n;
    return new Uint8Array(out.buffer);
  }
}

/** Log a message or kernel-made message (`words`, m_source first) delivered from `from` to `to`, if either is traced. */
export function traceMessage(k: Kernel, from: Proc | number, to: Proc, words: Int32Array): void {
  const fromLog = typeof from === 'number' ? undefined : from.trace;
  const fromEp = typeof from === 'number' ? from : from.endpoint;
  const kind = typeof from !== 'number' ? TRACE_KIND.MESSAGE : words[1] === NOTIFY_MESSAGE ? TRACE_KIND.NOTIFY : TRACE_KIND.KMSG;
  const t = k.now() | 0;
  fromLog?.add(t, kind, fromEp, to.endpoint, words[1], words[2], words[3], words[4]);
  if (to.trace !== undefined && to.trace !== fromLog) to.trace.add(t, kind, fromEp, to.endpoint, words[1], words[2], words[3], words[4]);
}

/** Log a traced process's kernel call (`m` as it sent it) or, with `result`, the reply it got. */
export function traceKernelCall(k: Kernel, p: Proc, m: Int32Array, result?: number): void {
  const SYSTEM = -2;
  if (result === undefined) p.trace!.add(k.now() | 0, TRACE_KIND.KCALL, p.endpoint, SYSTEM, m[1], m[2], m[3], m[4]);
  else p.trace!.add(k.now() | 0, TRACE_KIND.KREPLY, SYSTEM, p.endpoint, result, m[2], m[3], m[4]);
}

/**
 * TRACE p0 = op, p1 = endpoint of the traced process:
 * - START: log its messages; the caller is its tracer (EBUSY if it has one).
 * - STOP: stop and discard the log (tracer only).
 * - READ p2 = buffer, p3 = length: the oldest records into the buffer
 *   (tracer only) -> p0 = records written, p1 = records dropped since the
 *   last read, p2 = 1 once the process has exited and its log is read out
 *   (the log is then gone).
 */
export function traceControl(k: Kernel, caller: Proc, m: Int32Array): number {
  const op = m[2], ep = m[3];
  if (op === TRACE.START) {
    const p = k.procs.lookup(ep);
    if (p === undefined) return -KERR.ESRCH;
    if (k.traces.has(ep)) return -KERR.EBUSY;
    const log = new TraceLog(caller.endpoint, ep);
    k.traces.set(ep, log);
    p.trace = log;
    return 0;
  }
  const log = k.traces.get(ep);
  if (log === undefined) return -KERR.ESRCH;
  if (log.tracer !== caller.endpoint) return -KERR.EPERM;
  if (op === TRACE.STOP) {
    dropLog(k, log);
    return 0;
  }
  if (op !== TRACE.READ) return -KERR.EINVAL;
  const buf = m[4], len = m[5] >>> 0;
  const max = Math.min(Math.floor(len / TRACE_RECORD_SIZE), log.count);
  // Written before anything is taken, so a bad buffer loses no record.
  if (max > 0 && !k.user.writable(caller, buf, max * TRACE_RECORD_SIZE)) return -KERR.EFAULT;
  const bytes = log.take(max);
  if (bytes.length > 0) k.user.write(caller, buf, bytes);
  m[2] = max;
  m[3] = log.dropped;
  log.dropped = 0;
  m[4] = log.ended && log.count === 0 ? 1 : 0;
  if (m[4] === 1) k.traces.delete(ep);
  return 0;
}

function dropLog(k: Kernel, log: TraceLog): void {
  k.traces.delete(log.target);
  const p = k.procs.lookup(log.target);
  if (p !== undefined && p.trace === log) p.trace = undefined;
}

/** `p` is exiting: its own log stays for its tracer to read out; logs it kept as a tracer go. */
export function traceExit(k: Kernel, p: Proc): void {
  if (p.trace !== undefined) {
    p.trace.ended = true;
    p.trace = undefined;
  }
  for (const log of [...k.traces.values()]) if (log.tracer === p.endpoint) dropLog(k, log);
}
