// Pseudo-instructions, expanded to the same sequences GNU `as` emits
// (binutils 2.40, -march=rv32ima_zicsr_zifencei, non-PIC, no relaxation).
//
// A handler returns false when the operands are those of the real
// instruction of the same name (`jal ra, x`, `lw a0, 4(sp)`), which then
// goes through the table as usual.
//
// Entry points: PSEUDO.

import { normalize32, lo12 } from './fields.ts';
import type { OperandReader } from './operands.ts';
import type { ImmSpec } from './sections.ts';
import type { Asm } from './state.ts';
import { CSR } from '../../vm/isa/csr_table.ts';

type Handler = (asm: Asm, r: OperandReader) => boolean;

const ZERO = 0, RA = 1, T1 = 6;
const num = (v: number, col: number): ImmSpec => ({ kind: 'abs', expr: { k: 'num', v: BigInt(v) }, col });

/** auipc rd, %pcrel_hi(target) followed by an instruction using the matching %pcrel_lo. */
function pcrelPair(asm: Asm, rd: number, target: ImmSpec, second: (lo: ImmSpec) => void): void {
  const hi = asm.insn('auipc', { rd }, { kind: 'pcrel_hi', expr: target.expr, col: target.col });
  second({ kind: 'pcrel_lo', expr: target.expr, col: target.col, pair: hi });
}

function li(asm: Asm, r: OperandReader): boolean {
  r.count(2, 'rd, constant');
  const rd = r.reg(0);
  const imm = r.imm(1);
  const raw = asm.constNow(imm.expr, imm.col, 'li immediate (use la for an address)');
  if (raw < -0x80000000n || raw > 0xffffffffn) {
    asm.fail(imm.col, `li immediate ${raw} out of range: must fit in 32 bits ([-2147483648, 4294967295])`);
  }
  const v = normalize32(raw);
  const lo = lo12(v);
  const upper = v - BigInt(lo);
  if (upper === 0n) {
    asm.insn('addi', { rd, rs1: ZERO }, num(lo, imm.col));
    return true;
  }
  asm.insn('lui', { rd }, num(Number(BigInt.asUintN(20, upper >> 12n)), imm.col));
  if (lo !== 0) asm.insn('addi', { rd, rs1: rd }, num(lo, imm.col));
  return true;
}

function la(asm: Asm, r: OperandReader): boolean {
  r.count(2, 'rd, symbol');
  const rd = r.reg(0);
  pcrelPair(asm, rd, r.imm(1, ['target']), (lo) => asm.insn('addi', { rd, rs1: rd }, lo));
  return true;
}

/** rd, rs forms: `mv`, `not`, ... as one base instruction. */
function unary(fn: (asm: Asm, rd: number, rs: number, col: number) => void): Handler {
  return (asm, r) => {
    r.count(2, 'rd, rs');
    fn(asm, r.reg(0), r.reg(1), r.ops[1].col);
    return true;
  };
}

/** Branch against zero: `beqz rs, target` and friends; `swap` puts zero first. */
function branchZero(name: string, swap: boolean): Handler {
  return (asm, r) => {
    r.count(2, 'rs, target');
    const rs = r.reg(0);
    asm.insn(name, swap ? { rs1: ZERO, rs2: rs } : { rs1: rs, rs2: ZERO }, r.imm(1, ['target']));
    return true;
  };
}

/** `bgt a, b, t` = `blt b, a, t` and friends. */
function branchSwap(name: string): Handler {
  return (asm, r) => {
    r.count(3, 'rs1, rs2, target');
    asm.insn(name, { rs1: r.reg(1), rs2: r.reg(0) }, r.imm(2, ['target']));
    return true;
  };
}

function jalr(asm: Asm, r: OperandReader): boolean {
  const n = r.ops.length;
  if (n === 1) {
    if (r.isMem(0)) { const m = r.mem(0); asm.insn('jalr', { rd: RA, rs1: m.base }, m.imm); }
    else asm.insn('jalr', { rd: RA, rs1: r.reg(0) }, num(0, r.ops[0].col));
    return true;
  }
  if (n === 2 && r.isReg(1)) { asm.insn('jalr', { rd: r.reg(0), rs1: r.reg(1) }, num(0, r.ops[1].col)); return true; }
  if (n === 3) { asm.insn('jalr', { rd: r.reg(0), rs1: r.reg(1) }, r.imm(2, ['abs', 'lo', 'pcrel_lo'])); return true; }
  return false;
}

function jr(asm: Asm, r: OperandReader): boolean {
  if (r.ops.length === 1 && r.isMem(0)) { const m = r.mem(0); asm.insn('jalr', { rd: ZERO, rs1: m.base }, m.imm); return true; }
  if (r.ops.length === 2) { asm.insn('jalr', { rd: ZERO, rs1: r.reg(0) }, r.imm(1, ['abs', 'lo', 'pcrel_lo'])); return true; }
  r.count(1, 'rs');
  asm.insn('jalr', { rd: ZERO, rs1: r.reg(0) }, num(0, r.ops[0].col));
  return true;
}

/** auipc + jalr: `call` (link ra through ra, or rd through t1 as gas 2.40 does), `tail`, `jump`. */
function farJump(kind: 'call' | 'tail' | 'jump'): Handler {
  return (asm, r) => {
    let rd: number, tmp: number, target: ImmSpec;
    if (kind === 'jump') {
      r.count(2, 'target, temp register');
      [rd, tmp, target] = [ZERO, r.reg(1), r.imm(0, ['target'])];
    } else if (kind === 'call' && r.ops.length === 2) {
      [rd, tmp, target] = [r.reg(0), T1, r.imm(1, ['target'])];
    } else {
      r.count(1, 'target');
      [rd, tmp] = kind === 'call' ? [RA, RA] : [ZERO, T1];
      target = r.imm(0, ['target']);
    }
    pcrelPair(asm, tmp, target, (lo) => asm.insn('jalr', { rd, rs1: tmp }, lo));
    return true;
  };
}

/** `lw rd, symbol` = auipc rd + lw rd, %pcrel_lo(rd); with `offset(reg)` it is the real load. */
function loadSym(name: string): Handler {
  return (asm, r) => {
    if (r.ops.length !== 2 || r.looksLikeMem(1)) return false;
    const rd = r.reg(0);
    pcrelPair(asm, rd, r.imm(1, ['target']), (lo) => asm.insn(name, { rd, rs1: rd }, lo));
    return true;
  };
}

/** `sw rs, symbol, rt` = auipc rt + sw rs, %pcrel_lo(rt). */
function storeSym(name: string): Handler {
  return (asm, r) => {
    if (r.ops.length !== 3) return false;
    const rs = r.reg(0), rt = r.reg(2);
    pcrelPair(asm, rt, r.imm(1, ['target']), (lo) => asm.insn(name, { rs2: rs, rs1: rt }, lo));
    return true;
  };
}

/** `csrr rd, csr` and the counter reads `rdcycle rd`, ... */
function csrRead(fixed?: string): Handler {
  return (asm, r) => {
    if (fixed) { r.count(1, 'rd'); asm.insn('csrrs', { rd: r.reg(0), csr: CSR[fixed], rs1: ZERO }); return true; }
    r.count(2, 'rd, csr');
    asm.insn('csrrs', { rd: r.reg(0), csr: r.csr(1), rs1: ZERO });
    return true;
  };
}

/** `csrw csr, rs` (or an immediate: the i form), `csrwi csr, uimm`, ... with rd = zero. */
function csrWrite(base: string, immOnly: boolean): Handler {
  return (asm, r) => {
    r.count(2, immOnly ? 'csr, uimm5' : 'csr, rs');
    const csr = r.csr(0);
    if (!immOnly && r.isReg(1)) asm.insn(base, { rd: ZERO, csr, rs1: r.reg(1) });
    else asm.insn(base + 'i', { rd: ZERO, csr }, r.imm(1));
    return true;
  };
}

function fixed(name: string, ops: Record<string, number>): Handler {
  return (asm, r) => {
    r.count(0, 'no operands');
    asm.insn(name, ops);
    return true;
  };
}

export const PSEUDO: Readonly<Record<string, Handler>> = {
  li, la, lla: la,
  nop: fixed('addi', { rd: ZERO, rs1: ZERO }),
  ret: fixed('jalr', { rd: ZERO, rs1: RA }),
  unimp: fixed('csrrw', { rd: ZERO, csr: CSR.cycle, rs1: ZERO }),
  'fence.tso': fixed('fence', { fm: 8, pred: 3, succ: 3 }),
  scall: fixed('ecall', {}),
  sbreak: fixed('ebreak', {}),
  mv: unary((a, rd, rs, c) => a.insn('addi', { rd, rs1: rs }, num(0, c))),
  not: unary((a, rd, rs, c) => a.insn('xori', { rd, rs1: rs }, num(-1, c))),
  neg: unary((a, rd, rs) => a.insn('sub', { rd, rs1: ZERO, rs2: rs })),
  seqz: unary((a, rd, rs, c) => a.insn('sltiu', { rd, rs1: rs }, num(1, c))),
  snez: unary((a, rd, rs) => a.insn('sltu', { rd, rs1: ZERO, rs2: rs })),
  sltz: unary((a, rd, rs) => a.insn('slt', { rd, rs1: rs, rs2: ZERO })),
  sgtz: unary((a, rd, rs) => a.insn('slt', { rd, rs1: ZERO, rs2: rs })),
  'zext.b': unary((a, rd, rs, c) => a.insn('andi', { rd, rs1: rs }, num(255, c))),
  j: (asm, r) => { r.count(1, 'target'); asm.insn('jal', { rd: ZERO }, r.imm(0, ['target'])); return true; },
  jal: (asm, r) => {
    if (r.ops.length !== 1) return false;
    asm.insn('jal', { rd: RA }, r.imm(0, ['target']));
    return true;
  },
  jalr, jr,
  call: farJump('call'), tail: farJump('tail'), jump: farJump('jump'),
  beqz: branchZero('beq', false), bnez: branchZero('bne', false),
  blez: branchZero('bge', true), bgez: branchZero('bge', false),
  bltz: branchZero('blt', false), bgtz: branchZero('blt', true),
  bgt: branchSwap('blt'), ble: branchSwap('bge'), bgtu: branchSwap('bltu'), bleu: branchSwap('bgeu'),
  lb: loadSym('lb'), lh: loadSym('lh'), lw: loadSym('lw'), lbu: loadSym('lbu'), lhu: loadSym('lhu'),
  sb: storeSym('sb'), sh: storeSym('sh'), sw: storeSym('sw'),
  csrr: csrRead(),
  rdcycle: csrRead('cycle'), rdtime: csrRead('time'), rdinstret: csrRead('instret'),
  rdcycleh: csrRead('cycleh'), rdtimeh: csrRead('timeh'), rdinstreth: csrRead('instreth'),
  csrw: csrWrite('csrrw', false), csrs: csrWrite('csrrs', false), csrc: csrWrite('csrrc', false),
  csrwi: csrWrite('csrrw', true), csrsi: csrWrite('csrrs', true), csrci: csrWrite('csrrc', true),
};
