// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// pm's process table (MINIX's mproc): one entry per process pm knows, alive
// or a zombie waiting for its parent's wait. It is not indexed by kernel
// slot: a zombie keeps its entry (pid, status) after the kernel has freed
// its slot for someone else, so the table is larger than the kernel's.
//
// Entry points: Mproc, procs, NR_PM, the P_* states and F_* flags,
// findEp, findPid, allocProc, freeProc, newPid, countAlive, INIT_PID.

import { NR_KPROCS, zalloc } from "../lib/server";
import { ARG_MAX } from "../lib/proto";

export const NR_PM: i32 = 128;
export const INIT_PID: i32 = 1;

export const P_FREE: i32 = 0;
export const P_ALIVE: i32 = 1;
export const P_ZOMBIE: i32 = 2;

/** A system service (the kernel's PRIV_SYSTEM): rs is its parent and restarts it. */
export const F_SYSTEM: i32 = 1;
/** Blocked in waitpid (waitPid says for whom). */
export const F_WAITING: i32 = 2;
/** rs's fork of a service, not yet exec'd: it waits for PM_SRV_EXEC, unreplied. */
export const F_SRVNEW: i32 = 4;
/** Blocked in PM_SLEEP until wakeAt. */
export const F_SLEEPING: i32 = 8;
/** pm, ds and rs: nobody may signal them. */
export const F_CORE: i32 = 16;

export class Mproc {
  state: i32 = P_FREE;
  pid: i32 = 0;
  ppid: i32 = 0;
  pgrp: i32 = 0;
  sid: i32 = 0;
  ep: i32 = 0;
  /** Wait status once a zombie. */
  status: i32 = 0;
  flags: i32 = 0;
  /** waitpid's pid argument while F_WAITING. */
  waitPid: i32 = 0;
  /** Signals set to SIG_IGN (bit n: signal n). */
  ignored: u32 = 0;
  /** When a sleep ends (mtime ticks). */
  wakeAt: i64 = 0;
  name: string = "";
  /** The exec block: path, then the arguments, NUL-separated (ARG_MAX bytes, this entry's own). */
  args: usize = 0;
  argLen: i32 = 0;
  /** Where the arguments start in the block (after the path), and how many. */
  argOff: i32 = 0;
  argc: i32 = 0;
}

export const procs = new StaticArray<Mproc>(NR_PM);
let nextPid: i32 = 2;

/** Give every entry its argument area (once, at start-up). */
export function tableInit(): void {
  for (let i = 0; i < NR_PM; i++) {
    const p = new Mproc();
    p.args = zalloc(ARG_MAX);
    procs[i] = p;
  }
}

/** The living process with endpoint `ep`. */
export function findEp(ep: i32): Mproc | null {
  for (let i = 0; i < NR_PM; i++) {
    const p = unchecked(procs[i]);
    if (p.state == P_ALIVE && p.ep == ep) return p;
  }
  return null;
}

/** The process (alive or zombie) with `pid`. */
export function findPid(pid: i32): Mproc | null {
  for (let i = 0; i < NR_PM; i++) {
    const p = unchecked(procs[i]);
    if (p.state != P_FREE && p.pid == pid) return p;
  }
  return null;
}

/** A free entry, cleared, or null when the table is full. */
export function allocProc(): Mproc | null {
  for (let i = 0; i < NR_PM; i++) {
    const p = unchecked(procs[i]);
    if (p.state != P_FREE) continue;
    p.pid = 0; p.ppid = 0; p.pgrp = 0; p.sid = 0; p.ep = 0; p.status = 0; p.flags = 0;
    p.waitPid = 0; p.ignored = 0; p.wakeAt = 0; p.name = ""; p.argLen = 0; p.argOff = 0; p.argc = 0;
    return p;
  }
  return null;
}

export function freeProc(p: Mproc): void {
  p.state = P_FREE;
  p.name = "";
}

/** A pid no entry has (nor uses as its group), from 2 up, wrapping below 30000. */
export function newPid(): i32 {
  for (;;) {
    const pid = nextPid;
    nextPid = nextPid >= 29999 ? 2 : nextPid + 1;
    let used = false;
    for (let i = 0; i < NR_PM && !used; i++) {
      const p = unchecked(procs[i]);
      used = p.state != P_FREE && (p.pid == pid || p.pgrp == pid);
    }
    if (!used) return pid;
  }
  return 0;
}

/** Processes holding a kernel slot. */
export function countAlive(): i32 {
  let n = 0;
  for (let i = 0; i < NR_PM; i++) if (unchecked(procs[i]).state == P_ALIVE) n++;
  return n;
}

/** Kernel slots kept free for system services (restarts) and for exec, which needs one while it loads. */
export const RESERVED_SLOTS: i32 = 8;
export const USER_PROC_LIMIT: i32 = NR_KPROCS - RESERVED_SLOTS;
