// Shared helpers for the kernel's test suite (ipc, isolation, sched, irq,
// faults, kcalls): boot assembly programs as harness.ts does, but keep each
// program's symbols so a test can read a process's memory by label after the
// run, the way a debugger would (through the process's own page table and
// board.mem, never through the code under test's copy paths).
//
// The extra prelude gives every program: the kernel-call numbers (K_*), the
// message field offsets (M_SOURCE, M_TYPE, P0..P13), the error numbers of
// docs/kernel.md (E*), and macros: SETW (store a constant into a message
// field), KCALL (sendrec to SYSTEM), SAVE (store a0), PARK (block for good).
// PARK receives from KERNEL, which only ever speaks to the process manager,
// so for any other process it never returns; when every process is parked
// the machine has nothing to do and board.run returns { kind: 'idle' }.
//
// Entry points: boot, System, buildProgram, TEST_PRELUDE, recorder,
// kcallProgram, Call, Msg, ep.

import { assemble } from '../../toolchain/asm/index.ts';
import { Board, type StopReason } from '../../vm/board.ts';
import { Kernel, type KernelOptions } from '../../kernel/kernel.ts';
import type { Proc } from '../../kernel/proc.ts';
import { USER_PRELUDE, ep, type Program } from './harness.ts';

export { ep };

export const TEST_PRELUDE = `
    .equ K_FORK, 0x600
    .equ K_EXEC, 0x601
    .equ K_EXIT, 0x602
    .equ K_KILL, 0x603
    .equ K_PRIVCTL, 0x604
    .equ K_SAFECOPYFROM, 0x605
    .equ K_SAFECOPYTO, 0x606
    .equ K_SETGRANT, 0x607
    .equ K_IRQCTL, 0x608
    .equ K_DEVMAP, 0x609
    .equ K_UMAP, 0x60a
    .equ K_VMCTL, 0x60b
    .equ K_TIMES, 0x60c
    .equ K_SETALARM, 0x60d
    .equ K_GETINFO, 0x60e
    .equ K_SHUTDOWN, 0x60f
    .equ K_TRACE, 0x610
    .equ M_SOURCE, 0
    .equ M_TYPE, 4
    .equ P0, 8
    .equ P1, 12
    .equ P2, 16
    .equ P3, 20
    .equ P4, 24
    .equ P5, 28
    .equ P6, 32
    .equ P7, 36
    .equ P13, 60
    .equ EPERM, 1
    .equ ESRCH, 3
    .equ EFAULT, 14
    .equ EINVAL, 22
    .equ EDEADLK, 35
    .equ ENOSYS, 38
    .equ ECALLDENIED, 105
    .equ EKCALLDENIED, 106
    .equ ENOTREADY, 107
    .equ EDEADSRCDST, 108
    .equ SYS_TRAP, 19
    # word \\off of the message at label \\lbl = \\val
    .macro SETW lbl, off, val
    la t0, \\lbl
    li t1, \\val
    sw t1, \\off(t0)
    .endm
    # sendrec(SYSTEM, \\lbl): a kernel call with the message at \\lbl
    .macro KCALL lbl
    li a0, SYSTEM
    la a1, \\lbl
    SYSCALL SYS_SENDREC
    .endm
    # store a0 at label \\lbl
    .macro SAVE lbl
    la t0, \\lbl
    sw a0, 0(t0)
    .endm
    # block for good (KERNEL speaks only to the process manager)
    .macro PARK
98: li a0, KERNEL
    la a1, __parkbuf
    SYSCALL SYS_RECEIVE
    j 98b
    .endm
    .data
__parkbuf: .space 64
    .text
`;

export interface Msg { ret: number; source: number; type: number; p: number[] }

export interface System {
  board: Board;
  kernel: Kernel;
  output: () => string;
  /** Address of `label` in program `prog`'s image. */
  sym: (prog: string, label: string) => number;
  /** The living process of that boot name (the first, if fork made namesakes). */
  proc: (prog: string) => Proc;
  /** Bytes of a process's memory (by boot name or endpoint), read through its page table; undefined if unmapped. */
  peek: (who: string | number, at: number | string, len: number) => Uint8Array | undefined;
  /** Signed 32-bit word `index` at `label` (or an address) in a process's memory. */
  word: (who: string | number, at: number | string, index?: number) => number;
  /** The message at `label` + 64 * index: source, type, payload (ret taken from the word array `rets`, if given). */
  msg: (who: string | number, at: number | string, index?: number) => Msg;
  run: (maxInsns?: number) => StopReason;
}

export function buildProgram(src: string, name: string): { elf: Uint8Array; symbols: Map<string, number> } {
  const r = assemble(USER_PRELUDE + TEST_PRELUDE + src, { filename: `${name}.s`, base: 0x10000 });
  return { elf: r.elf, symbols: r.symbols };
}

export function boot(progs: Program[], opts: KernelOptions & { jit?: boolean; ramSize?: number } = {}): System {
  const out: number[] = [];
  const board = new Board({ jit: opts.jit, ramSize: opts.ramSize, output: (b) => out.push(b) });
  const kernel = new Kernel(board, opts);
  const built = new Map(progs.map((p) => [p.name, buildProgram(p.src, p.name)]));
  kernel.boot(progs.map((p) => ({ ...p, elf: built.get(p.name)!.elf })));

  const progOf = (who: string | number): string => {
    if (typeof who === 'string') return who;
    const p = kernel.procs.lookup(who);
    if (p === undefined) throw new Error(`no living process ${who}`);
    return p.name;
  };
  const sym = (prog: string, label: string): number => {
    const v = built.get(prog)?.symbols.get(label);
    if (v === undefined) throw new Error(`${prog}: no symbol ${label}`);
    return v >>> 0;
  };
  const procOf = (who: string | number): Proc => {
    const p = typeof who === 'string' ? kernel.procs.byName(who) : kernel.procs.lookup(who);
    if (p === undefined) throw new Error(`no living process ${who}`);
    return p;
  };
  const peek = (who: string | number, at: number | string, len: number): Uint8Array | undefined => {
    const p = procOf(who);
    const va0 = typeof at === 'string' ? sym(progOf(who), at) : at >>> 0;
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const va = (va0 + i) >>> 0;
      const pa = p.space?.translateUser(va, false);
      if (pa === undefined) return undefined;
      const n = Math.min(len - i, 4096 - (va % 4096));
      const bytes = board.mem.read(pa, n);
      if (bytes === undefined) return undefined;
      out.set(bytes, i);
      i += n;
    }
    return out;
  };
  const word = (who: string | number, at: number | string, index = 0): number => {
    const base = typeof at === 'string' ? sym(progOf(who), at) : at;
    const b = peek(who, base + 4 * index, 4);
    if (b === undefined) throw new Error(`word at 0x${(base + 4 * index).toString(16)} of ${who} is not mapped`);
    return new DataView(b.buffer).getInt32(0, true);
  };
  const msg = (who: string | number, at: number | string, index = 0): Msg => {
    const base = (typeof at === 'string' ? sym(progOf(who), at) : at) + 64 * index;
    const w = Array.from({ length: 16 }, (_, i) => word(who, base, i));
    let ret = NaN;
    try { ret = word(who, 'rets', index); } catch { /* no rets array */ }
    return { ret, source: w[0], type: w[1], p: w.slice(2) };
  };
  return {
    board, kernel, sym, proc: procOf, peek, word, msg,
    output: () => Buffer.from(out).toString('latin1'),
    run: (maxInsns = 5_000_000) => board.run(maxInsns),
  };
}

/**
 * A program that receives `n` messages from `src` (an endpoint expression,
 * e.g. 'ANY'), each straight into its slot of `records` (64 bytes apiece),
 * with receive's result in `rets` and the count in `count`; then it parks.
 * `before` runs first (e.g. to set an alarm).
 */
export function recorder(n: number, src = 'ANY', before = ''): string {
  return `
    .globl _start
_start:
${before}
    li s1, 0
1:  li a0, ${src}
    la a1, records
    slli t2, s1, 6
    add a1, a1, t2
    SYSCALL SYS_RECEIVE
    la t0, rets
    slli t2, s1, 2
    add t0, t0, t2
    sw a0, 0(t0)
    addi s1, s1, 1
    la t0, count
    sw s1, 0(t0)
    li t2, ${n}
    blt s1, t2, 1b
    PARK
    .data
    .balign 64
records: .space ${64 * n}
rets: .space ${4 * n}
count: .word 0
`;
}

/** One kernel call of a `kcallProgram`: m_type, payload words (numbers, or '=label' for an address), code to run after it. */
export interface Call { type: string | number; args?: readonly (number | string)[]; after?: string }

/**
 * A program that runs `pre`, then makes each kernel call in turn with its own
 * message (kmsg + 64 * i, the reply left there) and its sendrec result in
 * rets[i], then runs `post` (PARK by default). `data` is appended to .data.
 */
export function kcallProgram(calls: readonly Call[], opts: { pre?: string; post?: string; data?: string } = {}): string {
  const body = calls.map((c, i) => {
    const args = (c.args ?? []).map((a, j) => {
      const load = typeof a === 'string' && a.startsWith('=') ? `la t1, ${a.slice(1)}` : `li t1, ${a}`;
      return `    ${load}\n    sw t1, ${8 + 4 * j}(t0)`;
    }).join('\n');
    return `
    la t0, kmsg + ${64 * i}
    li t1, ${c.type}
    sw t1, 4(t0)
${args}
    li a0, SYSTEM
    la a1, kmsg + ${64 * i}
    SYSCALL SYS_SENDREC
    la t0, rets
    sw a0, ${4 * i}(t0)
${c.after ?? ''}`;
  }).join('\n');
  return `
    .globl _start
_start:
${opts.pre ?? ''}
${body}
${opts.post ?? 'PARK'}
    .data
    .balign 64
kmsg: .space ${64 * Math.max(1, calls.length)}
rets: .fill ${Math.max(1, calls.length)}, 4, 0x7777
${opts.data ?? ''}
`;
}

/** The reply m_types of a kcallProgram's calls. */
export const kcallTypes = (s: System, prog: string, n: number): number[] => Array.from({ length: n }, (_, i) => s.msg(prog, 'kmsg', i).type);
/** What each of a kcallProgram's sendrecs returned. */
export const kcallRets = (s: System, prog: string, n: number): number[] => Array.from({ length: n }, (_, i) => s.word(prog, 'rets', i));
