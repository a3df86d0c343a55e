// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The POSIX-style calls of user programs (docs/servers.md): processes and
// signals through pm (getpid, fork, execv, waitpid, kill, signal, setsid,
// sleep, ...), and reading and writing through VFS (fs.ts) when the system
// has one, else straight to the console driver with the character-device
// protocol (read on fd 0, write on fds 1 and 2), so a system of pm, tty and
// init alone already has a working console.
//
// A call returns its result or -errno, as the system calls do. Nothing here
// keeps a pointer into the caller's memory after the call returns.
//
// Program arguments: the strings execv was given are kept by pm; argc() and
// argv(i) fetch them on first use (PM_GETARGS).
//
// Entry points: getpid, getppid, getpgrp, fork, execv, exit, waitpid, wait,
// wstatus, kill, signal, setsid, setpgid, sleep, shutdown, uptimeMs,
// traceStart, traceStop, traceRead (traceDropped, traceEnded), argc, argv,
// read, write, writeString, out, err, tcsetpgrp, tcgetpgrp, hasVfs, open,
// close, dup2, pipe, chdir, getcwd, ioctl, strerror, signame, statusCode.

import { Message, sendrec, receive, exit as exitProcess } from "./index";
import {
  PM_EP, PM_FORK, PM_WAITPID, PM_GETPID, PM_KILL, PM_EXEC, PM_GETARGS, PM_SIGACTION, PM_SETSID,
  PM_SETPGID, PM_SHUTDOWN, PM_TIMES, PM_SLEEP, PM_TRACE_START, PM_TRACE_STOP, PM_TRACE_READ, TTY_CONSOLE,
  TTY_WAIT, TIOCSPGRP, TIOCGPGRP,
  WIFEXITED, WEXITSTATUS, WTERMSIG, SIGINT, SIGKILL, SIGTERM, SIGSEGV, SIGILL, SIGFPE, SIGBUS,
  SIGTRAP, SIGABRT, SIGQUIT, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
  EDEADSRCDST, ENODEV, ENOSYS, EBADF, E2BIG, ENOENT, ENOEXEC, ARG_MAX, IMAGE_MAX,
} from "./proto";
import {
  CDEV_READ, CDEV_WRITE, CDEV_IOCTL, CDEV_REPLY, O_RDWR, O_RDONLY, VFS_IOCTL,
} from "./fs_proto";
import * as fs from "./fs";
import { sysSetGrant, dsLookup, zalloc, GRANT_READ, GRANT_WRITE } from "./server";

/** Grant slots of the POSIX calls (fs.ts uses 62 and 63). */
const GRANT_TRACE: i32 = 57;
const GRANT_IMAGE: i32 = 58;
const GRANT_IO: i32 = 60;
const GRANT_ARGS: i32 = 61;

const pm = new Message();
const cm = new Message();

// --- processes ---------------------------------------------------------------

let myPid: i32 = 0;

function pmCall(type: i32): i32 {
  pm.m_type = type;
  const r = sendrec(PM_EP, pm);
  return r != 0 ? r : pm.m_type;
}

export function getpid(): i32 {
  if (myPid == 0) {
    pm.clear();
    myPid = pmCall(PM_GETPID);
  }
  return myPid;
}

export function getppid(): i32 {
  pm.clear();
  return pmCall(PM_GETPID) < 0 ? pm.m_type : pm.p0;
}

export function getpgrp(): i32 {
  pm.clear();
  return pmCall(PM_GETPID) < 0 ? pm.m_type : pm.p1;
}

/** The child's pid in the parent, 0 in the child, or -errno (-EAGAIN: too many processes). */
export function fork(): i32 {
  pm.clear();
  const r = pmCall(PM_FORK);
  if (r == 0) myPid = 0; // the child asks again
  return r;
}

/**
 * The program at `path`, read through VFS into fresh memory: its address
 * (imageBytes bytes), or -errno (-ENOENT: VFS does not have it).
 */
function readImage(path: string): isize {
  const fd = fs.open(path, O_RDONLY, 0);
  if (fd < 0) return fd;
  const st = new fs.Stat();
  let r = fs.fstat(fd, st);
  if (r >= 0 && (st.size <= 0 || st.size > IMAGE_MAX)) r = -ENOEXEC;
  if (r < 0) {
    fs.close(fd);
    return r;
  }
  const size = st.size;
  const image = heap.alloc(<usize>size);
  let got = 0;
  while (got < size) {
    const n = fs.read(fd, image + <usize>got, size - got);
    if (n <= 0) break;
    got += n;
  }
  fs.close(fd);
  if (got != size) {
    heap.free(image);
    return -ENOEXEC;
  }
  imageBytes = size;
  return <isize>image;
}

let imageBytes: i32 = 0;

/**
 * Run program `path` with arguments `args` (args[0] is by convention the
 * program's name). A path with a '/' is read here, through VFS, and handed
 * to pm (which never waits for VFS itself); a bare name, or a path VFS does
 * not have, is pm's bundled program of that name. Returns only on failure,
 * with -errno.
 */
export function execv(path: string, args: string[]): i32 {
  let len = String.UTF8.byteLength(path, false) + 1;
  for (let i = 0; i < args.length; i++) len += String.UTF8.byteLength(args[i], false) + 1;
  if (len > ARG_MAX) return -E2BIG;
  let image: usize = 0;
  let size = 0;
  if (path.indexOf("/") >= 0 && hasVfs()) {
    const r = readImage(path);
    if (r < 0 && r != -ENOENT) return <i32>r;
    if (r > 0) { image = <usize>r; size = imageBytes; }
  }
  const block = heap.alloc(<usize>len);
  let at = block;
  at += String.UTF8.encodeUnsafe(changetype<usize>(path), path.length, at, true);
  for (let i = 0; i < args.length; i++) {
    const s = args[i];
    at += String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, at, true);
  }
  let r = sysSetGrant(GRANT_ARGS, PM_EP, block, len, GRANT_READ);
  if (r == 0 && size > 0) r = sysSetGrant(GRANT_IMAGE, PM_EP, image, size, GRANT_READ);
  if (r == 0) {
    pm.clear();
    pm.p0 = GRANT_ARGS;
    pm.p1 = len;
    pm.p2 = args.length;
    pm.p3 = GRANT_IMAGE;
    pm.p4 = size;
    r = pmCall(PM_EXEC);
  }
  if (size > 0) {
    sysSetGrant(GRANT_IMAGE, PM_EP, image, size, 0);
    heap.free(image);
  }
  heap.free(block);
  return r;
}

/** End the program with `code` as its exit status. */
export function exit(code: i32): void {
  exitProcess(code);
}

let lastStatus: i32 = 0;

/** Wait for a child (pid -1: any; options WNOHANG) -> its pid (0: none has ended yet, WNOHANG), or -errno. wstatus() is its status. */
export function waitpid(pid: i32, options: i32): i32 {
  pm.clear();
  pm.p0 = pid;
  pm.p1 = options;
  const r = pmCall(PM_WAITPID);
  if (r > 0) lastStatus = pm.p0;
  return r;
}

export function wait(): i32 {
  return waitpid(-1, 0);
}

/** The status of the child the last waitpid returned (WIFEXITED, WEXITSTATUS, WTERMSIG of proto.ts read it). */
export function wstatus(): i32 {
  return lastStatus;
}

export function kill(pid: i32, sig: i32): i32 {
  pm.clear();
  pm.p0 = pid;
  pm.p1 = sig;
  return pmCall(PM_KILL);
}

/** Set the disposition of `sig` (SIG_DFL, SIG_IGN) -> the previous one. */
export function signal(sig: i32, disposition: i32): i32 {
  pm.clear();
  pm.p0 = sig;
  pm.p1 = disposition;
  return pmCall(PM_SIGACTION);
}

export function setsid(): i32 {
  pm.clear();
  return pmCall(PM_SETSID);
}

export function setpgid(pid: i32, pgid: i32): i32 {
  pm.clear();
  pm.p0 = pid;
  pm.p1 = pgid;
  return pmCall(PM_SETPGID);
}

/** Sleep `ms` milliseconds of machine time. */
export function sleep(ms: i32): i32 {
  pm.clear();
  pm.p0 = ms;
  return pmCall(PM_SLEEP);
}

/** Power the machine off with exit code `code` (returns only on failure). */
export function shutdown(code: i32): i32 {
  pm.clear();
  pm.p0 = code;
  return pmCall(PM_SHUTDOWN);
}

/** Milliseconds of machine time since power-on. */
export function uptimeMs(): i64 {
  pm.clear();
  if (pmCall(PM_TIMES) < 0) return 0;
  const ticks = (<i64>pm.p1 << 32) | (<i64>pm.p0 & 0xffffffff);
  return ticks / 10000;
}

// --- message traces (pm's PM_TRACE_*, for trace) -------------------------------------

let traceDroppedN: i32 = 0;
let traceEndedFlag: bool = false;

/** Log every message process `pid` sends and receives, for this process to read -> its endpoint, or -errno. */
export function traceStart(pid: i32): i32 {
  pm.clear();
  pm.p0 = pid;
  const r = pmCall(PM_TRACE_START);
  return r < 0 ? r : pm.p0;
}

/** Stop tracing `pid` (what was not read is lost). */
export function traceStop(pid: i32): i32 {
  pm.clear();
  pm.p0 = pid;
  return pmCall(PM_TRACE_STOP);
}

/**
 * The oldest records of `pid`'s log into `buf` (TRACE_RECORD_SIZE bytes
 * each, at most `len` bytes) -> how many, or -errno. traceDropped() says how
 * many were lost to a full log since the last read, traceEnded() whether
 * the process has ended and this was the last of its log.
 */
export function traceRead(pid: i32, buf: usize, len: i32): i32 {
  traceDroppedN = 0;
  traceEndedFlag = false;
  const g = sysSetGrant(GRANT_TRACE, PM_EP, buf, len > 0 ? len : 1, GRANT_WRITE);
  if (g != 0) return g;
  pm.clear();
  pm.p0 = pid;
  pm.p1 = GRANT_TRACE;
  pm.p2 = len;
  const r = pmCall(PM_TRACE_READ);
  if (r >= 0) {
    traceDroppedN = pm.p0;
    traceEndedFlag = pm.p1 != 0;
  }
  return r;
}

/** Records the last traceRead says were dropped. */
export function traceDropped(): i32 {
  return traceDroppedN;
}

/** Did the last traceRead end the trace (the process has ended, its log is read out)? */
export function traceEnded(): bool {
  return traceEndedFlag;
}

// --- arguments ----------------------------------------------------------------

let args: string[] | null = null;

function loadArgs(): string[] {
  const a = args;
  if (a !== null) return a;
  const out = new Array<string>(0);
  const buf = zalloc(ARG_MAX);
  if (sysSetGrant(GRANT_ARGS, PM_EP, buf, ARG_MAX, GRANT_WRITE) == 0) {
    pm.clear();
    pm.p0 = GRANT_ARGS;
    pm.p1 = ARG_MAX;
    const n = pmCall(PM_GETARGS);
    const count = pm.p0;
    let start = 0;
    for (let i = 0; i < n && out.length < count; i++) {
      if (load<u8>(buf + <usize>i) == 0) {
        out.push(String.UTF8.decodeUnsafe(buf + <usize>start, <usize>(i - start), false));
        start = i + 1;
      }
    }
  }
  heap.free(buf);
  args = out;
  return out;
}

/** The number of arguments (0 for a boot process, which has none). */
export function argc(): i32 {
  return loadArgs().length;
}

/** Argument `i` ("" past the end). */
export function argv(i: i32): string {
  const a = loadArgs();
  return i >= 0 && i < a.length ? a[i] : "";
}

// --- files and the console ------------------------------------------------------

/** 0 not asked yet, 1 the system has VFS, -1 it has none (console I/O goes to tty). */
let vfsState: i32 = 0;
let ttyEp: i32 = 0;

/** Does the system have a VFS? (asked of ds once; a fork inherits the answer) */
export function hasVfs(): bool {
  if (vfsState == 0) {
    const ep = dsLookup("vfs");
    vfsState = ep > 0 ? 1 : -1;
    if (ep > 0) fs.setVfs(ep);
  }
  return vfsState > 0;
}

function tty(refresh: bool): i32 {
  if (ttyEp <= 0 || refresh) ttyEp = dsLookup("tty");
  return ttyEp;
}

/**
 * One request to the console driver, waiting for its reply (TTY_WAIT). A
 * data request grants `buf` to the driver first. If the driver has died, ds
 * is asked again (rs publishes the restarted one there) and the request
 * retried, a few times with a short sleep between.
 */
function ttyCall(type: i32, buf: usize, access: i32, a: i32, b: i32): i32 {
  for (let attempt = 0; attempt < 6; attempt++) {
    if (attempt >= 2) sleep(10);
    const ep = tty(attempt > 0);
    if (ep <= 0) continue;
    if (access != 0) {
      const g = sysSetGrant(GRANT_IO, ep, buf, b > 0 ? b : 1, access);
      if (g != 0) return g;
    }
    cm.clear();
    cm.m_type = type;
    cm.p0 = TTY_CONSOLE;
    cm.p1 = a;
    cm.p2 = b;
    cm.p4 = TTY_WAIT;
    const r = sendrec(ep, cm);
    if (r == -EDEADSRCDST) continue;
    if (r != 0) return r;
    return cm.m_type == CDEV_REPLY ? cm.p0 : -ENOSYS;
  }
  return -ENODEV;
}

function consoleIo(type: i32, buf: usize, len: i32, access: i32): i32 {
  return ttyCall(type, buf, access, GRANT_IO, len);
}

/** Read up to `len` bytes: the count, 0 at the end of the file (^D on the console). */
// With no VFS, descriptors 0, 1 and 2 are the console. With a VFS that has
// none of them open (init found no /dev/console: the root file system did
// not mount), they are the console too, so a shell still reaches the user.

export function read(fd: i32, buf: usize, len: i32): i32 {
  if (hasVfs()) {
    const r = fs.read(fd, buf, len);
    if (r != -EBADF || fd != 0) return r;
  } else if (fd != 0) return -EBADF;
  return consoleIo(CDEV_READ, buf, len, GRANT_WRITE);
}

export function write(fd: i32, buf: usize, len: i32): i32 {
  if (hasVfs()) {
    const r = fs.write(fd, buf, len);
    if (r != -EBADF || (fd != 1 && fd != 2)) return r;
  } else if (fd != 1 && fd != 2) return -EBADF;
  return consoleIo(CDEV_WRITE, buf, len, GRANT_READ);
}

/** Write a string as UTF-8. */
export function writeString(fd: i32, s: string): i32 {
  const bytes = String.UTF8.encode(s, false);
  return write(fd, changetype<usize>(bytes), bytes.byteLength);
}

/** Write to standard output. */
export function out(s: string): void {
  writeString(1, s);
}

/** Write to standard error. */
export function err(s: string): void {
  writeString(2, s);
}

/** A device request on `fd` (a character device: the console's TIOC* of proto.ts) -> its result, or -errno. */
export function ioctl(fd: i32, request: i32, arg: i32): i32 {
  if (hasVfs()) {
    cm.clear();
    cm.m_type = VFS_IOCTL;
    cm.p0 = fd;
    cm.p1 = request;
    cm.p2 = arg;
    const r = sendrec(fs.vfsEndpoint(), cm);
    return r != 0 ? r : cm.p0;
  }
  if (fd < 0 || fd > 2) return -EBADF;
  return ttyCall(CDEV_IOCTL, 0, 0, request, arg);
}

/** Make `pgrp` the console's foreground process group (^C signals it). */
export function tcsetpgrp(fd: i32, pgrp: i32): i32 {
  return ioctl(fd, TIOCSPGRP, pgrp);
}

export function tcgetpgrp(fd: i32): i32 {
  return ioctl(fd, TIOCGPGRP, 0);
}

export function open(path: string, flags: i32, mode: i32 = 0o644): i32 {
  return hasVfs() ? fs.open(path, flags, mode) : -ENOSYS;
}

export function close(fd: i32): i32 {
  return hasVfs() ? fs.close(fd) : -ENOSYS;
}

export function dup2(fd: i32, to: i32): i32 {
  return hasVfs() ? fs.dup2(fd, to) : -ENOSYS;
}

/** A pipe into fds[0] (read end) and fds[1] (write end). */
export function pipe(fds: StaticArray<i32>): i32 {
  return hasVfs() ? fs.pipe(fds) : -ENOSYS;
}

export function chdir(path: string): i32 {
  return hasVfs() ? fs.chdir(path) : -ENOSYS;
}

/** The working directory ("/" in a system without VFS). */
export function getcwd(): string {
  return hasVfs() ? fs.getcwd() : "/";
}

/** The console opened read-write (for init, in a system with VFS). */
export const CONSOLE_FLAGS: i32 = O_RDWR;

// --- messages ---------------------------------------------------------------------

/** What errno `e` (positive) means. */
export function strerror(e: i32): string {
  switch (e) {
    case 1: return "Operation not permitted";
    case 2: return "No such file or directory";
    case 3: return "No such process";
    case 4: return "Interrupted system call";
    case 5: return "Input/output error";
    case 7: return "Argument list too long";
    case 8: return "Exec format error";
    case 9: return "Bad file descriptor";
    case 10: return "No child processes";
    case 11: return "Resource temporarily unavailable";
    case 12: return "Cannot allocate memory";
    case 13: return "Permission denied";
    case 14: return "Bad address";
    case 16: return "Device or resource busy";
    case 17: return "File exists";
    case 19: return "No such device";
    case 20: return "Not a directory";
    case 21: return "Is a directory";
    case 22: return "Invalid argument";
    case 25: return "Inappropriate ioctl for device";
    case 28: return "No space left on device";
    case 32: return "Broken pipe";
    case 36: return "File name too long";
    case 38: return "Function not implemented";
    case 39: return "Directory not empty";
    case 40: return "Too many levels of symbolic links";
    default: return "Error " + e.toString();
  }
}

/** The shell's words for death by signal `sig`. */
export function signame(sig: i32): string {
  switch (sig) {
    case SIGHUP: return "Hangup";
    case SIGINT: return "Interrupt";
    case SIGQUIT: return "Quit";
    case SIGILL: return "Illegal instruction";
    case SIGTRAP: return "Trace/breakpoint trap";
    case SIGABRT: return "Aborted";
    case SIGBUS: return "Bus error";
    case SIGFPE: return "Floating point exception";
    case SIGKILL: return "Killed";
    case SIGUSR1: return "User defined signal 1";
    case SIGSEGV: return "Segmentation fault";
    case SIGUSR2: return "User defined signal 2";
    case SIGPIPE: return "Broken pipe";
    case SIGALRM: return "Alarm clock";
    case SIGTERM: return "Terminated";
    default: return "Signal " + sig.toString();
  }
}

/** A wait status as a shell's $?: the exit code, or 128 + the signal. */
export function statusCode(s: i32): i32 {
  return WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
}
