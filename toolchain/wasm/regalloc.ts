// Register allocation for wasm locals: every local (each 32-bit half of an
// i64) gets one home for the whole function, a register or a frame slot.
// Constants used in loops where they need a register compete for registers
// too (set once in the prologue, never written), so a loop does not rebuild
// them on every iteration.
//
// Locals are placed hottest first (uses weighted by loop depth, analyze.ts).
// A local live across a call must survive it, so it goes to a callee-saved
// register (s0-s11, tp; saved once in the prologue) or a slot; any other
// local prefers a caller-saved register (a0-a7, t0-t4), which costs nothing
// to use, and a parameter prefers the register it arrives in. Two locals
// share a register when they are never live at the same time. A few
// caller-saved registers stay out of reach of locals: they hold the operand
// stack's temporaries (codegen.ts), with t5/t6 as the code generator's
// scratch and gp pointing at the wasm globals.
//
// Entry points: allocateLocals, Allocation, Home, CALLER_SAVED, CALLEE_SAVED.

import type { Analysis } from './analyze.ts';
import { REG } from './emit.ts';

/** A local's home: a register, or a word of the frame (index among the local slots). */
export type Home = { reg: number } | { slot: number };

export const CALLER_SAVED: readonly number[] = [
  REG.a0, REG.a1, REG.a2, REG.a3, REG.a4, REG.a5, REG.a6, REG.a7, REG.t0, REG.t1, REG.t2, REG.t3, REG.t4,
];
export const CALLEE_SAVED: readonly number[] = [
  REG.s0, REG.s1, REG.s2, REG.s3, REG.s4, REG.s5, REG.s6, REG.s7, REG.s8, REG.s9, REG.s10, REG.s11, REG.tp,
];
/**
 * Registers kept for the operand stack before any local is placed, in the
 * order temporaries are taken: at least one more than any single
 * instruction needs (codegen.ts MIN_FREE_IN_BLOCK).
 */
const TEMP_FIRST: readonly number[] = [REG.t0, REG.t1, REG.t2, REG.t3, REG.t4, REG.a7, REG.a6];

export interface Allocation {
  /** Per local: one home per 32-bit half ([lo] or [lo, hi]); null if the local is never read. */
  homes: (Home | null)[][];
  /** Callee-saved registers holding locals (the prologue saves them). */
  calleeUsed: number[];
  /** Registers free for the operand stack, caller-saved first. */
  temps: number[];
  /** Frame words used by locals without a register. */
  localSlots: number;
  /** Constants that live in a register of their own, by value. */
  constRegs: Map<number, number>;
}

/** A local's half, or (local < 0) a constant wanting a register. */
interface Unit { local: number; half: number; weight: number; value?: number }

/** Place every local of an analysed function. `reads[x]` counts local.get of x. */
export function allocateLocals(an: Analysis, reads: number[]): Allocation {
  const n = an.types.length;
  const reserve = TEMP_FIRST;
  const callerPool = CALLER_SAVED.filter((r) => !reserve.includes(r));
  const homes: (Home | null)[][] = an.types.map((t) => (t === 'i64' ? [null, null] : [null]));
  const units: Unit[] = [];
  for (let x = 0; x < n; x++) {
    if (reads[x] === 0) continue;
    for (let h = 0; h < homes[x].length; h++) units.push({ local: x, half: h, weight: an.weight[x] });
  }
  for (const [value, weight] of an.hotConsts) units.push({ local: -1, half: 0, weight, value });
  units.sort((a, b) => b.weight - a.weight || a.local - b.local || a.half - b.half || (a.value ?? 0) - (b.value ?? 0));
  const holders = new Map<number, Unit[]>();
  // A constant's register is live everywhere: it shares with nothing.
  const free = (r: number, u: Unit): boolean => (holders.get(r) ?? []).every((o) =>
    o.local >= 0 && u.local >= 0 && o.local !== u.local && !an.interferes(o.local, u.local));
  let slots = 0;
  const constRegs = new Map<number, number>();
  const argReg = paramRegisters(an);
  for (const u of units) {
    if (u.local < 0) {
      const r = (an.hasCalls ? CALLEE_SAVED : [...callerPool, ...CALLEE_SAVED]).find((p) => free(p, u));
      if (r !== undefined) { constRegs.set(u.value!, r); holders.set(r, [u]); }
      continue;
    }
    const prefs: number[] = [];
    const arrive = argReg[u.local]?.[u.half];
    const across = an.acrossCall[u.local];
    if (!across) {
      if (arrive !== undefined && callerPool.includes(arrive)) prefs.push(arrive);
      prefs.push(...callerPool);
    }
    prefs.push(...CALLEE_SAVED);
    const r = prefs.find((p) => free(p, u));
    if (r === undefined) {
      homes[u.local][u.half] = { slot: slots++ };
      continue;
    }
    homes[u.local][u.half] = { reg: r };
    holders.set(r, [...(holders.get(r) ?? []), u]);
  }
  const used = new Set(holders.keys());
  return {
    homes,
    calleeUsed: CALLEE_SAVED.filter((r) => used.has(r)),
    temps: [...reserve, ...CALLER_SAVED.filter((r) => !used.has(r) && !reserve.includes(r)),
      ...CALLEE_SAVED.filter((r) => !used.has(r))],
    localSlots: slots,
    constRegs,
  };
}

/** The a-register each parameter half arrives in (undefined past a7: it comes on the stack). */
export function paramRegisters(an: Analysis): (number | undefined)[][] {
  const out: (number | undefined)[][] = [];
  let next = REG.a0;
  for (let p = 0; p < an.nparams; p++) {
    const halves = an.types[p] === 'i64' ? 2 : 1;
    const regs: (number | undefined)[] = [];
    for (let h = 0; h < halves; h++) regs.push(next <= REG.a7 ? next++ : (next++, undefined));
    out.push(regs);
  }
  return out;
}
