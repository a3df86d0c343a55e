// Calls in translated code: wasm calls, call_indirect (table bounds and
// signature checked, wasm's traps), the user runtime's system calls
// (tessera.syscallN becomes ecall: number in a7, arguments in a0..), and the
// runtime routines some instructions need.
//
// Convention between translated functions (codegen.ts): arguments in a0-a7
// (an i64 takes two, low word first), the rest at 0(sp) up; results in a0
// (a0/a1); s0-s11, tp, gp, sp preserved. Before a call, stack values in
// caller-saved registers move to the frame, while they are still on the
// stack (so that finding registers for the arguments can spill).
//
// Entry points: callN, doCall, doCallIndirect, ARG_REGS.

import { REG } from './emit.ts';
import type { Insn, ValType } from './reader.ts';
import { i32Entry, type V } from './values.ts';
import { TRAPS } from './abi.ts';
import { TranslateError, type FuncGen } from './codegen.ts';

const { T5, T6, SP, ZERO } = { T5: REG.t5, T6: REG.t6, SP: REG.sp, ZERO: REG.zero };
export const ARG_REGS: readonly number[] = [REG.a0, REG.a1, REG.a2, REG.a3, REG.a4, REG.a5, REG.a6, REG.a7];

/**
 * Before a call taking the top `n` stack entries: evaluate their pending
 * comparisons and spill what the call clobbers below them; then pop them, as words.
 */
function callSetup(g: FuncGen, n: number): V[] {
  for (let i = g.stack.length - n; i < g.stack.length; i++) {
    const e = g.stack[i];
    if (e.cond) g.stack[i] = i32Entry(g.condToReg(e.cond));
  }
  g.normalize(n, 'caller', true);
  const words: V[] = [];
  for (const e of g.stack.splice(g.stack.length - n)) {
    words.push(e.lo);
    if (e.t === 'i64') words.push(e.hi);
  }
  return words;
}

/**
 * Arguments to `regs` (words past them to the stack), emit `jump`, push the
 * results. Only t6 is used as scratch, so t5 may hold a call target.
 */
function callEmit(g: FuncGen, words: V[], regs: readonly number[], results: ValType[], jump: () => void): void {
  for (let k = regs.length; k < words.length; k++) g.code.store('sw', g.regOf(words[k], T6), SP, 4 * (k - regs.length));
  g.parallelMove(words.slice(0, regs.length).map((src, k) => ({ dst: regs[k], src })));
  for (const v of words) g.release(v);
  jump();
  g.pushCallResults(results);
}

/** Call with the top `n` stack entries as arguments (in `regs`, then on the stack). */
export function callN(g: FuncGen, n: number, results: ValType[], jump: () => void, regs: readonly number[] = ARG_REGS): void {
  callEmit(g, callSetup(g, n), regs, results, jump);
}

export function doCall(g: FuncGen, ins: Insn): void {
  const m = g.ctx.m;
  const type = m.types[m.funcTypes[ins.a]];
  const nsys = g.ctx.syscallArgs[ins.a];
  if (nsys !== undefined) {
    // tessera.syscallN(n, a0..aN-1): number to a7, arguments to a0.., ecall.
    callN(g, type.params.length, type.results, () => g.code.ecall(), [REG.a7, ...ARG_REGS.slice(0, nsys)]);
    return;
  }
  const l = g.ctx.funcLabels[ins.a]!;
  callN(g, type.params.length, type.results, () => g.code.call(l));
}

/** call_indirect: index within the table, entry's signature id equal to the type's, then jalr. */
export function doCallIndirect(g: FuncGen, ins: Insn): void {
  const type = g.ctx.m.types[ins.a];
  const table = g.ctx.table;
  if (!table) throw new TranslateError(`function ${g.name}: call_indirect without a table`);
  // Look the entry up before the argument moves; the target stays in t5.
  const words = callSetup(g, type.params.length + 1);
  const idx = words.pop()!;
  const r = g.regOf(idx, T5);
  const code = g.code;
  code.li(T6, table.size);
  code.branch('bgeu', r, T6, g.trapLabel(TRAPS.TABLE_OOB));
  code.i('slli', T6, r, 3);
  code.la(T5, table.label);
  code.r('add', T5, T5, T6);
  code.load('lw', T6, T5, 0);
  code.addImm(T6, T6, -g.ctx.sigIds[ins.a], T6);
  code.branch('bne', T6, ZERO, g.trapLabel(TRAPS.INDIRECT));
  code.load('lw', T5, T5, 4);
  g.release(idx);
  callEmit(g, words, ARG_REGS, type.results, () => code.op('jalr', REG.ra, T5, 0, 0));
}
