// What the register allocator needs to know about one function before any
// code is generated: the structure of its blocks (matching else/end), which
// instructions become calls, and, from a liveness analysis over the
// function's control-flow graph, which locals are live across a call, which
// are read before being written (so need wasm's zero initialisation), which
// pairs of locals are live at the same time, and how hot each local is
// (uses weighted by loop depth).
//
// Entry points: analyzeFunction, Analysis, isCallInsn.

import type { Insn, ValType, WasmModule, Func } from './reader.ts';
import { OP } from './opcodes.ts';

/**
 * Instructions the translator implements with a call to a runtime routine;
 * like wasm calls they clobber the caller-saved registers.
 */
const HELPER_OPS = new Set<number>([
  OP.memory_grow, OP.memory_copy, OP.memory_fill, OP.memory_init,
  0x69, // i32.popcnt
  0x79, 0x7a, 0x7b, // i64.clz ctz popcnt
  0x7f, 0x80, 0x81, 0x82, // i64.div_s div_u rem_s rem_u
  0x89, 0x8a, // i64.rotl rotr
]);
/** i64 shifts: a call unless the amount is a constant (then inline). */
const I64_SHIFTS = new Set<number>([0x86, 0x87, 0x88]);

export function isCallInsn(body: Insn[], i: number): boolean {
  const op = body[i].op;
  if (op === OP.call || op === OP.call_indirect || HELPER_OPS.has(op)) return true;
  return I64_SHIFTS.has(op) && (i === 0 || body[i - 1].op !== OP.i64_const);
}

export interface Analysis {
  /** Types of all locals, parameters first. */
  types: ValType[];
  nparams: number;
  /** For block/loop/if: index of the matching end; for if: of its else (or -1). */
  endOf: Int32Array;
  elseOf: Int32Array;
  /** For block/loop/if: 1 if a call happens anywhere inside. */
  containsCall: Uint8Array;
  hasCalls: boolean;
  /** Per local: live across some call; read before written on some path from entry; weighted use count. */
  acrossCall: boolean[];
  liveAtEntry: boolean[];
  weight: number[];
  /** Symmetric interference: interferes(a, b). */
  interferes: (a: number, b: number) => boolean;
  /** i32 constants used inside loops where they need a register, with weights (candidates for a register of their own). */
  hotConsts: Map<number, number>;
  /** Words of stack-passed arguments the largest call needs (beyond a0-a7). */
  outArgWords: number;
}

const words = (t: ValType): number => (t === 'i64' || t === 'f64' ? 2 : 1);

/** Matching end and else of every block/loop/if. */
function matchBlocks(body: Insn[]): { endOf: Int32Array; elseOf: Int32Array } {
  const endOf = new Int32Array(body.length).fill(-1), elseOf = new Int32Array(body.length).fill(-1);
  const open: number[] = [];
  body.forEach((ins, i) => {
    if (ins.op === OP.block || ins.op === OP.loop || ins.op === OP.if) open.push(i);
    else if (ins.op === OP.else) elseOf[open[open.length - 1]] = i;
    else if (ins.op === OP.end && open.length > 0) endOf[open.pop()!] = i;
  });
  return { endOf, elseOf };
}

/** Successor instruction indices (body.length = function exit). */
function successors(body: Insn[], endOf: Int32Array, elseOf: Int32Array): number[][] {
  const succ: number[][] = [];
  const open: number[] = [];
  const target = (depth: number): number => {
    if (depth >= open.length) return body.length;
    const b = open[open.length - 1 - depth];
    return body[b].op === OP.loop ? b : endOf[b];
  };
  body.forEach((ins, i) => {
    switch (ins.op) {
      case OP.block: case OP.loop: open.push(i); succ.push([i + 1]); break;
      case OP.if: open.push(i); succ.push([i + 1, elseOf[i] >= 0 ? elseOf[i] + 1 : endOf[i]]); break;
      case OP.else: succ.push([endOf[open[open.length - 1]]]); break;
      case OP.end: open.pop(); succ.push([i + 1]); break;
      case OP.br: succ.push([target(ins.a)]); break;
      case OP.br_if: succ.push([target(ins.a), i + 1]); break;
      case OP.br_table: succ.push([...new Set(ins.targets!.map(target))]); break;
      case OP.return: case OP.unreachable: succ.push([body.length]); break;
      default: succ.push([i + 1]);
    }
  });
  return succ;
}

class BitSet {
  readonly w: Uint32Array;
  constructor(n: number) { this.w = new Uint32Array((n + 31) >>> 5); }
  has(i: number): boolean { return (this.w[i >>> 5] & (1 << (i & 31))) !== 0; }
  add(i: number): void { this.w[i >>> 5] |= 1 << (i & 31); }
  del(i: number): void { this.w[i >>> 5] &= ~(1 << (i & 31)); }
  copy(): BitSet { const b = new BitSet(0); (b as { w: Uint32Array }).w = this.w.slice(); return b; }
  /** this |= o; true if it changed. */
  or(o: BitSet): boolean {
    let ch = false;
    for (let k = 0; k < this.w.length; k++) { const v = (this.w[k] | o.w[k]) >>> 0; if (v !== this.w[k]) { this.w[k] = v; ch = true; } }
    return ch;
  }
  forEach(f: (i: number) => void): void {
    for (let k = 0; k < this.w.length; k++) for (let v = this.w[k]; v !== 0; v &= v - 1) f(k * 32 + (31 - Math.clz32(v & -v)));
  }
}

/** Backward liveness over instructions; returns live-in sets per instruction index. */
function liveness(body: Insn[], succ: number[][], nlocals: number): BitSet[] {
  const n = body.length;
  const liveIn: BitSet[] = Array.from({ length: n + 1 }, () => new BitSet(nlocals));
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const ins = body[i];
      const out = new BitSet(nlocals);
      for (const s of succ[i]) out.or(liveIn[s]);
      if (ins.op === OP.local_set || ins.op === OP.local_tee) out.del(ins.a);
      else if (ins.op === OP.local_get) out.add(ins.a);
      if (liveIn[i].or(out)) changed = true;
    }
  }
  return liveIn;
}

const fits12 = (v: number): boolean => v >= -2048 && v <= 2047;
/** Comparisons, stores and R-type-only operators: a constant operand needs a register. */
const NEEDS_REG = new Set<number>([
  0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, // i32 comparisons
  0x36, 0x3a, 0x3b, // i32 stores (the value)
  0x6c, 0x6d, 0x6e, 0x6f, 0x70, // mul, div, rem
]);
/** Operators with an immediate form that a 12-bit constant fits into. */
const IMM_OPS = new Set<number>([0x6a, 0x6b, 0x71, 0x72, 0x73]);

/**
 * Whether the i32.const at `i` will want a register of its own: judged by
 * the instruction that consumes it when that is the next one (the common
 * `local.get x; i32.const c; op` shape).
 */
function constNeedsReg(body: Insn[], i: number): boolean {
  const v = body[i].a | 0, next = body[i + 1];
  if (!next || v === 0) return false;
  if (next.op === 0x6c || next.op === 0x6e || next.op === 0x70) return (v & (v - 1)) !== 0 || v < 0; // not a power of two
  if (NEEDS_REG.has(next.op)) return true;
  if (IMM_OPS.has(next.op)) return !fits12(next.op === 0x6b ? -v : v);
  return next.op >= 0x28 && next.op <= 0x3e && next.a + (v >>> 0) > 2047; // a constant address
}

export function analyzeFunction(m: WasmModule, f: Func): Analysis {
  const body = f.body;
  const ft = m.types[f.type];
  const types = [...ft.params, ...f.locals];
  const nl = types.length;
  const { endOf, elseOf } = matchBlocks(body);
  const succ = successors(body, endOf, elseOf);
  const live = liveness(body, succ, nl);

  const acrossCall = new Array<boolean>(nl).fill(false);
  const weight = new Array<number>(nl).fill(0);
  const containsCall = new Uint8Array(body.length);
  const inter = new BitSet(nl * nl);
  const link = (a: number, b: number): void => { if (a !== b) { inter.add(a * nl + b); inter.add(b * nl + a); } };
  const open: number[] = [];
  let depth = 0, outArgWords = 0, hasCalls = false;
  const hotConsts = new Map<number, number>();
  for (let i = 0; i < body.length; i++) {
    const ins = body[i];
    const after = new BitSet(nl);
    for (const s of succ[i]) after.or(live[s]);
    if (isCallInsn(body, i)) {
      hasCalls = true;
      for (const b of open) containsCall[b] = 1;
      after.forEach((x) => { acrossCall[x] = true; });
      if (ins.op === OP.call || ins.op === OP.call_indirect) {
        const t = ins.op === OP.call ? m.types[m.funcTypes[ins.a]] : m.types[ins.a];
        const w = t.params.reduce((s, p) => s + words(p), 0);
        outArgWords = Math.max(outArgWords, w - 8);
      }
    }
    const scale = 8 ** Math.min(depth, 5);
    if (ins.op === OP.local_get) weight[ins.a] += scale;
    if (ins.op === OP.local_set || ins.op === OP.local_tee) {
      weight[ins.a] += scale;
      after.forEach((x) => link(ins.a, x));
    }
    if (ins.op === OP.i32_const && depth > 0 && constNeedsReg(body, i)) {
      hotConsts.set(ins.a | 0, (hotConsts.get(ins.a | 0) ?? 0) + scale);
    }
    if (ins.op === OP.block || ins.op === OP.loop || ins.op === OP.if) {
      open.push(i);
      if (ins.op === OP.loop) depth++;
    } else if (ins.op === OP.end && open.length > 0) {
      const b = open.pop()!;
      if (body[b].op === OP.loop) depth--;
    }
  }
  // Everything live at entry is "defined" there together (parameters, zeroed locals).
  const entry = live[0].copy();
  for (let p = 0; p < ft.params.length; p++) entry.add(p);
  const atEntry: number[] = [];
  entry.forEach((x) => atEntry.push(x));
  for (const a of atEntry) for (const b of atEntry) link(a, b);
  const liveAtEntry = types.map((_, x) => live[0].has(x));
  return {
    types, nparams: ft.params.length, endOf, elseOf, containsCall, hasCalls, acrossCall, liveAtEntry, weight,
    interferes: (a, b) => inter.has(a * nl + b), hotConsts, outArgWords,
  };
}

