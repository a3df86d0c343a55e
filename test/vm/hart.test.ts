// The hart and the board's run loop, with small programs: assembled with our
// assembler and run with runElfSync (cli/run.ts), or put straight into RAM
// of a Board. Covers
//   - a garbage-code fuzz: random words (and random valid encodings) run in
//     M, S and U with random satp/mstatus/delegation; no host exception may
//     escape Board.run and the run must end within its instruction budget;
//   - the --max-insns limit (exit 124), idle detection (exit 125);
//   - deterministic timing: timer interrupts land on the same instruction
//     in every run, one mtime tick per 10 retired instructions;
//   - the UART both ways;
//   - a misaligned load that crosses into a faulting region (xtval).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assemble } from '../../toolchain/asm/index.ts';
import { runElfSync, loadProgram, EXIT } from '../../cli/run.ts';
import { Board, INSNS_PER_TICK } from '../../vm/board.ts';
import { INSNS } from '../../vm/isa/table.ts';
import { encodeInsn } from '../../vm/isa/encode.ts';
import { csrWrite } from '../../vm/cpu/csr.ts';
import { CSR } from '../../vm/isa/csr_table.ts';
import { PRV, CAUSE } from '../../vm/cpu/bits.ts';

const elfOf = (source: string): Uint8Array => assemble(source, { filename: 'hart_test.s' }).elf;
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

// Shared by the programs below: power off through sifive_test with a0 as exit code.
const POWER_OFF = `
exit:                          # a0 = exit code
    li t0, 0x100000
    li t1, 0x5555
    beqz a0, 1f
    slli a0, a0, 16
    li t1, 0x3333
    or t1, t1, a0
1:  sw t1, 0(t0)
2:  j 2b
`;

const PUTC = `
putc:                          # a0 = byte; clobbers t0, t1
    li t0, 0x10000000
1:  lbu t1, 5(t0)              # LSR
    andi t1, t1, 0x20          # THRE
    beqz t1, 1b
    sb a0, 0(t0)
    ret
`;

// ---------------------------------------------------------------------------
// Garbage-code fuzz

const RAM = 0x80000000;
const RAM_SIZE = 4 << 20;
const M_HANDLER = RAM;              // mtvec
const S_HANDLER = RAM + 0x100;      // stvec
const TRAP_COUNT = RAM + 0xff0;     // the M handler's counter
const CODE = RAM + 0x1000;          // the random words
const CODE_WORDS = 1024;
const ROOT_TABLE = RAM + 0x3000;    // an Sv32 root table some satp values point at
const LEAF_TABLE = RAM + 0x4000;
const BUDGET = 4000;

const E = encodeInsn;
const [t0, t1] = [5, 6];

/** M handler: count the trap in memory, return past the faulting instruction. */
function mHandler(): number[] {
  return [
    E('csrrw', { rd: 0, csr: CSR.mscratch, rs1: t0 }),
    E('lui', { rd: t0, imm: (TRAP_COUNT + 0x1000) >>> 12 }),    // t0 = TRAP_COUNT + 16
    E('sw', { rs1: t0, rs2: t1, imm: -8 }),                      // save t1 at TRAP_COUNT + 8
    E('lw', { rd: t1, rs1: t0, imm: -16 }),
    E('addi', { rd: t1, rs1: t1, imm: 1 }),
    E('sw', { rs1: t0, rs2: t1, imm: -16 }),
    E('lw', { rd: t1, rs1: t0, imm: -8 }),
    E('csrrs', { rd: t0, csr: CSR.mepc, rs1: 0 }),
    E('addi', { rd: t0, rs1: t0, imm: 4 }),
    E('csrrw', { rd: 0, csr: CSR.mepc, rs1: t0 }),
    E('csrrs', { rd: t0, csr: CSR.mscratch, rs1: 0 }),
    0x30200073, // mret
  ];
}

/** S handler: return past the faulting instruction. */
function sHandler(): number[] {
  return [
    E('csrrw', { rd: 0, csr: CSR.sscratch, rs1: t0 }),
    E('csrrs', { rd: t0, csr: CSR.sepc, rs1: 0 }),
    E('addi', { rd: t0, rs1: t0, imm: 4 }),
    E('csrrw', { rd: 0, csr: CSR.sepc, rs1: t0 }),
    E('csrrs', { rd: t0, csr: CSR.sscratch, rs1: 0 }),
    0x10200073, // sret
  ];
}

const u32 = fc.integer({ min: 0, max: 0xffffffff }).map((v) => v | 0);
/** Half fully random words, half valid encodings with random operand bits. */
const insnWord = fc.oneof(
  u32,
  fc.tuple(fc.integer({ min: 0, max: INSNS.length - 1 }), u32).map(([i, r]) => (r & ~INSNS[i].mask) | INSNS[i].match),
);
/** A register value: random, or an address in the program's RAM (so loads and stores hit memory). */
const regValue = fc.oneof(u32, fc.integer({ min: 0, max: RAM_SIZE - 4 }).map((o) => (RAM + o) | 0));
const satpValue = fc.oneof(
  fc.constant(0),
  u32,
  fc.constant((0x80000000 | (ROOT_TABLE >>> 12)) | 0),
);

interface FuzzCase {
  code: number[];
  regs: number[];
  priv: number;
  satp: number;
  mstatus: number;
  medeleg: number;
  mideleg: number;
  mie: number;
  mip: number;
  mtimecmp: number;
  megaFlags: number;
  tableWords: number[];
  input: number[];
}

const fuzzCase = (priv: number): fc.Arbitrary<FuzzCase> => fc.record({
  code: fc.array(insnWord, { minLength: 1, maxLength: CODE_WORDS }),
  regs: fc.array(regValue, { minLength: 32, maxLength: 32 }),
  priv: fc.constant(priv),
  satp: priv === PRV.M ? fc.constant(0) : satpValue,
  mstatus: u32,
  medeleg: u32,
  mideleg: u32,
  mie: u32,
  mip: u32,
  mtimecmp: fc.integer({ min: 0, max: 2000 }),
  // The root table's entry for 0x8000_0000: a megapage mapping RAM with random flags (mostly valid).
  megaFlags: fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.constant(0xcf), fc.constant(0xdf)),
  tableWords: fc.array(u32, { maxLength: 64 }),
  input: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }),
});

function writeWords(board: Board, addr: number, words: number[]): void {
  const bytes = new Uint8Array(new Int32Array(words).buffer);
  if (!board.loadSegment(addr, bytes)) throw new Error(`cannot place ${words.length} words at 0x${addr.toString(16)}`);
}

/** Build the machine for a fuzz case: handlers, random code, page tables, CSRs, then run. */
function runFuzzCase(c: FuzzCase): { board: Board; traps: number; reason: string } {
  const board = new Board({ ramSize: RAM_SIZE });
  const h = board.hart;
  writeWords(board, M_HANDLER, mHandler());
  writeWords(board, S_HANDLER, sHandler());
  writeWords(board, CODE, c.code);
  // Root table: random words, the RAM megapage, and a pointer to a leaf table of random words.
  writeWords(board, ROOT_TABLE, c.tableWords);
  writeWords(board, ROOT_TABLE + 0x200 * 4, [((RAM >>> 12) << 10) | c.megaFlags]);
  writeWords(board, ROOT_TABLE + 0x201 * 4, [((LEAF_TABLE >>> 12) << 10) | 1]);
  writeWords(board, LEAF_TABLE, c.tableWords.map((w, i) => w ^ (i << 12)));
  c.regs.forEach((v, i) => { if (i !== 0) h.x[i] = v; });
  h.mtvec = M_HANDLER;
  h.stvec = S_HANDLER;
  for (const [csr, v] of [['mstatus', c.mstatus], ['medeleg', c.medeleg], ['mideleg', c.mideleg],
    ['mie', c.mie], ['mip', c.mip], ['satp', c.satp]] as const) {
    csrWrite(h, CSR[csr], v);
  }
  board.bus.write(0x02004004, 4, 0);
  board.bus.write(0x02004000, 4, c.mtimecmp);
  board.input(c.input);
  h.pc = CODE;
  h.setPriv(c.priv);
  h.mmu.flush();
  let traps = 0;
  h.onTrap = () => { traps++; };
  const r = board.run(BUDGET);
  return { board, traps, reason: r.kind };
}

describe('garbage-code fuzz', () => {
  const modes: [string, number][] = [['M', PRV.M], ['S', PRV.S], ['U', PRV.U]];
  for (const [name, priv] of modes) {
    it(`random code in ${name}-mode never throws out of Board.run and stops within its budget`, () => {
      let runs = 0, trapped = 0;
      fc.assert(fc.property(fuzzCase(priv), (c) => {
        const { board, traps, reason } = runFuzzCase(c);
        const h = board.hart;
        runs++;
        if (traps > 0) trapped++;
        expect(['limit', 'idle', 'pass', 'fail']).toContain(reason);
        expect(h.retired).toBeLessThanOrEqual(BUDGET);
        // Architectural invariants nothing may break.
        expect(h.x[0]).toBe(0);
        expect([PRV.U, PRV.S, PRV.M]).toContain(h.priv);
        expect(h.pc & 3).toBe(0);
        expect(h.mepc & 3).toBe(0);
        expect(h.sepc & 3).toBe(0);
      }), { numRuns: 150 });
      // The fuzz is about traps: most runs must have taken some (a few loop on `j .` forever).
      expect(trapped).toBeGreaterThan(runs / 2);
    });
  }

  it('counts traps in the guest handler as the hart takes them (M-mode, no MPRV)', () => {
    // Only ecall, ebreak and illegal words: every one traps to the M handler once.
    const word = fc.constantFrom(0x00000073, 0x00100073, 0, -1, 0x0000007f, encodeInsn('addi', { rd: 1, rs1: 1, imm: 1 }));
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 200 }), (words) => {
      const board = new Board({ ramSize: RAM_SIZE });
      const h = board.hart;
      writeWords(board, M_HANDLER, mHandler());
      writeWords(board, CODE, [...words, 0x10500073, 0x10500073]); // then wfi: idle, nothing armed
      h.mtvec = M_HANDLER;
      h.pc = CODE;
      board.bus.write(0x02004004, 4, -1); // mtimecmp far away: no timer
      const r = board.run(100_000);
      const addis = words.filter((w) => w === encodeInsn('addi', { rd: 1, rs1: 1, imm: 1 })).length;
      expect(r.kind).toBe('idle');
      expect(board.mem.i32[board.mem.hostOffset(TRAP_COUNT, 4, false) >> 2]).toBe(words.length - addis);
      expect(h.x[1]).toBe(addis);
      // A trapping instruction does not retire; each handler run and the final wfi do.
      expect(h.retired).toBe(addis + (words.length - addis) * mHandler().length + 1);
    }), { numRuns: 50 });
  });
});

// ---------------------------------------------------------------------------
// Stopping: instruction limit and idle

describe('run limits', () => {
  it('--max-insns stops a program that never ends: exit 124 with a message, after exactly that many', () => {
    const elf = elfOf('.globl _start\n_start:\n    addi a0, a0, 1\n    j _start\n');
    const r = runElfSync(elf, { maxInsns: 12_345 });
    expect(r.reason).toBe('limit');
    expect(r.exitCode).toBe(EXIT.LIMIT);
    expect(EXIT.LIMIT).toBe(124);
    expect(r.insns).toBe(12_345);
    expect(r.message).toMatch(/instruction limit/);
    expect(r.message).toContain('12345');
  });

  it('wfi with no timer armed and no input stops as idle: exit 125', () => {
    const elf = elfOf(`
      .globl _start
      _start:
          li t0, 0x80            # MTIE: enabled, but mtimecmp is never written past mtime
          csrs mie, t0
          li t0, 0x02004004
          li t1, -1
          sw t1, 0(t0)           # mtimecmp high word: the timer can never fire
      1:  wfi
          j 1b
    `);
    const r = runElfSync(elf, { maxInsns: 1_000_000 });
    expect(r.reason).toBe('idle');
    expect(r.exitCode).toBe(EXIT.IDLE);
    expect(EXIT.IDLE).toBe(125);
    expect(r.insns).toBeLessThan(100); // it stopped at the wfi, it did not spin to the limit
    expect(r.message).toMatch(/wfi/);
  });
});

// ---------------------------------------------------------------------------
// Deterministic timing

const PERIOD = 1000;   // mtime ticks between timer interrupts
const BUSY_IRQS = 5;   // interrupts taken while computing
const TOTAL_IRQS = 10; // the rest while sleeping in wfi

/**
 * Timer interrupts every PERIOD ticks (mtimecmp += PERIOD in the handler).
 * The handler records minstret and mtime; the program prints the records in
 * hex and powers off. The busy loop stores to the UART's scratch register, a
 * device write that ends the interpreter's block at irregular points.
 */
const TIMER_PROGRAM = `
    .equ MTIMECMP, 0x02004000
    .equ MTIME, 0x0200bff8
    .globl _start
_start:
    la sp, stack_top
    la t0, handler
    csrw mtvec, t0
    la s0, records
    li s1, 0
    li t0, MTIME
    lw t1, 0(t0)
    li t2, ${PERIOD}
    add t1, t1, t2
    li t0, MTIMECMP
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
busy:
    addi a0, a0, 7
    mul a1, a0, a0
    li t0, 0x10000007          # UART scratch register
    sb a1, 0(t0)
    andi a2, a1, 15
1:  addi a2, a2, -1
    bgez a2, 1b
    li t0, ${BUSY_IRQS}
    blt s1, t0, busy
sleep:
    wfi
    li t0, ${TOTAL_IRQS}
    blt s1, t0, sleep
    csrci mstatus, 8
    la s0, records
    li s2, ${TOTAL_IRQS * 2}
2:  lw a0, 0(s0)
    call puthex
    addi s0, s0, 4
    addi s2, s2, -1
    bnez s2, 2b
    li a0, 0
    j exit

handler:
    csrr t3, minstret
    li t0, MTIME
    lw t4, 0(t0)
    sw t3, 0(s0)
    sw t4, 4(s0)
    addi s0, s0, 8
    addi s1, s1, 1
    li t0, MTIMECMP
    lw t5, 0(t0)
    li t6, ${PERIOD}
    add t5, t5, t6
    sw t5, 0(t0)
    mret

puthex:                        # a0 as 8 hex digits and a newline
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s0, 8(sp)
    sw s1, 4(sp)
    mv s0, a0
    li s1, 28
3:  srl a0, s0, s1
    andi a0, a0, 15
    li t0, 10
    blt a0, t0, 4f
    addi a0, a0, 39            # 'a' - '0' - 10
4:  addi a0, a0, 48
    call putc
    addi s1, s1, -4
    bgez s1, 3b
    li a0, 10
    call putc
    lw ra, 12(sp)
    lw s0, 8(sp)
    lw s1, 4(sp)
    addi sp, sp, 16
    ret
${PUTC}
${POWER_OFF}
    .data
records: .space ${TOTAL_IRQS * 8}
    .space 256
stack_top:
`;

describe('deterministic timing', () => {
  it('takes each timer interrupt at the same instruction in every run, one tick per 10 instructions', () => {
    const elf = elfOf(TIMER_PROGRAM);
    const a = runElfSync(elf, { maxInsns: 10_000_000 });
    const b = runElfSync(elf, { maxInsns: 10_000_000 });
    expect(a.exitCode, a.message).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.insns).toBe(a.insns);

    const words = a.stdout.trim().split('\n').map((s) => parseInt(s, 16));
    expect(words.length).toBe(TOTAL_IRQS * 2);
    const instret = words.filter((_, i) => i % 2 === 0);
    const mtime = words.filter((_, i) => i % 2 === 1);
    // mtime at each interrupt: one PERIOD apart, busy or asleep (wfi skips to the deadline).
    for (let k = 1; k < TOTAL_IRQS; k++) expect(mtime[k] - mtime[k - 1], `mtime gap ${k}`).toBe(PERIOD);
    // While busy, time is instructions and traps: PERIOD * INSNS_PER_TICK cycles pass between
    // interrupts, one of them taken by the interrupt's own trap.
    expect(INSNS_PER_TICK).toBe(10); // README: one cycle per instruction or trap, mtime ticks every 10 cycles
    for (let k = 1; k < BUSY_IRQS; k++) expect(instret[k] - instret[k - 1], `instret gap ${k}`).toBe(PERIOD * 10 - 1);
    // Asleep, the same few instructions run between interrupts; idle time retires nothing.
    const sleeping = instret.slice(BUSY_IRQS + 1).map((v, k) => v - instret[BUSY_IRQS + k]);
    expect(new Set(sleeping).size).toBe(1);
    expect(sleeping[0]).toBeLessThan(50);
  });
});

// ---------------------------------------------------------------------------
// UART

describe('UART', () => {
  it('output reaches stdout', () => {
    const elf = elfOf(`
      .globl _start
      _start:
          la sp, stack_top
          la s0, msg
      1:  lbu a0, 0(s0)
          beqz a0, 2f
          call putc
          addi s0, s0, 1
          j 1b
      2:  li a0, 0
          j exit
      ${PUTC}
      ${POWER_OFF}
          .data
      msg: .asciz "hello, world\\n\\x01\\xff"
          .space 64
      stack_top:
    `);
    const r = runElfSync(elf, { maxInsns: 1_000_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('hello, world\n\x01\xff');
  });

  it('input (stdin) reaches a program that echoes it, beyond the 16-byte FIFO', () => {
    // Echo in upper case until '.', then exit with the byte count.
    const elf = elfOf(`
      .globl _start
      _start:
          la sp, stack_top
          li s0, 0x10000000
          li s1, 0
      1:  lbu t0, 5(s0)          # LSR
          andi t0, t0, 1         # DR
          beqz t0, 1b
          lbu a0, 0(s0)          # RBR
          li t0, '.'
          beq a0, t0, 3f
          addi s1, s1, 1
          li t0, 'a'
          blt a0, t0, 2f
          li t0, 'z'
          bgt a0, t0, 2f
          addi a0, a0, -32
      2:  call putc
          j 1b
      3:  mv a0, s1
          j exit
      ${PUTC}
      ${POWER_OFF}
          .data
          .space 64
      stack_top:
    `);
    const text = 'the quick brown fox jumps over the lazy dog, 0123456789!';
    const r = runElfSync(elf, { maxInsns: 50_000_000, stdin: latin1(`${text}.ignored`) });
    expect(r.reason).toBe('fail'); // sifive_test with a nonzero code
    expect(r.exitCode).toBe(text.length);
    expect(r.stdout).toBe(text.toUpperCase());
  });
});

// ---------------------------------------------------------------------------
// Misaligned access across into a faulting region

describe('misaligned loads', () => {
  // README: misaligned loads are performed byte by byte, "so one that crosses
  // into a page that faults raises with the address of the first byte on that
  // page" -- which is also what qemu-system-riscv32 7.2 reports (checked by
  // hand: lw at 0x87fffffe on a 128 MiB virt board gives mtval 0x88000000).
  it('lw crossing the end of RAM faults with xtval = the first byte past RAM', () => {
    const board = new Board();
    const prog = loadProgram(board, elfOf(`
      .globl _start
      _start:
          la t0, handler
          csrw mtvec, t0
          li t1, 0x87fffffe
      load:
          lw a0, 0(t1)
          li a0, 1
          j exit
      handler:
          li a0, 2
          j exit
      ${POWER_OFF}
    `));
    expect(prog.entry).toBe(RAM);
    const r = board.run(10_000);
    const h = board.hart;
    expect(r.kind).toBe('fail');
    expect(h.mcause).toBe(CAUSE.LOAD_ACCESS);
    expect(h.mtval >>> 0).toBe(0x88000000);
  });
});
