// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// rs: the reincarnation server (docs/servers.md, "rs"). The boot services
// are its children in pm's table (as in MINIX, where RS is the parent of
// every system process), so when one dies pm notifies rs and rs's waitpid
// says which and how. rs then starts a fresh copy from pm's bundle, as
// MINIX's RS does: pm forks rs (PM_SRV_FORK; the child waits), rs gives the
// child the service's privileges (PRIVCTL, privtab.ts), pm execs the image
// (PM_SRV_EXEC); rs publishes the new endpoint in ds and, for a driver,
// tells VFS. A service taken down for good (RS_DOWN) loses its name in ds,
// so its clients learn it is gone rather than wait for a successor (mfs
// then fails the disk's requests with EIO instead of waiting for blk). A service that keeps dying is restarted after a delay that
// doubles each time (10 ms, 20 ms, ... up to 5 s); one that ran for a second
// starts from no delay again.
//
// A restarted service runs at the priority it booted with (read from the
// kernel's process table at start; PRIVCTL sets it).
//
// Hangs: every PING_MS rs notifies each service; the server skeleton
// answers with a notification. A service that has answered before and then
// leaves HANG_ROUNDS pings in a row unanswered is a suspect; rs asks the
// kernel (GETINFO) what it does. Blocked in IPC (a sendrec to another
// server, a receive of its own: VFS waiting for a file server that waits
// for a restarted driver) it is waiting, not hung, and its count starts
// again. Runnable, having run HANG_INSNS instructions since it first missed
// a ping, it is hung: it is killed and restarted as above. Runnable without
// having run (starved by busier processes) it is left alone.
//
// rs runs only when something happens: one ping round each PING_MS, the
// services' answers, pm's notices, requests. The kernel alarm is set only
// when its time changes.
//
// Requests (the `service` command): RS_LIST, RS_RESTART, RS_DOWN, RS_UP.
//
// Entry points: main.

import { Message, sendrec, sendnb, notify, printErr, printInt } from "../lib/index";
import {
  serverInit, serverCall, serverOnNotify, serverRun, sysSetAlarm, sysSetGrant, sysSafecopyTo, sysNow, sysGetProcTab,
  getName, setName, dsPublish, dsLookup, zalloc, GRANT_WRITE, KINFO_SIZE, KINFO_STATE, KINFO_PRIORITY, KINFO_INSTRET,
  KSTATE_RUNNABLE, NR_KPROCS,
} from "../lib/server";
import {
  DS_EP, DS_DELETE, RS_BASE, RS_NCALLS, RS_RESTART, RS_DOWN, RS_UP, RS_LIST, RSINFO_SIZE, RSINFO_NAME, RSS_UP, RSS_DOWN,
  RSS_RESTARTING, PM_EP, PM_SRV_FORK, PM_SRV_EXEC, PM_GETPROCS, PROCINFO_SIZE, PROCINFO_NAME, CLOCK,
  WNOHANG, SIGKILL, ESRCH, ENOENT, EBUSY, WIFEXITED, WEXITSTATUS, WTERMSIG, NAME_MAX,
} from "../lib/proto";
import { VFS_DRIVER_UP, MAJOR_TTY } from "../lib/fs_proto";
import { waitpid, wstatus, kill, getpid } from "../lib/posix";
import { privFind, privApply } from "./privtab";

const TICKS_PER_MS: i64 = 10000;
const PING_MS: i64 = 100;
const BACKOFF_BASE_MS: i64 = 10;
const BACKOFF_MAX_MS: i64 = 5000;
/** A service that ran this long is healthy again: its next restart has no delay. */
const STABLE_MS: i64 = 1000;
const MAX_SERVICES: i32 = 16;
/** Pings in a row a service leaves unanswered before rs asks the kernel whether it is hung. */
const HANG_ROUNDS: i32 = 3;
/** Instructions a suspect must have run since its first missed ping to count as hung (about 10 ms of machine time). */
const HANG_INSNS: i64 = 1000000;
/** The priority of a service that did not boot (the boot list gives each its own). */
const DEFAULT_PRIORITY: i32 = 4;

class Service {
  name: string = "";
  priv: usize = 0;
  ep: i32 = 0;
  pid: i32 = 0;
  state: i32 = RSS_DOWN;
  restarts: i32 = 0;
  /** Deaths in a row without a stable run: the next delay's exponent. */
  backoff: i32 = 0;
  restartAt: i64 = 0;
  startedAt: i64 = 0;
  /** Its scheduling priority (restarts keep it). */
  priority: i32 = DEFAULT_PRIORITY;
  /** A ping is out and not yet answered. */
  pinged: bool = false;
  /** It has answered a ping since it started (so it speaks the protocol). */
  answers: bool = false;
  /** Rounds in a row its ping stayed unanswered. */
  missed: i32 = 0;
  /** Its retired instructions when it first missed (GETINFO), to tell hung from starved. */
  missedAt: i64 = 0;
  /** Stop for good (RS_DOWN) / restart at once (RS_RESTART) when it dies. */
  wantDown: bool = false;
  now: bool = false;
}

const services = new StaticArray<Service | null>(MAX_SERVICES);
let nservices: i32 = 0;

/** Service `i` (< nservices). */
// @ts-ignore: decorator
@inline function svc(i: i32): Service {
  return changetype<Service>(unchecked(services[i]));
}

function addService(s: Service): void {
  services[nservices++] = s;
}
let nextPing: i64 = 0;
/** When the kernel alarm is set for (i64.MAX_VALUE: none). */
let alarmAt: i64 = i64.MAX_VALUE;
const pmMsg = new Message();
const vfsMsg = new Message();
const dsMsg = new Message();

function say(s: Service, what: string): void {
  printErr("rs: ");
  printErr(s.name);
  printErr(what);
}

function byPid(pid: i32): Service | null {
  for (let i = 0; i < nservices; i++) if (svc(i).pid == pid && svc(i).state != RSS_DOWN) return svc(i);
  return null;
}

function byEp(ep: i32): Service | null {
  for (let i = 0; i < nservices; i++) if (svc(i).ep == ep && svc(i).state == RSS_UP) return svc(i);
  return null;
}

function byName(name: string): Service | null {
  for (let i = 0; i < nservices; i++) if (svc(i).name == name) return svc(i);
  return null;
}

/** `s` is down for good: take its name out of ds (subscribers hear of it). */
function goneForGood(s: Service): void {
  s.state = RSS_DOWN;
  dsMsg.clear();
  dsMsg.m_type = DS_DELETE;
  setName(dsMsg, s.name);
  sendrec(DS_EP, dsMsg);
}

// --- starting ------------------------------------------------------------------

/**
 * Tell VFS a driver has a new endpoint, if VFS is receiving: a hint (mfs
 * finds a new blk through ds, VFS a new tty the same way), never worth
 * waiting for, since VFS may itself be waiting for the driver.
 */
function driverUp(s: Service): void {
  let kind = 0;
  let major = 0;
  if (s.name == "tty") { kind = 2; major = MAJOR_TTY; }
  else if (s.name == "blk") { kind = 1; }
  if (kind == 0) return;
  const vfs = dsLookup("vfs");
  if (vfs <= 0) return;
  vfsMsg.clear();
  vfsMsg.m_type = VFS_DRIVER_UP;
  vfsMsg.p0 = s.ep;
  vfsMsg.p1 = kind;
  vfsMsg.p2 = major;
  sendnb(vfs, vfsMsg);
}

/** Start a fresh copy of `s`: 0 or -errno. */
function start(s: Service): i32 {
  pmMsg.clear();
  pmMsg.m_type = PM_SRV_FORK;
  let r = sendrec(PM_EP, pmMsg);
  if (r == 0) r = pmMsg.m_type;
  if (r < 0) return r;
  const pid = r;
  const ep = pmMsg.p0;
  r = privApply(ep, s.priv, s.priority);
  if (r == 0) {
    pmMsg.clear();
    pmMsg.m_type = PM_SRV_EXEC;
    pmMsg.p0 = ep;
    setName(pmMsg, s.name);
    r = sendrec(PM_EP, pmMsg);
    if (r == 0) r = pmMsg.m_type;
  }
  if (r != 0) {
    kill(pid, SIGKILL); // the half-made copy
    return r;
  }
  s.pid = pid;
  s.ep = ep;
  s.state = RSS_UP;
  s.startedAt = sysNow();
  s.pinged = false;
  s.answers = false;
  s.missed = 0;
  s.missedAt = 0;
  s.now = false;
  s.restarts++;
  dsPublish(s.name, ep, 0);
  driverUp(s);
  return 0;
}

/** `s` died with wait status `status`: plan its restart (or leave it down). */
function died(s: Service, status: i32): void {
  const now = sysNow();
  say(s, " died (");
  if (WIFEXITED(status)) { printErr("exit "); printInt(WEXITSTATUS(status), 2); }
  else { printErr("signal "); printInt(WTERMSIG(status), 2); }
  if (s.wantDown) {
    printErr("), down\n");
    s.wantDown = false;
    goneForGood(s);
    return;
  }
  if (now - s.startedAt >= STABLE_MS * TICKS_PER_MS) s.backoff = 0;
  let delay: i64 = 0;
  if (!s.now && s.backoff > 0) {
    delay = BACKOFF_BASE_MS << <i64>(s.backoff - 1 < 12 ? s.backoff - 1 : 12);
    if (delay > BACKOFF_MAX_MS) delay = BACKOFF_MAX_MS;
  }
  if (!s.now) s.backoff++;
  printErr("), restarting in ");
  printInt(delay, 2);
  printErr(" ms\n");
  s.state = RSS_RESTARTING;
  s.restartAt = now + delay * TICKS_PER_MS;
}

/** Start every service whose restart is due. True if any was tried (which takes time: pm, ds). */
function restartDue(now: i64): bool {
  let tried = false;
  for (let i = 0; i < nservices; i++) {
    const s = svc(i);
    if (s.state != RSS_RESTARTING || s.restartAt > now) continue;
    tried = true;
    const r = start(s);
    if (r != 0) {
      say(s, ": restart failed, error ");
      printInt(-r, 2);
      printErr("\n");
      s.backoff++;
      s.restartAt = now + BACKOFF_MAX_MS * TICKS_PER_MS;
    }
  }
  return tried;
}

// --- watching -------------------------------------------------------------------

/** Kill `s` (its death comes back through reap()); one already gone is taken as dead now. */
function killService(s: Service): i32 {
  const r = kill(s.pid, SIGKILL);
  if (r == -ESRCH) {
    reap();
    if (s.state == RSS_UP) died(s, SIGKILL);
    armAlarm(sysNow());
    return 0;
  }
  return r;
}

/** The kernel's process table, read when a service is suspected of hanging. */
const ktab: usize = zalloc(NR_KPROCS * KINFO_SIZE);

/** `s`'s entry in the table just read (n entries), or 0. */
function kentry(s: Service, n: i32): usize {
  for (let i = 0; i < n; i++) {
    const e = ktab + <usize>(i * KINFO_SIZE);
    if (load<i32>(e) == s.ep) return e;
  }
  return 0;
}

/**
 * Services whose pings stay unanswered: waiting (blocked in IPC) or
 * starved is no hang; running on without answering is (see the header).
 */
function checkSuspects(): void {
  const n = sysGetProcTab(ktab, NR_KPROCS * KINFO_SIZE);
  if (n < 0) return;
  for (let i = 0; i < nservices; i++) {
    const s = svc(i);
    if (s.state != RSS_UP || s.missed == 0) continue;
    const e = kentry(s, n);
    if (e == 0) continue; // gone: pm tells me
    const insns = load<i64>(e, KINFO_INSTRET);
    if (load<i32>(e, KINFO_STATE) != KSTATE_RUNNABLE) {
      s.missed = 0; // waiting for someone: count again from the next ping
      continue;
    }
    if (s.missed == 1) s.missedAt = insns;
    if (s.missed < HANG_ROUNDS || insns - s.missedAt < HANG_INSNS) continue;
    say(s, " does not answer: killing it\n");
    s.missed = 0;
    s.pinged = false;
    killService(s);
  }
}

/** One ping round: count the unanswered, look into the suspects, ping every service that is up. */
function ping(now: i64): void {
  let suspects = 0;
  for (let i = 0; i < nservices; i++) {
    const s = svc(i);
    if (s.state != RSS_UP || !s.pinged || !s.answers) continue;
    s.missed++;
    suspects++;
  }
  if (suspects > 0) checkSuspects();
  for (let i = 0; i < nservices; i++) {
    const s = svc(i);
    if (s.state != RSS_UP) continue;
    s.pinged = true;
    notify(s.ep);
  }
  nextPing = now + PING_MS * TICKS_PER_MS;
}

/** Collect every child that has ended. */
function reap(): void {
  for (;;) {
    const pid = waitpid(-1, WNOHANG);
    if (pid <= 0) return;
    const s = byPid(pid);
    if (s !== null) died(s, wstatus());
  }
}

/** Set the alarm for the next ping round or the next restart due, unless it is set for then already. */
function armAlarm(now: i64): void {
  let next = nextPing;
  for (let i = 0; i < nservices; i++) {
    const s = svc(i);
    if (s.state == RSS_RESTARTING && s.restartAt < next) next = s.restartAt;
  }
  if (next == alarmAt) return;
  alarmAt = next;
  let left = next - now;
  if (left < 1) left = 1;
  if (left > 0x7fffffff) left = 0x7fffffff;
  sysSetAlarm(<i32>left);
}

/** A service answered a ping. */
function answered(src: i32): void {
  const s = byEp(src);
  if (s === null) return;
  s.pinged = false;
  s.answers = true;
  s.missed = 0;
}

/** Time has come (the alarm) or a child died (pm): restarts due, the ping round if due, the next alarm. */
function onNotify(m: Message): void {
  const src = m.m_source;
  if (src == CLOCK) {
    alarmAt = i64.MAX_VALUE; // it fired
  } else if (src == PM_EP) {
    reap();
  } else {
    answered(src);
    return;
  }
  let now = sysNow();
  if (restartDue(now)) now = sysNow();
  if (now >= nextPing) ping(now);
  armAlarm(now);
}

// --- requests --------------------------------------------------------------------

function doList(m: Message): i32 {
  const max = m.p1 / RSINFO_SIZE;
  const e = zalloc(RSINFO_SIZE);
  let n = 0;
  for (let i = 0; i < nservices && n < max; i++) {
    const s = svc(i);
    memory.fill(e, 0, <usize>RSINFO_SIZE);
    store<i32>(e, s.state == RSS_UP ? s.ep : 0);
    store<i32>(e, s.state == RSS_UP ? s.pid : 0, 4);
    store<i32>(e, s.state, 8);
    store<i32>(e, s.restarts > 0 ? s.restarts - 1 : 0, 12);
    for (let j = 0; j < s.name.length && j < RSSINFO_NAME_MAX; j++) store<u8>(e + <usize>(RSINFO_NAME + j), <u8>s.name.charCodeAt(j));
    const r = sysSafecopyTo(m.m_source, m.p0, n * RSINFO_SIZE, e, RSINFO_SIZE);
    if (r != 0) { heap.free(e); return r; }
    n++;
  }
  heap.free(e);
  return n;
}

const RSSINFO_NAME_MAX: i32 = RSINFO_SIZE - RSINFO_NAME - 1;

function doRestart(m: Message): i32 {
  const s = byName(getName(m));
  if (s === null) return -ESRCH;
  if (s.state == RSS_UP) {
    s.now = true;
    return killService(s);
  }
  s.state = RSS_RESTARTING;
  s.restartAt = 0;
  const now = sysNow();
  restartDue(now);
  armAlarm(now);
  return s.state == RSS_UP ? 0 : -EBUSY;
}

function doDown(m: Message): i32 {
  const s = byName(getName(m));
  if (s === null) return -ESRCH;
  if (s.state != RSS_UP) { goneForGood(s); return 0; }
  s.wantDown = true;
  return killService(s);
}

function doUp(m: Message): i32 {
  const name = getName(m);
  let s = byName(name);
  if (s === null) {
    const priv = privFind(name);
    if (priv == 0 || nservices >= MAX_SERVICES) return -ENOENT;
    s = new Service();
    s.name = name;
    s.priv = priv;
    addService(s);
  }
  if (s.state == RSS_UP) return -EBUSY;
  s.backoff = 0;
  s.state = RSS_DOWN;
  const r = start(s);
  return r;
}

// --- boot ---------------------------------------------------------------------------

/** The priority the kernel gives endpoint `ep` (the table just read, n entries), or DEFAULT_PRIORITY. */
function bootPriority(ep: i32, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const e = ktab + <usize>(i * KINFO_SIZE);
    if (load<i32>(e) == ep) return load<i32>(e, KINFO_PRIORITY);
  }
  return DEFAULT_PRIORITY;
}

/** Adopt the boot services pm made my children, at the priorities they booted with. */
function adoptBootServices(): void {
  const size = 128 * PROCINFO_SIZE;
  const buf = zalloc(size);
  sysSetGrant(0, PM_EP, buf, size, GRANT_WRITE);
  pmMsg.clear();
  pmMsg.m_type = PM_GETPROCS;
  pmMsg.p0 = 0;
  pmMsg.p1 = size;
  let n = sendrec(PM_EP, pmMsg) == 0 ? pmMsg.m_type : 0;
  const me = getpid();
  const now = sysNow();
  const kn = sysGetProcTab(ktab, NR_KPROCS * KINFO_SIZE);
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * PROCINFO_SIZE);
    if (load<i32>(e, 4) != me || nservices >= MAX_SERVICES) continue;
    let len = 0;
    while (len < PROCINFO_SIZE - PROCINFO_NAME && load<u8>(e + <usize>(PROCINFO_NAME + len)) != 0) len++;
    const name = String.UTF8.decodeUnsafe(e + <usize>PROCINFO_NAME, <usize>len);
    const priv = privFind(name);
    if (priv == 0) continue;
    const s = new Service();
    s.name = name;
    s.priv = priv;
    s.pid = load<i32>(e);
    s.ep = load<i32>(e, 12);
    s.priority = bootPriority(s.ep, kn);
    s.state = RSS_UP;
    s.startedAt = now;
    s.restarts = 1;
    addService(s);
  }
  sysSetGrant(0, PM_EP, buf, size, 0);
  heap.free(buf);
}

export function main(): i32 {
  serverInit("rs", RS_BASE, RS_NCALLS);
  serverCall(RS_RESTART, doRestart);
  serverCall(RS_DOWN, doDown);
  serverCall(RS_UP, doUp);
  serverCall(RS_LIST, doList);
  serverOnNotify(onNotify);
  adoptBootServices();
  const now = sysNow();
  nextPing = now + PING_MS * TICKS_PER_MS;
  armAlarm(now);
  serverRun();
  return 0;
}
