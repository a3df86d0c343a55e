// Instructions of the table (vm/isa/table.ts), read in the operand syntax the
// disassembler prints, plus dispatch to the pseudo-instructions.
//
// Entry points: assembleInsn, emitBase.

import { INSNS, OP, type InsnSpec } from '../../vm/isa/table.ts';
import type { Token } from './lexer.ts';
import type { Asm } from './state.ts';
import { OperandReader, splitOperands } from './operands.ts';
import { PSEUDO } from './pseudo.ts';

const SUFFIXES = ['.aqrl', '.aq', '.rl'] as const;

/** Table entry and .aq/.rl bits for a mnemonic such as `amoadd.w.aqrl`, or undefined. */
function findInsn(m: string): { spec: InsnSpec; aq: boolean; rl: boolean } | undefined {
  const idx = OP[m];
  if (idx !== undefined) return { spec: INSNS[idx], aq: false, rl: false };
  for (const suf of SUFFIXES) {
    if (!m.endsWith(suf)) continue;
    const base = OP[m.slice(0, -suf.length)];
    if (base === undefined) continue;
    const spec = INSNS[base];
    if (spec.format !== 'AMO' && spec.format !== 'LR') return undefined;
    return { spec, aq: suf !== '.rl', rl: suf !== '.aq' };
  }
  return undefined;
}

/** Assemble one instruction statement: `toks[start]` is the mnemonic. */
export function assembleInsn(asm: Asm, toks: readonly Token[], start: number, endCol: number): void {
  const mt = toks[start];
  const m = mt.s.toLowerCase();
  const ops = splitOperands(asm, toks, start + 1, endCol);
  const r = new OperandReader(asm, m, ops, endCol);
  const pseudo = PSEUDO[m];
  if (pseudo && pseudo(asm, r)) return;
  const found = findInsn(m);
  if (!found) asm.fail(mt.col, `unknown instruction '${mt.s}'`);
  emitBase(asm, found.spec, r, found.aq, found.rl);
}

const SYNTAX: Readonly<Record<string, string>> = {
  R: 'rd, rs1, rs2', I: 'rd, rs1, imm', SHIFT: 'rd, rs1, shamt', LOAD: 'rd, offset(rs1)',
  STORE: 'rs2, offset(rs1)', BRANCH: 'rs1, rs2, target', U: 'rd, imm', JAL: 'rd, target',
  JALR: 'rd, offset(rs1)', CSR: 'rd, csr, rs1', CSRI: 'rd, csr, uimm5', AMO: 'rd, rs2, (rs1)',
  LR: 'rd, (rs1)', FENCE: 'pred, succ', SFENCE: 'rs1, rs2', NONE: 'no operands',
};

/** The base form of a table instruction, in the disassembler's operand order. */
export function emitBase(asm: Asm, spec: InsnSpec, r: OperandReader, aq = false, rl = false): void {
  const n = spec.name;
  const f = spec.format;
  if (f !== 'FENCE' && f !== 'SFENCE') r.count(f === 'NONE' ? 0 : SYNTAX[f].split(',').length, SYNTAX[f]);
  switch (f) {
    case 'R': asm.insn(n, { rd: r.reg(0), rs1: r.reg(1), rs2: r.reg(2) }); return;
    case 'I': asm.insn(n, { rd: r.reg(0), rs1: r.reg(1) }, r.imm(2, ['abs', 'lo', 'pcrel_lo'])); return;
    case 'SHIFT': asm.insn(n, { rd: r.reg(0), rs1: r.reg(1) }, r.imm(2)); return;
    case 'LOAD': case 'JALR': {
      const m = r.mem(1);
      asm.insn(n, { rd: r.reg(0), rs1: m.base }, m.imm);
      return;
    }
    case 'STORE': {
      const m = r.mem(1);
      asm.insn(n, { rs2: r.reg(0), rs1: m.base }, m.imm);
      return;
    }
    case 'BRANCH': asm.insn(n, { rs1: r.reg(0), rs2: r.reg(1) }, r.imm(2, ['target'])); return;
    case 'JAL': asm.insn(n, { rd: r.reg(0) }, r.imm(1, ['target'])); return;
    case 'U': asm.insn(n, { rd: r.reg(0) }, r.imm(1, n === 'lui' ? ['abs', 'hi'] : ['abs', 'pcrel_hi'])); return;
    case 'CSR': {
      // gas accepts an immediate source and picks the csrr*i form.
      if (!r.isReg(2)) { emitBase(asm, INSNS[OP[n + 'i']], r); return; }
      asm.insn(n, { rd: r.reg(0), csr: r.csr(1), rs1: r.reg(2) });
      return;
    }
    case 'CSRI': {
      asm.insn(n, { rd: r.reg(0), csr: r.csr(1) }, r.imm(2));
      return;
    }
    case 'AMO': asm.insn(n, { rd: r.reg(0), rs2: r.reg(1), rs1: r.regInParens(2), aq, rl }); return;
    case 'LR': asm.insn(n, { rd: r.reg(0), rs1: r.regInParens(1), aq, rl }); return;
    case 'FENCE':
      if (r.ops.length === 0) { asm.insn(n, { pred: 15, succ: 15 }); return; }
      r.count(2, SYNTAX.FENCE);
      asm.insn(n, { pred: r.fenceSet(0), succ: r.fenceSet(1) });
      return;
    case 'SFENCE':
      if (r.ops.length > 2) r.count(2, SYNTAX.SFENCE);
      asm.insn(n, { rs1: r.ops.length > 0 ? r.reg(0) : 0, rs2: r.ops.length > 1 ? r.reg(1) : 0 });
      return;
    case 'NONE': asm.insn(n, {}); return;
  }
}
