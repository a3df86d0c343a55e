// The debugger core (vm/debug/debugger.ts) against an independent reference:
// the board's own per-instruction trace hook says at which retired count
// each pc executes, so a breakpoint must stop exactly there, on the
// translator as on the interpreter. Watchpoints must stop right after the
// accessing instruction, catchpoints at the handler, and stepping commands
// where gdb would.

import { describe, it, expect } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { Debugger, parseCatch, type StopEvent } from '../../vm/debug/debugger.ts';
import { INTERRUPT_FLAG } from '../../vm/cpu/bits.ts';

const EXIT = `
exit:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
`;

// A loop calling a recursive function and writing a variable.
const LOOP = `
    .globl _start
_start:
    la sp, stack_top
    li s0, 0
    li s1, 20
loop:
    mv a0, s0
    call fact_mod
    la t0, result
    sw a0, 0(t0)          # the watched store
    la t0, result
    lw t2, 0(t0)          # the watched load
    addi s0, s0, 1
    blt s0, s1, loop
    j exit

# fact_mod(n) = n! mod 2^32, recursively
fact_mod:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw a0, 8(sp)
    li t0, 1
    ble a0, t0, 2f
    addi a0, a0, -1
    call fact_mod
    lw t1, 8(sp)
    mul a0, a0, t1
    j 3f
2:  li a0, 1
3:  lw ra, 12(sp)
    addi sp, sp, 16
    ret
${EXIT}
    .data
result: .word 0
    .balign 16
    .space 1024
stack_top:
`;

function setup(src: string, jit = true): { board: Board; dbg: Debugger; sym: Map<string, number> } {
  const { elf, symbols } = assemble(src, { filename: 'dbg.s' });
  const board = new Board({ jit });
  const prog = loadProgram(board, elf);
  const dbg = new Debugger(board);
  for (const [k, v] of prog.symbols) dbg.symbols.set(k, v);
  dbg.symbolize = prog.symbolize;
  return { board, dbg, sym: symbols };
}

/** Retired-instruction counts at which `addr` is about to execute, from the board's own trace. */
function referenceHits(src: string, addr: number): number[] {
  const { board } = setup(src, false);
  const hits: number[] = [];
  let n = 0;
  board.traceHook = (pc) => { if (pc >>> 0 === addr) hits.push(n); n++; };
  board.run(10_000_000);
  return hits;
}

function runToEvent(dbg: Debugger): StopEvent {
  for (let i = 0; i < 1000; i++) {
    const ev = dbg.resume(100_000);
    if (ev) return ev;
  }
  throw new Error('no stop event');
}

describe('breakpoints', () => {
  for (const jit of [true, false]) {
    it(`stop at the exact instruction every time (${jit ? 'translator' : 'interpreter'})`, () => {
      const { board, dbg, sym } = setup(LOOP, jit);
      const addr = sym.get('fact_mod')!;
      const want = referenceHits(LOOP, addr);
      expect(want.length).toBeGreaterThan(100);
      dbg.addBreakpoint(addr);
      const got: number[] = [];
      for (;;) {
        const ev = runToEvent(dbg);
        if (ev.reason !== 'breakpoint') { expect(ev).toEqual({ reason: 'exited', code: 0, kind: 'pass' }); break; }
        expect(board.hart.pc >>> 0).toBe(addr);
        got.push(board.hart.retired);
      }
      expect(got).toEqual(want);
    });
  }

  it('honour conditions, and disabled breakpoints do not stop', () => {
    const { board, dbg, sym } = setup(LOOP);
    const bp = dbg.addBreakpoint(sym.get('loop')!, { cond: '$s0 == 7 || $s0 == 12' });
    let ev = runToEvent(dbg);
    expect(ev.reason).toBe('breakpoint');
    expect(board.hart.x[8]).toBe(7);
    ev = runToEvent(dbg);
    expect(board.hart.x[8]).toBe(12);
    dbg.enable(bp.id, false);
    expect(runToEvent(dbg)).toEqual({ reason: 'exited', code: 0, kind: 'pass' });
    expect(bp.hits).toBe(2);
  });

  it('can be limited to a privilege mode', () => {
    // f runs once in M (bare), then once in U (Sv32, identity megapage with U set).
    const src = `
    .globl _start
_start:
    la sp, stack_top
    call f
    la t0, trap
    csrw mtvec, t0
    la t0, root
    li t1, (0x80000000 >> 12) << 10 | 0xdf   # V R W X U A D
    li t2, (0x80000000 >> 22) * 4
    add t2, t2, t0
    sw t1, 0(t2)
    srli t0, t0, 12
    li t1, 1 << 31
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    li t0, 0x1800
    csrc mstatus, t0       # MPP = U
    la t0, user
    csrw mepc, t0
    mret
user:
    call f
    ecall
trap:
    j exit
f:  addi a5, a5, 1
    ret
${EXIT}
    .data
    .balign 4096
root: .space 4096
    .space 256
stack_top:
`;
    for (const [priv, want] of [[0, 'U'], [3, 'M']] as const) {
      const { board, dbg, sym } = setup(src);
      dbg.addBreakpoint(sym.get('f')!, { priv });
      const ev = runToEvent(dbg);
      expect(ev.reason).toBe('breakpoint');
      expect(Debugger.privName(board.hart.priv)).toBe(want);
      expect(runToEvent(dbg).reason).toBe('exited');
    }
  });
});

describe('watchpoints', () => {
  for (const [phys, jit] of [[false, true], [true, true], [false, false]]) {
    it(`write watchpoints stop right after the access (${phys ? 'physical' : 'virtual'}, ${jit ? 'translator' : 'interpreter'})`, () => {
      const { board, dbg, sym } = setup(LOOP, jit);
      const result = sym.get('result')!;
      dbg.addWatchpoint('watch', result, 4, phys);
      const ev = runToEvent(dbg);
      expect(ev.reason).toBe('watchpoint');
      if (ev.reason !== 'watchpoint') return;
      expect(ev.access).toBe('write');
      expect(ev.addr).toBe(result);
      expect(ev.old).toBe(0);
      expect(ev.value).toBe(1); // 0! = 1
      // Stopped after the store: the instruction before pc is the sw.
      expect((board.hart.pc - sym.get('loop')!) >>> 0).toBe(6 * 4); // mv, call (2), la (2), sw: next
      const ev2 = runToEvent(dbg);
      expect(ev2.reason === 'watchpoint' && ev2.value).toBe(1); // 1! = 1 (a write of the same value still stops)
      const ev3 = runToEvent(dbg);
      expect(ev3.reason === 'watchpoint' && [ev3.old, ev3.value]).toEqual([1, 2]);
    });
  }

  it.each([true, false])('rwatch sees only loads, awatch both (jit: %s)', (jit) => {
    const { dbg, sym } = setup(LOOP, jit);
    const result = sym.get('result')!;
    const r = dbg.addWatchpoint('rwatch', result);
    let ev = runToEvent(dbg);
    expect(ev.reason === 'watchpoint' && ev.access).toBe('read');
    dbg.delete(r.id);
    dbg.addWatchpoint('awatch', result);
    ev = runToEvent(dbg);
    expect(ev).toMatchObject({ reason: 'watchpoint', access: 'write' });
    ev = runToEvent(dbg);
    expect(ev.reason === 'watchpoint' && ev.access).toBe('read');
  });
});

describe('watchpoints stopping before the access (gdb, QEMU)', () => {
  it('leave pc on the accessing instruction with nothing done; resuming performs it once', () => {
    const { board, dbg, sym } = setup(LOOP);
    dbg.watchStopsBefore = true;
    const result = sym.get('result')!;
    dbg.addWatchpoint('watch', result);
    const store = sym.get('loop')! + 20;
    const ev = runToEvent(dbg);
    expect(ev).toMatchObject({ reason: 'watchpoint', access: 'write', addr: result, old: 0, value: 1 });
    expect(board.hart.pc >>> 0).toBe(store);
    const before = board.hart.retired;
    expect(board.mem.read32(result)).toBe(0);
    expect(dbg.step(1)).toEqual({ reason: 'step' }); // the store runs once, without stopping again
    expect(board.hart.retired).toBe(before + 1);
    expect(board.mem.read32(result)).toBe(1);
  });

  it('a breakpoint on the instruction after a watched store still stops (REPL mode)', () => {
    const { board, dbg, sym } = setup(LOOP);
    const next = sym.get('loop')! + 24;
    dbg.addWatchpoint('watch', sym.get('result')!);
    dbg.addBreakpoint(next);
    expect(runToEvent(dbg).reason).toBe('watchpoint');
    expect(board.hart.pc >>> 0).toBe(next);
    const ev = runToEvent(dbg);
    expect(ev.reason).toBe('breakpoint');
    expect(board.hart.pc >>> 0).toBe(next);
  });
});

describe('catchpoints', () => {
  it('parse cause names and numbers', () => {
    expect([...parseCatch('page-fault')!]).toEqual([12, 13, 15]);
    expect([...parseCatch('2')!]).toEqual([2]);
    expect(parseCatch('any')).toBeUndefined();
    expect(() => parseCatch('bogus')).toThrow(/unknown trap 'bogus'/);
  });

  it('stop at the handler for the caught cause only', () => {
    const src = `
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li t0, 0x40           # no RAM there: a load access fault (not caught)
    lw t1, 0(t0)
    ecall                 # caught
    j exit
trap:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret
${EXIT}
`;
    const { board, dbg, sym } = setup(src);
    dbg.addCatchpoint('ecall');
    dbg.addBreakpoint(sym.get('trap')!, { cond: '$mcause == 11' });
    const ev = runToEvent(dbg);
    expect(ev.reason).toBe('catch');
    if (ev.reason !== 'catch') return;
    expect(ev.cause).toBe(11);
    expect(board.hart.pc >>> 0).toBe(sym.get('trap'));
    // A breakpoint on the handler's first instruction is reported next, before it runs.
    expect(runToEvent(dbg).reason).toBe('breakpoint');
    expect(board.hart.pc >>> 0).toBe(sym.get('trap'));
    expect(runToEvent(dbg).reason).toBe('exited');
  });

  it('catch interrupt stops at a timer interrupt', () => {
    const src = `
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li t0, 0x0200bff8
    lw t1, 0(t0)
    addi t1, t1, 50
    li t0, 0x02004000
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
1:  j 1b
trap:
    j exit
${EXIT}
`;
    const { board, dbg, sym } = setup(src);
    dbg.addCatchpoint('interrupt');
    const ev = runToEvent(dbg);
    expect(ev.reason === 'catch' && ev.cause >>> 0).toBe((7 | INTERRUPT_FLAG) >>> 0);
    expect(board.hart.pc >>> 0).toBe(sym.get('trap'));
  });
});

describe('stepping', () => {
  it('step N, next over a recursive call, finish and until', () => {
    const { board, dbg, sym } = setup(LOOP);
    const loop = sym.get('loop')!;
    expect(dbg.until(loop)).toEqual({ reason: 'step' });
    expect(board.hart.pc >>> 0).toBe(loop);
    expect(dbg.step(1)).toEqual({ reason: 'step' }); // mv a0, s0
    // next over `call fact_mod` (auipc + jalr): auipc steps, jalr runs the whole call
    dbg.step(1);
    let ev = dbg.next();
    while (ev === undefined) ev = dbg.continueStep();
    expect(ev).toEqual({ reason: 'step' });
    expect(board.hart.pc >>> 0).toBe(loop + 12);
    expect(board.hart.x[10]).toBe(1); // 0! computed by the callee
    // Into the callee on the next pass, then finish back out of the recursion.
    dbg.until(sym.get('fact_mod')!);
    dbg.until(sym.get('fact_mod')!); // second pass, n = 1 -> no inner call
    const state = { depth: 0 };
    let f = dbg.finish(state);
    while (f === undefined) f = dbg.finish(state);
    expect(f).toEqual({ reason: 'step' });
    expect(board.hart.pc >>> 0).toBe(loop + 12); // back after the call
    expect(dbg.trace(3).map((t) => t.pc >>> 0).at(-1)).toBe(sym.get('fact_mod')! + 4 * 14); // the ret
  });

  it('the trace ring records pc, mode, register writes and memory', () => {
    const { dbg, sym } = setup(LOOP);
    const loop = sym.get('loop')!;
    dbg.until(loop);
    dbg.step(30);
    const t = dbg.trace(30);
    expect(t.map((e) => e.pc >>> 0)[0]).toBe(loop);
    const store = t.find((e) => e.pc >>> 0 === loop + 20);
    expect(store?.mem).toEqual({ addr: sym.get('result'), size: 4, write: true, value: 1 });
    expect(t[0]).toMatchObject({ priv: 3, rd: 10, rdValue: 0 });
    expect(dbg.trace(5).map((e) => e.pc)).toEqual(t.slice(-5).map((e) => e.pc));
  });

  it('interrupt() stops a machine that runs forever', () => {
    const { dbg } = setup(`.globl _start\n_start:\n1: j 1b\n`);
    expect(dbg.resume(50_000)).toBeUndefined();
    dbg.interrupt();
    expect(dbg.resume(50_000)).toEqual({ reason: 'interrupted' });
  });
});

describe('with nothing set', () => {
  it('runs the program exactly as the bare board does, through the translator', () => {
    const bare = setup(LOOP).board;
    bare.run(10_000_000);
    const { board, dbg } = setup(LOOP);
    board.jit!.hotAfter = 0; // translate from the first entry: the loop is too short to get hot
    expect(runToEvent(dbg)).toEqual({ reason: 'exited', code: 0, kind: 'pass' });
    expect(board.hart.retired).toBe(bare.hart.retired);
    expect(Array.from(board.hart.x)).toEqual(Array.from(bare.hart.x));
    expect(board.jit!.compiledPages).toBeGreaterThan(0);
    expect(board.hart.bpPages).toBeUndefined();
    expect(board.hart.watchHook).toBeUndefined();
  });
});
