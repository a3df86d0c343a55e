// `tessera run --user`, the host environment translated programs are tested
// in, on small assembly programs: the system calls (write and its errors,
// brk growing and shrinking, exit, IPC answering -ENOSYS, TRAP), the stack
// growing on demand down to its guard, and every way of dying (null pointer,
// store to code, illegal instruction, stack overflow, instruction limit) as
// one message and the status docs/abi.md gives it.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { runUserElf } from '../../cli/user_run.ts';
import { LoadError } from '../../cli/run.ts';
import { SYS, ERRNO, TRAPS, LAYOUT, GUARD_LOW, IPC } from '../../toolchain/wasm/abi.ts';

const PRELUDE = Object.entries(SYS).map(([k, v]) => `    .equ SYS_${k}, ${v}\n`).join('') + `
    .macro SYSCALL num
    li a7, \\num
    ecall
    .endm
`;

const RAM = 16 << 20;
function run(src: string, maxInsns?: number) {
  const elf = assemble(PRELUDE + src, { filename: 'user.s', base: LAYOUT.textBase }).elf;
  return runUserElf(elf, { ramSize: RAM, maxInsns });
}

/** The programs collect results in memory and write them out as raw words. */
const words = (b: Uint8Array): number[] => [...new Int32Array(b.buffer, b.byteOffset, b.length >> 2)];
const RESULTS = `
    .data
    .align 2
results: .space 64
    .text
`;

describe('system calls under run --user', () => {
  it('write to stdout and stderr, and its errors', () => {
    const r = run(RESULTS + `
    .globl _start
_start:
    li a0, 1; la a1, msg; li a2, 6; SYSCALL SYS_WRITE
    la s0, results; sw a0, 0(s0)
    li a0, 2; la a1, msg; li a2, 3; SYSCALL SYS_WRITE
    li a0, 7; la a1, msg; li a2, 3; SYSCALL SYS_WRITE      # bad fd
    sw a0, 4(s0)
    li a0, 1; li a1, 0x40000000; li a2, 4; SYSCALL SYS_WRITE   # unmapped buffer
    sw a0, 8(s0)
    li a0, 1; la a1, results; li a2, 12; SYSCALL SYS_WRITE
    li a0, 5; SYSCALL SYS_EXIT
msg: .ascii "hello\\n"
`);
    expect(r.stderr).toBe('hel');
    expect(r.stdout.slice(0, 6)).toBe('hello\n');
    expect(words(r.stdoutBytes.slice(6))).toEqual([6, -ERRNO.EBADF, -ERRNO.EFAULT]);
    expect(r.exitCode).toBe(5);
    expect(r.message).toBeUndefined();
  });

  it('brk: asks, grows (zeroed pages), refuses outside [start, guard), shrinks (pages gone)', () => {
    const r = run(RESULTS + `
    .globl _start
_start:
    la s0, results
    li a0, 0; SYSCALL SYS_BRK
    mv s1, a0; sw a0, 0(s0)          # the initial break
    li t0, 12288; add a0, s1, t0; SYSCALL SYS_BRK
    sw a0, 4(s0)  # + 3 pages
    li t0, 8188; add t0, s1, t0; lw t1, 0(t0); sw t1, 8(s0)       # new memory reads 0
    li t0, 12284; add t0, s1, t0; li t1, 77; sw t1, 0(t0)          # and is writable
    li t0, -4096; add a0, s1, t0; SYSCALL SYS_BRK
    sw a0, 12(s0)  # below the start
    li a0, ${GUARD_LOW + 4096}; SYSCALL SYS_BRK
    sw a0, 16(s0)    # into the guard
    mv a0, s1; SYSCALL SYS_BRK
    sw a0, 20(s0)                      # back down
    li a0, 1; la a1, results; li a2, 24; SYSCALL SYS_WRITE
    sw zero, 4(s1)                                                 # freed: faults
    li a0, 0; SYSCALL SYS_EXIT
`);
    const w = words(r.stdoutBytes);
    const start = w[0];
    expect(start % 4096).toBe(0);
    expect(start).toBeGreaterThan(LAYOUT.textBase);
    expect(w.slice(1)).toEqual([start + 12288, 0, -ERRNO.ENOMEM, -ERRNO.ENOMEM, start]);
    expect(r.trap).toBe(TRAPS.MEM_OOB);
    expect(r.message).toMatch(new RegExp(`store to 0x${(start + 4).toString(16).padStart(8, '0')}`));
    expect(r.exitCode).toBe(139);
  });

  it('IPC without a kernel answers -ENOSYS; TRAP ends the program with the trap named', () => {
    const r = run(RESULTS + `
    .globl _start
_start:
    la s0, results
    li a0, 1; mv a1, s0; SYSCALL SYS_SEND
    sw a0, 0(s0)
    li a0, ${IPC.ANY}; addi a1, s0, 4; SYSCALL SYS_RECEIVE
    sw a0, 4(s0)
    li a0, 1; SYSCALL SYS_NOTIFY
    sw a0, 8(s0)
    li a0, 1; la a1, results; li a2, 12; SYSCALL SYS_WRITE
    li a0, ${TRAPS.DIV_ZERO.kind}
here: SYSCALL SYS_TRAP
`);
    expect(words(r.stdoutBytes)).toEqual([-ERRNO.ENOSYS, -ERRNO.ENOSYS, -ERRNO.ENOSYS]);
    expect(r.trap).toBe(TRAPS.DIV_ZERO);
    expect(r.message).toMatch(/^integer divide by zero at pc 0x[0-9a-f]{8} \(here\+0x4\)$/);
    expect(r.exitCode).toBe(TRAPS.DIV_ZERO.exit);
  });
});

describe('the stack and the ways to die', () => {
  it('the stack is mapped as it is touched, down to its guard', () => {
    const ok = run(`
    .globl _start
_start:
    li t0, ${LAYOUT.stackSize - 16}
    sub t0, sp, t0
    sw sp, 0(t0)
    lw a0, 0(t0)
    sub a0, a0, sp
    SYSCALL SYS_EXIT
`);
    expect(ok.message).toBeUndefined();
    expect(ok.exitCode).toBe(0);
    const deep = run(`
    .globl _start
_start:
1:  addi sp, sp, -256
    sw ra, 0(sp)
    j 1b
`);
    expect(deep.trap).toBe(TRAPS.STACK);
    expect(deep.message).toMatch(/stack overflow/);
    expect(deep.exitCode).toBe(139);
  });

  it('a null pointer, a store into code, an illegal instruction', () => {
    const nul = run(`
    .globl _start
_start:
    lw a0, 8(zero)
`);
    expect(nul.trap).toBe(TRAPS.MEM_OOB);
    expect(nul.message).toMatch(/load from 0x00000008 at pc 0x00010000 \(_start\)/);
    const code = run(`
    .globl _start
_start:
    la t0, _start
    sw zero, 0(t0)
`);
    expect(code.trap).toBe(TRAPS.MEM_OOB);
    expect(code.message).toMatch(/store to 0x00010000/);
    const ill = run(`
    .globl _start
_start:
    csrr a0, mstatus
`);
    expect(ill.trap).toBe(TRAPS.FAULT);
    expect(ill.message).toMatch(/illegal-instruction/);
    expect(ill.exitCode).toBe(132);
  });

  it('the instruction limit stops a program that does not end (124)', () => {
    const r = run(`
    .globl _start
_start:
1:  j 1b
`, 10_000);
    expect(r.exitCode).toBe(124);
    expect(r.message).toMatch(/instruction limit/);
  });

  it('refuses an ELF with a segment where user programs may not be', () => {
    const elf = assemble('    .globl _start\n_start: j _start\n', { filename: 'low.s', base: 0x1000 }).elf;
    expect(() => runUserElf(elf, { ramSize: RAM })).toThrow(LoadError);
    expect(() => runUserElf(elf, { ramSize: RAM })).toThrow(/outside user memory/);
  });
});

describe('nothing a program asks for throws on the host', () => {
  it('a write of 2 GiB, a brk to the edge of RAM, a stack deeper than RAM', () => {
    const r = run(RESULTS + `
    .globl _start
_start:
    la s0, results
    li a0, 1; la a1, results; li a2, 0x7fffffff
    SYSCALL SYS_WRITE
    sw a0, 0(s0)
    li a0, 0x70000000
    SYSCALL SYS_BRK
    sw a0, 4(s0)
    li a0, 1; la a1, results; li a2, 8
    SYSCALL SYS_WRITE
1:  addi sp, sp, -2048
    sw zero, 0(sp)
    j 1b
`);
    expect(words(r.stdoutBytes)).toEqual([-ERRNO.EFAULT, -ERRNO.ENOMEM]);
    expect(r.message).toMatch(/out of memory growing the stack|stack overflow/);
    expect(r.exitCode).not.toBe(0);
  });
});
