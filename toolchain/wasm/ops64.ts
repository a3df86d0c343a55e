// i64 operators on register pairs (low word, high word), for the code
// generator. Addition, subtraction, multiplication, bitwise operators,
// comparisons, shifts by a constant and the conversions are inline; division
// and remainder (after wasm's trap checks), shifts and rotations by a
// variable amount and the bit counts call runtime routines (runtime.ts).
// Results go to fresh registers, so no sequence has to care about aliasing.
//
// Entry points: OPS64 (opcode -> handler).

import type { FuncGen, HelperName } from './codegen.ts';
import type { OpHandler } from './ops32.ts';
import { REG, Label } from './emit.ts';
import { K, CONST0, konst, reg, isZero, i32Entry, i64Entry, condEntry, type V, type Entry } from './values.ts';
import { TRAPS } from './abi.ts';
import { OP } from './opcodes.ts';
import { isCallInsn } from './analyze.ts';

const { T5, T6, ZERO } = { T5: REG.t5, T6: REG.t6, ZERO: REG.zero };
const temp = (r: number): V => reg(K.TEMP, r);
const rn = (v: V): number => (v.k === K.CONST ? ZERO : v.n);

/** Both halves in registers of their own or x0 (never scratch). */
function pin64(g: FuncGen, e: Entry): [V, V] {
  const lo = g.pin(e.lo);
  const hi = g.pin(e.hi);
  return [lo, hi];
}

function pair(g: FuncGen): [V, V, V, V] {
  const b = g.pop(), a = g.pop();
  const [al, ah] = pin64(g, a);
  const [bl, bh] = pin64(g, b);
  return [al, ah, bl, bh];
}

function done(g: FuncGen, inputs: V[], lo: V, hi: V): void {
  for (const v of inputs) if (v !== lo && v !== hi) g.release(v);
  g.push(i64Entry(lo, hi));
}

function add(g: FuncGen): void {
  const b = g.pop(), a = g.pop();
  const code = g.code;
  if (b.lo.k === K.CONST && b.hi.k === K.CONST && b.hi.n === 0 && b.lo.n >= 0 && b.lo.n <= 2047) {
    const [al, ah] = pin64(g, a);
    const dl = g.allocReg(), dh = g.allocReg();
    code.i('addi', dl, rn(al), b.lo.n);
    code.r('sltu', T6, dl, rn(al));
    code.r('add', dh, rn(ah), T6);
    done(g, [al, ah], temp(dl), temp(dh));
    return;
  }
  const [al, ah] = pin64(g, a);
  const [bl, bh] = pin64(g, b);
  const dl = g.allocReg(), dh = g.allocReg();
  code.r('add', dl, rn(al), rn(bl));
  code.r('sltu', T6, dl, rn(bl));
  code.r('add', dh, rn(ah), rn(bh));
  code.r('add', dh, dh, T6);
  done(g, [al, ah, bl, bh], temp(dl), temp(dh));
}

function sub(g: FuncGen): void {
  const [al, ah, bl, bh] = pair(g);
  const code = g.code;
  const dl = g.allocReg(), dh = g.allocReg();
  code.r('sltu', T6, rn(al), rn(bl));
  code.r('sub', dl, rn(al), rn(bl));
  code.r('sub', dh, rn(ah), rn(bh));
  code.r('sub', dh, dh, T6);
  done(g, [al, ah, bl, bh], temp(dl), temp(dh));
}

function mul(g: FuncGen): void {
  const [al, ah, bl, bh] = pair(g);
  const code = g.code;
  const dl = g.allocReg(), dh = g.allocReg();
  // hi = mulhu(al, bl) + al * bh + ah * bl; the cross terms vanish for zero high words (extended u32s).
  const cross = [[al, bh], [ah, bl]].filter(([x, y]) => !isZero(x) && !isZero(y));
  if (cross.length === 0) code.r('mulhu', dh, rn(al), rn(bl));
  else {
    cross.forEach(([x, y], i) => code.r('mul', i === 0 ? T5 : T6, rn(x), rn(y)));
    if (cross.length === 2) code.r('add', T5, T5, T6);
    code.r('mulhu', T6, rn(al), rn(bl));
    code.r('add', dh, T5, T6);
  }
  code.r('mul', dl, rn(al), rn(bl));
  done(g, [al, ah, bl, bh], temp(dl), temp(dh));
}

function bitwise(g: FuncGen, op: string): void {
  const [al, ah, bl, bh] = pair(g);
  const dl = g.allocReg(), dh = g.allocReg();
  g.code.r(op, dl, rn(al), rn(bl));
  g.code.r(op, dh, rn(ah), rn(bh));
  done(g, [al, ah, bl, bh], temp(dl), temp(dh));
}

/** shl / shr_s / shr_u by a constant amount. */
function shiftConst(g: FuncGen, kind: 'shl' | 'shr_s' | 'shr_u', k: number, a: Entry): void {
  const code = g.code;
  if (k === 0) { g.push(a); return; }
  const [al, ah] = pin64(g, a);
  const l = rn(al), h = rn(ah);
  if (kind === 'shl') {
    if (k >= 32) {
      const dh = g.allocReg();
      code.i('slli', dh, l, k - 32);
      return done(g, [al, ah], CONST0, temp(dh));
    }
    const dl = g.allocReg(), dh = g.allocReg();
    code.i('slli', T5, h, k);
    code.i('srli', T6, l, 32 - k);
    code.r('or', dh, T5, T6);
    code.i('slli', dl, l, k);
    return done(g, [al, ah], temp(dl), temp(dh));
  }
  const sr = kind === 'shr_s' ? 'srai' : 'srli';
  if (k >= 32) {
    const dl = g.allocReg();
    code.i(sr, dl, h, k - 32);
    if (kind === 'shr_u') return done(g, [al, ah], temp(dl), CONST0);
    const dh = g.allocReg();
    code.i('srai', dh, h, 31);
    return done(g, [al, ah], temp(dl), temp(dh));
  }
  const dl = g.allocReg(), dh = g.allocReg();
  code.i('srli', T5, l, k);
  code.i('slli', T6, h, 32 - k);
  code.r('or', dl, T5, T6);
  code.i(sr, dh, h, k);
  done(g, [al, ah], temp(dl), temp(dh));
}

function shift(g: FuncGen, kind: 'shl' | 'shr_s' | 'shr_u', helper: HelperName): void {
  if (isCallInsn(g.body, g.pc)) {
    g.callHelper(helper, 2, ['i64']);
    return;
  }
  const b = g.pop(), a = g.pop();
  shiftConst(g, kind, b.lo.n & 63, a);
}

/** lt with [signed] high words; operands swapped for gt/le, result negated for le/ge. */
function compare(g: FuncGen, signed: boolean, swap: boolean, negate: boolean): void {
  let [al, ah, bl, bh] = pair(g);
  if (swap) [al, ah, bl, bh] = [bl, bh, al, ah];
  const code = g.code;
  const d = g.allocReg();
  const high = new Label(), out = new Label();
  code.branch('bne', rn(ah), rn(bh), high);
  code.r('sltu', d, rn(al), rn(bl));
  code.j(out);
  code.label(high);
  code.r(signed ? 'slt' : 'sltu', d, rn(ah), rn(bh));
  code.label(out);
  if (negate) code.i('xori', d, d, 1);
  for (const v of [al, ah, bl, bh]) g.release(v);
  g.push(i32Entry(temp(d)));
}

function equal(g: FuncGen, eq: boolean): void {
  const [al, ah, bl, bh] = pair(g);
  const d = g.allocReg();
  g.code.r('xor', T5, rn(al), rn(bl));
  g.code.r('xor', T6, rn(ah), rn(bh));
  g.code.r('or', d, T5, T6);
  for (const v of [al, ah, bl, bh]) g.release(v);
  g.push(condEntry(eq ? 'beq' : 'bne', temp(d), CONST0));
}

function eqz(g: FuncGen): void {
  const a = g.pop();
  if (a.hi.k === K.CONST && a.hi.n === 0) { g.push(condEntry('beq', a.lo, CONST0)); return; }
  const d = g.allocReg();
  g.code.r('or', d, g.regOf(a.lo, T5), g.regOf(a.hi, T6));
  g.releaseEntry(a);
  g.push(condEntry('beq', temp(d), CONST0));
}

/** Division and remainder: wasm's traps inline (so they name the right line), the work in a routine. */
function divide(g: FuncGen, helper: HelperName, signedDiv: boolean): void {
  // The operands stay on the stack for the call; the checks only read them.
  const b = g.stack[g.stack.length - 1], a = g.stack[g.stack.length - 2];
  const code = g.code;
  const bl = g.regOf(b.lo, T5), bh = g.regOf(b.hi, T6);
  code.r('or', T6, bl, bh);
  code.branch('beq', T6, ZERO, g.trapLabel(TRAPS.DIV_ZERO));
  if (signedDiv) {
    const ok = new Label();
    const bl2 = g.regOf(b.lo, T5), bh2 = g.regOf(b.hi, T6);
    code.r('and', T6, bl2, bh2);
    code.i('addi', T6, T6, 1);
    code.branch('bne', T6, ZERO, ok); // divisor is not -1
    code.branch('bne', g.regOf(a.lo, T5), ZERO, ok);
    const ah = g.regOf(a.hi, T6);
    code.op('lui', T5, 0, 0, 0x80000);
    code.branch('beq', ah, T5, g.trapLabel(TRAPS.OVERFLOW));
    code.label(ok);
  }
  g.callHelper(helper, 2, ['i64']);
}

function extendFrom32(g: FuncGen, signed: boolean): void {
  const a = g.popV();
  if (a.k === K.CONST) { g.push(i64Entry(a, konst(signed ? a.n >> 31 : 0))); return; }
  if (!signed) { g.push(i64Entry(a, CONST0)); return; }
  const h = g.allocReg();
  g.code.i('srai', h, g.regOf(a, T5), 31);
  g.push(i64Entry(a, temp(h)));
}

function extendLow(g: FuncGen, bits: number): void {
  const a = g.pop();
  g.release(a.hi);
  const code = g.code;
  let lo = a.lo;
  if (bits < 32) {
    const dl = g.allocReg();
    const r = g.regOf(a.lo, T5);
    code.i('slli', dl, r, 32 - bits);
    code.i('srai', dl, dl, 32 - bits);
    g.release(a.lo);
    lo = temp(dl);
  }
  const dh = g.allocReg();
  code.i('srai', dh, g.regOf(lo, T5), 31);
  g.push(i64Entry(lo, temp(dh)));
}

function wrap(g: FuncGen): void {
  const a = g.pop();
  g.release(a.hi);
  g.push(i32Entry(a.lo));
}

const helperOp = (name: HelperName, nargs: number): OpHandler => (g) => g.callHelper(name, nargs, ['i64']);

export const OPS64 = new Map<number, OpHandler>([
  [OP.i64_const, (g, ins) => g.push(i64Entry(konst(Number(BigInt.asIntN(32, ins.big!))), konst(Number(BigInt.asIntN(32, ins.big! >> 32n)))))],
  [0x50, (g) => eqz(g)],
  [0x51, (g) => equal(g, true)],
  [0x52, (g) => equal(g, false)],
  [0x53, (g) => compare(g, true, false, false)], // lt_s
  [0x54, (g) => compare(g, false, false, false)], // lt_u
  [0x55, (g) => compare(g, true, true, false)], // gt_s
  [0x56, (g) => compare(g, false, true, false)], // gt_u
  [0x57, (g) => compare(g, true, true, true)], // le_s
  [0x58, (g) => compare(g, false, true, true)], // le_u
  [0x59, (g) => compare(g, true, false, true)], // ge_s
  [0x5a, (g) => compare(g, false, false, true)], // ge_u
  [0x79, helperOp('clz64', 1)],
  [0x7a, helperOp('ctz64', 1)],
  [0x7b, helperOp('popcnt64', 1)],
  [0x7c, (g) => add(g)],
  [0x7d, (g) => sub(g)],
  [0x7e, (g) => mul(g)],
  [0x7f, (g) => divide(g, 'divs64', true)],
  [0x80, (g) => divide(g, 'divu64', false)],
  [0x81, (g) => divide(g, 'rems64', false)],
  [0x82, (g) => divide(g, 'remu64', false)],
  [0x83, (g) => bitwise(g, 'and')],
  [0x84, (g) => bitwise(g, 'or')],
  [0x85, (g) => bitwise(g, 'xor')],
  [0x86, (g) => shift(g, 'shl', 'shl64')],
  [0x87, (g) => shift(g, 'shr_s', 'shrs64')],
  [0x88, (g) => shift(g, 'shr_u', 'shru64')],
  [0x89, helperOp('rotl64', 2)],
  [0x8a, helperOp('rotr64', 2)],
  [0xa7, (g) => wrap(g)],
  [0xac, (g) => extendFrom32(g, true)],
  [0xad, (g) => extendFrom32(g, false)],
  [0xc2, (g) => extendLow(g, 8)],
  [0xc3, (g) => extendLow(g, 16)],
  [0xc4, (g) => extendLow(g, 32)],
]);
