// Instruction encoding from the table: operands in, 32-bit word out.
//
// The assembler checks operand ranges (with file:line:column) before it calls
// encodeInsn; encodeInsn checks them again and throws EncodeError, so a bad
// caller cannot produce a silently wrong word.
//
// Entry points: encodeInsn, Operands, EncodeError, immRange, FENCE_BITS.

import { INSNS, OP, type Format, type InsnSpec } from './table.ts';

export interface Operands {
  rd?: number;
  rs1?: number;
  rs2?: number;
  /** Immediate; for BRANCH and JAL the byte offset from the instruction. */
  imm?: number;
  csr?: number;
  pred?: number;
  succ?: number;
  /** fence's fm field (8 for fence.tso). */
  fm?: number;
  aq?: boolean;
  rl?: boolean;
}

export class EncodeError extends Error {}

/** Inclusive range of the immediate operand of a format, and its required alignment. */
export function immRange(format: Format): { min: number; max: number; align: number } {
  switch (format) {
    case 'I': case 'LOAD': case 'STORE': case 'JALR': return { min: -2048, max: 2047, align: 1 };
    case 'SHIFT': return { min: 0, max: 31, align: 1 };
    case 'BRANCH': return { min: -4096, max: 4094, align: 2 };
    case 'JAL': return { min: -(1 << 20), max: (1 << 20) - 2, align: 2 };
    case 'U': return { min: 0, max: 0xfffff, align: 1 };
    case 'CSRI': return { min: 0, max: 31, align: 1 };
    default: return { min: 0, max: 0, align: 1 };
  }
}

/** fence predecessor/successor bits: i=8, o=4, r=2, w=1. */
export const FENCE_BITS: Readonly<Record<string, number>> = { i: 8, o: 4, r: 2, w: 1 };

function reg(v: number | undefined, what: string): number {
  const r = v ?? 0;
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new EncodeError(`${what} must be a register x0..x31`);
  return r;
}

function checkImm(spec: InsnSpec, imm: number): void {
  const { min, max, align } = immRange(spec.format);
  if (!Number.isInteger(imm) || imm < min || imm > max) {
    throw new EncodeError(`${spec.name}: immediate ${imm} out of range [${min}, ${max}]`);
  }
  if (imm % align !== 0) throw new EncodeError(`${spec.name}: offset ${imm} is not a multiple of ${align}`);
}

function immBits(spec: InsnSpec, imm: number): number {
  switch (spec.format) {
    case 'I': case 'LOAD': case 'JALR': case 'SHIFT':
      return (imm & 0xfff) << 20;
    case 'CSRI':
      return (imm & 31) << 15;
    case 'STORE':
      return ((imm & 0xfe0) << 20) | ((imm & 0x1f) << 7);
    case 'BRANCH':
      return ((imm & 0x1000) << 19) | ((imm & 0x7e0) << 20) | ((imm & 0x1e) << 7) | ((imm & 0x800) >> 4);
    case 'JAL':
      return ((imm & 0x100000) << 11) | ((imm & 0x7fe) << 20) | ((imm & 0x800) << 9) | (imm & 0xff000);
    case 'U':
      return (imm & 0xfffff) << 12;
    default:
      return 0;
  }
}

/** Encode instruction `name` (a table mnemonic) with operands `o`. */
export function encodeInsn(name: string, o: Operands): number {
  const idx = OP[name];
  if (idx === undefined) throw new EncodeError(`unknown instruction '${name}'`);
  const spec = INSNS[idx];
  let w = spec.match;
  const f = spec.format;
  if (f === 'R' || f === 'I' || f === 'SHIFT' || f === 'LOAD' || f === 'U' || f === 'JAL' || f === 'JALR' ||
      f === 'CSR' || f === 'CSRI' || f === 'AMO' || f === 'LR') {
    w |= reg(o.rd, 'rd') << 7;
  }
  if (f === 'R' || f === 'I' || f === 'SHIFT' || f === 'LOAD' || f === 'STORE' || f === 'BRANCH' || f === 'JALR' ||
      f === 'CSR' || f === 'AMO' || f === 'LR' || f === 'SFENCE') {
    w |= reg(o.rs1, 'rs1') << 15;
  }
  if (f === 'R' || f === 'STORE' || f === 'BRANCH' || f === 'AMO' || f === 'SFENCE') {
    w |= reg(o.rs2, 'rs2') << 20;
  }
  if (immRange(f).max !== 0) {
    const imm = o.imm ?? 0;
    checkImm(spec, imm);
    w |= immBits(spec, imm);
  }
  if (f === 'CSR' || f === 'CSRI') {
    const c = o.csr ?? -1;
    if (!Number.isInteger(c) || c < 0 || c > 0xfff) throw new EncodeError(`${name}: CSR number must be 0..0xfff`);
    w |= c << 20;
  }
  if (f === 'AMO' || f === 'LR') w |= (o.aq ? 1 << 26 : 0) | (o.rl ? 1 << 25 : 0);
  if (f === 'FENCE') {
    const pred = o.pred ?? 15, succ = o.succ ?? 15, fm = o.fm ?? 0;
    if (pred > 15 || succ > 15 || fm > 15 || pred < 0 || succ < 0 || fm < 0) throw new EncodeError('fence: bad operands');
    w |= (fm << 28) | (pred << 24) | (succ << 20);
  }
  return w | 0;
}
