// Property tests of vm/cpu/alu.ts (and Math.imul, which the interpreter uses
// for mul) against BigInt references written from the RISC-V unprivileged
// spec, chapter "M" ("M" Standard Extension for Integer Multiplication and
// Division):
//   mul     low XLEN bits of rs1 x rs2
//   mulh    high XLEN bits of signed x signed
//   mulhsu  high XLEN bits of signed rs1 x unsigned rs2
//   mulhu   high XLEN bits of unsigned x unsigned
//   div(u)  rounds towards zero; rem(u) has the sign of the dividend
//   x / 0 = all ones (-1, or 2^32-1 unsigned), x % 0 = x
//   signed overflow: INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0
// Inputs and outputs are int32 (the register file's representation).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulh, mulhsu, mulhu, div, divu, rem, remu } from '../../vm/cpu/alu.ts';

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const EDGES = [0, 1, -1, 2, -2, INT_MIN, INT_MAX, INT_MIN + 1, INT_MAX - 1, 0xffff, 0x10000, 0x7fff, 0x8000,
  0xffff0000 | 0, 0x55555555, 0xaaaaaaaa | 0, 3, -3, 10, -10];

const signed = (v: number): bigint => BigInt(v | 0);
const unsigned = (v: number): bigint => BigInt(v >>> 0);
/** The register bit pattern of a mathematical result: its low 32 bits, as int32. */
const reg = (v: bigint): number => Number(BigInt.asIntN(32, v));

type Op = (a: number, b: number) => number;

const REFERENCE: Record<string, { impl: Op; ref: Op }> = {
  mul: { impl: Math.imul, ref: (a, b) => reg(signed(a) * signed(b)) },
  mulh: { impl: mulh, ref: (a, b) => reg((signed(a) * signed(b)) >> 32n) },
  mulhsu: { impl: mulhsu, ref: (a, b) => reg((signed(a) * unsigned(b)) >> 32n) },
  mulhu: { impl: mulhu, ref: (a, b) => reg((unsigned(a) * unsigned(b)) >> 32n) },
  div: {
    impl: div,
    ref: (a, b) => {
      if (b === 0) return -1;
      if (a === INT_MIN && b === -1) return INT_MIN;
      return reg(signed(a) / signed(b)); // BigInt division truncates towards zero
    },
  },
  divu: { impl: divu, ref: (a, b) => (b === 0 ? reg(0xffffffffn) : reg(unsigned(a) / unsigned(b))) },
  rem: {
    impl: rem,
    ref: (a, b) => {
      if (b === 0) return a;
      if (a === INT_MIN && b === -1) return 0;
      return reg(signed(a) % signed(b)); // BigInt remainder takes the dividend's sign
    },
  },
  remu: { impl: remu, ref: (a, b) => (b === 0 ? a : reg(unsigned(a) % unsigned(b))) },
};

const int32 = fc.integer({ min: INT_MIN, max: INT_MAX });
const operand = fc.oneof({ weight: 3, arbitrary: int32 }, { weight: 1, arbitrary: fc.constantFrom(...EDGES) });

/** Same value as the reference, and a canonical int32 (what the register file stores). */
function check(name: string, impl: Op, ref: Op, a: number, b: number): void {
  const got = impl(a, b);
  const want = ref(a, b);
  const ok = Number.isInteger(got) && got >= INT_MIN && got <= INT_MAX && got === want;
  if (!ok) expect.fail(`${name}(${a}, ${b}) = ${got}, spec says ${want}`);
}

describe('M extension arithmetic against the spec (BigInt reference)', () => {
  for (const [name, { impl, ref }] of Object.entries(REFERENCE)) {
    describe(name, () => {
      it('every pair of edge values', () => {
        for (const a of EDGES) for (const b of EDGES) check(name, impl, ref, a, b);
      });

      it('random int32 pairs', () => {
        fc.assert(fc.property(operand, operand, (a, b) => { check(name, impl, ref, a, b); }), { numRuns: 20_000 });
      });
    });
  }

  it('the spec\'s special cases, spelled out', () => {
    // Table "Semantics for division by zero and division overflow" of the M chapter.
    for (const x of [0, 1, -1, 12345, INT_MIN, INT_MAX]) {
      expect(div(x, 0)).toBe(-1);
      expect(divu(x, 0)).toBe(-1); // 2^32 - 1 as a register
      expect(rem(x, 0)).toBe(x);
      expect(remu(x, 0)).toBe(x);
    }
    expect(div(INT_MIN, -1)).toBe(INT_MIN);
    expect(rem(INT_MIN, -1)).toBe(0);
    expect(div(-7, 2)).toBe(-3); // towards zero, not floor
    expect(rem(-7, 2)).toBe(-1);
    expect(rem(7, -2)).toBe(1);
    expect(mulhu(-1, -1)).toBe(-2); // (2^32-1)^2 = 0xfffffffe_00000001
    expect(mulh(-1, -1)).toBe(0);
    expect(mulhsu(-1, -1)).toBe(-1); // -1 x (2^32-1) = -(2^32-1): high word all ones
    expect(mulh(INT_MIN, INT_MIN)).toBe(0x40000000);
  });
});
