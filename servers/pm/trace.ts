// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// pm's side of `trace` (docs/servers.md, "trace"): pm holds the kernel's
// TRACE call, so to the kernel pm is the tracer of every traced process;
// its table of traces says which process asked for each one. Any process may
// trace any other (Tessera has no users or permissions yet), except pm
// itself (each read would log itself) and the caller (its reads would too);
// only the process that started a trace may read it or stop it, and when it
// ends pm stops every trace it left running, so no log outlives its reader.
//
// A trace ends by itself when its process has ended and its log is read
// out: the kernel then drops the log and pm its entry. The process table
// may have freed the traced process by then; the entry keeps its endpoint.
//
// Entry points: doTraceStart, doTraceStop, doTraceRead, traceTracerExited.

import { Message, sendrec } from "../lib/index";
import { sysSafecopyTo, zalloc, K_TRACE } from "../lib/server";
import { SYSTEM, PM_EP, EAGAIN, EINVAL, EPERM, ESRCH, TRACE_RECORD_SIZE } from "../lib/proto";
import { Mproc, findPid, P_ALIVE } from "./table";

/** The kernel's TRACE call's operations (docs/kernel.md). */
const TRACE_START: i32 = 1;
const TRACE_STOP: i32 = 2;
const TRACE_READ: i32 = 3;

/** Traces running at once. */
const NR_TRACES: i32 = 16;
/** Records moved per PM_TRACE_READ (the kernel keeps 1,024 per process). */
const READ_RECORDS: i32 = 128;

/** Per trace: the tracer's pid (0: a free entry), the traced pid and its endpoint. */
const tracer = new StaticArray<i32>(NR_TRACES);
const target = new StaticArray<i32>(NR_TRACES);
const targetEp = new StaticArray<i32>(NR_TRACES);

const km = new Message();
const records: usize = zalloc(READ_RECORDS * TRACE_RECORD_SIZE);

function kernelTrace(op: i32, ep: i32, buf: usize, len: i32): i32 {
  km.clear();
  km.m_type = K_TRACE;
  km.p0 = op;
  km.p1 = ep;
  km.p2 = <i32>buf;
  km.p3 = len;
  const r = sendrec(SYSTEM, km);
  return r != 0 ? r : km.m_type;
}

/** The entry of `caller`'s trace of `pid`, or -1. */
function findTrace(caller: i32, pid: i32): i32 {
  for (let i = 0; i < NR_TRACES; i++) {
    if (unchecked(tracer[i]) == caller && caller != 0 && unchecked(target[i]) == pid) return i;
  }
  return -1;
}

function freeTrace(i: i32): void {
  tracer[i] = 0;
  target[i] = 0;
  targetEp[i] = 0;
}

/** PM_TRACE_START: p0 pid -> 0, p0 its endpoint. */
export function doTraceStart(p: Mproc, m: Message): i32 {
  const q = findPid(m.p0);
  if (q === null || q.state != P_ALIVE) return -ESRCH;
  if (q.ep == PM_EP) return -EPERM;
  if (q === p) return -EINVAL;
  let slot = -1;
  for (let i = 0; i < NR_TRACES && slot < 0; i++) if (unchecked(tracer[i]) == 0) slot = i;
  if (slot < 0) return -EAGAIN;
  const r = kernelTrace(TRACE_START, q.ep, 0, 0);
  if (r != 0) return r;
  tracer[slot] = p.pid;
  target[slot] = q.pid;
  targetEp[slot] = q.ep;
  m.p0 = q.ep;
  return 0;
}

/** PM_TRACE_STOP: p0 pid. */
export function doTraceStop(p: Mproc, m: Message): i32 {
  const i = findTrace(p.pid, m.p0);
  if (i < 0) return -ESRCH;
  kernelTrace(TRACE_STOP, targetEp[i], 0, 0); // ESRCH: the log was gone already
  freeTrace(i);
  return 0;
}

/** PM_TRACE_READ: p0 pid, p1 grant, p2 its length -> records, p0 dropped, p1 1 when the trace is over. */
export function doTraceRead(p: Mproc, m: Message): i32 {
  const i = findTrace(p.pid, m.p0);
  if (i < 0) return -ESRCH;
  if (m.p2 < 0) return -EINVAL;
  let max = m.p2 / TRACE_RECORD_SIZE;
  if (max > READ_RECORDS) max = READ_RECORDS;
  const r = kernelTrace(TRACE_READ, targetEp[i], records, max * TRACE_RECORD_SIZE);
  if (r != 0) {
    if (r == -ESRCH) freeTrace(i); // the kernel has no log: nothing more will come
    return r;
  }
  const n = km.p0;
  const dropped = km.p1;
  const over = km.p2;
  if (over != 0) freeTrace(i);
  if (n > 0) {
    const c = sysSafecopyTo(p.ep, m.p1, 0, records, n * TRACE_RECORD_SIZE);
    if (c != 0) return c;
  }
  m.p0 = dropped;
  m.p1 = over;
  return n;
}

/** Process `pid` has ended: stop the traces it started. */
export function traceTracerExited(pid: i32): void {
  for (let i = 0; i < NR_TRACES; i++) {
    if (unchecked(tracer[i]) != pid || pid == 0) continue;
    kernelTrace(TRACE_STOP, targetEp[i], 0, 0);
    freeTrace(i);
  }
}
