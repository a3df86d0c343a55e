// Test harness for the kernel: user programs in assembly (linked at 0x10000,
// the ABI's text base), booted straight into the kernel on a fresh board,
// with the console captured. A small prelude gives every program the ABI's
// system call numbers and macros for the common calls.
//
// Entry points: bootPrograms, USER_PRELUDE, Booted, ep.

import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { Kernel, type BootImage, type KernelOptions } from '../../kernel/kernel.ts';

/** Endpoint of the i-th boot process (slot i, first generation). */
export const ep = (slot: number, gen = 1): number => (gen << 8) | slot;

export const USER_PRELUDE = `
    .equ SYS_SEND, 1
    .equ SYS_RECEIVE, 2
    .equ SYS_SENDREC, 3
    .equ SYS_NOTIFY, 4
    .equ SYS_SENDNB, 5
    .equ SYS_REPLYRECV, 6
    .equ SYS_EXIT, 16
    .equ SYS_WRITE, 17
    .equ SYS_BRK, 18
    .equ ANY, 0x7ace
    .equ SELF, 0x8ace
    .equ SYSTEM, -2
    .equ CLOCK, -3
    .equ HARDWARE, -4
    .equ KERNEL, -5
    .equ NOTIFY_MESSAGE, 0x1000
    .equ SIGNAL_MESSAGE, 0x1001
    .macro SYSCALL num
    li a7, \\num
    ecall
    .endm
    # exit with status \\code
    .macro EXIT code
    li a0, \\code
    SYSCALL SYS_EXIT
    .endm
    # print the NUL-terminated string at label \\str
    .macro PRINT str
    la a1, \\str
    mv a2, a1
1:  lbu t6, 0(a2)
    beqz t6, 2f
    addi a2, a2, 1
    j 1b
2:  sub a2, a2, a1
    li a0, 1
    SYSCALL SYS_WRITE
    .endm
`;

export interface Program extends Omit<BootImage, 'elf'> {
  src: string;
}

export interface Booted {
  board: Board;
  kernel: Kernel;
  output: () => string;
}

export function buildUser(src: string, name = 'prog.s'): Uint8Array {
  return assemble(USER_PRELUDE + src, { filename: name, base: 0x10000 }).elf;
}

export function bootPrograms(progs: Program[], opts: KernelOptions & { jit?: boolean } = {}): Booted {
  const out: number[] = [];
  const board = new Board({ jit: opts.jit, output: (b) => out.push(b) });
  const kernel = new Kernel(board, opts);
  kernel.boot(progs.map((p) => ({ ...p, elf: buildUser(p.src, `${p.name}.s`) })));
  return { board, kernel, output: () => Buffer.from(out).toString('latin1') };
}
