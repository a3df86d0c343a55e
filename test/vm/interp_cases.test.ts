// The interpreter's switch (vm/cpu/interp.ts) dispatches on INSNS indices
// written as number literals, each labelled with the instruction's name in a
// comment: `case 12: // lw`, or a list `case 41: case 42: // csrrw csrrs`
// (the comment may sit on the line after the labels). This test reads the
// source as text and checks every label against vm/isa/table.ts, so the
// literal numbers can never drift from the table, and that every entry is
// handled: by a case of its own, or through SUBDECODE (the entries whose
// mask reaches outside opcode/funct3/funct7, which DECODE cannot resolve).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INSNS } from '../../vm/isa/table.ts';
import { DECODE, ILLEGAL, SUBDECODE } from '../../vm/isa/decode.ts';

const SOURCE = readFileSync(new URL('../../vm/cpu/interp.ts', import.meta.url), 'utf8');
const KEY_MASK = 0x7f | (0x7 << 12) | (0x7f << 25);

interface CaseGroup {
  line: number;
  numbers: number[];
  names: string[];
}

/**
 * The `case N:` groups of interp.ts with the names their comment gives. A
 * comment's names end at its first ':' ("// fence.i: the interpreter ...").
 */
function caseGroups(src: string): CaseGroup[] {
  const lines = src.split('\n');
  const groups: CaseGroup[] = [];
  lines.forEach((text, i) => {
    const code = text.replace(/\/\/.*$/, '');
    const numbers = [...code.matchAll(/\bcase\s+(\d+)\s*:/g)].map((m) => Number(m[1]));
    if (numbers.length === 0) return;
    let comment = /\/\/\s*(.*)$/.exec(text)?.[1];
    if (comment === undefined) comment = /^\s*\/\/\s*(.*)$/.exec(lines[i + 1] ?? '')?.[1];
    const names = (comment ?? '').split(':')[0].trim().split(/\s+/).filter((s) => s !== '');
    groups.push({ line: i + 1, numbers, names });
  });
  return groups;
}

const groups = caseGroups(SOURCE);
const where = (g: CaseGroup): string => `vm/cpu/interp.ts:${g.line}`;
/** The entries DECODE cannot tell apart by its key: handled by the SUBDECODE case. */
const subdecoded = INSNS.flatMap((s, i) => ((s.mask & ~KEY_MASK) !== 0 ? [i] : []));

describe('vm/cpu/interp.ts case labels', () => {
  it('are found (the parser sees the dispatch switch)', () => {
    const all = groups.flatMap((g) => g.numbers);
    expect(all.length).toBeGreaterThan(INSNS.length / 2);
    expect(all).toContain(SUBDECODE);
    // Every literal `case N:` in the file is in some group (none hides in an odd layout).
    expect(all.length).toBe([...SOURCE.replace(/\/\/.*$/gm, '').matchAll(/\bcase\s+\d+\s*:/g)].length);
  });

  it('name, in their comment, the table entry of each number', () => {
    for (const g of groups) {
      if (g.numbers.length === 1 && g.numbers[0] === SUBDECODE) continue;
      expect(g.names.length, `${where(g)}: ${g.numbers.length} case labels but names ${JSON.stringify(g.names)}`)
        .toBe(g.numbers.length);
      g.numbers.forEach((n, k) => {
        expect(n, `${where(g)}: case ${n} is not an INSNS index`).toBeLessThan(INSNS.length);
        expect(INSNS[n].name, `${where(g)}: case ${n} says '${g.names[k]}'`).toBe(g.names[k]);
      });
    }
  });

  it('list, at the SUBDECODE case, exactly the entries DECODE leaves to lookupInsn', () => {
    const sub = groups.filter((g) => g.numbers.includes(SUBDECODE));
    expect(sub.length).toBe(1);
    expect(sub[0].numbers).toEqual([SUBDECODE]);
    expect([...sub[0].names].sort()).toEqual(subdecoded.map((i) => INSNS[i].name).sort());
    for (const i of subdecoded) expect(DECODE.includes(i), `${INSNS[i].name} reachable directly`).toBe(false);
    expect(groups.some((g) => g.numbers.includes(ILLEGAL))).toBe(false); // illegal words go to `default`
  });

  it('cover every table entry exactly once', () => {
    const handled = new Map<number, number>();
    for (const g of groups) for (const n of g.numbers) if (n !== SUBDECODE) handled.set(n, (handled.get(n) ?? 0) + 1);
    for (const i of subdecoded) handled.set(i, (handled.get(i) ?? 0) + 1);
    INSNS.forEach((s, i) => expect(handled.get(i), `${s.name} (index ${i})`).toBe(1));
  });
});
