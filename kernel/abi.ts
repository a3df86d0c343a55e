// The kernel's side of the user ABI (docs/kernel.md): endpoints, the kernel
// calls a privileged process makes by sendrec to SYSTEM, their message
// fields, the notification message, and the kernel's error numbers. The
// system call numbers, the user address-space layout and the 64-byte message
// come from toolchain/wasm/abi.ts, which user programs are built against.
//
// Entry points: NR_PROCS, ENDPOINT, endpoint helpers, KCALL, KCALL_NAMES,
// NOTIFY_MESSAGE, KERR, PRIV, GRANT, IRQCTL, VMCTL, GETINFO, TRACE.

export { SYS, IPC, MESSAGE, LAYOUT, ERRNO, TRAPS } from '../toolchain/wasm/abi.ts';

/** Slots in the process table. */
export const NR_PROCS = 64;

/**
 * Endpoints of the kernel's own tasks (negative, as in MINIX 3): SYSTEM takes
 * kernel calls; notifications from CLOCK (alarms) and HARDWARE (interrupts)
 * carry their source's endpoint in m_source.
 */
export const ENDPOINT = { SYSTEM: -2, CLOCK: -3, HARDWARE: -4, KERNEL: -5 } as const;

/**
 * A process endpoint is generation << 8 | slot. A slot reused by a new
 * process gets the next generation, so a message for its predecessor fails
 * (EDEADSRCDST) instead of reaching the newcomer.
 */
export const makeEndpoint = (slot: number, gen: number): number => ((gen & 0x7fffff) << 8) | slot;
export const endpointSlot = (ep: number): number => ep & 0xff;
export const endpointGen = (ep: number): number => ep >>> 8;

/** Kernel calls: the m_type of a message sent (sendrec) to SYSTEM. */
export const KCALL_BASE = 0x600;
export const KCALL = {
  FORK: 0x600, EXEC: 0x601, EXIT: 0x602, KILL: 0x603, PRIVCTL: 0x604,
  SAFECOPYFROM: 0x605, SAFECOPYTO: 0x606, SETGRANT: 0x607, IRQCTL: 0x608,
  DEVMAP: 0x609, UMAP: 0x60a, VMCTL: 0x60b, TIMES: 0x60c, SETALARM: 0x60d,
  GETINFO: 0x60e, SHUTDOWN: 0x60f, TRACE: 0x610,
} as const;
export const NR_KCALLS = 17;

export const KCALL_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(KCALL).map(([name, num]) => [num, name.toLowerCase()]));

/** m_type of a notification: m_source is the notifier; payload word 0 says more (IRQ bits, the time). */
export const NOTIFY_MESSAGE = 0x1000;
/** m_type of the message PM gets when a process faults or is killed: p0 endpoint, p1 signal, p2 cause, p3 tval, p4 pc. */
export const SIGNAL_MESSAGE = 0x1001;

/** Signals the kernel reports to PM (POSIX numbers). */
export const SIG = { SIGILL: 4, SIGTRAP: 5, SIGBUS: 7, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 } as const;

/** Error numbers the kernel returns (negated in a0, or in a kernel call's reply m_type). */
export const KERR = {
  EPERM: 1, ESRCH: 3, EINTR: 4, EIO: 5, E2BIG: 7, ENOMEM: 12, EFAULT: 14, EBUSY: 16,
  EINVAL: 22, ENOSPC: 28, EDEADLK: 35, ENOSYS: 38, EAGAIN: 11,
  /** The IPC target is not in the caller's allow-list. */
  ECALLDENIED: 105,
  /** The kernel call is not in the caller's allow-list. */
  EKCALLDENIED: 106,
  /** sendnb: the destination is not waiting for this message. */
  ENOTREADY: 107,
  /** The endpoint names no living process (it died, or its slot was reused). */
  EDEADSRCDST: 108,
} as const;

/** Privilege flags (PRIVCTL p1). */
export const PRIV = {
  /** May send to any endpoint (else only to those in its allow-list). */
  ANY_TARGET: 1,
  /** A system service: RS restarts it if it faults (issue 6); PM is told either way. */
  SYSTEM_SERVICE: 2,
  /** PRIVCTL p8 is the process's new priority (0-15). */
  SET_PRIORITY: 4,
} as const;

/** Grant access bits (SETGRANT p4). */
export const GRANT = { READ: 1, WRITE: 2 } as const;
/** Grants a process may publish. */
export const NR_GRANTS = 64;

export const IRQCTL = { SETPOLICY: 1, ENABLE: 2, DISABLE: 3 } as const;
export const VMCTL = { MAP: 1, UNMAP: 2 } as const;
export const GETINFO = { PROCTAB: 1, KINFO: 2 } as const;

/** TRACE p0: start logging a process's messages, stop, or read the log (kernel/trace.ts). */
export const TRACE = { START: 1, STOP: 2, READ: 3 } as const;
/**
 * What a trace record logs (word 1): a message delivered between processes,
 * a notification or kernel message delivered, a kernel call made, and that
 * call's result.
 */
export const TRACE_KIND = { MESSAGE: 1, NOTIFY: 2, KMSG: 3, KCALL: 4, KREPLY: 5 } as const;
/** Bytes of one trace record: time (mtime, low 32 bits), kind, from, to, m_type, p0, p1, p2. */
export const TRACE_RECORD_SIZE = 32;

/** Bytes of one GETINFO PROCTAB entry: endpoint, state, priority, flags, instret lo/hi, name[16], blocked-on. */
export const PROCINFO_SIZE = 48;
