// i32 operators, memory access and select, for the code generator.
//
// Constants fold into immediates (addi, andi, slli, ...); comparisons stay
// pending (values.ts) until a branch or a use needs them; `x + c` stays
// pending too and becomes a load's or store's offset; a value already in a
// register on this path is reused (the value cache, cache.ts). wasm's traps are
// explicit where RISC-V would not trap: division by zero and INT_MIN / -1
// branch to a trap stub. Memory needs no bounds checks: wasm address =
// virtual address, and everything outside the wasm memory is unmapped, so an
// out-of-bounds access page-faults (abi.ts LAYOUT). Only an offset of 64 KiB
// or more could wrap past 4 GiB into mapped memory, so only those check.
//
// Entry points: OPS32 (opcode -> handler), memAddress, OpHandler.

import type { FuncGen } from './codegen.ts';
import type { Insn } from './reader.ts';
import { REG, Label, hiLo, type Branch } from './emit.ts';
import { K, CONST0, konst, i32Entry, i64Entry, condEntry, notCond, reg, type V } from './values.ts';
import { LAYOUT, TRAPS } from './abi.ts';
import { OP } from './opcodes.ts';

export type OpHandler = (g: FuncGen, ins: Insn) => void;
const { T5, T6, ZERO } = { T5: REG.t5, T6: REG.t6, ZERO: REG.zero };
const fits = (v: number): boolean => v >= -2048 && v <= 2047;
const log2 = (v: number): number => (v > 0 && (v & (v - 1)) === 0 ? 31 - Math.clz32(v) : -1);

interface BinSpec { r: string; i?: string; comm?: boolean; neg?: boolean; shift?: boolean }

const inReg = (v: V): boolean => v.k === K.TEMP || v.k === K.LREG;
const bare = (v: V): V => ({ k: v.k, n: v.n, key: v.key });

/** The value-cache key of `op` on operands (sorted when the operator commutes). */
function opKey(g: FuncGen, op: string, comm: boolean, a: V, b: V): string | undefined {
  const ka = g.cache.keyOf(a), kb = g.cache.keyOf(b);
  if (ka === undefined || kb === undefined) return undefined;
  return comm && kb < ka ? `${op}(${kb},${ka})` : `${op}(${ka},${kb})`;
}

/** Push a cached copy of the value `key` names if a free register holds it (then the op needs no code). */
function reuse(g: FuncGen, key: string | undefined, inputs: V[], c = 0): boolean {
  const r = g.cached(key);
  if (r === undefined) return false;
  for (const v of inputs) g.release(v);
  g.push(i32Entry({ k: K.TEMP, n: r, c: c || undefined, key }));
  return true;
}

/**
 * Arithmetic that keeps a constant pending instead of adding it now (the
 * addend folds into a later load's offset, or into the next add): x + c,
 * x - c, (x + c) << k, (x + c) + (y + d). True if it handled the op.
 */
function addendOp(g: FuncGen, s: BinSpec, a: V, b: V): boolean {
  if (g.fixedDest() || !inReg(a)) return false;
  const code = g.code;
  if ((s.r === 'add' || s.r === 'sub') && b.k === K.CONST) {
    const c = (a.c ?? 0) + (s.r === 'add' ? b.n : -b.n);
    if (!fits(c)) return false;
    g.push(i32Entry(c === 0 ? bare(a) : { k: a.k, n: a.n, c }));
    return true;
  }
  const k = s.r === 'sll' && b.k === K.CONST ? b.n & 31 : s.r === 'mul' && b.k === K.CONST ? log2(b.n >>> 0) : -1;
  if (k >= 0 && a.c) {
    const c = (a.c << k) | 0; // (x + c) << k = (x << k) + (c << k), modulo 2^32
    if (!fits(c)) return false;
    const key = opKey(g, 'sll', false, bare(a), konst(k));
    if (reuse(g, key, [bare(a)], c)) return true;
    const d = g.dest([bare(a)]);
    code.i('slli', d, a.n, k);
    g.result(d, [bare(a)], c, key);
    return true;
  }
  if ((s.r === 'add' || s.r === 'sub') && inReg(b) && (a.c || b.c)) {
    const c = (a.c ?? 0) + (s.r === 'add' ? b.c ?? 0 : -(b.c ?? 0));
    if (!fits(c)) return false;
    const key = opKey(g, s.r, s.r === 'add', bare(a), bare(b));
    if (reuse(g, key, [bare(a), bare(b)], c)) return true;
    const d = g.dest([bare(a), bare(b)]);
    code.r(s.r, d, a.n, b.n);
    g.result(d, [bare(a), bare(b)], c, key);
    return true;
  }
  return false;
}

function binop(g: FuncGen, s: BinSpec): void {
  let b = g.popV(), a = g.popV();
  if (s.comm && (a.k === K.CONST || (a.c && !b.c)) && b.k !== K.CONST) [a, b] = [b, a];
  if (addendOp(g, s, a, b)) return;
  const pow2 = s.r === 'mul' && b.k === K.CONST ? log2(b.n >>> 0) : -1;
  const key = pow2 >= 0 ? opKey(g, 'sll', false, a, konst(pow2)) : opKey(g, s.r, s.comm === true, a, b);
  if (reuse(g, key, [a, b])) return;
  if (b.k === K.CONST && s.i) {
    const imm = s.shift ? b.n & 31 : s.neg ? -b.n : b.n;
    if (fits(imm)) {
      const ra = g.regOf(a, T5);
      const d = g.dest([a]);
      g.code.i(s.i, d, ra, imm);
      g.result(d, [a], 0, key);
      return;
    }
  }
  if (pow2 >= 0) {
    const ra = g.regOf(a, T5);
    const d = g.dest([a]);
    g.code.i('slli', d, ra, pow2);
    g.result(d, [a], 0, key);
    return;
  }
  const ra = g.regOf(a, T5), rb = g.regOf(b, T6);
  const d = g.dest([a, b]);
  g.code.r(s.r, d, ra, rb);
  g.result(d, [a, b], 0, key);
}

/** Comparisons stay pending: [branch, swap operands]. */
const COMPARE: Readonly<Record<number, [Branch, boolean]>> = {
  0x46: ['beq', false], 0x47: ['bne', false], 0x48: ['blt', false], 0x49: ['bltu', false],
  0x4a: ['blt', true], 0x4b: ['bltu', true], 0x4c: ['bge', true], 0x4d: ['bgeu', true],
  0x4e: ['bge', false], 0x4f: ['bgeu', false],
};

function compare(g: FuncGen, op: Branch, swap: boolean): void {
  const b = g.popV(), a = g.popV();
  g.push(swap ? condEntry(op, b, a) : condEntry(op, a, b));
}

function eqz(g: FuncGen): void {
  const e = g.pop();
  g.push(e.cond ? { ...e, cond: notCond(e.cond) } : condEntry('beq', e.lo, CONST0));
}

/** div_s, div_u, rem_s, rem_u with wasm's traps. */
function divrem(g: FuncGen, name: 'div' | 'divu' | 'rem' | 'remu'): void {
  const b = g.popV(), a = g.popV();
  const code = g.code;
  if (b.k === K.CONST) {
    const c = b.n;
    if (c === 0) {
      code.j(g.trapLabel(TRAPS.DIV_ZERO));
      g.release(a);
      g.push(i32Entry(CONST0));
      return;
    }
    if (c === -1 && name === 'rem') { g.release(a); g.push(i32Entry(CONST0)); return; }
    const ra = g.regOf(a, T5);
    if (c === -1 && name === 'div') {
      code.op('lui', T6, 0, 0, 0x80000);
      code.branch('beq', ra, T6, g.trapLabel(TRAPS.OVERFLOW));
      const d = g.dest([a]);
      code.r('sub', d, ZERO, ra);
      g.result(d, [a]);
      return;
    }
    const k = log2(c);
    if (k >= 0 && (name === 'divu' || name === 'remu')) {
      const d = g.dest([a]);
      if (name === 'divu') code.i('srli', d, ra, k);
      else if (fits(c - 1)) code.i('andi', d, ra, c - 1);
      else { code.li(T6, c - 1); code.r('and', d, ra, T6); }
      g.result(d, [a]);
      return;
    }
    const rb = g.regOf(b, T6);
    const d = g.dest([a]);
    code.r(name, d, ra, rb);
    g.result(d, [a]);
    return;
  }
  const ra = g.regOf(a, T5), rb = g.regOf(b, T6);
  code.branch('beq', rb, ZERO, g.trapLabel(TRAPS.DIV_ZERO));
  if (name === 'div') {
    const t = g.allocReg();
    const ok = new Label();
    code.i('addi', t, rb, 1);
    code.branch('bne', t, ZERO, ok);
    code.op('lui', t, 0, 0, 0x80000);
    code.branch('beq', ra, t, g.trapLabel(TRAPS.OVERFLOW));
    code.label(ok);
    g.release(reg(K.TEMP, t));
  }
  const d = g.dest([a, b]);
  code.r(name, d, ra, rb);
  g.result(d, [a, b]);
}

function rotate(g: FuncGen, left: boolean): void {
  let b = g.popV(), a = g.popV();
  const code = g.code;
  if (b.k === K.CONST) {
    const k = left ? b.n & 31 : (32 - (b.n & 31)) & 31;
    if (k === 0) { g.push(i32Entry(a)); return; }
    const ra = g.regOf(a, T5);
    code.i('slli', T6, ra, k);
    const d = g.dest([a]);
    code.i('srli', d, ra, 32 - k);
    code.r('or', d, d, T6);
    g.result(d, [a]);
    return;
  }
  a = g.pin(a);
  b = g.pin(b, a.k === K.TEMP ? 1 << a.n : 0);
  const [x, n] = [a.n, b.n];
  code.r(left ? 'sll' : 'srl', T5, x, n);
  code.r('sub', T6, ZERO, n);
  code.r(left ? 'srl' : 'sll', T6, x, T6);
  const d = g.dest([a, b]);
  code.r('or', d, T5, T6);
  g.result(d, [a, b]);
}

/** clz/ctz by binary search: t5 holds the shrinking value, d the count. */
function countZeros(g: FuncGen, leading: boolean): void {
  const a = g.popV();
  const code = g.code;
  code.mv(T5, g.regOf(a, T5));
  const d = g.dest([a]);
  code.li(d, 0);
  for (const k of [16, 8, 4, 2, 1]) {
    const skip = new Label();
    code.i(leading ? 'srli' : 'slli', T6, T5, 32 - k);
    code.branch('bne', T6, ZERO, skip);
    code.i('addi', d, d, k);
    code.i(leading ? 'slli' : 'srli', T5, T5, k);
    code.label(skip);
  }
  if (leading) code.i('srli', T6, T5, 31);
  else code.i('andi', T6, T5, 1);
  code.i('xori', T6, T6, 1);
  code.r('add', d, d, T6);
  g.result(d, [a]);
}

function extend(g: FuncGen, bits: number): void {
  const a = g.popV();
  const ra = g.regOf(a, T5);
  const d = g.dest([a]);
  g.code.i('slli', d, ra, 32 - bits);
  g.code.i('srai', d, d, 32 - bits);
  g.result(d, [a]);
}

// --- memory ---------------------------------------------------------------------

/**
 * The base register and immediate for an access of `extra + 4` bytes at wasm
 * address `addr` + `offset`. Emits what the address needs into t5/t6.
 */
export function memAddress(g: FuncGen, addr: V, offset: number, extra: number): { base: number; imm: number } {
  const code = g.code;
  if (addr.k === K.CONST) {
    const ea = (addr.n >>> 0) + offset;
    if (ea + extra > 0xffffffff) {
      code.j(g.trapLabel(TRAPS.MEM_OOB));
      return { base: ZERO, imm: 0 };
    }
    const cr = g.constReg(addr.n);
    if (cr !== undefined && offset + extra <= 2047) return { base: cr, imm: offset };
    const { hi, lo } = hiLo(ea | 0);
    code.op('lui', T5, 0, 0, hi);
    if (fits(lo + extra)) return { base: T5, imm: lo };
    code.i('addi', T5, T5, lo);
    return { base: T5, imm: 0 };
  }
  if ((addr.k === K.TEMP || addr.k === K.LREG) && addr.c) {
    // A pending addend joins the offset (if that wraps past 4 GiB, the
    // address lands in the unmapped null guard or top of memory, as wasm's would trap).
    const imm = offset + addr.c;
    if (imm >= -2048 && imm + extra <= 2047) return { base: addr.n, imm };
  }
  const rb = g.regOf(addr, T5);
  if (offset + extra <= 2047) return { base: rb, imm: offset };
  code.li(T6, offset);
  if (offset + extra < LAYOUT.nullGuardEnd) {
    // Wrapping past 4 GiB lands in the never-mapped null guard, which faults.
    code.r('add', T5, rb, T6);
    return { base: T5, imm: 0 };
  }
  code.r('add', T6, rb, T6);
  code.branch('bltu', T6, rb, g.trapLabel(TRAPS.MEM_OOB));
  return { base: T6, imm: 0 };
}

/** Loads: [instruction, result is i64, sign of the high word: 's' signed, 'u' zero, 'w' a second word]. */
const LOADS: Readonly<Record<number, [string, boolean, string]>> = {
  0x28: ['lw', false, ''], 0x2c: ['lb', false, ''], 0x2d: ['lbu', false, ''], 0x2e: ['lh', false, ''], 0x2f: ['lhu', false, ''],
  0x29: ['lw', true, 'w'], 0x30: ['lb', true, 's'], 0x31: ['lbu', true, 'u'], 0x32: ['lh', true, 's'], 0x33: ['lhu', true, 'u'],
  0x34: ['lw', true, 's'], 0x35: ['lw', true, 'u'],
};

function load(g: FuncGen, ins: Insn, [op, wide, hi]: [string, boolean, string]): void {
  const addr = g.popV();
  const key = wide ? undefined : g.cache.loadKey(op, addr, ins.a);
  if (reuse(g, key, [addr])) return;
  const { base, imm } = memAddress(g, addr, ins.a, hi === 'w' ? 4 : 0);
  if (!wide) {
    const d = g.dest([addr]);
    g.code.load(op, d, base, imm);
    g.result(d, [addr], 0, key);
    return;
  }
  const avoid = addr.k === K.TEMP || addr.k === K.LREG ? 1 << addr.n : 0;
  const lo = g.allocReg(avoid);
  g.code.load(op, lo, base, imm);
  let h: V = CONST0;
  if (hi !== 'u') {
    const r = g.allocReg(avoid);
    if (hi === 'w') g.code.load('lw', r, base, imm + 4);
    else g.code.i('srai', r, lo, 31);
    h = reg(K.TEMP, r);
  }
  g.release(addr);
  g.push(i64Entry(reg(K.TEMP, lo), h));
}

/** Stores: [instruction, value is i64, bytes]. */
const STORES: Readonly<Record<number, [string, boolean, number]>> = {
  0x36: ['sw', false, 4], 0x3a: ['sb', false, 1], 0x3b: ['sh', false, 2],
  0x37: ['sw', true, 8], 0x3c: ['sb', true, 1], 0x3d: ['sh', true, 2], 0x3e: ['sw', true, 4],
};

function store(g: FuncGen, ins: Insn, [op, wide, bytes]: [string, boolean, number]): void {
  const val = g.pop();
  const addr = g.popV();
  const lo = val.cond ? g.condToReg(val.cond) : val.lo;
  const { base, imm } = memAddress(g, addr, ins.a, bytes === 8 ? 4 : 0);
  const scratch = base === T6 ? T5 : T6;
  g.code.store(op, g.regOf(lo, scratch), base, imm);
  if (bytes === 8) g.code.store('sw', g.regOf(val.hi, scratch), base, imm + 4);
  g.release(lo);
  if (wide) g.release(val.hi);
  g.release(addr);
  g.cache.memoryWritten();
}

function selectOp(g: FuncGen): void {
  const ce = g.pop();
  const cond = ce.cond ?? { op: 'bne' as Branch, a: ce.lo, b: CONST0 };
  const eb = g.pop(), ea = g.pop();
  const code = g.code;
  const skip = new Label();
  if (ea.t === 'i32') {
    const va = ea.cond ? g.condToReg(ea.cond) : ea.lo, vb = eb.cond ? g.condToReg(eb.cond) : eb.lo;
    if (va.k === K.TEMP && !va.c) {
      g.branchCond(cond, skip);
      g.moveTo(va.n, vb);
      code.label(skip);
      g.release(vb);
      g.push(i32Entry(va));
      return;
    }
    const d = g.allocReg();
    g.moveTo(d, vb);
    g.branchCond(notCond(cond), skip);
    g.moveTo(d, va);
    code.label(skip);
    g.release(va);
    g.release(vb);
    g.push(i32Entry(reg(K.TEMP, d)));
    return;
  }
  // The result goes where b's words are when they are temporaries (an
  // instruction may hold at most six registers: a, b, the condition's two, the result's two).
  const into = (v: V): number => {
    if (v.k === K.TEMP && !v.c) return v.n;
    const r = g.allocReg();
    g.moveTo(r, v);
    g.release(v);
    return r;
  };
  const lo = into(eb.lo), hi = into(eb.hi);
  g.branchCond(notCond(cond), skip);
  g.moveTo(lo, ea.lo);
  g.moveTo(hi, ea.hi);
  code.label(skip);
  g.releaseEntry(ea);
  g.push(i64Entry(reg(K.TEMP, lo), reg(K.TEMP, hi)));
}

function memorySize(g: FuncGen): void {
  const d = g.dest([]);
  g.code.load('lw', d, REG.gp, g.ctx.memPagesOff);
  g.result(d, []);
}

export const OPS32 = new Map<number, OpHandler>([
  [OP.i32_const, (g, ins) => g.push(i32Entry({ k: K.CONST, n: ins.a | 0 }))],
  [0x45, (g) => eqz(g)],
  [0x67, (g) => countZeros(g, true)],
  [0x68, (g) => countZeros(g, false)],
  [0x69, (g) => g.callHelper('popcnt32', 1, ['i32'])],
  [0x6a, (g) => binop(g, { r: 'add', i: 'addi', comm: true })],
  [0x6b, (g) => binop(g, { r: 'sub', i: 'addi', neg: true })],
  [0x6c, (g) => binop(g, { r: 'mul', comm: true })],
  [0x6d, (g) => divrem(g, 'div')],
  [0x6e, (g) => divrem(g, 'divu')],
  [0x6f, (g) => divrem(g, 'rem')],
  [0x70, (g) => divrem(g, 'remu')],
  [0x71, (g) => binop(g, { r: 'and', i: 'andi', comm: true })],
  [0x72, (g) => binop(g, { r: 'or', i: 'ori', comm: true })],
  [0x73, (g) => binop(g, { r: 'xor', i: 'xori', comm: true })],
  [0x74, (g) => binop(g, { r: 'sll', i: 'slli', shift: true })],
  [0x75, (g) => binop(g, { r: 'sra', i: 'srai', shift: true })],
  [0x76, (g) => binop(g, { r: 'srl', i: 'srli', shift: true })],
  [0x77, (g) => rotate(g, true)],
  [0x78, (g) => rotate(g, false)],
  [0xc0, (g) => extend(g, 8)],
  [0xc1, (g) => extend(g, 16)],
  [OP.select, (g) => selectOp(g)],
  [OP.select_t, (g) => selectOp(g)],
  [OP.memory_size, (g) => memorySize(g)],
  [OP.memory_grow, (g) => g.callHelper('memory_grow', 1, ['i32'])],
  [OP.memory_copy, (g) => g.callHelper('memory_copy', 3, [])],
  [OP.memory_fill, (g) => g.callHelper('memory_fill', 3, [])],
]);
for (const [op, [br, swap]] of Object.entries(COMPARE)) OPS32.set(Number(op), (g) => compare(g, br, swap));
for (const [op, spec] of Object.entries(LOADS)) OPS32.set(Number(op), (g, ins) => load(g, ins, spec));
for (const [op, spec] of Object.entries(STORES)) OPS32.set(Number(op), (g, ins) => store(g, ins, spec));
