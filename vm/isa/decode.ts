// Instruction decoding, built from the one table in vm/isa/table.ts.
//
// The hart decodes with DECODE: a 128 Ki-entry byte table indexed by a key made
// of opcode, funct3 and funct7 (decodeKey). An entry holds the table index
// of the only instruction with that key, ILLEGAL for an illegal key, or SUBDECODE
// where several entries share the key and differ in other bits (the SYSTEM
// group, lr.w); those are resolved by lookupInsn() against the full masks.
//
// Entry points: decodeKey, DECODE, ILLEGAL, SUBDECODE, lookupInsn, imm* field decoders.

import { INSNS } from './table.ts';

export const SUBDECODE = 255;
export const ILLEGAL = 254;
const KEY_MASK = 0x7f | (0x7 << 12) | (0x7f << 25);

/** Opcode, funct3 and funct7 of `insn` packed into 17 bits. */
export const decodeKey = (insn: number): number =>
  (insn & 0x7f) | ((insn >>> 5) & 0x380) | ((insn >>> 15) & 0x1fc00);

const keyToWord = (k: number): number => (k & 0x7f) | ((k & 0x380) << 5) | ((k & 0x1fc00) << 15);

function buildDecodeTable(): Uint8Array {
  if (INSNS.length >= ILLEGAL) throw new Error('instruction table too large for a byte index');
  const t = new Uint8Array(1 << 17);
  for (let k = 0; k < t.length; k++) {
    const w = keyToWord(k);
    let hit = -1;
    let ambiguous = false;
    for (let i = 0; i < INSNS.length; i++) {
      const s = INSNS[i];
      if (((w ^ s.match) & s.mask & KEY_MASK) !== 0) continue;
      if ((s.mask & ~KEY_MASK) !== 0 || hit >= 0) ambiguous = true;
      hit = i;
    }
    t[k] = ambiguous ? SUBDECODE : hit < 0 ? ILLEGAL : hit;
  }
  return t;
}

/** Decode lookup: DECODE[decodeKey(insn)] is an INSNS index, ILLEGAL or SUBDECODE. */
export const DECODE: Uint8Array = buildDecodeTable();

/** Index in INSNS of the instruction encoded by `insn`, or -1 if it is illegal. */
export function lookupInsn(insn: number): number {
  const d = DECODE[decodeKey(insn)];
  if (d === ILLEGAL) return -1;
  if (d !== SUBDECODE) return d;
  for (let i = 0; i < INSNS.length; i++) {
    if (((insn ^ INSNS[i].match) & INSNS[i].mask) === 0) return i;
  }
  return -1;
}

// Field decoders (sign-extended immediates as in the spec's figures).
export const rdOf = (i: number): number => (i >>> 7) & 31;
export const rs1Of = (i: number): number => (i >>> 15) & 31;
export const rs2Of = (i: number): number => (i >>> 20) & 31;
export const immI = (i: number): number => i >> 20;
export const immS = (i: number): number => ((i >> 20) & ~31) | ((i >>> 7) & 31);
export const immB = (i: number): number =>
  ((i >> 19) & ~0xfff) | ((i << 4) & 0x800) | ((i >>> 20) & 0x7e0) | ((i >>> 7) & 0x1e);
export const immU = (i: number): number => i & ~0xfff;
export const immJ = (i: number): number =>
  ((i >> 11) & ~0xfffff) | (i & 0xff000) | ((i >>> 9) & 0x800) | ((i >>> 20) & 0x7fe);
