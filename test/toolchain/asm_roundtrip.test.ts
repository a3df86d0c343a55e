// Round trip through the one instruction table: for every INSNS entry and a
// spread of operands (edge immediates, every register, CSR names and bare
// numbers, fence sets, .aq/.rl), the base-form disassembly of what we
// assemble is the text we started from. Cases are generated from the table's
// formats, so a new table entry is covered without editing this file.
import { describe, it, expect } from 'vitest';
import { INSNS, type InsnSpec } from '../../vm/isa/table.ts';
import { ABI_NAMES } from '../../vm/isa/regs.ts';
import { CSR_NAMES } from '../../vm/isa/csr_table.ts';
import { disassemble } from '../../vm/isa/disasm.ts';
import { immRange } from '../../vm/isa/encode.ts';
import { assemble } from '../../toolchain/asm/index.ts';
import { parseElf } from '../../toolchain/elf.ts';

const BASE = 0x80000000;
const R = (i: number): string => ABI_NAMES[i % 32];
const hex = (n: number): string => '0x' + (n >>> 0).toString(16);

function fenceName(bits: number): string {
  const s = (bits & 8 ? 'i' : '') + (bits & 4 ? 'o' : '') + (bits & 2 ? 'r' : '') + (bits & 1 ? 'w' : '');
  return s || '0';
}

/** Immediates at and near the edges of a format's range, honouring its alignment. */
function edgeImms(spec: InsnSpec): number[] {
  const { min, max, align } = immRange(spec.format);
  return [...new Set([min, min + align, -align, 0, align, max - align, max])]
    .filter((v) => v >= min && v <= max && v % align === 0);
}

/** Text for each case of one table entry; `pc` gives the address of case k. */
function casesFor(spec: InsnSpec, pc: (k: number) => number): string[] {
  const n = spec.name;
  const out: string[] = [];
  const regs = (k: number): [string, string, string] => [R(k), R(k * 7 + 3), R(k * 13 + 5)];
  switch (spec.format) {
    case 'R':
      for (let k = 0; k < 32; k++) { const [a, b, c] = regs(k); out.push(`${n} ${a}, ${b}, ${c}`); }
      break;
    case 'I': case 'SHIFT':
      for (const [k, v] of edgeImms(spec).entries()) { const [a, b] = regs(k * 5 + 1); out.push(`${n} ${a}, ${b}, ${v}`); }
      for (let k = 0; k < 32; k++) out.push(`${n} ${R(k)}, ${R(31 - k)}, 1`);
      break;
    case 'LOAD': case 'JALR':
      for (const [k, v] of edgeImms(spec).entries()) { const [a, b] = regs(k * 3 + 2); out.push(`${n} ${a}, ${v}(${b})`); }
      for (let k = 0; k < 32; k++) out.push(`${n} ${R(k)}, -4(${R(31 - k)})`);
      break;
    case 'STORE':
      for (const [k, v] of edgeImms(spec).entries()) { const [a, b] = regs(k * 3 + 2); out.push(`${n} ${a}, ${v}(${b})`); }
      for (let k = 0; k < 32; k++) out.push(`${n} ${R(k)}, 8(${R(31 - k)})`);
      break;
    case 'BRANCH':
      for (const [k, v] of edgeImms(spec).entries()) {
        const [a, b] = regs(k);
        out.push(`${n} ${a}, ${b}, ${hex(pc(out.length) + v)}`);
      }
      for (let k = 0; k < 32; k += 3) out.push(`${n} ${R(k)}, ${R(k + 1)}, ${hex(pc(out.length) + 8)}`);
      break;
    case 'JAL':
      for (const v of edgeImms(spec)) for (const rd of [0, 1, 10, 31]) out.push(`${n} ${R(rd)}, ${hex(pc(out.length) + v)}`);
      break;
    case 'U':
      for (const [k, v] of [0, 1, 0x7ff, 0x800, 0x80000, 0xfffff].entries()) out.push(`${n} ${R(k * 5 + 1)}, ${hex(v)}`);
      break;
    case 'CSR': case 'CSRI': {
      const nums = [...CSR_NAMES.keys(), 0x000, 0x7c0, 0xfff, 0x5a5].filter((c, i, a) => a.indexOf(c) === i);
      nums.forEach((c, k) => {
        const name = CSR_NAMES.get(c) ?? hex(c);
        const src = spec.format === 'CSR' ? R(k + 7) : String([0, 1, 16, 31][k % 4]);
        out.push(`${n} ${R(k)}, ${name}, ${src}`);
      });
      break;
    }
    case 'AMO':
      for (const suf of ['', '.aq', '.rl', '.aqrl']) for (let k = 0; k < 32; k += 5) {
        const [a, b, c] = regs(k); out.push(`${n}${suf} ${a}, ${b}, (${c})`);
      }
      break;
    case 'LR':
      for (const suf of ['', '.aq', '.rl', '.aqrl']) for (let k = 0; k < 32; k += 5) out.push(`${n}${suf} ${R(k)}, (${R(k + 9)})`);
      break;
    case 'FENCE':
      for (let p = 0; p < 16; p++) for (let s = 0; s < 16; s++) out.push(`${n} ${fenceName(p)}, ${fenceName(s)}`);
      out.push('fence.tso');
      break;
    case 'SFENCE':
      for (let k = 0; k < 32; k++) out.push(`${n} ${R(k)}, ${R(k * 11 + 1)}`);
      break;
    case 'NONE':
      out.push(n);
      break;
  }
  return out;
}

describe('assembler round trip over the instruction table', () => {
  const lines: string[] = [];
  const perInsn = new Map<string, number>();
  for (const spec of INSNS) {
    const cases = casesFor(spec, (k) => BASE + 4 * (lines.length + k));
    perInsn.set(spec.name, cases.length);
    lines.push(...cases);
  }

  it('generates cases for every table entry', () => {
    for (const spec of INSNS) expect(perInsn.get(spec.name), spec.name).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(3000);
  });

  it('disassemble(assemble(x)) === x for every case', () => {
    const r = assemble(lines.join('\n') + '\n', { filename: 'roundtrip.s' });
    const text = r.sections.find((s) => s.name === '.text')!;
    expect(text.addr).toBe(BASE);
    const bad: string[] = [];
    lines.forEach((src, i) => {
      const off = 4 * i;
      const w = text.data[off] | (text.data[off + 1] << 8) | (text.data[off + 2] << 16) | (text.data[off + 3] << 24);
      const back = disassemble(w, BASE + off, { pseudo: false });
      if (back !== src) bad.push(`${src}  ->  ${hex(w)}  ->  ${back}`);
    });
    expect(bad.slice(0, 20)).toEqual([]);
    // The ELF carries the same bytes the result reports.
    const elf = parseElf(r.elf);
    expect(elf.sections.find((s) => s.name === '.text')!.data).toEqual(text.data.subarray(0, lines.length * 4));
  });

  it('accepts xN, ABI names and fp for every register', () => {
    const a = [], b = [];
    for (let i = 0; i < 32; i++) {
      a.push(`add x${i}, x${31 - i}, x${(i * 7) % 32}`);
      b.push(`add ${R(i)}, ${R(31 - i)}, ${R((i * 7) % 32)}`.replace(/\bs0\b/g, 'fp'));
    }
    const x = assemble(a.join('\n'), { filename: 'a.s' }).sections[0].data;
    const y = assemble(b.join('\n'), { filename: 'b.s' }).sections[0].data;
    expect(x).toEqual(y);
    expect(x.length).toBe(128);
  });
});
