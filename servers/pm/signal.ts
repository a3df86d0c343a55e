// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// pm's life-and-death calls: exits (by the process, by the kernel after a
// fault, by a signal), zombies and wait, and signals. Programs have no
// signal handlers: a signal is ignored (SIG_IGN, or SIGCHLD's default) or it
// ends the process, which is all POSIX's default actions need here.
//
// When a process ends: VFS is told (its descriptors close; not for system
// services), the traces it started are stopped, its children go to init,
// and it becomes a zombie until its parent's waitpid collects it; a parent
// already waiting gets its reply now, and a parent that is a system process
// (rs, for its services) gets a notification instead (its SIGCHLD).
//
// Entry points: processExited, doWaitpid, doKill, signalProcess, doSigaction,
// onKernelMessage.

import { Message, printErr, printInt } from "../lib/index";
import { sysExit, reply, serverNotify } from "../lib/server";
import {
  SUSPEND, WNOHANG, SIG_DFL, SIG_IGN, SIGKILL, SIGCHLD, NSIG, ECHILD, EINVAL, EPERM, ESRCH,
  W_EXITCODE, W_SIGNALED, PM_NOREPLY,
} from "../lib/proto";
import {
  Mproc, procs, NR_PM, P_ALIVE, P_ZOMBIE, P_FREE, F_WAITING, F_SLEEPING, F_SRVNEW, F_SYSTEM, F_CORE,
  INIT_PID, findEp, findPid, freeProc,
} from "./table";
import { vfsExit } from "./vfs";
import { traceTracerExited } from "./trace";

const wmsg = new Message();

/** Does child `c` match parent `p`'s waitpid argument `pid`? */
function waitMatches(p: Mproc, c: Mproc, pid: i32): bool {
  if (pid == -1) return true;
  if (pid > 0) return c.pid == pid;
  if (pid == 0) return c.pgrp == p.pgrp;
  return c.pgrp == -pid;
}

/** Zombie `c` is its parent's to collect: answer a waiting parent, tell a system one, or free it if it has none. */
function tellParent(c: Mproc): void {
  const p = findPid(c.ppid);
  if (p === null || p.state != P_ALIVE) {
    freeProc(c);
    return;
  }
  if ((p.flags & F_WAITING) != 0 && waitMatches(p, c, p.waitPid)) {
    p.flags &= ~F_WAITING;
    wmsg.clear();
    wmsg.p0 = c.status;
    reply(p.ep, wmsg, c.pid);
    freeProc(c);
    return;
  }
  if ((p.flags & F_SYSTEM) != 0) serverNotify(p.ep);
}

/**
 * `p` has ended with wait status `status` (its kernel slot is gone or
 * going). VFS is told, unless `p` was a system service: services have no
 * descriptors, and the one that died may be the driver VFS waits for.
 */
export function processExited(p: Mproc, status: i32): void {
  if (p.state != P_ALIVE) return;
  p.state = P_ZOMBIE;
  p.status = status;
  p.flags &= ~(F_WAITING | F_SLEEPING | F_SRVNEW);
  if ((p.flags & F_SYSTEM) == 0) vfsExit(p.ep);
  traceTracerExited(p.pid);
  const init = findPid(INIT_PID);
  const heir = init !== null && init.state == P_ALIVE && init !== p ? INIT_PID : 0;
  for (let i = 0; i < NR_PM; i++) {
    const c = unchecked(procs[i]);
    if (c.state == P_FREE || c.ppid != p.pid || c === p) continue;
    c.ppid = heir;
    if (c.state == P_ZOMBIE) tellParent(c);
  }
  tellParent(p);
}

/** PM_WAITPID from `p`: p0 pid, p1 options. */
export function doWaitpid(p: Mproc, m: Message): i32 {
  const pid = m.p0;
  let children = 0;
  for (let i = 0; i < NR_PM; i++) {
    const c = unchecked(procs[i]);
    if (c.state == P_FREE || c.ppid != p.pid || c === p || !waitMatches(p, c, pid)) continue;
    if ((c.flags & F_SRVNEW) != 0) continue;
    if (c.state == P_ZOMBIE) {
      m.p0 = c.status;
      const cpid = c.pid;
      freeProc(c);
      return cpid;
    }
    children++;
  }
  if (children == 0) return -ECHILD;
  if ((m.p1 & WNOHANG) != 0) return 0;
  p.flags |= F_WAITING;
  p.waitPid = pid;
  return SUSPEND;
}

/**
 * Deliver `sig` to `p`: ignored, or the process ends (the kernel frees it;
 * its report of the exit comes later and finds a zombie, which it leaves).
 */
export function signalProcess(p: Mproc, sig: i32): void {
  if (sig == 0 || sig == SIGCHLD) return;
  if (sig != SIGKILL && (p.ignored & (<u32>1 << sig)) != 0) return;
  if ((p.flags & F_SRVNEW) != 0) return;
  const r = sysExit(p.ep, 128 + sig);
  if (r != 0) {
    printErr("pm: cannot end process ");
    printInt(p.pid, 2);
    printErr("\n");
  }
  processExited(p, W_SIGNALED(sig, false));
}

/** May `caller` signal `q`? Anyone but pm, ds, rs and init (every process is root; rs restarts a service that is killed). */
function mayKill(caller: Mproc, q: Mproc): bool {
  if ((q.flags & F_CORE) != 0 || q.pid == INIT_PID) return false;
  return true;
}

/** PM_KILL from `caller`: p0 pid (> 0 one, 0 my group, -1 all I may, < -1 a group), p1 signal. */
export function doKill(caller: Mproc, m: Message): i32 {
  const pid = m.p0;
  const sig = m.p1;
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  let found = 0;
  let denied = 0;
  for (let i = 0; i < NR_PM; i++) {
    const q = unchecked(procs[i]);
    if (q.state != P_ALIVE || (q.flags & F_SRVNEW) != 0) continue;
    let hit = false;
    if (pid > 0) hit = q.pid == pid;
    else if (pid == 0) hit = q.pgrp == caller.pgrp;
    else if (pid == -1) hit = q !== caller && (q.flags & F_SYSTEM) == 0;
    else hit = q.pgrp == -pid;
    if (!hit) continue;
    if (!mayKill(caller, q)) { denied++; continue; }
    found++;
    signalProcess(q, sig);
  }
  if (m.p2 == PM_NOREPLY) return SUSPEND; // one-way: its sender is not waiting
  if (found == 0) return denied > 0 ? -EPERM : -ESRCH;
  return caller.state == P_ALIVE ? 0 : SUSPEND;
}

/** PM_SIGACTION: p0 signal, p1 SIG_DFL or SIG_IGN -> the previous disposition. */
export function doSigaction(p: Mproc, m: Message): i32 {
  const sig = m.p0;
  if (sig <= 0 || sig >= NSIG || sig == SIGKILL) return -EINVAL;
  const bit = <u32>1 << sig;
  const prev = (p.ignored & bit) != 0 ? SIG_IGN : SIG_DFL;
  if (m.p1 == SIG_IGN) p.ignored |= bit;
  else if (m.p1 == SIG_DFL) p.ignored &= ~bit;
  else return -EINVAL;
  return prev;
}

/**
 * The kernel's SIGNAL_MESSAGE: p0 endpoint, p1 signal (0: it exited, p3 its
 * status). A process stopped by a fault or a kernel kill cannot go on (the
 * kernel has no way to resume it), so it ends with that signal.
 */
export function onKernelMessage(m: Message): void {
  const p = findEp(m.p0);
  if (p === null) return; // already ended by pm itself
  const sig = m.p1;
  if (sig == 0) {
    processExited(p, W_EXITCODE(m.p3));
    return;
  }
  sysExit(p.ep, 128 + sig);
  processExited(p, W_SIGNALED(sig, false));
}
