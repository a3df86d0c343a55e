// The translator against the interpreter: random programs (ALU, loads and
// stores incl. misaligned ones, forward branches, counted loops, calls
// across pages, ecalls, CSR reads, a periodic timer interrupt and
// self-modifying code) must leave the same registers, memory, instruction
// count and trap history on both engines, whatever the slice size the board
// runs them in. Plus targeted cases: code rewritten by a store, by an AMO,
// and by a virtio DMA read into a translated page.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { MemoryBackend } from '../../vm/devices/virtio_blk.ts';

const REGS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 't0', 't1', 't2', 't3'];
const ALU_R = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const ALU_I = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
const SHIFT_I = ['slli', 'srli', 'srai'];
const LOADS = ['lb', 'lbu', 'lh', 'lhu', 'lw'];
const STORES = ['sb', 'sh', 'sw'];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];

const reg = fc.constantFrom(...REGS);

/** One random straight-line statement (s0 = data base, s1/s2 loop counters are never targets). */
const stmt: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...ALU_R), reg, reg, reg).map(([o, d, a, b]) => `${o} ${d}, ${a}, ${b}`),
  fc.tuple(fc.constantFrom(...ALU_I), reg, reg, fc.integer({ min: -2048, max: 2047 })).map(([o, d, a, i]) => `${o} ${d}, ${a}, ${i}`),
  fc.tuple(fc.constantFrom(...SHIFT_I), reg, reg, fc.integer({ min: 0, max: 31 })).map(([o, d, a, i]) => `${o} ${d}, ${a}, ${i}`),
  fc.tuple(reg, fc.integer()).map(([d, v]) => `li ${d}, ${v}`),
  fc.tuple(fc.constantFrom(...LOADS), reg, fc.integer({ min: 0, max: 1020 })).map(([o, d, off]) => `${o} ${d}, ${off}(s0)`),
  fc.tuple(fc.constantFrom(...STORES), reg, fc.integer({ min: 0, max: 1020 })).map(([o, d, off]) => `${o} ${d}, ${off}(s0)`),
  fc.tuple(fc.constantFrom(...BRANCHES), reg, reg).map(([o, a, b]) => `${o} ${a}, ${b}, 1f\n    addi a6, a6, 1\n1:`),
  fc.constantFrom('ecall', 'call helper_far', 'rdinstret a7', 'csrr a7, mcause', 'fence.i', 'amoadd.w a7, a0, (s0)'),
);

function program(body: string[], loops: number, timer: number): string {
  return `
    .equ CLINT_MTIMECMP, 0x02004000
    .equ CLINT_MTIME, 0x0200bff8
    .text
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    la s0, data
    li t0, CLINT_MTIME
    lw t1, 0(t0)
    addi t1, t1, ${timer}
    li t0, CLINT_MTIMECMP
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
    li s1, ${loops}
loop:
    ${body.join('\n    ')}
    la t0, patch
    lw t1, 0(t0)
    la t0, patched
    sw t1, 0(t0)          # rewrite the next instruction (self-modifying code)
    fence.i
patched:
    addi a6, a6, 1000
    addi s1, s1, -1
    bnez s1, loop
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
patch:
    addi a6, a6, 7

    .section .text.far
    .balign 4096
helper_far:
    addi a5, a5, 3
    ret

    .section .text.trap
    .balign 4096
trap:
    csrr t4, mcause
    bltz t4, 2f
    csrr t4, mepc          # an exception (ecall): skip it
    addi t4, t4, 4
    csrw mepc, t4
    la t4, ecalls
    lw t5, 0(t4)
    addi t5, t5, 1
    sw t5, 0(t4)
    mret
2:  li t4, CLINT_MTIMECMP  # the timer: count it and re-arm
    lw t5, 0(t4)
    addi t5, t5, ${timer}
    sw t5, 0(t4)
    la t4, ticks
    lw t5, 0(t4)
    addi t5, t5, 1
    sw t5, 0(t4)
    mret

    .data
    .balign 4096
data:
    .space 1024
ecalls: .word 0
ticks: .word 0
`;
}

interface Outcome { reason: string; insns: number; regs: number[]; pc: number; data: number[]; traps: string[] }

function runOn(elf: Uint8Array, dataAddr: number, jit: boolean, slice: number, maxInsns: number): Outcome {
  const b = new Board({ jit, jitHotAfter: 0 }); // translate from the first entry: the programs are short
  loadProgram(b, elf);
  const traps: string[] = [];
  b.hart.onTrap = (cause, _tval, epc) => traps.push(`${cause >>> 0}@${epc >>> 0}#${b.hart.retired + b.hart.inflight}`);
  let r = b.run(Math.min(maxInsns, slice), slice);
  while (r.kind === 'limit' && b.hart.retired < maxInsns) r = b.run(Math.min(slice, maxInsns - b.hart.retired), slice);
  const off = b.mem.hostOffset(dataAddr, 1032, false);
  const data = Array.from(b.mem.i32.subarray(off >> 2, (off + 1032) >> 2));
  return { reason: r.kind, insns: b.hart.retired, regs: Array.from(b.hart.x), pc: b.hart.pc, data, traps };
}

describe('translator vs interpreter', () => {
  it('random programs leave identical state, counts and trap histories', () => {
    fc.assert(fc.property(
      fc.array(stmt, { minLength: 5, maxLength: 60 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 20, max: 2047 }),
      fc.constantFrom(1_000_000, 997, 64, 13),
      (body, loops, timer, slice) => {
        const { elf, symbols } = assemble(program(body, loops, timer), { filename: 'fuzz.s' });
        const data = symbols.get('data')!;
        const max = 200_000;
        const interp = runOn(elf, data, false, 1_000_000, max);
        const jitted = runOn(elf, data, true, slice, max);
        expect(jitted).toEqual(interp);
      },
    ), { numRuns: Number(process.env.TESSERA_FUZZ_RUNS ?? 60) });
  });
});

/** The same statements in S-mode under Sv32, with data pages that are RW, read-only, missing and not yet accessed. */
function pagedProgram(body: string[]): string {
  return `
    .equ PTE_V, 1
    .equ PTE_R, 2
    .equ PTE_W, 4
    .equ PTE_X, 8
    .equ PTE_A, 64
    .equ PTE_D, 128
    .text
    .globl _start
_start:
    la t0, mtrap
    csrw mtvec, t0
    # root: RAM identity-mapped as a megapage (RWX, A, D), 0x40000000 through a leaf table
    la t0, root
    la t1, leaf
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, PTE_V
    li t2, 0x40000000 >> 22
    slli t2, t2, 2
    add t2, t2, t0
    sw t1, 0(t2)
    li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    li t2, 0x80000000 >> 22
    slli t2, t2, 2
    add t2, t2, t0
    sw t1, 0(t2)
    # leaf: page 0 RW+A+D, page 1 read-only, page 2 missing, page 3 RW with A and D clear
    la t0, leaf
    la t1, dpages
    srli t1, t1, 12
    slli t1, t1, 10
    ori t3, t1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    sw t3, 0(t0)
    li t4, 1 << 10
    add t1, t1, t4
    ori t3, t1, PTE_V | PTE_R | PTE_A
    sw t3, 4(t0)
    add t1, t1, t4
    add t1, t1, t4
    ori t3, t1, PTE_V | PTE_R | PTE_W
    sw t3, 12(t0)
    la t0, root
    srli t0, t0, 12
    li t1, 1 << 31
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    li t0, 0x1800          # MPP = S
    csrc mstatus, t0
    li t0, 0x0800
    csrs mstatus, t0
    la t0, smain
    csrw mepc, t0
    li s0, 0x40000000
    mret
smain:
    ${body.join('\n    ')}
    ecall                  # done: M ends the run
    .balign 4096
mtrap:
    csrr t4, mcause
    li t5, 9               # ecall from S: finish
    beq t4, t5, 3f
    csrr t4, mepc          # a fault: skip the instruction
    addi t4, t4, 4
    csrw mepc, t4
    mret
3:  li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
4:  j 4b
    .data
    .balign 4096
root: .space 4096
leaf: .space 4096
dpages: .space 4 * 4096
`;
}

const pagedStmt: fc.Arbitrary<string> = fc.oneof(
  stmt.filter((st) => !/ecall|helper_far|mcause|amoadd|fence/.test(st)),
  fc.tuple(fc.constantFrom(...LOADS, ...STORES), reg, fc.integer({ min: 0, max: 4 * 4096 - 4 })).map(([o, d, off]) =>
    off < 2048 ? `${o} ${d}, ${off}(s0)` : `li t4, ${off}\n    add t4, t4, s0\n    ${o} ${d}, 0(t4)`),
);

describe('translator vs interpreter under Sv32', () => {
  it('page faults inside translated blocks are precise: same registers, memory, counts and traps', () => {
    let runs = 0, faulting = 0;
    fc.assert(fc.property(fc.array(pagedStmt, { minLength: 5, maxLength: 80 }), (body) => {
      const { elf, symbols } = assemble(pagedProgram(body), { filename: 'paged.s' });
      const outcome = (jit: boolean) => {
        const b = new Board({ jit, jitHotAfter: 0 });
        loadProgram(b, elf);
        const traps: string[] = [];
        b.hart.onTrap = (cause, tval, epc) => traps.push(`${cause >>> 0}/${tval >>> 0}@${epc >>> 0}#${b.hart.retired + b.hart.inflight}`);
        const r = b.run(100_000);
        const off = b.mem.hostOffset(symbols.get('root')!, 6 * 4096, false);
        return { r, insns: b.hart.retired, regs: Array.from(b.hart.x), traps, mem: Array.from(b.mem.i32.subarray(off >> 2, (off + 6 * 4096) >> 2)) };
      };
      const jitted = outcome(true);
      expect(jitted).toEqual(outcome(false));
      runs++;
      if (jitted.traps.some((t) => /^1[35]\//.test(t))) faulting++;
    }), { numRuns: Number(process.env.TESSERA_FUZZ_RUNS ?? 40) });
    // The generator must actually exercise faults (loads and stores into the missing and read-only pages).
    expect(faulting).toBeGreaterThan(runs / 3);
  });
});

function asm(src: string): Uint8Array {
  return assemble(src, { filename: 'smc.s' }).elf;
}

const PASS = `li t0, 0x100000\n    li t1, 0x5555\n    sw t1, 0(t0)\n1:  j 1b`;
const FAIL = `li t0, 0x100000\n    li t1, 0x13333\n    sw t1, 0(t0)\n2:  j 2b`;

describe('translated values stay int32', () => {
  it('a logical right shift by 0 of a negative value compares equal to it (srl, srli)', () => {
    // JavaScript's >>> yields an unsigned number; the translator must fold it back to int32,
    // or a branch in the same block compares 4294967295 with -1.
    const src = `
    .globl _start
_start:
    li s1, 200
loop:
    li a0, -1
    srli a1, a0, 0
    bne a1, a0, fail
    srl a2, a0, zero
    bne a2, a0, fail
    slt a3, a1, zero
    beqz a3, fail
    addi s1, s1, -1
    bnez s1, loop
    ${PASS}
fail:
    ${FAIL}
`;
    for (const jit of [true, false]) {
      const b = new Board({ jit, jitHotAfter: 0 });
      loadProgram(b, asm(src));
      expect(b.run(1_000_000), `jit=${jit}`).toEqual({ kind: 'pass', code: 0 });
    }
  });
});

describe('translated code is dropped when its page is written', () => {
  it('by a store in a hot loop that rewrites an instruction ahead of itself', () => {
    const src = `
    .globl _start
_start:
    li s1, 100
    li a0, 0
    li a1, 0             # the reset ROM leaves the FDT address in a1
loop:
    addi a0, a0, 1       # the loop gets hot (translated) before the rewrite
target:
    addi a1, a1, 1
    addi s1, s1, -1
    li t2, 50
    bne s1, t2, 3f
    la t0, target
    la t1, replacement
    lw t1, 0(t1)
    sw t1, 0(t0)         # from now on 'target' adds 100 to a1
3:  bnez s1, loop
    li t3, 50 + 50 * 100
    bne a1, t3, fail
    ${PASS}
fail:
    ${FAIL}
replacement:
    addi a1, a1, 100
`;
    for (const jit of [true, false]) {
      const b = new Board({ jit, jitHotAfter: 0 });
      loadProgram(b, asm(src));
      expect(b.run(1_000_000), `jit=${jit}`).toEqual({ kind: 'pass', code: 0 });
    }
  });

  it('by an AMO on the code page', () => {
    const src = `
    .globl _start
_start:
    li s1, 30
    li a1, 0
loop:
    addi s1, s1, -1
site:
    addi a1, a1, 1       # amoadd below turns the immediate 1 into 2 (adds 1 << 20)
    li t2, 10
    bne s1, t2, 3f
    la t0, site
    li t1, 1 << 20
    amoadd.w zero, t1, (t0)
3:  bnez s1, loop
    li t3, 20 + 10 * 2
    bne a1, t3, fail
    ${PASS}
fail:
    ${FAIL}
`;
    const b = new Board({ jit: true, jitHotAfter: 0 });
    loadProgram(b, asm(src));
    expect(b.run(1_000_000)).toEqual({ kind: 'pass', code: 0 });
  });

  it('by a virtio-blk DMA read into a translated page', () => {
    // Sector 0 of the disk holds 'addi a1, a1, 5' words; the program runs a
    // function, has the device overwrite it with the disk's code, runs it again.
    const disk = new Uint8Array(4096);
    const dv = new DataView(disk.buffer);
    for (let i = 0; i < 128; i++) dv.setUint32(i * 4, 0x00558593, true); // addi a1, a1, 5
    dv.setUint32(4 * 4, 0x00008067, true); // ret after four of them
    const src = `
    .equ VIRTIO, 0x10001000
    .globl _start
_start:
    la sp, stack_top
    li a1, 0
    call func             # a1 = 1
    call func             # a1 = 2 (now translated)
    call virtio_read      # func <- sector 0
    call func             # a1 = 2 + 20
    li t3, 22
    bne a1, t3, fail
    ${PASS}
fail:
    ${FAIL}

virtio_read:
    li s0, VIRTIO
    sw zero, 0x70(s0)     # reset
    li t0, 3
    sw t0, 0x70(s0)       # ACKNOWLEDGE | DRIVER
    li t0, 1
    sw t0, 0x24(s0)       # DriverFeaturesSel = 1
    sw t0, 0x20(s0)       # VERSION_1
    li t0, 11
    sw t0, 0x70(s0)       # FEATURES_OK
    sw zero, 0x30(s0)     # QueueSel 0
    li t0, 8
    sw t0, 0x38(s0)       # QueueNum
    la t0, desc
    sw t0, 0x80(s0)
    la t0, avail
    sw t0, 0x90(s0)
    la t0, used
    sw t0, 0xa0(s0)
    li t0, 1
    sw t0, 0x44(s0)       # QueueReady
    li t0, 15
    sw t0, 0x70(s0)       # DRIVER_OK
    la t0, avail
    li t1, 0x10000        # idx 1 (high half), flags 0
    sw t1, 0(t0)          # ring[0] = 0 follows at +4
    sw zero, 0x50(s0)     # QueueNotify
1:  la t0, used
    lhu t1, 2(t0)
    beqz t1, 1b
    ret

    .balign 4096
func:
    .rept 16
    addi a1, a1, 1
    ret
    .endr

    .data
    .balign 16
desc:                     # header, data (device writes), status
    .word hdr, 0, 16, 0x00010001
    .word func, 0, 512, 0x00020003
    .word status, 0, 1, 0x00000002
    .balign 4
avail: .space 32
    .balign 4
used: .space 128
hdr: .word 0, 0, 0, 0     # IN, sector 0
status: .byte 0xff
    .balign 16
    .space 256
stack_top:
`;
    const b = new Board({ jit: true, jitHotAfter: 0, disk: new MemoryBackend(disk) });
    loadProgram(b, asm(src));
    expect(b.run(1_000_000)).toEqual({ kind: 'pass', code: 0 });
  });
});

describe('page function shape', () => {
  it('registers are written back at one exit, not at every load and store slow path', async () => {
    const { genPage } = await import('../../vm/cpu/jit_codegen.ts');
    // 60 loads and stores over 20 registers: with a write-back in every slow
    // path the source would grow with (accesses x registers).
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) lines.push(`lw x${5 + (i % 20)}, ${4 * i}(x2)`, `sw x${5 + ((i + 7) % 20)}, ${4 * i + 128}(x2)`);
    const words = assemble(`.globl _start\n_start:\n${lines.join('\n')}\n`, { filename: 'shape.s' }).sections.find((s) => s.name === '.text')!.data;
    const insns = Array.from({ length: words.length / 4 }, (_, i) => new DataView(words.buffer, words.byteOffset).getInt32(4 * i, true));
    const src = genPage([{ start: 0, insns, next: 4 * insns.length, toInterp: false }]);
    expect(src.match(/x\[5\] = r5;/g)?.length).toBe(1);
    expect(src.length).toBeLessThan(60 * 400);
  });
});
