// ELF reader and writer: agreement with riscv64-unknown-elf-readelf on GNU-linked
// files and on ours, the error for each kind of malformed file, fuzzing
// (nothing but ElfError ever escapes), writer round trips, and the symbolizer.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf, writeElf, symbolizer, ElfError, type ElfFile, type ElfImage } from '../../toolchain/elf.ts';
import { disasmElf } from '../../toolchain/disasm_elf.ts';
import { assemble } from '../../toolchain/asm/index.ts';
import { gnuBuild, readBytes, readelf, requireGnu, tempDir } from './gnu_tools.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'asm-corpus');

function ours(file: string): { bytes: Uint8Array; places: { name: string; addr: number }[] } {
  const path = join(CORPUS, file);
  const r = assemble(readFileSync(path, 'utf8'), { filename: path, readFile: (p) => readFileSync(p, 'utf8') });
  return { bytes: r.elf, places: r.sections.filter((s) => s.flags.alloc).map((s) => ({ name: s.name, addr: s.addr })) };
}

const num = (s: string): number => parseInt(s, s.startsWith('0x') ? 16 : 10);
const SHT_NAMES: Record<number, string> = { 0: 'NULL', 1: 'PROGBITS', 2: 'SYMTAB', 3: 'STRTAB', 8: 'NOBITS', 0x70000003: 'RISCV_ATTRIBUTES' };

/** Check parseElf's view of `path` against `readelf -hlSsW`. */
function compareWithReadelf(path: string, elf: ElfFile): void {
  const out = readelf(['-hlSsW'], path);
  expect(out).toMatch(new RegExp(`Entry point address:\\s+0x${elf.entry.toString(16)}\\n`));
  expect(out).toMatch(new RegExp(`Flags:\\s+0x${elf.flags.toString(16)}[,\\n]`));
  expect(out).toMatch(/Machine:\s+RISC-V/);
  expect(out).toMatch(new RegExp(`Number of program headers:\\s+${elf.segments.length}\\n`));
  expect(out).toMatch(new RegExp(`Number of section headers:\\s+${elf.sections.length}\\n`));

  const loads = [...out.matchAll(/^\s+LOAD\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+([RWE ]+?)\s+(0x\w+)$/gm)];
  const ourLoads = elf.segments.filter((s) => s.type === 1);
  expect(loads.length).toBe(ourLoads.length);
  loads.forEach((m, i) => {
    const s = ourLoads[i];
    expect([m[1], m[2], m[3], m[4], m[5], m[7]].map(num)).toEqual([s.offset, s.vaddr, s.paddr, s.filesz, s.memsz, s.align]);
    const flags = (s.flags & 4 ? 'R' : ' ') + (s.flags & 2 ? 'W' : ' ') + (s.flags & 1 ? 'E' : ' ');
    expect(m[6].padEnd(3)).toBe(flags);
  });

  const secs = [...out.matchAll(/^\s+\[\s*(\d+)\] (.{17}) (\S+)\s+([0-9a-f]{8}) ([0-9a-f]{6}) ([0-9a-f]{6}) ([0-9a-f]{2}) +([A-Za-z]*) +(\d+) +(\d+) +(\d+)$/gm)];
  expect(secs.length).toBe(elf.sections.length);
  for (const m of secs) {
    const s = elf.sections[Number(m[1])];
    expect(m[2].trim()).toBe(s.name.length > 17 ? m[2].trim() : s.name);
    expect(m[3]).toBe(SHT_NAMES[s.type] ?? m[3]);
    expect([m[4], m[5], m[6], m[7]].map((x) => parseInt(x, 16))).toEqual([s.addr, s.offset, s.size, s.entsize]);
    const wax = (s.flags & 1 ? 'W' : '') + (s.flags & 2 ? 'A' : '') + (s.flags & 4 ? 'X' : '');
    expect(m[8].replace(/[^WAX]/g, '')).toBe(wax);
    expect([m[9], m[10], m[11]].map(Number)).toEqual([s.link, s.info, s.addralign]);
  }

  const syms = [...out.matchAll(/^\s+(\d+): ([0-9a-f]{8}) +(\d+|0x[0-9a-f]+) (\w+) +(\w+) +(\w+) +(\w+) ?(.*)$/gm)];
  expect(syms.length).toBe(elf.symbols.length);
  for (const m of syms) {
    const s = elf.symbols[Number(m[1])];
    // readelf shows a section symbol by its section's name.
    const name = s.type === 'SECTION' && s.name === '' ? elf.sections[s.shndx].name : s.name;
    expect([parseInt(m[2], 16), num(m[3]), m[4], m[5], m[8]]).toEqual([s.value, s.size, s.type, s.bind, name]);
    expect(m[7]).toBe(s.section === 'UND' || s.section === 'ABS' ? s.section : String(s.shndx));
  }
}

describe('parseElf agrees with readelf', () => {
  for (const file of ['firmware.s', 'sections.s', 'cross_section.s', 'include.s']) {
    it(`GNU-linked ${file}`, () => {
      requireGnu();
      const o = ours(file);
      const path = gnuBuild(join(CORPUS, file), o.places, CORPUS);
      compareWithReadelf(path, parseElf(readBytes(path)));
    });
    it(`our ${file}`, () => {
      requireGnu();
      const path = join(tempDir(), 'ours.elf');
      const o = ours(file);
      writeFileSync(path, o.bytes);
      const elf = parseElf(o.bytes);
      expect(elf.type).toBe(2);
      expect(elf.flags).toBe(0);
      compareWithReadelf(path, elf);
    });
  }
});

/** A valid ELF with three PT_LOADs (text, rodata, data+bss) to break in various ways. */
function sample(): Uint8Array {
  return assemble('_start: j _start\n.section .rodata\n.word 1\n.data\n.word 2\n.bss\n.space 64\n', { filename: 's.s' }).elf.slice();
}
const put32 = (b: Uint8Array, off: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(off, v, true);
const put16 = (b: Uint8Array, off: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint16(off, v, true);
const get32 = (b: Uint8Array, off: number): number => new DataView(b.buffer, b.byteOffset).getUint32(off, true);
const PH = (i: number): number => 52 + 32 * i;

function elfError(b: Uint8Array): string {
  try {
    parseElf(b);
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    return (e as Error).message;
  }
  throw new Error('parsed without error');
}

describe('parseElf rejects malformed files with one clear line', () => {
  it('sample is valid', () => {
    const e = parseElf(sample());
    expect(e.segments.length).toBe(3);
    expect(e.segments.map((s) => s.flags)).toEqual([5, 4, 6]);
  });
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['empty file', () => new Uint8Array(0), /^not an ELF file \(bad magic\)$/],
    ['bad magic', (b) => { b[1] = 0x46; return b; }, /^not an ELF file \(bad magic\)$/],
    ['ELF64', (b) => { b[4] = 2; return b; }, /^ELF64 is not supported: need ELF32$/],
    ['bad class', (b) => { b[4] = 7; return b; }, /bad ELF class 7/],
    ['big-endian', (b) => { b[5] = 2; return b; }, /^big-endian ELF is not supported/],
    ['ident version', (b) => { b[6] = 0; return b; }, /bad ELF version 0/],
    ['x86-64', (b) => { put16(b, 18, 62); return b; }, /^machine is x86-64 \(62\), not RISC-V \(243\)$/],
    ['unknown machine', (b) => { put16(b, 18, 9999); return b; }, /^machine is unknown \(9999\), not RISC-V \(243\)$/],
    ['short header', (b) => b.slice(0, 40), /^truncated: ELF header needs 52 bytes, file has 40$/],
    ['e_phentsize', (b) => { put16(b, 42, 56); return b; }, /bad e_phentsize 56 \(need 32\)/],
    ['program header past end', (b) => b.slice(0, PH(2) + 10),
      /^truncated: program header 2 extends past end of file \(offset 0x74, file size 0x7e\)$/],
    ['program header table offset', (b) => { put32(b, 28, 0xfffffff0); return b; }, /^truncated: program header 0 extends past end of file \(offset 0xfffffff0/],
    ['filesz > memsz', (b) => { put32(b, PH(1) + 16, get32(b, PH(1) + 20) + 1); return b; }, /^segment 1: filesz > memsz \(0x5 > 0x4\)$/],
    ['segment data past end', (b) => { put32(b, PH(0) + 4, b.length - 2); return b; }, /^truncated: segment 0 data extends past end of file/],
    ['segment wraps', (b) => { put32(b, PH(2) + 8, 0xffffffc0); return b; }, /^segment 2: vaddr 0xffffffc0 \+ memsz 0x\w+ wraps past the 32-bit address space$/],
    ['e_shentsize', (b) => { put16(b, 46, 64); return b; }, /bad e_shentsize 64 \(need 40\)/],
    ['section table past end', (b) => { put16(b, 48, 200); return b; }, /^truncated: section header table \(200 entries at offset 0x\w+\) extends past end of file/],
    ['section data past end', (b) => { const sh = get32(b, 32); put32(b, sh + 40 + 20, 0x100000); return b; }, /^truncated: section 1 extends past end of file \(offset 0x1000, size 0x100000/],
    ['bad e_shstrndx', (b) => { put16(b, 50, 99); return b; }, /^e_shstrndx 99 is not a section/],
    ['shstrndx not a string table', (b) => { put16(b, 50, 1); return b; }, /e_shstrndx 1: section type 1 is not SHT_STRTAB/],
    ['section name outside table', (b) => { const sh = get32(b, 32); put32(b, sh + 40, 0xffff); return b; }, /^section 1: name offset 0xffff outside string table/],
    ['symbol table entsize', (b) => { const sh = get32(b, 32), n = b[48]; put32(b, sh + 40 * (n - 3) + 36, 12); return b; }, /symbol table \(section \d+\): sh_entsize 12 \(need 16\)/],
    ['symbol name outside strtab', (b) => {
      const sh = get32(b, 32), n = b[48];
      const symOff = get32(b, sh + 40 * (n - 3) + 16);
      put32(b, symOff + 16, 0x7fffffff);
      return b;
    }, /^symbol 1: name offset 0x7fffffff outside string table/],
  ];
  for (const [what, mutate, re] of cases) {
    it(what, () => expect(elfError(mutate(sample()))).toMatch(re));
  }

  it('fuzz: random bytes give an ElfError, never another exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
      try { parseElf(b); } catch (e) { if (!(e instanceof ElfError)) throw e; }
    }), { numRuns: 3000 });
  });

  it('fuzz: mutated valid ELFs parse or give an ElfError; what parses can be disassembled', () => {
    const base = sample();
    const edit = fc.record({ off: fc.nat(base.length - 1), val: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xff, 0x7f, 0x80)) });
    const mutation = fc.record({ edits: fc.array(edit, { minLength: 1, maxLength: 8 }), cut: fc.option(fc.nat(base.length)), hdr: fc.boolean() });
    fc.assert(fc.property(mutation, ({ edits, cut, hdr }) => {
      let b = base.slice();
      // Half of the runs aim the edits at the headers, where the structure is.
      for (const e of edits) b[hdr ? e.off % 220 : e.off] = e.val;
      if (cut !== null) b = b.slice(0, cut);
      try {
        const elf = parseElf(b);
        const sym = symbolizer(elf);
        for (const s of elf.symbols) sym(s.value + 4);
        disasmElf(b);
      } catch (e) {
        if (!(e instanceof ElfError)) throw e;
      }
    }), { numRuns: 3000 });
  });
});

describe('writeElf', () => {
  it('round trips sections, segments and symbols through parseElf', () => {
    const img = fc.record({
      text: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      ro: fc.uint8Array({ maxLength: 64 }),
      data: fc.uint8Array({ maxLength: 64 }),
      bss: fc.nat(5000),
      pages: fc.integer({ min: 0, max: 0x7ff00 }),
    });
    fc.assert(fc.property(img, ({ text, ro, data, bss, pages }) => {
      const base = pages * 0x1000;
      const image: ElfImage = {
        entry: base + 4,
        sections: [
          { name: '.text', addr: base, data: text, exec: true, align: 4 },
          { name: '.rodata', addr: base + 0x1000, data: ro },
          { name: '.data', addr: base + 0x2000, data, write: true },
          { name: '.bss', addr: base + 0x2000 + data.length, size: bss, nobits: true, write: true },
        ],
        symbols: [
          { name: 'main', value: base, section: '.text', bind: 'GLOBAL', type: 'FUNC', size: text.length },
          { name: 'local', value: base + 0x1000, section: '.rodata' },
          { name: 'CONST', value: 0x1234, section: 'ABS' },
        ],
      };
      const elf = parseElf(writeElf(image));
      expect(elf.entry).toBe(base + 4);
      for (const s of image.sections) {
        const p = elf.sections.find((x) => x.name === s.name);
        if ((s.data?.length ?? s.size ?? 0) === 0) continue;
        expect(p!.addr).toBe(s.addr);
        if (s.data) expect(p!.data).toEqual(s.data);
        else expect(p!.size).toBe(s.size);
      }
      // Every loaded byte is covered by a segment with the right permissions.
      const seg = (a: number) => elf.segments.find((p) => a >= p.vaddr && a < p.vaddr + p.memsz);
      expect(seg(base)!.flags).toBe(5);
      if (ro.length) expect(seg(base + 0x1000)!.flags).toBe(4);
      if (data.length) expect(seg(base + 0x2000)!.flags).toBe(6);
      if (bss) expect(seg(base + 0x2000 + data.length + bss - 1)!.flags).toBe(6);
      const names = elf.symbols.map((s) => `${s.name}:${s.bind}:${s.type}:${s.section}`);
      expect(names).toEqual([':LOCAL:NOTYPE:UND', 'local:LOCAL:NOTYPE:.rodata', 'CONST:LOCAL:NOTYPE:ABS', 'main:GLOBAL:FUNC:.text']);
    }), { numRuns: 200 });
  });

  it('refuses overlapping sections', () => {
    expect(() => writeElf({ entry: 0, sections: [
      { name: '.a', addr: 0x1000, data: new Uint8Array(16) }, { name: '.b', addr: 0x1008, data: new Uint8Array(4) },
    ] })).toThrow(/section .b at 0x1008 overlaps .a/);
  });
});

describe('symbolizer', () => {
  const elf = parseElf(writeElf({
    entry: 0x80000000,
    sections: [{ name: '.text', addr: 0x80000000, data: new Uint8Array(0x40), exec: true }],
    symbols: [
      { name: 'start', value: 0x80000000, section: '.text' },
      { name: 'alias', value: 0x80000010, section: '.text' },
      { name: 'func', value: 0x80000010, section: '.text', bind: 'GLOBAL', type: 'FUNC' },
      { name: 'SIZE', value: 0x80000020, section: 'ABS' },
    ],
  }));
  const sym = symbolizer(elf);
  it('names the nearest preceding symbol with an offset', () => {
    expect(sym(0x80000000)).toBe('start');
    expect(sym(0x8000000c)).toBe('start+0xc');
    expect(sym(0x80000010)).toBe('func'); // a global function wins over a local label
    expect(sym(0x80000024)).toBe('func+0x14');
  });
  it('gives nothing outside the sections or before the first symbol', () => {
    expect(sym(0x7ffffffc)).toBeUndefined();
    expect(sym(0x80000040)).toBeUndefined();
    expect(sym(0x10)).toBeUndefined();
  });
});
