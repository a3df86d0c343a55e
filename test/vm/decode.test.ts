// The decoder (vm/isa/decode.ts) against the instruction table it is built
// from (vm/isa/table.ts): every entry decodes to itself, nothing decodes to
// an entry whose match/mask the word does not satisfy, words that match no
// entry are illegal (RV32 shifts with shamt[5] set among them), and the
// immediate field decoders invert encodeInsn (vm/isa/encode.ts).
//
// The reference decoder here is the definition: the entry whose
// (word & mask) === match, found by a linear scan.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INSNS, OP } from '../../vm/isa/table.ts';
import {
  DECODE, ILLEGAL, SUBDECODE, decodeKey, lookupInsn, immI, immS, immB, immJ, immU, rdOf, rs1Of, rs2Of,
} from '../../vm/isa/decode.ts';
import { encodeInsn, immRange } from '../../vm/isa/encode.ts';

const satisfies = (w: number, i: number): boolean => (w & INSNS[i].mask) === INSNS[i].match;
/** Every entry the word satisfies (the table is meant to have at most one). */
const matching = (w: number): number[] => INSNS.flatMap((_, i) => (satisfies(w, i) ? [i] : []));

const word = fc.integer({ min: 0, max: 0xffffffff }).map((v) => v | 0);
const reg = fc.integer({ min: 0, max: 31 });
const entry = fc.integer({ min: 0, max: INSNS.length - 1 });

/** The reference result: the one matching entry, or -1. */
function reference(w: number): number {
  let hit = -1;
  for (let i = 0; i < INSNS.length; i++) {
    if (!satisfies(w, i)) continue;
    if (hit >= 0) throw new Error(`word 0x${(w >>> 0).toString(16)} matches ${matching(w).map((k) => INSNS[k].name).join(', ')}`);
    hit = i;
  }
  return hit;
}

/** Fails the test when lookupInsn disagrees with the table (no expect() per word: this runs a million times). */
function expectDecodes(w: number): void {
  const got = lookupInsn(w);
  const want = reference(w);
  if (got !== want) {
    const name = (i: number): string => (i < 0 ? 'illegal' : INSNS[i].name);
    expect.fail(`0x${(w >>> 0).toString(16).padStart(8, '0')} decodes to ${name(got)}, table says ${name(want)}`);
  }
}

describe('the instruction table', () => {
  it('has no two entries that a single word can satisfy', () => {
    for (let i = 0; i < INSNS.length; i++) {
      for (let j = i + 1; j < INSNS.length; j++) {
        const a = INSNS[i], b = INSNS[j];
        const overlap = ((a.match ^ b.match) & a.mask & b.mask) === 0;
        expect(overlap, `${a.name} and ${b.name} overlap`).toBe(false);
      }
    }
  });

  it('has each match inside its own mask, and OP names every entry', () => {
    INSNS.forEach((s, i) => {
      expect(s.match & ~s.mask, s.name).toBe(0);
      expect(OP[s.name], s.name).toBe(i);
    });
  });
});

describe('lookupInsn and DECODE', () => {
  it('decode each entry\'s match word to that entry', () => {
    INSNS.forEach((s, i) => expect(lookupInsn(s.match), s.name).toBe(i));
  });

  it('decode random words that satisfy an entry to that entry', () => {
    fc.assert(fc.property(entry, word, (i, noise) => {
      const s = INSNS[i];
      const w = (noise & ~s.mask) | s.match;
      expect(lookupInsn(w), `${s.name} 0x${(w >>> 0).toString(16)}`).toBe(i);
    }), { numRuns: 20_000 });
  });

  it('never map a random word to an entry it does not satisfy, and call it illegal only if nothing matches', () => {
    fc.assert(fc.property(word, (w) => { expectDecodes(w); }), { numRuns: 50_000 });
  });

  it('agree with the table for every opcode/funct3/funct7 key, with random other bits', () => {
    // The 17-bit key space that DECODE is indexed by, built here field by field.
    let seed = 0x2545f491;
    const next = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed | 0; };
    const keyBits = 0x7f | (0x7 << 12) | (0x7f << 25);
    for (let opcode = 0; opcode < 128; opcode++) {
      for (let f3 = 0; f3 < 8; f3++) {
        for (let f7 = 0; f7 < 128; f7++) {
          const fields = opcode | (f3 << 12) | (f7 << 25);
          const other = fields | (next() & ~keyBits);
          if (DECODE[decodeKey(fields)] !== DECODE[decodeKey(other)]) {
            expect.fail(`decodeKey depends on bits outside opcode/funct3/funct7: 0x${(other >>> 0).toString(16)}`);
          }
          // The other fields all zeros (ecall, sret, ... live there), all ones, and random twice.
          expectDecodes(fields);
          expectDecodes(fields | ~keyBits);
          for (let k = 0; k < 2; k++) expectDecodes(fields | (next() & ~keyBits));
        }
      }
    }
  });

  it('send to SUBDECODE exactly the keys where the key alone cannot decide', () => {
    const keyMask = 0x7f | (0x7 << 12) | (0x7f << 25);
    for (let i = 0; i < INSNS.length; i++) {
      const s = INSNS[i];
      const d = DECODE[decodeKey(s.match)];
      if ((s.mask & ~keyMask) !== 0) expect(d, s.name).toBe(SUBDECODE);
      else expect(d, s.name).toBe(i);
    }
    expect(DECODE[decodeKey(0)]).toBe(ILLEGAL); // the all-zero word is defined to be illegal
    expect(lookupInsn(0)).toBe(-1);
    expect(lookupInsn(-1)).toBe(-1); // and so is the all-ones word
  });

  it('treat slli/srli/srai with shamt bit 5 set as illegal (RV32)', () => {
    fc.assert(fc.property(fc.constantFrom('slli', 'srli', 'srai'), reg, reg, fc.integer({ min: 0, max: 31 }),
      (name, rd, rs1, shamt) => {
        const w = encodeInsn(name, { rd, rs1, imm: shamt });
        expect(lookupInsn(w)).toBe(OP[name]);
        expect(lookupInsn(w | (1 << 25)), `${name} with shamt[5]`).toBe(-1);
      }), { numRuns: 2_000 });
  });
});

describe('field decoders invert encodeInsn', () => {
  /** Random in-range immediate for a format (aligned where the format needs it). */
  const immFor = (name: string): fc.Arbitrary<number> => {
    const { min, max, align } = immRange(INSNS[OP[name]].format);
    return fc.integer({ min: Math.ceil(min / align), max: Math.floor(max / align) }).map((v) => v * align);
  };
  const cases: [string, string, (w: number) => number, (imm: number) => number][] = [
    ['immI', 'addi', immI, (v) => v],
    ['immI', 'lw', immI, (v) => v],
    ['immI', 'jalr', immI, (v) => v],
    ['immS', 'sw', immS, (v) => v],
    ['immS', 'sb', immS, (v) => v],
    ['immB', 'beq', immB, (v) => v],
    ['immB', 'bgeu', immB, (v) => v],
    ['immJ', 'jal', immJ, (v) => v],
    ['immU', 'lui', immU, (v) => (v << 12) | 0], // the assembler's operand is the upper 20 bits
    ['immU', 'auipc', immU, (v) => (v << 12) | 0],
  ];
  for (const [field, name, decodeImm, expected] of cases) {
    it(`${field} of ${name}`, () => {
      fc.assert(fc.property(immFor(name), reg, reg, reg, (imm, rd, rs1, rs2) => {
        const w = encodeInsn(name, { rd, rs1, rs2, imm });
        expect(decodeImm(w)).toBe(expected(imm));
        expect(lookupInsn(w)).toBe(OP[name]);
      }), { numRuns: 3_000 });
    });
  }

  it('the extreme immediates of every format', () => {
    const extremes: [string, number[]][] = [
      ['addi', [-2048, -1, 0, 1, 2047]], ['sw', [-2048, -1, 0, 2047]], ['beq', [-4096, -2, 2, 4094]],
      ['jal', [-(1 << 20), -2, 2, (1 << 20) - 2]], ['lui', [0, 1, 0x80000, 0xfffff]],
    ];
    const decoders: Record<string, (w: number) => number> = { addi: immI, sw: immS, beq: immB, jal: immJ, lui: immU };
    for (const [name, imms] of extremes) {
      for (const imm of imms) {
        const want = name === 'lui' ? (imm << 12) | 0 : imm;
        expect(decoders[name](encodeInsn(name, { rd: 1, rs1: 2, rs2: 3, imm })), `${name} ${imm}`).toBe(want);
      }
    }
    // Spec example words (hand-encoded): addi a0, a0, -1 and jal ra, -4.
    expect(immI(0xfff50513 | 0)).toBe(-1);
    expect(immJ(0xffdff0ef | 0)).toBe(-4);
  });

  it('register fields', () => {
    fc.assert(fc.property(reg, reg, reg, (rd, rs1, rs2) => {
      const w = encodeInsn('add', { rd, rs1, rs2 });
      expect([rdOf(w), rs1Of(w), rs2Of(w)]).toEqual([rd, rs1, rs2]);
    }), { numRuns: 1_000 });
  });
});
