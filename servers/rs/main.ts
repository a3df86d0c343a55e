// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// rs: the reincarnation server (docs/servers.md, "rs"). The boot services
// are its children in pm's table (as in MINIX, where RS is the parent of
// every system process), so when one dies pm notifies rs and rs's waitpid
// says which and how. rs then starts a fresh copy from pm's bundle, as
// MINIX's RS does: pm forks rs (PM_SRV_FORK; the child waits), rs gives the
// child the service's privileges (PRIVCTL, privtab.ts), pm execs the image
// (PM_SRV_EXEC); rs publishes the new endpoint in ds and, for a driver,
// tells VFS. A service that keeps dying is restarted after a delay that
// doubles each time (10 ms, 20 ms, ... up to 5 s); one that ran for a second
// starts from no delay again.
//
// Hangs: every PING_MS rs notifies each service; the server skeleton
// answers with a notification. A service that has answered before and then
// misses two pings in a row is killed, and restarted as above.
//
// Requests (the `service` command): RS_LIST, RS_RESTART, RS_DOWN, RS_UP.
//
// Entry points: main.

import { Message, sendrec, printErr, printInt } from "../lib/index";
import {
  serverInit, serverCall, serverOnNotify, serverRun, serverNotify, sysSetAlarm, sysSetGrant, sysSafecopyTo, sysNow,
  getName, setName, dsPublish, dsLookup, zalloc, GRANT_WRITE,
} from "../lib/server";
import {
  RS_BASE, RS_NCALLS, RS_RESTART, RS_DOWN, RS_UP, RS_LIST, RSINFO_SIZE, RSINFO_NAME, RSS_UP, RSS_DOWN,
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
  /** A ping is out and not yet answered. */
  pinged: bool = false;
  /** It has answered a ping since it started (so it speaks the protocol). */
  answers: bool = false;
  missed: i32 = 0;
  /** Stop for good (RS_DOWN) / restart at once (RS_RESTART) when it dies. */
  wantDown: bool = false;
  now: bool = false;
}

const services = new Array<Service>(0);
let nextPing: i64 = 0;
const pmMsg = new Message();
const vfsMsg = new Message();

function say(s: Service, what: string): void {
  printErr("rs: ");
  printErr(s.name);
  printErr(what);
}

function byPid(pid: i32): Service | null {
  for (let i = 0; i < services.length; i++) if (services[i].pid == pid && services[i].state != RSS_DOWN) return services[i];
  return null;
}

function byEp(ep: i32): Service | null {
  for (let i = 0; i < services.length; i++) if (services[i].ep == ep && services[i].state == RSS_UP) return services[i];
  return null;
}

function byName(name: string): Service | null {
  for (let i = 0; i < services.length; i++) if (services[i].name == name) return services[i];
  return null;
}

// --- starting ------------------------------------------------------------------

/** Tell VFS a driver has a new endpoint. */
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
  sendrec(vfs, vfsMsg);
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
  r = privApply(ep, s.priv);
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
    s.state = RSS_DOWN;
    s.wantDown = false;
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

function restartDue(now: i64): void {
  for (let i = 0; i < services.length; i++) {
    const s = services[i];
    if (s.state != RSS_RESTARTING || s.restartAt > now) continue;
    const r = start(s);
    if (r != 0) {
      say(s, ": restart failed, error ");
      printInt(-r, 2);
      printErr("\n");
      s.backoff++;
      s.restartAt = now + BACKOFF_MAX_MS * TICKS_PER_MS;
    }
  }
}

// --- watching -------------------------------------------------------------------

/** Kill `s` (its death comes back through reap()); one already gone is taken as dead now. */
function killService(s: Service): i32 {
  const r = kill(s.pid, SIGKILL);
  if (r == -ESRCH) {
    reap();
    if (s.state == RSS_UP) died(s, SIGKILL);
    return 0;
  }
  return r;
}

function ping(now: i64): void {
  for (let i = 0; i < services.length; i++) {
    const s = services[i];
    if (s.state != RSS_UP) continue;
    if (s.pinged && s.answers) {
      s.missed++;
      if (s.missed >= 2) {
        say(s, " does not answer: killing it\n");
        s.missed = 0;
        s.pinged = false;
        killService(s);
        continue;
      }
    }
    s.pinged = true;
    serverNotify(s.ep);
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

function armAlarm(now: i64): void {
  let next = nextPing;
  for (let i = 0; i < services.length; i++) {
    const s = services[i];
    if (s.state == RSS_RESTARTING && s.restartAt < next) next = s.restartAt;
  }
  let left = next - now;
  if (left < 1) left = 1;
  if (left > 0x7fffffff) left = 0x7fffffff;
  sysSetAlarm(<i32>left);
}

function onNotify(m: Message): void {
  const src = m.m_source;
  if (src == PM_EP) reap();
  else if (src != CLOCK) {
    const s = byEp(src);
    if (s !== null) { s.pinged = false; s.answers = true; s.missed = 0; }
    return;
  }
  const now = sysNow();
  restartDue(now);
  if (now >= nextPing) ping(now);
  armAlarm(now);
}

// --- requests --------------------------------------------------------------------

function doList(m: Message): i32 {
  const max = m.p1 / RSINFO_SIZE;
  const e = zalloc(RSINFO_SIZE);
  let n = 0;
  for (let i = 0; i < services.length && n < max; i++) {
    const s = services[i];
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
  restartDue(sysNow());
  return s.state == RSS_UP ? 0 : -EBUSY;
}

function doDown(m: Message): i32 {
  const s = byName(getName(m));
  if (s === null) return -ESRCH;
  if (s.state != RSS_UP) { s.state = RSS_DOWN; return 0; }
  s.wantDown = true;
  return killService(s);
}

function doUp(m: Message): i32 {
  const name = getName(m);
  let s = byName(name);
  if (s === null) {
    const priv = privFind(name);
    if (priv == 0 || services.length >= MAX_SERVICES) return -ENOENT;
    s = new Service();
    s.name = name;
    s.priv = priv;
    services.push(s);
  }
  if (s.state == RSS_UP) return -EBUSY;
  s.backoff = 0;
  s.state = RSS_DOWN;
  const r = start(s);
  return r;
}

// --- boot ---------------------------------------------------------------------------

/** Adopt the boot services pm made my children. */
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
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * PROCINFO_SIZE);
    if (load<i32>(e, 4) != me || services.length >= MAX_SERVICES) continue;
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
    s.state = RSS_UP;
    s.startedAt = now;
    s.restarts = 1;
    services.push(s);
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
