// RV32 routines every translated program may need, emitted only when used:
// the entry point (the wasm globals set up in its frame), memory.grow (a
// `brk` system call), memory.copy and memory.fill, and the i64 operations
// that are too long to inline (division, variable shifts and rotations, bit
// counts) plus popcnt.
//
// They follow the translated code's calling convention (calls.ts):
// arguments in a0-a3, results in a0/a1, caller-saved registers clobbered,
// gp and the callee-saved registers kept.
//
// Entry points: emitStart, emitHelper, HELPER_SYMBOLS.

import { Code, Label, REG } from './emit.ts';
import type { HelperName } from './codegen.ts';
import { SYS } from './abi.ts';

const { zero, sp, gp, a0, a1, a2, a3, a4, a5, a7, t0, t1, t2, t3, t4, t5 } = REG;

/** Symbol names of the routines in the ELF. */
export const HELPER_SYMBOLS: Readonly<Record<HelperName, string>> = {
  memory_grow: '__wasm_memory_grow', memory_copy: '__wasm_memory_copy', memory_fill: '__wasm_memory_fill',
  popcnt32: '__wasm_popcnt32', clz64: '__wasm_clz64', ctz64: '__wasm_ctz64', popcnt64: '__wasm_popcnt64',
  divs64: '__wasm_divs64', divu64: '__wasm_divu64', rems64: '__wasm_rems64', remu64: '__wasm_remu64',
  shl64: '__wasm_shl64', shrs64: '__wasm_shrs64', shru64: '__wasm_shru64', rotl64: '__wasm_rotl64', rotr64: '__wasm_rotr64',
};

export interface HelperEnv {
  /** gp offset of the current memory size in pages. */
  memPagesOff: number;
  maxPages: number;
  /** The shared unsigned 64-bit division routine (n in a0/a1, d in a2/a3 -> q in a0/a1, r in a2/a3; link in t5). */
  udivmod: Label;
}

/**
 * _start: the wasm globals in a frame at the top of the stack (out of reach
 * of wasm pointers, which never get past the stack's guard), initialised
 * from their image in .rodata, gp pointing 2048 bytes in; then the wasm start
 * function and main, whose result (0 if it returns nothing) is the exit status.
 */
export function emitStart(c: Code, globalsInit: Label, words: number, start: Label | undefined, main: Label, mainReturns: boolean): void {
  const frame = (4 * words + 15) & ~15;
  const loop = new Label();
  c.addImm(sp, sp, -frame, t0);
  c.la(t0, globalsInit);
  c.mv(t1, sp);
  c.addImm(t2, t0, 4 * words, t3);
  c.label(loop);
  c.load('lw', t3, t0, 0);
  c.store('sw', t3, t1, 0);
  c.i('addi', t0, t0, 4);
  c.i('addi', t1, t1, 4);
  c.branch('bltu', t0, t2, loop);
  c.addImm(gp, sp, 2048, t0);
  c.i('andi', sp, sp, -16);
  if (start) c.call(start);
  c.call(main);
  if (!mainReturns) c.li(a0, 0);
  c.li(a7, SYS.EXIT);
  c.ecall();
  c.op('ebreak', 0);
}

function memoryGrow(c: Code, env: HelperEnv): void {
  const old = new Label(), fail = new Label();
  c.load('lw', t0, gp, env.memPagesOff);
  c.branch('beq', a0, zero, old);
  c.li(t1, env.maxPages);
  c.r('sub', t1, t1, t0);
  c.branch('bltu', t1, a0, fail); // also catches "negative" (huge unsigned) deltas
  c.r('add', t1, t0, a0);
  c.i('slli', a0, t1, 16);
  c.mv(t2, a0);
  c.li(a7, SYS.BRK);
  c.ecall();
  c.branch('bne', a0, t2, fail);
  c.store('sw', t1, gp, env.memPagesOff);
  c.label(old);
  c.mv(a0, t0);
  c.ret();
  c.label(fail);
  c.li(a0, -1);
  c.ret();
}

/** memmove(a0 = dst, a1 = src, a2 = n): words when both are aligned, backwards when dst overlaps src from above. */
function memoryCopy(c: Code): void {
  const done = new Label(), back = new Label(), fbyte = new Label(), fword = new Label(), f16 = new Label();
  const bbyte = new Label(), bword = new Label();
  c.branch('beq', a2, zero, done);
  c.branch('beq', a0, a1, done);
  c.r('sub', t0, a0, a1);
  c.branch('bltu', t0, a2, back);
  c.r('or', t0, a0, a1);
  c.i('andi', t0, t0, 3);
  c.branch('bne', t0, zero, fbyte);
  c.li(t2, 16);
  c.label(f16);
  c.branch('bltu', a2, t2, fword);
  for (let k = 0; k < 16; k += 4) { c.load('lw', t1, a1, k); c.store('sw', t1, a0, k); }
  c.i('addi', a0, a0, 16); c.i('addi', a1, a1, 16); c.i('addi', a2, a2, -16);
  c.j(f16);
  c.label(fword);
  c.li(t2, 4);
  const fwl = new Label();
  c.label(fwl);
  c.branch('bltu', a2, t2, fbyte);
  c.load('lw', t1, a1, 0); c.store('sw', t1, a0, 0);
  c.i('addi', a0, a0, 4); c.i('addi', a1, a1, 4); c.i('addi', a2, a2, -4);
  c.j(fwl);
  c.label(fbyte);
  c.branch('beq', a2, zero, done);
  c.load('lbu', t1, a1, 0); c.store('sb', t1, a0, 0);
  c.i('addi', a0, a0, 1); c.i('addi', a1, a1, 1); c.i('addi', a2, a2, -1);
  c.j(fbyte);
  c.label(back);
  c.r('add', a0, a0, a2);
  c.r('add', a1, a1, a2);
  c.r('or', t0, a0, a1);
  c.r('or', t0, t0, a2);
  c.i('andi', t0, t0, 3);
  c.branch('bne', t0, zero, bbyte);
  c.label(bword);
  c.branch('beq', a2, zero, done);
  c.i('addi', a0, a0, -4); c.i('addi', a1, a1, -4); c.i('addi', a2, a2, -4);
  c.load('lw', t1, a1, 0); c.store('sw', t1, a0, 0);
  c.j(bword);
  c.label(bbyte);
  c.branch('beq', a2, zero, done);
  c.i('addi', a0, a0, -1); c.i('addi', a1, a1, -1); c.i('addi', a2, a2, -1);
  c.load('lbu', t1, a1, 0); c.store('sb', t1, a0, 0);
  c.j(bbyte);
  c.label(done);
  c.ret();
}

/** memset(a0 = dst, a1 = byte, a2 = n). */
function memoryFill(c: Code): void {
  const done = new Label(), head = new Label(), words = new Label(), tail = new Label();
  c.i('andi', a1, a1, 0xff);
  c.i('slli', t0, a1, 8); c.r('or', a1, a1, t0);
  c.i('slli', t0, a1, 16); c.r('or', a1, a1, t0);
  c.label(head);
  c.branch('beq', a2, zero, done);
  c.i('andi', t0, a0, 3);
  c.branch('beq', t0, zero, words);
  c.store('sb', a1, a0, 0); c.i('addi', a0, a0, 1); c.i('addi', a2, a2, -1);
  c.j(head);
  c.label(words);
  c.li(t2, 4);
  const wl = new Label();
  c.label(wl);
  c.branch('bltu', a2, t2, tail);
  c.store('sw', a1, a0, 0); c.i('addi', a0, a0, 4); c.i('addi', a2, a2, -4);
  c.j(wl);
  c.label(tail);
  c.branch('beq', a2, zero, done);
  c.store('sb', a1, a0, 0); c.i('addi', a0, a0, 1); c.i('addi', a2, a2, -1);
  c.j(tail);
  c.label(done);
  c.ret();
}

/** x = popcount(x), using t0 and t1. */
function popcount(c: Code, x: number): void {
  c.i('srli', t0, x, 1); c.li(t1, 0x55555555); c.r('and', t0, t0, t1); c.r('sub', x, x, t0);
  c.li(t1, 0x33333333); c.i('srli', t0, x, 2); c.r('and', t0, t0, t1); c.r('and', x, x, t1); c.r('add', x, x, t0);
  c.i('srli', t0, x, 4); c.r('add', x, x, t0); c.li(t1, 0x0f0f0f0f); c.r('and', x, x, t1);
  c.li(t1, 0x01010101); c.r('mul', x, x, t1); c.i('srli', x, x, 24);
}

/** d = clz(x) or ctz(x) (32 for 0), by binary search; clobbers x and t0. */
function countZeros(c: Code, d: number, x: number, leading: boolean): void {
  c.li(d, 0);
  for (const k of [16, 8, 4, 2, 1]) {
    const skip = new Label();
    c.i(leading ? 'srli' : 'slli', t0, x, 32 - k);
    c.branch('bne', t0, zero, skip);
    c.i('addi', d, d, k);
    c.i(leading ? 'slli' : 'srli', x, x, k);
    c.label(skip);
  }
  c.i(leading ? 'srli' : 'andi', t0, x, leading ? 31 : 1);
  c.i('xori', t0, t0, 1);
  c.r('add', d, d, t0);
}

/** clz64 / ctz64: the count of the word that decides, plus 32 if it is the other one. */
function zeros64(c: Code, leading: boolean): void {
  const first = leading ? a1 : a0, second = leading ? a0 : a1;
  const other = new Label();
  c.branch('beq', first, zero, other);
  countZeros(c, t2, first, leading);
  c.mv(a0, t2); c.li(a1, 0); c.ret();
  c.label(other);
  countZeros(c, t2, second, leading);
  c.i('addi', a0, t2, 32); c.li(a1, 0); c.ret();
}

/** (a0,a1) shifted by a2 & 63. */
function shift64(c: Code, kind: 'shl' | 'shrs' | 'shru'): void {
  const big = new Label(), done = new Label();
  c.i('andi', a2, a2, 63);
  c.i('andi', t0, a2, 32);
  c.branch('bne', t0, zero, big);
  c.branch('beq', a2, zero, done);
  c.li(t1, 32); c.r('sub', t1, t1, a2);
  if (kind === 'shl') {
    c.r('sll', a1, a1, a2); c.r('srl', t0, a0, t1); c.r('or', a1, a1, t0); c.r('sll', a0, a0, a2);
  } else {
    c.r('srl', a0, a0, a2); c.r('sll', t0, a1, t1); c.r('or', a0, a0, t0); c.r(kind === 'shrs' ? 'sra' : 'srl', a1, a1, a2);
  }
  c.label(done);
  c.ret();
  c.label(big);
  if (kind === 'shl') { c.r('sll', a1, a0, a2); c.li(a0, 0); }
  else if (kind === 'shru') { c.r('srl', a0, a1, a2); c.li(a1, 0); }
  else { c.r('sra', a0, a1, a2); c.i('srai', a1, a1, 31); }
  c.ret();
}

/** (a0,a1) rotated left (or right) by a2 & 63. */
function rotate64(c: Code, left: boolean): void {
  const noSwap = new Label(), done = new Label();
  if (!left) c.r('sub', a2, zero, a2);
  c.i('andi', a2, a2, 63);
  c.i('andi', t0, a2, 32);
  c.branch('beq', t0, zero, noSwap);
  c.mv(t0, a0); c.mv(a0, a1); c.mv(a1, t0);
  c.label(noSwap);
  c.i('andi', a2, a2, 31);
  c.branch('beq', a2, zero, done);
  c.li(t1, 32); c.r('sub', t1, t1, a2);
  c.r('sll', t2, a1, a2); c.r('srl', t3, a0, t1); c.r('or', t2, t2, t3);
  c.r('sll', t3, a0, a2); c.r('srl', t4, a1, t1); c.r('or', a0, t3, t4);
  c.mv(a1, t2);
  c.label(done);
  c.ret();
}

/** Unsigned 64-bit divide: quick path when both fit in 32 bits, else restoring division. Link in t5. */
function udivmod(c: Code, self: Label): void {
  const slow = new Label(), loop = new Label(), sub = new Label(), next = new Label();
  c.label(self);
  c.branch('bne', a3, zero, slow);
  c.branch('bne', a1, zero, slow);
  c.r('divu', t0, a0, a2); c.r('remu', a2, a0, a2); c.mv(a0, t0); c.li(a1, 0); c.li(a3, 0);
  c.jr(t5);
  c.label(slow);
  c.li(t0, 0); c.li(t1, 0); c.li(t2, 64);
  c.label(loop);
  c.i('srli', t4, t1, 31); // the bit the remainder shifts out: then it is surely >= d
  c.i('slli', t1, t1, 1); c.i('srli', t3, t0, 31); c.r('or', t1, t1, t3);
  c.i('slli', t0, t0, 1); c.i('srli', t3, a1, 31); c.r('or', t0, t0, t3);
  c.i('slli', a1, a1, 1); c.i('srli', t3, a0, 31); c.r('or', a1, a1, t3);
  c.i('slli', a0, a0, 1);
  c.branch('bne', t4, zero, sub);
  c.branch('bltu', t1, a3, next);
  c.branch('bne', t1, a3, sub);
  c.branch('bltu', t0, a2, next);
  c.label(sub);
  c.r('sltu', t3, t0, a2); c.r('sub', t0, t0, a2); c.r('sub', t1, t1, a3); c.r('sub', t1, t1, t3);
  c.i('ori', a0, a0, 1);
  c.label(next);
  c.i('addi', t2, t2, -1);
  c.branch('bne', t2, zero, loop);
  c.mv(a2, t0); c.mv(a3, t1);
  c.jr(t5);
}

/** Two's complement of the pair (lo, hi). */
function neg64(c: Code, lo: number, hi: number): void {
  c.r('sltu', t0, zero, lo);
  c.r('sub', lo, zero, lo);
  c.r('sub', hi, zero, hi);
  c.r('sub', hi, hi, t0);
}

/** Division routines on top of udivmod; the signed ones divide magnitudes and fix the signs. */
function divide64(c: Code, name: 'divs64' | 'divu64' | 'rems64' | 'remu64', env: HelperEnv): void {
  const signed = name === 'divs64' || name === 'rems64';
  const rem = name === 'rems64' || name === 'remu64';
  if (signed) {
    const pn = new Label(), pd = new Label();
    c.i('srai', a4, a1, 31);
    c.i('srai', a5, a3, 31);
    c.branch('bge', a1, zero, pn); neg64(c, a0, a1); c.label(pn);
    c.branch('bge', a3, zero, pd); neg64(c, a2, a3); c.label(pd);
  }
  c.jal(t5, env.udivmod);
  if (rem) { c.mv(a0, a2); c.mv(a1, a3); }
  if (signed) {
    const keep = new Label();
    if (!rem) c.r('xor', a4, a4, a5);
    c.branch('beq', a4, zero, keep);
    neg64(c, a0, a1);
    c.label(keep);
  }
  c.ret();
}

/** Emit routine `name` at label `l`. */
export function emitHelper(c: Code, name: HelperName, l: Label, env: HelperEnv): void {
  c.label(l);
  switch (name) {
    case 'memory_grow': return memoryGrow(c, env);
    case 'memory_copy': return memoryCopy(c);
    case 'memory_fill': return memoryFill(c);
    case 'popcnt32': popcount(c, a0); c.ret(); return;
    case 'popcnt64': popcount(c, a0); popcount(c, a1); c.r('add', a0, a0, a1); c.li(a1, 0); c.ret(); return;
    case 'clz64': return zeros64(c, true);
    case 'ctz64': return zeros64(c, false);
    case 'shl64': return shift64(c, 'shl');
    case 'shrs64': return shift64(c, 'shrs');
    case 'shru64': return shift64(c, 'shru');
    case 'rotl64': return rotate64(c, true);
    case 'rotr64': return rotate64(c, false);
    case 'divs64': case 'divu64': case 'rems64': case 'remu64': return divide64(c, name, env);
  }
}

/** The shared division core (emitted once when any division routine is). */
export function emitUdivmod(c: Code, l: Label): void {
  udivmod(c, l);
}

