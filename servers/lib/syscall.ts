// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Raw system calls of Tessera's user ABI (docs/abi.md; the numbers are
// toolchain/wasm/abi.ts SYS, which a test compares with these). Each
// tessera.syscallN import becomes `ecall` with the call number in a7 and the
// N arguments in a0.., the result in a0 (negative: -errno).
//
// Entry points: syscall0 .. syscall6, SYS_*, E* (error numbers).

@external("tessera", "syscall0") export declare function syscall0(n: i32): i32;
@external("tessera", "syscall1") export declare function syscall1(n: i32, a0: i32): i32;
@external("tessera", "syscall2") export declare function syscall2(n: i32, a0: i32, a1: i32): i32;
@external("tessera", "syscall3") export declare function syscall3(n: i32, a0: i32, a1: i32, a2: i32): i32;
@external("tessera", "syscall4") export declare function syscall4(n: i32, a0: i32, a1: i32, a2: i32, a3: i32): i32;
@external("tessera", "syscall5") export declare function syscall5(n: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32): i32;
@external("tessera", "syscall6") export declare function syscall6(n: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32;

export const SYS_SEND: i32 = 1;
export const SYS_RECEIVE: i32 = 2;
export const SYS_SENDREC: i32 = 3;
export const SYS_NOTIFY: i32 = 4;
export const SYS_SENDNB: i32 = 5;
export const SYS_REPLYRECV: i32 = 6;
export const SYS_EXIT: i32 = 16;
export const SYS_WRITE: i32 = 17;
export const SYS_BRK: i32 = 18;
export const SYS_TRAP: i32 = 19;

export const EPERM: i32 = 1;
export const EBADF: i32 = 9;
export const ENOMEM: i32 = 12;
export const EFAULT: i32 = 14;
export const EINVAL: i32 = 22;
export const ENOSYS: i32 = 38;
