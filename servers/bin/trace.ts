// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// trace: the messages a process sends and receives, as MINIX's trace and
// Hurd's rpctrace show them (docs/servers.md, "trace").
//
//   trace [-o FILE] COMMAND [ARG...]   run COMMAND, traced from its exec on;
//                                      exit with its status
//   trace [-o FILE] -p PID             follow a running process until it
//                                      ends (or ^C)
//
// One line per record, to standard error (so COMMAND's output stays on
// standard output) or to FILE:
//
//   echo -> vfs  VFS_WRITE p0=1 p1=63 p2=3      a request it sent
//   echo <- vfs  VFS_REPLY 3 p1=0 p2=0          a reply (status first)
//   echo <- pm  reply -2 ENOENT p0=0 p1=0 p2=0  pm's, rs's, ds's replies
//   echo -> SYSTEM  setgrant p0=61 ...          a kernel call, and then
//   echo <- SYSTEM  setgrant = 0                its result
//   tty  notify from HARDWARE p0=1024 p1=...    a notification
//
// then `trace: N messages, M dropped` (M: lost to a full log in the kernel).
// Message types are named by trace_names.ts, endpoints by pm's process
// table. pm does the tracing (PM_TRACE_*): the kernel logs each message of
// the traced process; trace reads the log, sleeping a little when it is
// empty (1 ms, doubling up to 16 ms, back to 1 ms when records come).
//
// COMMAND runs in a child that waits on a pipe until the trace is started,
// then execs (/bin/NAME, as sh finds it); the records of the child before
// its PM_EXEC (the pipe, reading the program's image) are trace's own and
// are not shown. trace ignores ^C itself, so ^C ends COMMAND and trace
// reports its status; with -p, ^C ends trace and pm stops the trace.
//
// Entry points: main.

import { Message, sendrec, collect } from "../lib/index";
import { sysSetGrant, zalloc, GRANT_WRITE } from "../lib/server";
import {
  argc, argv, fork, execv, exit, waitpid, wstatus, signal, sleep, pipe, read, write, writeString,
  open, close, err, hasVfs, strerror, signame, statusCode, traceStart, traceRead, traceDropped, traceEnded,
} from "../lib/posix";
import {
  PM_EP, PM_EXEC, PM_GETPROCS, PM_BASE, PROCINFO_SIZE, PROCINFO_NAME, NOTIFY_MESSAGE, SYSTEM, CLOCK,
  HARDWARE, KERNEL, SIGINT, SIGQUIT, SIG_IGN, ENOENT, EBUSY, ESRCH, WIFSIGNALED, WTERMSIG,
  TRACE_RECORD_SIZE, TRACE_MESSAGE, TRACE_KCALL, TRACE_KREPLY,
} from "../lib/proto";
import { O_WRONLY, O_CREAT, O_TRUNC } from "../lib/fs_proto";
import { messageName, kcallName, errnoName } from "./trace_names";

const USAGE = "usage: trace [-o FILE] COMMAND [ARG...]\n       trace [-o FILE] -p PID\n";
/** Records asked for per read. */
const RECORDS: i32 = 128;
const records: usize = zalloc(RECORDS * TRACE_RECORD_SIZE);
const GRANT_PROCS: i32 = 59;
const MAX_PROCS: i32 = 128;

// Everything the loop keeps is global: it collects garbage at its top (the
// minimal runtime never does by itself), where no object is on the stack.
let out: i32 = 2;
let tracedEp: i32 = 0;
let tracedName: string = "";
let lastCall: string = "";
let shown: i32 = 0;
let dropped: i32 = 0;

// --- endpoint names ------------------------------------------------------------

let epOf: i32[] = [];
let nameOf: string[] = [];
/** Names were loaded again during this batch of records (at most once a batch). */
let refreshed: bool = false;

/** pm's process table: each living process's endpoint and name (name[pid] where names repeat). */
function loadNames(): void {
  epOf = [];
  nameOf = [];
  const buf = zalloc(MAX_PROCS * PROCINFO_SIZE);
  let n = 0;
  if (sysSetGrant(GRANT_PROCS, PM_EP, buf, MAX_PROCS * PROCINFO_SIZE, GRANT_WRITE) == 0) {
    const m = new Message();
    m.m_type = PM_GETPROCS;
    m.p0 = GRANT_PROCS;
    m.p1 = MAX_PROCS * PROCINFO_SIZE;
    n = sendrec(PM_EP, m) == 0 ? m.m_type : 0;
  }
  const pids: i32[] = [];
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * PROCINFO_SIZE);
    if (load<i32>(e, 12) == 0) continue; // a zombie
    let len = 0;
    while (len < PROCINFO_SIZE - PROCINFO_NAME - 1 && load<u8>(e + <usize>(PROCINFO_NAME + len)) != 0) len++;
    epOf.push(load<i32>(e, 12));
    nameOf.push(String.UTF8.decodeUnsafe(e + <usize>PROCINFO_NAME, <usize>len));
    pids.push(load<i32>(e));
  }
  heap.free(buf);
  for (let i = 0; i < nameOf.length; i++) {
    let same = 0;
    for (let j = 0; j < nameOf.length; j++) if (nameOf[j] == nameOf[i]) same++;
    if (same > 1) nameOf[i] = nameOf[i] + "[" + pids[i].toString() + "]";
  }
}

function epName(ep: i32): string {
  if (ep == tracedEp && tracedName.length > 0) return tracedName;
  if (ep == SYSTEM) return "SYSTEM";
  if (ep == CLOCK) return "CLOCK";
  if (ep == HARDWARE) return "HARDWARE";
  if (ep == KERNEL) return "KERNEL";
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < epOf.length; i++) if (epOf[i] == ep) return nameOf[i];
    if (refreshed) break;
    refreshed = true;
    loadNames();
  }
  return "0x" + ep.toString(16);
}

// --- one record, one line ----------------------------------------------------------

/** A payload word: decimal when small, else hex. */
function num(v: i32): string {
  return v > -65536 && v < 65536 ? v.toString() : "0x" + (<u32>v).toString(16);
}

/** A status: the number, and the error's name when it is one. */
function status(v: i32): string {
  if (v >= 0) return v.toString();
  const name = errnoName(-v);
  return name.length > 0 ? v.toString() + " " + name : v.toString();
}

function words(p0: i32, p1: i32, p2: i32): string {
  return "p0=" + num(p0) + " p1=" + num(p1) + " p2=" + num(p2);
}

/** What a message of type `t` says: its name and payload, or a reply's status. */
function describe(t: i32, p0: i32, p1: i32, p2: i32): string {
  const name = messageName(t);
  if (name.endsWith("_REPLY")) return name + " " + status(p0) + " p1=" + num(p1) + " p2=" + num(p2);
  if (name.length > 0) return name + " " + words(p0, p1, p2);
  // pm's, rs's and ds's replies carry their status in m_type (requests start at PM_BASE).
  if (t < PM_BASE) return "reply " + status(t) + " " + words(p0, p1, p2);
  return "0x" + t.toString(16) + " " + words(p0, p1, p2);
}

function formatRecord(kind: i32, from: i32, to: i32, t: i32, p0: i32, p1: i32, p2: i32): string {
  if (kind == TRACE_KCALL) {
    const k = kcallName(t);
    lastCall = k.length > 0 ? k : "0x" + t.toString(16);
    return epName(from) + " -> " + epName(to) + "  " + lastCall + " " + words(p0, p1, p2);
  }
  if (kind == TRACE_KREPLY) return epName(to) + " <- " + epName(from) + "  " + lastCall + " = " + status(t);
  if (t == NOTIFY_MESSAGE) {
    if (from == tracedEp) return epName(from) + " -> " + epName(to) + "  notify";
    return epName(to) + "  notify from " + epName(from) + " p0=" + num(p0) + " p1=" + num(p1);
  }
  if (from == tracedEp) return epName(from) + " -> " + epName(to) + "  " + describe(t, p0, p1, p2);
  return epName(to) + " <- " + epName(from) + "  " + describe(t, p0, p1, p2);
}

// --- following a log -------------------------------------------------------------------

/**
 * Read and print `pid`'s log until its process has ended and the log is
 * read out (or the trace is gone). With `fromExec`, records before the
 * process's PM_EXEC request are skipped.
 */
function follow(pid: i32, fromExec: bool): void {
  let started = !fromExec;
  let delay = 1;
  for (;;) {
    collect();
    const n = traceRead(pid, records, RECORDS * TRACE_RECORD_SIZE);
    if (n < 0) {
      if (n != -ESRCH) err("trace: " + strerror(-n) + "\n");
      return;
    }
    dropped += traceDropped();
    refreshed = false;
    let text = "";
    for (let i = 0; i < n; i++) {
      const r = records + <usize>(i * TRACE_RECORD_SIZE);
      const kind = load<i32>(r, 4), from = load<i32>(r, 8), to = load<i32>(r, 12), t = load<i32>(r, 16);
      if (!started) {
        started = kind == TRACE_MESSAGE && from == tracedEp && to == PM_EP && t == PM_EXEC;
        if (!started) continue;
      }
      text += formatRecord(kind, from, to, t, load<i32>(r, 20), load<i32>(r, 24), load<i32>(r, 28)) + "\n";
      shown++;
    }
    if (text.length > 0) writeString(out, text);
    if (traceEnded()) return;
    if (n == 0) {
      sleep(delay);
      if (delay < 16) delay <<= 1;
    } else {
      delay = 1;
    }
  }
}

function summary(): void {
  writeString(out, "trace: " + shown.toString() + " messages, " + dropped.toString() + " dropped\n");
}

// --- the two ways to start ----------------------------------------------------------------

/** The child: wait until the parent has started the trace (a byte on the pipe), then become the command. */
function child(fds: StaticArray<i32>, args: string[]): void {
  close(fds[1]);
  const go = new StaticArray<u8>(1);
  const n = read(fds[0], changetype<usize>(go), 1);
  close(fds[0]);
  if (out != 2) close(out);
  if (n != 1) exit(1); // the trace did not start: the parent has said why
  const name = args[0];
  const r = execv(name.indexOf("/") >= 0 ? name : "/bin/" + name, args);
  err("trace: " + name + ": " + (r == -ENOENT ? "not found" : strerror(-r)) + "\n");
  exit(r == -ENOENT ? 127 : 126);
}

/** trace COMMAND [ARG...] -> the command's status. */
function runCommand(args: string[]): i32 {
  if (!hasVfs()) {
    err("trace: running a command needs a file system (use -p PID)\n");
    return 1;
  }
  const fds = new StaticArray<i32>(2);
  if (pipe(fds) < 0) {
    err("trace: cannot make a pipe\n");
    return 1;
  }
  const pid = fork();
  if (pid == 0) child(fds, args);
  close(fds[0]);
  if (pid < 0) {
    close(fds[1]);
    err("trace: fork: " + strerror(-pid) + "\n");
    return 1;
  }
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  const ep = traceStart(pid);
  if (ep < 0) {
    close(fds[1]); // the child reads the end of the pipe and gives up
    err("trace: " + strerror(-ep) + "\n");
    waitpid(pid, 0);
    return 1;
  }
  tracedEp = ep;
  const slash = args[0].lastIndexOf("/");
  tracedName = slash < 0 ? args[0] : args[0].substring(slash + 1);
  loadNames();
  const go = new StaticArray<u8>(1);
  go[0] = 0x67;
  write(fds[1], changetype<usize>(go), 1);
  close(fds[1]);
  follow(pid, true);
  summary();
  if (waitpid(pid, 0) != pid) return 1;
  const s = wstatus();
  if (WIFSIGNALED(s) && WTERMSIG(s) != SIGINT) err("trace: " + signame(WTERMSIG(s)) + "\n");
  return statusCode(s);
}

/** trace -p PID -> 0 once the process has ended. */
function attach(arg: string): i32 {
  const pid = I32.parseInt(arg);
  let digits = arg.length > 0;
  for (let i = 0; i < arg.length; i++) digits = digits && arg.charCodeAt(i) >= 0x30 && arg.charCodeAt(i) <= 0x39;
  if (!digits || pid <= 0) {
    err("trace: " + arg + ": not a pid\n");
    return 2;
  }
  const ep = traceStart(pid);
  if (ep < 0) {
    err("trace: " + arg + ": " + (ep == -EBUSY ? "traced already" : strerror(-ep)) + "\n");
    return 1;
  }
  tracedEp = ep;
  loadNames();
  tracedName = epName(ep);
  writeString(out, "trace: attached to " + arg + " (" + tracedName + ")\n");
  follow(pid, false);
  summary();
  return 0;
}

export function main(): i32 {
  let i = 1;
  let outPath = "";
  let pidArg = "";
  let attaching = false;
  while (i < argc()) {
    const a = argv(i);
    if ((a == "-o" || a == "-p") && i + 1 < argc()) {
      if (a == "-o") outPath = argv(i + 1);
      else { pidArg = argv(i + 1); attaching = true; }
      i += 2;
      continue;
    }
    if (a == "--") i++;
    else if (a.startsWith("-")) i = argc() + 1; // an unknown option, or one without its argument
    break;
  }
  if (i > argc() || (attaching && i < argc()) || (!attaching && i >= argc())) {
    err(USAGE);
    return 2;
  }
  if (outPath.length > 0) {
    const fd = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    if (fd < 0) {
      err("trace: " + outPath + ": " + strerror(-fd) + "\n");
      return 1;
    }
    out = fd;
  }
  if (attaching) return attach(pidArg);
  const args: string[] = [];
  for (; i < argc(); i++) args.push(argv(i));
  return runCommand(args);
}
