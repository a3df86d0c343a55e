// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The servers' protocols (docs/servers.md has each call's fields): message
// types and payload layout for pm, rs, ds and the character-device protocol
// the console driver (tty) speaks, the well-known endpoints, signals and
// wait statuses. The numbers are repeated for the host in servers/system.ts
// (PROTO), and a test checks that both agree.
//
// Conventions, as in MINIX 3: a request is sendrec'd to the server; the
// reply comes back in the same message with m_type = the result (>= 0) or
// -errno, and any further results in the payload words. Strings travel in
// the payload (NAME_OFF, up to NAME_MAX bytes with the NUL) or, when longer,
// through a memory grant (SETGRANT: p-word "grant" and "len" fields).
//
// Message types are numbered apart from the kernel's (0x600..) and the
// storage protocols' (fs_proto.ts: 0x300.. VFS, 0x400.. file servers,
// 0x500.. block drivers, 0x700.. character drivers): pm 0x100, rs 0x200,
// ds 0x800.
//
// Entry points: endpoints (PM_EP, DS_EP, RS_EP), PM_*, RS_*, DS_*, TIOC*,
// TTY_*, SIG*, W* (wait status), errno values, SUSPEND, TRACE_* (trace records).

// --- well-known endpoints -------------------------------------------------
// The first three boot modules, in this order (servers/system.ts BOOT_ORDER),
// so their endpoints are fixed: slot 0, 1, 2, generation 1. Everything else
// (vfs, tty, mfs, blk, init, ...) is found by name in ds.

export const PM_EP: i32 = 0x100;
export const DS_EP: i32 = 0x101;
export const RS_EP: i32 = 0x102;

/** Kernel endpoints (docs/kernel.md). */
export const SYSTEM: i32 = -2;
export const CLOCK: i32 = -3;
export const HARDWARE: i32 = -4;
export const KERNEL: i32 = -5;

export const NOTIFY_MESSAGE: i32 = 0x1000;
export const SIGNAL_MESSAGE: i32 = 0x1001;

/** A handler's result meaning "no reply now": the server answers later (MINIX's EDONTREPLY). */
export const SUSPEND: i32 = -998;

// --- error numbers (Linux values; the kernel's own from 105) ---------------
export const EPERM: i32 = 1;
export const ENOENT: i32 = 2;
export const ESRCH: i32 = 3;
export const EINTR: i32 = 4;
export const EIO: i32 = 5;
export const E2BIG: i32 = 7;
export const ENOEXEC: i32 = 8;
export const EBADF: i32 = 9;
export const ECHILD: i32 = 10;
export const EAGAIN: i32 = 11;
export const ENOMEM: i32 = 12;
export const EFAULT: i32 = 14;
export const EBUSY: i32 = 16;
export const EEXIST: i32 = 17;
export const ENODEV: i32 = 19;
export const EINVAL: i32 = 22;
export const ENFILE: i32 = 23;
export const ENOTTY: i32 = 25;
export const ENOSPC: i32 = 28;
export const EDEADLK: i32 = 35;
export const ENAMETOOLONG: i32 = 36;
export const ENOSYS: i32 = 38;
export const ECALLDENIED: i32 = 105;
export const EKCALLDENIED: i32 = 106;
export const ENOTREADY: i32 = 107;
export const EDEADSRCDST: i32 = 108;

// --- strings in a message -------------------------------------------------
/** A name in the payload: bytes NAME_OFF .. NAME_OFF + NAME_MAX - 1, NUL-terminated. */
export const NAME_OFF: i32 = 24;
export const NAME_MAX: i32 = 32;

// --- pm: processes and signals (PM_BASE ..) -------------------------------
export const PM_BASE: i32 = 0x100;
/** p0 status. The caller ends (no reply). */
export const PM_EXIT: i32 = 0x100;
/** -> m_type: the child's pid in the parent, 0 in the child. */
export const PM_FORK: i32 = 0x101;
/** p0 pid (-1 any child, > 0 that child, 0 my group, < -1 group -pid), p1 options (WNOHANG) -> m_type pid (0: none yet), p0 status. */
export const PM_WAITPID: i32 = 0x102;
/** -> m_type pid, p0 parent's pid, p1 process group, p2 the caller's endpoint. */
export const PM_GETPID: i32 = 0x103;
/** p0 pid (> 0 a process, 0 my group, -1 every process I may signal, < -1 a group), p1 signal (0: only check), p2 PM_NOREPLY or 0. */
export const PM_KILL: i32 = 0x104;
/** PM_KILL p2: the sender used sendnb and waits for no answer (tty's ^C), so pm sends none. */
export const PM_NOREPLY: i32 = 1;
/**
 * p0 grant (read) of "path\0arg0\0arg1\0...", p1 its length, p2 argc, p3 grant (read) of the program's ELF image
 * and p4 its size (0: pm takes the bundle's program named as the path's last component). No reply when it works:
 * the caller restarts as the new program.
 */
export const PM_EXEC: i32 = 0x105;
/** p0 grant (write) for the arguments, p1 its length -> m_type bytes copied, p0 argc. The strings exec was given, NUL-separated. */
export const PM_GETARGS: i32 = 0x106;
/** p0 signal, p1 disposition (SIG_DFL, SIG_IGN) -> m_type the previous disposition. */
export const PM_SIGACTION: i32 = 0x107;
/** -> m_type the new session's (and group's) id, the caller's pid. */
export const PM_SETSID: i32 = 0x108;
/** p0 pid (0: me), p1 pgid (0: the pid) -> m_type 0. */
export const PM_SETPGID: i32 = 0x109;
/** p0 exit code: powers the machine off (after asking nobody: no file system to sync yet). */
export const PM_SHUTDOWN: i32 = 0x10a;
/** p0 grant (write), p1 its length -> m_type entries, PROCINFO_SIZE bytes each (see below). */
export const PM_GETPROCS: i32 = 0x10b;
/** -> p0/p1 mtime (10 MHz ticks, lo/hi) since boot, p2/p3 the caller's retired instructions. */
export const PM_TIMES: i32 = 0x10c;
// rs only: a service is started as MINIX's RS does it, fork (the child waits, unreplied) then exec.
/** -> m_type the child's pid, p0 its endpoint. The child is rs's copy, waiting; rs sets its privileges, then PM_SRV_EXEC. */
export const PM_SRV_FORK: i32 = 0x10d;
/** p0 child endpoint, name (NAME_OFF) the boot module to run -> m_type 0. */
export const PM_SRV_EXEC: i32 = 0x10e;
/** p0 milliseconds (of machine time): the caller sleeps that long -> m_type 0. */
export const PM_SLEEP: i32 = 0x10f;
// trace (docs/servers.md "trace"): pm holds the kernel's TRACE call and is the kernel's tracer of every
// traced process; it lets any process trace any other (no permission checks yet), but only the process
// that started a trace may read or stop it, and pm stops what a process started when it ends.
/** p0 pid: log the messages it sends and receives for the caller -> m_type 0, p0 its endpoint; -ESRCH, -EBUSY (traced already), -EINVAL (the caller itself), -EPERM (pm). */
export const PM_TRACE_START: i32 = 0x110;
/** p0 pid: stop the caller's trace of it (its log is dropped) -> m_type 0; -ESRCH (the caller traces no such pid). */
export const PM_TRACE_STOP: i32 = 0x111;
/**
 * p0 pid, p1 grant (write), p2 its length -> m_type records copied (TRACE_RECORD_SIZE bytes each, oldest
 * first), p0 records dropped since the last read (the log was full), p1 1 once the process has ended and
 * its log is read out (the trace is then over).
 */
export const PM_TRACE_READ: i32 = 0x112;
export const PM_NCALLS: i32 = 19;

/** A PM_TRACE_READ record (the kernel's, docs/kernel.md TRACE): i32 time (mtime, low 32 bits), kind (TRACE_*), from, to, m_type (the result for TRACE_KREPLY), p0, p1, p2. */
export const TRACE_RECORD_SIZE: i32 = 32;
/** Record kinds: a message between processes (a notification from one too), a notification from the kernel (CLOCK, HARDWARE), a kernel message (SIGNAL_MESSAGE), a kernel call made, its result. */
export const TRACE_MESSAGE: i32 = 1;
export const TRACE_NOTIFY: i32 = 2;
export const TRACE_KMSG: i32 = 3;
export const TRACE_KCALL: i32 = 4;
export const TRACE_KREPLY: i32 = 5;

/** Longest exec block (the path and the arguments, NUL-separated). */
export const ARG_MAX: i32 = 2048;
/** Largest program image PM_EXEC takes (8 MiB). */
export const IMAGE_MAX: i32 = 0x800000;

export const WNOHANG: i32 = 1;
export const SIG_DFL: i32 = 0;
export const SIG_IGN: i32 = 1;

/** PM_GETPROCS entries: pid, parent pid, group, endpoint, state (PS_*), status, name[24]. */
export const PROCINFO_SIZE: i32 = 48;
export const PROCINFO_NAME: i32 = 24;
export const PS_ALIVE: i32 = 1;
export const PS_ZOMBIE: i32 = 2;
export const PS_WAITING: i32 = 3;

// --- signals (POSIX / Linux numbers) ---------------------------------------
export const SIGHUP: i32 = 1;
export const SIGINT: i32 = 2;
export const SIGQUIT: i32 = 3;
export const SIGILL: i32 = 4;
export const SIGTRAP: i32 = 5;
export const SIGABRT: i32 = 6;
export const SIGBUS: i32 = 7;
export const SIGFPE: i32 = 8;
export const SIGKILL: i32 = 9;
export const SIGUSR1: i32 = 10;
export const SIGSEGV: i32 = 11;
export const SIGUSR2: i32 = 12;
export const SIGPIPE: i32 = 13;
export const SIGALRM: i32 = 14;
export const SIGTERM: i32 = 15;
export const SIGCHLD: i32 = 17;
export const NSIG: i32 = 32;

// --- wait status, as Unix encodes it ---------------------------------------
/** Exited with `code`: code << 8. Killed by `sig`: sig (| 0x80 if a core would be dumped). */
export function W_EXITCODE(code: i32): i32 { return (code & 0xff) << 8; }
export function W_SIGNALED(sig: i32, core: bool): i32 { return (sig & 0x7f) | (core ? 0x80 : 0); }
export function WIFEXITED(s: i32): bool { return (s & 0x7f) == 0; }
export function WEXITSTATUS(s: i32): i32 { return (s >> 8) & 0xff; }
export function WIFSIGNALED(s: i32): bool { return (s & 0x7f) != 0; }
export function WTERMSIG(s: i32): i32 { return s & 0x7f; }

// --- rs: services (RS_BASE ..) ----------------------------------------------
export const RS_BASE: i32 = 0x200;
/** name: restart the service now (a fresh copy, its old one killed). */
export const RS_RESTART: i32 = 0x200;
/** name: stop it and do not restart it. */
export const RS_DOWN: i32 = 0x201;
/** name: start a service that is down. */
export const RS_UP: i32 = 0x202;
/** p0 grant (write), p1 length -> m_type entries, RSINFO_SIZE bytes each. */
export const RS_LIST: i32 = 0x203;
export const RS_NCALLS: i32 = 4;
/** RS_LIST entries: endpoint, pid, state (RSS_*), restarts, name[16]. */
export const RSINFO_SIZE: i32 = 32;
export const RSINFO_NAME: i32 = 16;
export const RSS_UP: i32 = 1;
export const RSS_DOWN: i32 = 2;
export const RSS_RESTARTING: i32 = 3;

// --- ds: names to endpoints (DS_BASE ..) ------------------------------------
export const DS_BASE: i32 = 0x800;
/** name, p0 endpoint (0: the caller), p1 value: publish (rs any name; others only their own endpoint). */
export const DS_PUBLISH: i32 = 0x800;
/** name -> m_type 0 or -ESRCH, p0 endpoint, p1 value. */
export const DS_LOOKUP: i32 = 0x801;
/** name: remove. */
export const DS_DELETE: i32 = 0x802;
/** name: notify me whenever it is published again. */
export const DS_SUBSCRIBE: i32 = 0x803;
/** p0 endpoint -> m_type 0 or -ESRCH, the name (reverse lookup). */
export const DS_REVERSE: i32 = 0x804;
export const DS_NCALLS: i32 = 5;

// --- the console (tty) ------------------------------------------------------
// tty speaks the character-device protocol of fs_proto.ts (CDEV_*: VFS, or
// in a system without VFS the POSIX library, to a character driver). Its
// minor 0 is the console; its ioctls:

export const TTY_CONSOLE: i32 = 0;
/**
 * tty's extension of the CDEV flags (p4), for a client without VFS (the
 * POSIX library): it waits in its sendrec, so a read that cannot finish yet
 * is answered when it does, instead of with CDEV_SUSPEND.
 */
export const TTY_WAIT: i32 = 0x40000000;

// ioctl requests (Linux numbers where Linux has them).
/** -> p0 the foreground process group. */
export const TIOCGPGRP: i32 = 0x540f;
/** argument: the new foreground process group (^C and ^\ signal it). */
export const TIOCSPGRP: i32 = 0x5410;
/** -> p0 the line-discipline flags (TTY_ECHO, TTY_ICANON). */
export const TCGETFLAGS: i32 = 0x5401;
/** argument: the new flags. */
export const TCSETFLAGS: i32 = 0x5402;
export const TTY_ECHO: i32 = 1;
export const TTY_ICANON: i32 = 2;
