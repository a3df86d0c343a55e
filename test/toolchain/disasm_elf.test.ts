// disasmElf against riscv64-unknown-elf-objdump -d on the same files: the same
// sections, addresses, instruction words, symbol headers and <sym+off>
// annotations on jumps and branches; plus the layout details of its own.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { disasmElf } from '../../toolchain/disasm_elf.ts';
import { assemble } from '../../toolchain/asm/index.ts';
import { ElfError } from '../../toolchain/elf.ts';
import { objdump, requireGnu, tempDir } from './gnu_tools.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'asm-corpus');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.s')).sort();

interface Line { addr: string; word: string; target?: string }

function parseListing(text: string): { sections: string[]; headers: Set<string>; lines: Line[] } {
  const sections = [...text.matchAll(/^Disassembly of section (\S+):$/gm)].map((m) => m[1]);
  const headers = new Set([...text.matchAll(/^([0-9a-f]{8}) <([^>]+)>:$/gm)].map((m) => `${m[1]} ${m[2]}`));
  const lines = [...text.matchAll(/^\s*([0-9a-f]+):\t([0-9a-f]{8})\s*\t([^\n]*)$/gm)].map((m) => {
    const code = m[3].split('#')[0];
    return { addr: m[1].padStart(8, '0'), word: m[2], target: /<([^>]+)>/.exec(code)?.[1] };
  });
  return { sections, headers, lines };
}

describe('disasmElf agrees with objdump -d', () => {
  for (const f of files) {
    it(f, () => {
      requireGnu();
      const path = join(CORPUS, f);
      const { elf } = assemble(readFileSync(path, 'utf8'), { filename: path, readFile: (p) => readFileSync(p, 'utf8') });
      const tmp = join(tempDir(), 'x.elf');
      writeFileSync(tmp, elf);
      const ref = parseListing(objdump(['-d', '-z'], tmp));
      const ours = parseListing(disasmElf(elf));
      expect(ours.sections).toEqual(ref.sections);
      for (const h of ref.headers) expect(ours.headers, h).toContain(h);
      const byAddr = new Map(ours.lines.map((l) => [l.addr, l]));
      expect(ref.lines.length).toBeGreaterThan(0);
      for (const r of ref.lines) {
        const o = byAddr.get(r.addr);
        expect(o?.word, `word at ${r.addr}`).toBe(r.word);
        if (r.target) expect(o?.target, `target at ${r.addr}`).toBe(r.target);
      }
    });
  }
});

describe('disasmElf layout', () => {
  const src = '_start:\n li a0, 0\n j _start\n call fn\nfn: ret\n .section .text.odd, "ax"\n j fn\n .word 0xffffffff\n .half 0x1234\n .byte 7\n';
  const text = disasmElf(assemble(src, { filename: 'l.s' }).elf);

  it('prints headers, tab-separated lines, pseudo forms and targets', () => {
    expect(text).toContain('Disassembly of section .text:\n\n80000000 <_start>:\n80000000:\t00000513\tli a0, 0\n');
    expect(text).toContain('80000004:\tffdff06f\tj 0x80000000 <_start>\n');
    expect(text).toContain('\n80000010 <fn>:\n80000010:\t00008067\tret\n');
  });

  it('shows words that are not instructions and a partial tail', () => {
    expect(text).toMatch(/Disassembly of section .text.odd:\n\n80001000 <.text.odd>:\n80001000:\t[0-9a-f]{8}\tj 0x80000010 <fn>\n/);
    expect(text).toContain('80001004:\tffffffff\t.word 0xffffffff\n');
    expect(text).toContain('80001008:\t1234    \t.2byte 0x1234\n');
    expect(text).toMatch(/80001008:.*\n8000100a:\t07      \t.byte 0x7\n$/);
  });

  it('falls back to executable segments when there are no section headers', () => {
    const b = assemble('_start: nop\n', { filename: 's.s' }).elf.slice();
    const dv = new DataView(b.buffer);
    dv.setUint32(32, 0, true);
    dv.setUint16(48, 0, true);
    dv.setUint16(50, 0, true);
    expect(disasmElf(b)).toBe('Disassembly of section segment 0:\n\n80000000 <segment 0>:\n80000000:\t00000013\tnop\n');
  });

  it('throws ElfError for a file that is not an ELF', () => {
    expect(() => disasmElf(new Uint8Array([1, 2, 3]))).toThrow(ElfError);
  });
});
