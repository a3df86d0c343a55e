// Instruction operands: splitting at commas and reading registers, CSRs,
// immediates with %hi/%lo/%pcrel_hi/%pcrel_lo, `offset(reg)` memory operands
// and fence sets.
//
// Entry points: Operand, splitOperands, OperandReader.

import { regNumber } from '../../vm/isa/regs.ts';
import { csrNumber } from '../../vm/isa/csr_table.ts';
import { FENCE_BITS } from '../../vm/isa/encode.ts';
import type { Token } from './lexer.ts';
import type { Asm } from './state.ts';
import type { ImmKind, ImmSpec } from './sections.ts';

/** One comma-separated operand: its tokens and where it starts. */
export interface Operand {
  toks: Token[];
  col: number;
}

/** Split at top-level commas; an empty operand is an error at its position. */
export function splitOperands(asm: Asm, toks: readonly Token[], start: number, endCol: number): Operand[] {
  const out: Operand[] = [];
  if (start >= toks.length) return out;
  let depth = 0;
  let cur: Token[] = [];
  let col = toks[start].col;
  for (let i = start; i < toks.length; i++) {
    const t = toks[i];
    if (t.k === 'op' && t.s === '(') depth++;
    else if (t.k === 'op' && t.s === ')') depth--;
    if (t.k === 'op' && t.s === ',' && depth === 0) {
      if (cur.length === 0) asm.fail(t.col, 'missing operand before \',\'');
      out.push({ toks: cur, col });
      cur = [];
      col = i + 1 < toks.length ? toks[i + 1].col : t.col + 1;
      continue;
    }
    cur.push(t);
  }
  if (cur.length === 0) asm.fail(endCol, "missing operand after ','");
  out.push({ toks: cur, col });
  return out;
}

const MODIFIERS: Readonly<Record<string, ImmKind>> = { hi: 'hi', lo: 'lo', pcrel_hi: 'pcrel_hi', pcrel_lo: 'pcrel_lo' };

const isOp = (t: Token | undefined, s: string): boolean => t !== undefined && t.k === 'op' && t.s === s;

/** Reads operands of one instruction and reports errors at the right column. */
export class OperandReader {
  constructor(readonly asm: Asm, readonly mnemonic: string, readonly ops: Operand[], readonly endCol: number) {}

  /** Require exactly `n` operands, naming the expected syntax. */
  count(n: number, syntax: string): void {
    if (this.ops.length === n) return;
    if (this.ops.length < n) {
      this.asm.fail(this.endCol, `missing operand: ${this.mnemonic} takes ${syntax}`);
    }
    this.asm.fail(this.ops[n].col, `too many operands: ${this.mnemonic} takes ${syntax}`);
  }

  /** True if operand i is a single register name. */
  isReg(i: number): boolean {
    const o = this.ops[i];
    return o !== undefined && o.toks.length === 1 && o.toks[0].k === 'id' && regNumber(o.toks[0].s) >= 0;
  }

  /** True if operand i ends in `(reg)`. */
  isMem(i: number): boolean {
    const t = this.ops[i]?.toks;
    if (!t || t.length < 3) return false;
    const n = t.length;
    return isOp(t[n - 1], ')') && t[n - 2].k === 'id' && regNumber(t[n - 2].s) >= 0 && isOp(t[n - 3], '(');
  }

  /** True if operand i is meant as `offset(reg)`, even a malformed one (`4(q1)`, `0(a1`). */
  looksLikeMem(i: number): boolean {
    const t = this.ops[i]?.toks;
    return t !== undefined && /\((\w+)\)?$/.test(t.map((x) => x.s).join(''));
  }

  reg(i: number): number {
    const o = this.ops[i];
    const t = o.toks[0];
    if (o.toks.length === 1 && t.k === 'id') {
      const r = regNumber(t.s);
      if (r >= 0) return r;
      this.asm.fail(t.col, `bad register '${t.s}': expected x0..x31 or an ABI name (zero, ra, sp, a0, ...)`);
    }
    return this.asm.fail(o.col, `expected a register, found '${o.toks.map((x) => x.s).join(' ')}'`);
  }

  /** An immediate, optionally wrapped in %hi / %lo / %pcrel_hi / %pcrel_lo. */
  imm(i: number, allowed: readonly ImmKind[] = ['abs'], toks = this.ops[i].toks): ImmSpec {
    const col = toks.length ? toks[0].col : this.ops[i].col;
    if (isOp(toks[0], '%') && toks[1]?.k === 'id') {
      const kind = MODIFIERS[toks[1].s];
      if (!kind) this.asm.fail(toks[1].col, `unknown relocation function '%${toks[1].s}': expected %hi, %lo, %pcrel_hi or %pcrel_lo`);
      if (!allowed.includes(kind)) this.asm.fail(col, `%${toks[1].s} cannot be used as an operand of ${this.mnemonic}`);
      if (!isOp(toks[2], '(') || !isOp(toks[toks.length - 1], ')')) this.asm.fail(toks[1].col, `expected '(' after %${toks[1].s}`);
      return { kind, expr: this.asm.expr(toks, 3, toks.length - 1), col };
    }
    if (toks.length === 1 && toks[0].k === 'id' && regNumber(toks[0].s) >= 0) {
      this.asm.fail(col, `expected ${allowed.includes('target') ? 'a target address or symbol' : 'an immediate'}, found register '${toks[0].s}'`);
    }
    return { kind: allowed.includes('abs') ? 'abs' : allowed[0], expr: this.asm.expr(toks), col };
  }

  /** `offset(reg)`, `(reg)` or `%lo(sym)(reg)`: the offset and base register. */
  mem(i: number, allowed: readonly ImmKind[] = ['abs', 'lo', 'pcrel_lo']): { imm: ImmSpec; base: number } {
    const o = this.ops[i];
    if (!this.isMem(i)) this.badMem(o, 'offset(register)');
    const n = o.toks.length;
    const base = regNumber(o.toks[n - 2].s);
    const off = o.toks.slice(0, n - 3);
    const imm: ImmSpec = off.length === 0 ? { kind: 'abs', expr: { k: 'num', v: 0n }, col: o.col } : this.imm(i, allowed, off);
    return { imm, base };
  }

  /** `(reg)` exactly, for lr/sc/amo. */
  regInParens(i: number): number {
    const o = this.ops[i];
    if (!this.isMem(i) || o.toks.length !== 3) this.badMem(o, '(register)');
    return regNumber(o.toks[1].s);
  }

  /** Say what is wrong with an operand that should end in `(register)`. */
  private badMem(o: Operand, want: string): never {
    const t = o.toks, n = t.length;
    const text = t.map((x) => x.s).join('');
    if (n >= 3 && isOp(t[n - 1], ')') && isOp(t[n - 3], '(') && t[n - 2].k === 'id') {
      this.asm.fail(t[n - 2].col, `bad register '${t[n - 2].s}' in '${text}': expected x0..x31 or an ABI name`);
    }
    const open = t.findIndex((x) => isOp(x, '('));
    if (open >= 0 && !isOp(t[n - 1], ')')) {
      const last = t[n - 1];
      this.asm.fail(last.col + last.s.length, `expected ')' to close '${text}'`);
    }
    return this.asm.fail(o.col, `expected a memory operand '${want}', found '${text}'`);
  }

  /** A CSR by name (vm/isa/csr_table.ts) or number 0..0xfff. */
  csr(i: number): number {
    const o = this.ops[i];
    if (o.toks.length === 1 && o.toks[0].k === 'id') {
      const c = csrNumber(o.toks[0].s);
      if (c >= 0) return c;
      if (regNumber(o.toks[0].s) >= 0) this.asm.fail(o.col, `expected a CSR, found register '${o.toks[0].s}'`);
    }
    const v = this.asm.evalNow(this.asm.expr(o.toks));
    if (!v || v.sec) {
      const name = o.toks.length === 1 ? `'${o.toks[0].s}'` : 'expression';
      this.asm.fail(o.col, `unknown CSR ${name}: expected a CSR name or a number 0..0xfff`);
    }
    if (v.v < 0n || v.v > 0xfffn) this.asm.fail(o.col, `CSR number ${v.v} out of range: must be in [0, 0xfff]`);
    return Number(v.v);
  }

  /** A fence set: letters of `iorw` (or `0`). */
  fenceSet(i: number): number {
    const o = this.ops[i];
    const t = o.toks[0];
    if (o.toks.length === 1 && t.k === 'num' && t.n === 0n) return 0;
    if (o.toks.length !== 1 || t.k !== 'id' || !/^[iorw]+$/.test(t.s)) {
      this.asm.fail(o.col, `bad fence operand '${o.toks.map((x) => x.s).join('')}': expected letters from 'iorw'`);
    }
    let bits = 0;
    for (const ch of t.s) bits |= FENCE_BITS[ch];
    return bits;
  }
}
