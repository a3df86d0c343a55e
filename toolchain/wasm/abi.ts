// Tessera's user-mode ABI as data (docs/abi.md explains it): the user
// address-space layout, the system call numbers and their arguments, error
// numbers, the IPC message layout, and the kinds of wasm trap a translated
// program reports. The translator, `tessera run --user`, servers/lib (by
// hand, checked by a test) and later the kernel all read these tables.
//
// Calling a system: `ecall` with the call number in a7 and arguments in
// a0-a5; the result comes back in a0 (a negative value is -errno); every
// other register is preserved.
//
// Entry points: LAYOUT, SYS, SYSCALLS, ERRNO, IPC, MESSAGE, TRAPS, trapByKind,
// EXIT_ABORT, STDOUT, STDERR.

/** The user address space (Sv32; the kernel maps nothing of its own here). */
export const LAYOUT = {
  /** Nothing is ever mapped below this: null pointers fault. */
  nullGuardEnd: 0x0001_0000,
  /** Where a program's image starts: GNU ld's default for RISC-V, and where a translated program's code goes. */
  textBase: 0x0001_0000,
  /**
   * A translated AssemblyScript program's wasm memory: wasm address = virtual
   * address, static data from here (asc --memoryBase), its heap above; its
   * code and tables must end below it.
   */
  wasmMemoryBase: 0x0100_0000,
  /** The stack grows down from stackTop; the guard below it is never mapped. */
  stackTop: 0x8000_0000,
  stackSize: 0x0010_0000,
  stackGuard: 0x0010_0000,
  /** Nothing at or above this address belongs to user space. */
  userTop: 0x8000_0000,
  page: 0x1000,
} as const;

/** Lowest address of the stack region, and of its guard. */
export const STACK_LOW = LAYOUT.stackTop - LAYOUT.stackSize;
export const GUARD_LOW = STACK_LOW - LAYOUT.stackGuard;
/** wasm pages (64 KiB) a translated program's memory can grow to: up to the stack's guard. */
export const WASM_MAX_PAGES = GUARD_LOW / 0x10000;

/** System call numbers (a7). */
export const SYS = {
  SEND: 1, RECEIVE: 2, SENDREC: 3, NOTIFY: 4, SENDNB: 5, REPLYRECV: 6,
  EXIT: 16, WRITE: 17, BRK: 18, TRAP: 19,
} as const;

export interface SyscallInfo {
  readonly num: number;
  readonly name: string;
  readonly args: readonly string[];
  readonly result: string;
  /** False for the IPC calls, which only the kernel implements (`run --user` answers -ENOSYS). */
  readonly hostProvided: boolean;
}

export const SYSCALLS: readonly SyscallInfo[] = [
  { num: SYS.SEND, name: 'send', args: ['dest endpoint', 'message address'], result: '0 or -errno', hostProvided: false },
  { num: SYS.RECEIVE, name: 'receive', args: ['source endpoint or ANY', 'message address'], result: '0 or -errno', hostProvided: false },
  { num: SYS.SENDREC, name: 'sendrec', args: ['dest endpoint', 'message address (request in, reply out)'], result: '0 or -errno', hostProvided: false },
  { num: SYS.NOTIFY, name: 'notify', args: ['dest endpoint'], result: '0 or -errno', hostProvided: false },
  { num: SYS.SENDNB, name: 'sendnb', args: ['dest endpoint', 'message address'], result: '0 or -errno', hostProvided: false },
  { num: SYS.REPLYRECV, name: 'replyrecv', args: ['endpoint to reply to', 'message address (reply out, next request in)', 'source endpoint or ANY'], result: '0, or -errno (a failed reply receives nothing)', hostProvided: false },
  { num: SYS.EXIT, name: 'exit', args: ['status (0-255)'], result: 'does not return', hostProvided: true },
  { num: SYS.WRITE, name: 'write', args: ['fd (1 stdout, 2 stderr)', 'buffer address', 'length in bytes'], result: 'bytes written or -errno', hostProvided: true },
  { num: SYS.BRK, name: 'brk', args: ['new program break (0 asks for the current one)'], result: 'the break now in effect, or -errno', hostProvided: true },
  { num: SYS.TRAP, name: 'trap', args: ['trap kind (TRAPS)'], result: 'does not return: the program faulted', hostProvided: true },
];

/** Error numbers, returned negated in a0 (POSIX names, Linux values). */
export const ERRNO = { EPERM: 1, EBADF: 9, ENOMEM: 12, EFAULT: 14, EINVAL: 22, ENOSYS: 38 } as const;

export const STDOUT = 1;
export const STDERR = 2;

/** IPC endpoints with a meaning of their own (MINIX 3's values). */
export const IPC = { ANY: 0x7ace, NONE: 0x6ace, SELF: 0x8ace } as const;

/** The fixed-size IPC message: m_source, m_type, then 56 bytes of payload. */
export const MESSAGE = { size: 64, m_source: 0, m_type: 4, payload: 8, payloadSize: 56 } as const;

export interface TrapInfo {
  readonly kind: number;
  readonly name: string;
  readonly message: string;
  /** Exit status of a program that dies of it (128 + the signal a Unix would send). */
  readonly exit: number;
}

/** wasm traps, as a0 of the TRAP call, and the faults the host reports in the same terms. */
export const TRAPS = {
  UNREACHABLE: { kind: 1, name: 'unreachable', message: 'unreachable executed', exit: 132 },
  DIV_ZERO: { kind: 2, name: 'div_zero', message: 'integer divide by zero', exit: 136 },
  OVERFLOW: { kind: 3, name: 'overflow', message: 'integer overflow', exit: 136 },
  TABLE_OOB: { kind: 4, name: 'table_oob', message: 'indirect call: table index out of bounds', exit: 132 },
  INDIRECT: { kind: 5, name: 'indirect', message: 'indirect call: null entry or signature mismatch', exit: 132 },
  MEM_OOB: { kind: 6, name: 'mem_oob', message: 'out-of-bounds memory access', exit: 139 },
  STACK: { kind: 7, name: 'stack', message: 'call stack exhausted (stack overflow)', exit: 139 },
  FAULT: { kind: 8, name: 'fault', message: 'illegal instruction or bad jump', exit: 132 },
} as const satisfies Record<string, TrapInfo>;

export function trapByKind(kind: number): TrapInfo | undefined {
  return Object.values(TRAPS).find((t) => t.kind === kind);
}

/** Exit status of a program whose AssemblyScript code called abort() (an uncaught throw, a failed bounds check). */
export const EXIT_ABORT = 134;
