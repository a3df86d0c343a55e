// Our assembler against GNU as + ld on the corpus in test/asm-corpus/: each
// file is assembled by both, GNU's output linked with a script that puts every
// section where ours put it, and then every section's bytes, every symbol's
// value and the entry point must be identical.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../toolchain/asm/index.ts';
import { parseElf, SHF, SHT } from '../../toolchain/elf.ts';
import { gnuBuild, readBytes, requireGnu } from './gnu_tools.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'asm-corpus');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.s')).sort();

describe('assembler agrees with GNU as + ld byte for byte', () => {

  it('has a corpus of at least 12 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const f of files) {
    it(f, () => {
      requireGnu();
      const path = join(CORPUS, f);
      const ours = assemble(readFileSync(path, 'utf8'), { filename: path, readFile: (p) => readFileSync(p, 'utf8') });
      const alloc = ours.sections.filter((s) => s.flags.alloc);
      expect(alloc.length).toBeGreaterThan(0);
      const gnu = parseElf(readBytes(gnuBuild(path, alloc.map((s) => ({ name: s.name, addr: s.addr })), CORPUS)));

      for (const s of alloc) {
        const g = gnu.sections.find((x) => x.name === s.name);
        expect(g, `GNU has section ${s.name}`).toBeDefined();
        expect(g!.addr, `${s.name} address`).toBe(s.addr);
        expect(g!.size, `${s.name} size`).toBe(s.size);
        if (s.flags.nobits) expect(g!.type).toBe(SHT.NOBITS);
        else expect(Buffer.from(g!.data!).toString('hex'), `${s.name} bytes`).toBe(Buffer.from(s.data).toString('hex'));
      }
      // Nothing GNU placed in memory is missing from ours.
      for (const g of gnu.sections) {
        if ((g.flags & SHF.ALLOC) && g.size > 0) expect(alloc.map((s) => s.name), `our sections include ${g.name}`).toContain(g.name);
      }
      const gsyms = new Map(gnu.symbols.filter((s) => s.type !== 'SECTION' && s.type !== 'FILE' && s.section !== 'UND').map((s) => [s.name, s.value]));
      for (const [name, value] of ours.symbols) {
        expect(gsyms.get(name), `symbol ${name}`).toBe(value);
      }
      if (gsyms.has('_start')) expect(ours.entry).toBe(gnu.entry);
    });
  }
});
