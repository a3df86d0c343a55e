// The translator compiles only code that runs, and only once it has run
// enough (vm/cpu/jit.ts): code never executed on a page is never
// translated, cold code stays with the interpreter, code first reached
// after its page was compiled runs correctly and is translated once it is
// hot, and none of it changes what the guest computes or counts.

import { describe, it, expect } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { HOT_AFTER } from '../../vm/cpu/jit.ts';

const PASS = 'li t0, 0x100000\n    li t1, 0x5555\n    sw t1, 0(t0)\n9:  j 9b';

const asm = (src: string): Uint8Array => assemble(src, { filename: 'lazy.s' }).elf;

/** `n` straight-line instructions that are never executed. */
const unused = (n: number): string => Array.from({ length: n }, (_, i) => `addi a7, a7, ${i + 1}`).join('\n    ');

interface Run { kind: string; retired: number; regs: number[]; pages: number; insns: number }

function run(elf: Uint8Array, opts: { jit: boolean; hotAfter?: number; slice?: number }): Run {
  const b = new Board({ jit: opts.jit });
  if (b.jit) b.jit.hotAfter = opts.hotAfter ?? HOT_AFTER; // the default, whatever TESSERA_JIT_HOT says
  loadProgram(b, elf);
  const slice = opts.slice ?? 1_000_000;
  let r = b.run(slice);
  while (r.kind === 'limit' && b.hart.retired < 50_000_000) r = b.run(slice);
  return { kind: r.kind, retired: b.hart.retired, regs: Array.from(b.hart.x), pages: b.jit?.compiledPages ?? 0, insns: b.jit?.compiledInsns ?? 0 };
}

// A hot loop, then (on the same page) a second loop the first compile never
// saw, and between them a long path the first loop branches to but never takes.
const TWO_PHASES = `
    .globl _start
_start:
    li s0, 20000
    li a0, 0
1:  addi a0, a0, 3
    xori a0, a0, 5
    bltz s0, never        # never taken: a static translator would still compile its target
    addi s0, s0, -1
    bnez s0, 1b
    j phase2
never:
    ${unused(300)}
    j 1b
phase2:
    li s0, 40000
    li a1, 7
2:  slli a2, a1, 1
    add a1, a1, a2
    andi a1, a1, 1023
    addi s0, s0, -1
    bnez s0, 2b
    ${PASS}
`;

describe('lazy translation', () => {
  it('translates the code that ran, not the path on the same page that never did', () => {
    const jit = run(asm(TWO_PHASES), { jit: true });
    expect(jit.kind).toBe('pass');
    expect(jit.pages).toBeGreaterThan(0);
    // Everything executed fits in a few dozen instructions; the path never taken alone is 300.
    expect(jit.insns).toBeGreaterThan(0);
    expect(jit.insns).toBeLessThan(100);
    const interp = run(asm(TWO_PHASES), { jit: false });
    expect({ retired: jit.retired, regs: jit.regs }).toEqual({ retired: interp.retired, regs: interp.regs });
  });

  it('translates the second loop once it is hot, after the page was compiled for the first', () => {
    const src = TWO_PHASES;
    const first = run(asm(src.replace('li s0, 40000', 'li s0, 1')), { jit: true });
    const both = run(asm(src), { jit: true });
    // With the second loop short, the page is compiled once; with it long, again with the loop added.
    expect(first.pages).toBe(1);
    expect(both.pages).toBeGreaterThan(first.pages);
    expect(both.insns).toBeGreaterThan(first.insns);
  });

  it('leaves code that runs a few times to the interpreter', () => {
    const src = `
    .globl _start
_start:
    li s0, 10
    li a0, 0
1:  addi a0, a0, 1
    bltz s0, never
    addi s0, s0, -1
    bnez s0, 1b
    ${PASS}
never:
    ${unused(200)}
    ret
`;
    const r = run(asm(src), { jit: true });
    expect(r.kind).toBe('pass');
    expect(r.pages).toBe(0);
    expect(r.regs[10]).toBe(10);
    // hotAfter 0: compiled on the first entry (and again as blocks are reached), only what runs.
    const eager = run(asm(src), { jit: true, hotAfter: 0 });
    expect(eager.pages).toBeGreaterThan(0);
    expect(eager.insns).toBeLessThan(15 * eager.pages);
    expect({ retired: eager.retired, regs: eager.regs }).toEqual({ retired: r.retired, regs: r.regs });
  });

  it('gives the interpreter\'s counts and registers with calls, traps and budget cuts mid-block', () => {
    // Calls across pages, an ecall trap handled in M mode, data-dependent branches
    // reaching blocks at different times, and slices that stop runs inside blocks.
    const src = `
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li s0, 3000
    li a0, 1
    li a3, 0
loop:
    andi t1, s0, 7
    bnez t1, 1f
    ecall
    call far
1:  andi t1, s0, 255
    bnez t1, 2f
    addi a3, a3, 11
    xor a3, a3, s0
2:  mul a0, a0, s0
    addi a0, a0, 13
    addi s0, s0, -1
    bnez s0, loop
    ${PASS}
trap:
    csrr t2, mepc
    addi t2, t2, 4
    csrw mepc, t2
    addi a4, a4, 1
    mret

    .section .text.far
    .balign 4096
far:
    addi a5, a5, 3
    ret
`;
    const elf = asm(src);
    const ref = run(elf, { jit: false });
    expect(ref.kind).toBe('pass');
    for (const hotAfter of [0, 2, HOT_AFTER]) {
      for (const slice of [1_000_000, 97, 13]) {
        const r = run(elf, { jit: true, hotAfter, slice });
        expect({ kind: r.kind, retired: r.retired, regs: r.regs }, `hotAfter ${hotAfter}, slice ${slice}`)
          .toEqual({ kind: ref.kind, retired: ref.retired, regs: ref.regs });
        if (hotAfter < HOT_AFTER) expect(r.pages, `hotAfter ${hotAfter}, slice ${slice}`).toBeGreaterThan(0);
      }
    }
  });
});
