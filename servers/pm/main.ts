// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// pm: the process manager (docs/servers.md, "pm"). It keeps the process
// table (table.ts) and serves fork, exec, exit, waitpid, getpid, kill and
// signal dispositions, sessions and process groups, sleep, the process list
// for ps, message traces for trace (trace.ts), and shutdown; the kernel
// tells it of every exit and fault (SIGNAL_MESSAGE, signal.ts). The kernel
// calls do the work on memory: FORK copies an address space, EXEC replaces
// one, EXIT frees one.
//
// At start it reads the kernel's process table: every boot process gets a
// pid (init 1), and the system services get rs as their parent, as in
// MINIX, so rs hears when one of them dies.
//
// A fork is refused with EAGAIN when the table is full or when ordinary
// processes already hold USER_PROC_LIMIT kernel slots: the last slots stay
// for services and for exec (which needs one while it loads).
//
// Entry points: main.

import { Message, printErr } from "../lib/index";
import {
  serverInit, serverCall, serverOnNotify, serverOnKernel, serverRun, reply,
  sysFork, sysExit, sysTimes, sysShutdown, sysSetAlarm, sysSafecopyTo, sysGetProcTab, sysNow, kresult,
  KINFO_SIZE, KINFO_NAME, PRIV_SYSTEM, cString, zalloc,
} from "../lib/server";
import {
  PM_BASE, PM_NCALLS, PM_EXIT, PM_FORK, PM_WAITPID, PM_GETPID, PM_KILL, PM_EXEC, PM_GETARGS, PM_SIGACTION,
  PM_SETSID, PM_SETPGID, PM_SHUTDOWN, PM_GETPROCS, PM_TIMES, PM_SRV_FORK, PM_SRV_EXEC, PM_SLEEP,
  PM_TRACE_START, PM_TRACE_STOP, PM_TRACE_READ,
  PM_EP, DS_EP, RS_EP, CLOCK, SUSPEND, EAGAIN, EPERM, EINVAL, ESRCH, PROCINFO_SIZE, PROCINFO_NAME,
  PS_ALIVE, PS_ZOMBIE, PS_WAITING, W_EXITCODE,
} from "../lib/proto";
import {
  Mproc, procs, NR_PM, P_ALIVE, P_ZOMBIE, P_FREE, F_SYSTEM, F_WAITING, F_SLEEPING, F_CORE, INIT_PID,
  tableInit, findEp, findPid, allocProc, newPid, countAlive, USER_PROC_LIMIT,
} from "./table";
import { processExited, doWaitpid, doKill, doSigaction, onKernelMessage } from "./signal";
import { doExec, doGetargs, doSrvFork, doSrvExec } from "./exec";
import { vfsFork, vfsShutdown, vfsFlush, vfsRetryAt } from "./vfs";
import { doTraceStart, doTraceStop, doTraceRead } from "./trace";

type Call = (p: Mproc, m: Message) => i32;
const calls = new StaticArray<Call | null>(PM_NCALLS);
/** When the kernel alarm is set for (i64.MAX_VALUE: none): the earliest sleeper's wake-up or the VFS notices' retry. */
let alarmAt: i64 = i64.MAX_VALUE;

/** Every call finds its caller's entry first. */
function dispatch(m: Message): i32 {
  const p = findEp(m.m_source);
  if (p === null) return -ESRCH;
  const h = calls[m.m_type - PM_BASE];
  const r = h === null ? -EINVAL : h(p, m);
  if (vfsRetryAt() < alarmAt) armAlarm(); // a notice VFS could not take yet
  return r;
}

/** The kernel's SIGNAL_MESSAGE (an exit or a fault). */
function onKernel(m: Message): void {
  onKernelMessage(m);
  if (vfsRetryAt() < alarmAt) armAlarm();
}

// --- boot --------------------------------------------------------------------

/** Enter every boot process from the kernel's table. */
function bootTable(): void {
  const buf = zalloc(64 * KINFO_SIZE);
  const n = sysGetProcTab(buf, 64 * KINFO_SIZE);
  if (n < 0) printErr("pm: cannot read the kernel's process table\n");
  let rsPid = 0;
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * KINFO_SIZE);
    const p = allocProc()!;
    p.state = P_ALIVE;
    p.ep = load<i32>(e);
    p.name = cString(e + <usize>KINFO_NAME, 16);
    p.pid = p.name == "init" ? INIT_PID : newPid();
    p.pgrp = p.pid;
    p.sid = p.pid;
    if ((load<i32>(e, 12) & PRIV_SYSTEM) != 0) p.flags |= F_SYSTEM;
    if (p.ep == PM_EP || p.ep == DS_EP || p.ep == RS_EP) p.flags |= F_CORE;
    if (p.ep == RS_EP) rsPid = p.pid;
  }
  heap.free(buf);
  const init = findPid(INIT_PID);
  for (let i = 0; i < NR_PM; i++) {
    const p = unchecked(procs[i]);
    if (p.state != P_ALIVE || p.pid == INIT_PID || (p.flags & F_CORE) != 0) continue;
    if ((p.flags & F_SYSTEM) != 0) p.ppid = rsPid;
    else if (init !== null) p.ppid = INIT_PID;
  }
}

// --- processes -----------------------------------------------------------------

function doFork(p: Mproc, m: Message): i32 {
  if ((p.flags & F_SYSTEM) == 0 && countAlive() >= USER_PROC_LIMIT) return -EAGAIN;
  const c = allocProc();
  if (c === null) return -EAGAIN;
  const ep = sysFork(p.ep);
  if (ep < 0) return ep;
  c.state = P_ALIVE;
  c.pid = newPid();
  c.ppid = p.pid;
  c.pgrp = p.pgrp;
  c.sid = p.sid;
  c.ep = ep;
  c.flags = p.flags & F_SYSTEM;
  c.ignored = p.ignored;
  c.name = p.name;
  memory.copy(c.args, p.args, <usize>p.argLen);
  c.argLen = p.argLen;
  c.argOff = p.argOff;
  c.argc = p.argc;
  // Both are answered once VFS has the notice (now, or later from vfs.ts's queue).
  if (!vfsFork(p.ep, ep, c.pid)) return SUSPEND;
  reply(ep, m, 0); // the child: fork returns 0
  return c.pid;
}

function doExit(p: Mproc, m: Message): i32 {
  sysExit(p.ep, m.p0 & 0xff);
  processExited(p, W_EXITCODE(m.p0));
  return SUSPEND;
}

function doGetpid(p: Mproc, m: Message): i32 {
  m.p0 = p.ppid;
  m.p1 = p.pgrp;
  m.p2 = p.ep;
  return p.pid;
}

function doSetsid(p: Mproc, m: Message): i32 {
  if (p.pgrp == p.pid) return -EPERM; // already a group leader
  p.sid = p.pid;
  p.pgrp = p.pid;
  return p.pid;
}

function doSetpgid(p: Mproc, m: Message): i32 {
  const pid = m.p0 == 0 ? p.pid : m.p0;
  const q = findPid(pid);
  if (q === null || q.state != P_ALIVE) return -ESRCH;
  if (q !== p && q.ppid != p.pid) return -ESRCH;
  if (q.sid != p.sid) return -EPERM;
  const pgid = m.p1 == 0 ? q.pid : m.p1;
  if (pgid < 0) return -EINVAL;
  q.pgrp = pgid;
  return 0;
}

function doWaitpidCall(p: Mproc, m: Message): i32 {
  return doWaitpid(p, m);
}

function doKillCall(p: Mproc, m: Message): i32 {
  return doKill(p, m);
}

function doSigactionCall(p: Mproc, m: Message): i32 {
  return doSigaction(p, m);
}

function doShutdown(p: Mproc, m: Message): i32 {
  vfsShutdown();
  return sysShutdown(m.p0);
}

function doTimes(p: Mproc, m: Message): i32 {
  const r = sysTimes(p.ep);
  if (r != 0) return r;
  m.p0 = kresult(2);
  m.p1 = kresult(3);
  m.p2 = kresult(0);
  m.p3 = kresult(1);
  return 0;
}

/** PM_GETPROCS: the table for ps, PROCINFO_SIZE bytes per process. */
function doGetprocs(p: Mproc, m: Message): i32 {
  const max = m.p1 / PROCINFO_SIZE;
  const e = zalloc(PROCINFO_SIZE);
  let n = 0;
  for (let i = 0; i < NR_PM && n < max; i++) {
    const q = unchecked(procs[i]);
    if (q.state == P_FREE) continue;
    memory.fill(e, 0, <usize>PROCINFO_SIZE);
    store<i32>(e, q.pid);
    store<i32>(e, q.ppid, 4);
    store<i32>(e, q.pgrp, 8);
    store<i32>(e, q.state == P_ZOMBIE ? 0 : q.ep, 12);
    store<i32>(e, q.state == P_ZOMBIE ? PS_ZOMBIE : (q.flags & (F_WAITING | F_SLEEPING)) != 0 ? PS_WAITING : PS_ALIVE, 16);
    store<i32>(e, q.status, 20);
    const name = q.name;
    for (let j = 0; j < name.length && j < PROCINFO_SIZE - PROCINFO_NAME - 1; j++) {
      store<u8>(e + <usize>(PROCINFO_NAME + j), <u8>name.charCodeAt(j));
    }
    const r = sysSafecopyTo(p.ep, m.p0, n * PROCINFO_SIZE, e, PROCINFO_SIZE);
    if (r != 0) { heap.free(e); return r; }
    n++;
  }
  heap.free(e);
  return n;
}

// --- sleeping ---------------------------------------------------------------------

const TICKS_PER_MS: i64 = 10000;

/** Arm the kernel alarm for the earliest sleeper or the next retry of the VFS notices (or cancel it). */
function armAlarm(): void {
  let first: i64 = vfsRetryAt();
  for (let i = 0; i < NR_PM; i++) {
    const q = unchecked(procs[i]);
    if (q.state == P_ALIVE && (q.flags & F_SLEEPING) != 0 && q.wakeAt < first) first = q.wakeAt;
  }
  if (first == i64.MAX_VALUE) {
    if (alarmAt != i64.MAX_VALUE) sysSetAlarm(0);
    alarmAt = i64.MAX_VALUE;
    return;
  }
  if (first == alarmAt) return; // already set for then
  alarmAt = first;
  let left = first - sysNow();
  if (left < 1) left = 1;
  if (left > 0x7fffffff) left = 0x7fffffff;
  sysSetAlarm(<i32>left);
}

function doSleep(p: Mproc, m: Message): i32 {
  if (m.p0 < 0) return -EINVAL;
  if (m.p0 == 0) return 0;
  p.wakeAt = sysNow() + <i64>m.p0 * TICKS_PER_MS;
  p.flags |= F_SLEEPING;
  armAlarm();
  return SUSPEND;
}

const wake = new Message();

function onNotify(m: Message): void {
  if (m.m_source != CLOCK) return;
  alarmAt = i64.MAX_VALUE; // it fired
  const now = sysNow();
  for (let i = 0; i < NR_PM; i++) {
    const q = unchecked(procs[i]);
    if (q.state != P_ALIVE || (q.flags & F_SLEEPING) == 0 || q.wakeAt > now) continue;
    q.flags &= ~F_SLEEPING;
    wake.clear();
    reply(q.ep, wake, 0);
  }
  vfsFlush();
  armAlarm();
}

// --- the call table ------------------------------------------------------------

function set(type: i32, h: Call): void {
  calls[type - PM_BASE] = h;
  serverCall(type, dispatch);
}

export function main(): i32 {
  tableInit();
  bootTable();
  serverInit("pm", PM_BASE, PM_NCALLS);
  set(PM_EXIT, doExit);
  set(PM_FORK, doFork);
  set(PM_WAITPID, doWaitpidCall);
  set(PM_GETPID, doGetpid);
  set(PM_KILL, doKillCall);
  set(PM_EXEC, doExec);
  set(PM_GETARGS, doGetargs);
  set(PM_SIGACTION, doSigactionCall);
  set(PM_SETSID, doSetsid);
  set(PM_SETPGID, doSetpgid);
  set(PM_SHUTDOWN, doShutdown);
  set(PM_GETPROCS, doGetprocs);
  set(PM_TIMES, doTimes);
  set(PM_SRV_FORK, doSrvFork);
  set(PM_SRV_EXEC, doSrvExec);
  set(PM_SLEEP, doSleep);
  set(PM_TRACE_START, doTraceStart);
  set(PM_TRACE_STOP, doTraceStop);
  set(PM_TRACE_READ, doTraceRead);
  serverOnKernel(onKernel);
  serverOnNotify(onNotify);
  serverRun();
  return 0;
}
