// The code generator's model of the wasm operand stack.
//
// Each 32-bit value on the stack is a V: a constant not yet loaded, a
// temporary register the entry owns, a lazy reference to a local's home (a
// `local.get` costs nothing until the value is used), or a frame slot the
// entry owns after a spill. A register value may carry a pending addend `c`
// (value = register + c): `p + 8` costs nothing until used, and as an
// address it becomes the load's offset. An entry is an i32 (lo), an i64 (lo and hi), or
// an i32 that is still an unevaluated comparison (cond), which a following
// br_if, if or select turns into one branch instruction.
//
// Entry points: V, K, Entry, Cond, CONST0, konst, isZero, vreads, condOf.

import { BR, type Branch } from './emit.ts';

/** Kinds of 32-bit operand. */
export const K = {
  /** A constant; n is its value. */
  CONST: 0,
  /** A temporary register owned by the entry; n is the register. */
  TEMP: 1,
  /** A local's register home, read lazily; n is the register. */
  LREG: 2,
  /** A local's frame slot, read lazily; n is the sp offset. */
  LSLOT: 3,
  /** A frame slot owned by the entry after a spill; n is the sp offset. */
  SPILL: 4,
} as const;

export interface V {
  k: number;
  n: number;
  /** TEMP and LREG only: a constant still to be added. */
  c?: number;
  /** What the register holds, for the value cache (codegen.ts): `l3.2` (local 3 as of its 2nd write), `add(l3.2,#4)`, ... */
  key?: string;
}

/** value = (a op b) ? 1 : 0, with op one of the RISC-V branch conditions. */
export interface Cond { op: Branch; a: V; b: V }

export interface Entry {
  t: 'i32' | 'i64';
  lo: V;
  /** The high word of an i64 (CONST0 for an i32). */
  hi: V;
  cond: Cond | null;
}

export const CONST0: V = { k: K.CONST, n: 0 };
export const konst = (n: number): V => ({ k: K.CONST, n: n | 0 });
export const isZero = (v: V): boolean => v.k === K.CONST && v.n === 0;
export const reg = (k: number, n: number): V => ({ k, n });

export const i32Entry = (lo: V): Entry => ({ t: 'i32', lo, hi: CONST0, cond: null });
export const i64Entry = (lo: V, hi: V): Entry => ({ t: 'i64', lo, hi, cond: null });
export const condEntry = (op: Branch, a: V, b: V): Entry => ({ t: 'i32', lo: CONST0, hi: CONST0, cond: { op, a, b } });

/** Every operand an entry reads. */
export function vreads(e: Entry): V[] {
  return e.cond ? [e.cond.a, e.cond.b] : e.t === 'i64' ? [e.lo, e.hi] : [e.lo];
}

/** The negation of a condition. */
export function notCond(c: Cond): Cond {
  return { op: BR[c.op], a: c.a, b: c.b };
}
