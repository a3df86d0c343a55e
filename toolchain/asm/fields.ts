// Immediate fields: from an expression's value to the number encodeInsn takes,
// with the range checks and messages the assembler reports.
//
// gas on RV32 reads a constant in 0..0xffffffff as the 32-bit value it spells
// (so `addi a0, a0, 0xfffff800` is -2048); we do the same before range checks.
//
// Entry points: immField, normalize32, hi20, lo12, sext.

import { INSNS, OP } from '../../vm/isa/table.ts';
import { immRange } from '../../vm/isa/encode.ts';
import type { ImmKind } from './sections.ts';

/** gas's normalize_constant_expr for RV32: a value that fits in 32 unsigned bits is read as signed 32-bit. */
export function normalize32(v: bigint): bigint {
  return v >= 0n && v <= 0xffffffffn ? BigInt.asIntN(32, v) : v;
}

export const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);
/** Low 12 bits, sign-extended (what addi adds). */
export const lo12 = (v: bigint): number => sext(Number(BigInt.asUintN(12, v)), 12);
/** Upper 20 bits, so that (hi20 << 12) + lo12 == v (mod 2^32). */
export const hi20 = (v: bigint): number => Number(BigInt.asUintN(20, (v + 0x800n) >> 12n));

const hex = (v: bigint | number): string => (v < 0 ? '-0x' + (-BigInt(v)).toString(16) : '0x' + BigInt(v).toString(16));

/** Signed distance from pc to an address, modulo the 32-bit address space. */
export const pcDistance = (target: bigint, pc: number): bigint => BigInt.asIntN(32, target - BigInt(pc));

export type FieldResult = { ok: number } | { err: string };

/**
 * The immediate operand of instruction `name` when its expression has value `v`
 * and the instruction is at `pc` (pcrel_lo is computed by the caller).
 */
export function immField(name: string, kind: ImmKind, v: bigint, pc: number): FieldResult {
  const spec = INSNS[OP[name]];
  switch (kind) {
    case 'hi': return { ok: hi20(v) };
    case 'lo': return { ok: lo12(v) };
    case 'pcrel_hi': return { ok: hi20(pcDistance(v, pc)) };
    case 'pcrel_lo': return { ok: lo12(v) };
    case 'target': {
      const off = pcDistance(v, pc);
      const { min, max } = immRange(spec.format);
      const what = spec.format === 'JAL' ? 'jump' : 'branch';
      if (off < BigInt(min) || off > BigInt(max)) {
        return { err: `${what} target ${hex(BigInt.asUintN(32, v))} out of range for ${name}: offset ${off} not in [${min}, ${max}]` };
      }
      if (off % 2n !== 0n) return { err: `${what} target ${hex(BigInt.asUintN(32, v))} for ${name} is odd: offset ${off} must be a multiple of 2` };
      return { ok: Number(off) };
    }
    case 'abs': {
      const x = normalize32(v);
      const { min, max } = immRange(spec.format);
      if (x < BigInt(min) || x > BigInt(max)) {
        const what = spec.format === 'SHIFT' ? 'shift amount' : spec.format === 'CSRI' ? 'CSR immediate' : 'immediate';
        const range = spec.format === 'U' ? `[0, 0xfffff]` : `[${min}, ${max}]`;
        return { err: `${what} ${x} (${hex(v)}) out of range for ${name}: must be in ${range}` };
      }
      return { ok: Number(x) };
    }
  }
}
