// Assembler behaviour the GNU comparison does not pin down: where sections
// go, the entry point, the symbol table, segment permissions, expressions
// gas itself refuses (label differences in immediates), .include through
// readFile, the result object, and speed.
import { describe, it, expect } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { parseElf } from '../../toolchain/elf.ts';
import { disassemble } from '../../vm/isa/disasm.ts';

const asm = (src: string, base?: number) => assemble(src, { filename: 't.s', base });
const word = (d: Uint8Array, off: number): number => (d[off] | (d[off + 1] << 8) | (d[off + 2] << 16) | (d[off + 3] << 24)) >>> 0;

describe('layout', () => {
  const src = [
    '.bss', 'zeros: .space 100',
    '.data', 'd: .word 1',
    '.section .rodata', 'ro: .byte 1',
    '.text', 'main: nop',
    '.section .text.init, "ax"', '_start: j main',
    '.section .text.other, "ax"', 'other: ret',
    '.section .tohost, "aw", @progbits', 'tohost: .word 0',
  ].join('\n');
  const r = asm(src);
  const addr = (n: string) => r.sections.find((s) => s.name === n)!.addr;

  it('puts code first (.text.init, .text, others), then read-only data, data, bss, each on its own page', () => {
    expect(r.sections.map((s) => s.name)).toEqual(['.text.init', '.text', '.text.other', '.rodata', '.data', '.tohost', '.bss']);
    expect(r.sections.map((s) => s.addr)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => 0x80000000 + i * 0x1000));
  });

  it('starts at _start and reports every label', () => {
    expect(r.entry).toBe(0x80000000);
    expect(r.symbols.get('main')).toBe(addr('.text'));
    expect(r.symbols.get('zeros')).toBe(addr('.bss'));
    expect(r.symbols.get('tohost')).toBe(addr('.tohost'));
  });

  it('gives the loader R+X code, R read-only data and R+W data with bss in memsz', () => {
    const elf = parseElf(r.elf);
    const loads = elf.segments.filter((s) => s.type === 1);
    expect(loads.map((s) => [s.vaddr, s.flags])).toEqual([[0x80000000, 5], [0x80003000, 4], [0x80004000, 6]]);
    const rw = loads[2];
    expect(rw.filesz).toBe(0x1004); // .data page + .tohost word
    expect(rw.memsz).toBe(0x2000 + 100);
    expect(elf.entry).toBe(0x80000000);
  });

  it('honours base and a section alignment above a page', () => {
    const r2 = asm('nop\n.data\n.align 13\nx: .word 1', 0x1000);
    expect(r2.sections.map((s) => s.addr)).toEqual([0x1000, 0x2000]);
    expect(r2.symbols.get('x')).toBe(0x2000);
  });

  it('starts the first section at an unaligned base, the next on a page', () => {
    const r3 = asm('nop\n.data\n.word 1', 0x80000100);
    expect(r3.sections.map((s) => s.addr)).toEqual([0x80000100, 0x80001000]);
    expect(r3.entry).toBe(0x80000100);
  });

  it('without _start the entry is the first code section', () => {
    expect(asm('.data\n.word 1\n.text\nfoo: nop').entry).toBe(0x80000000);
    expect(asm('.section .text.b,"ax"\nnop\n.section .text.init,"ax"\nnop').entry).toBe(0x80000000);
  });
});

describe('symbol table', () => {
  const r = asm([
    '.globl g', '.weak w', '.type g, @function', '.type obj, @object',
    'g: nop', '1: nop', '.Lhidden: nop', 'w: nop', '.size g, . - g',
    '.data', 'obj: .word 1, 2', '.size obj, 8', '.equ K, 42',
  ].join('\n'));
  const syms = parseElf(r.elf).symbols;
  const find = (n: string) => syms.find((s) => s.name === n);

  it('binds .globl and .weak symbols, others are local', () => {
    expect([find('g')?.bind, find('w')?.bind, find('obj')?.bind]).toEqual(['GLOBAL', 'WEAK', 'LOCAL']);
  });
  it('keeps .type and .size', () => {
    expect([find('g')?.type, find('g')?.size]).toEqual(['FUNC', 16]);
    expect([find('obj')?.type, find('obj')?.size, find('obj')?.section]).toEqual(['OBJECT', 8, '.data']);
  });
  it('leaves out numeric local labels and .L names; keeps .equ symbols as absolute', () => {
    expect(syms.map((s) => s.name).filter((n) => /^\.L|^1/.test(n))).toEqual([]);
    expect([find('K')?.value, find('K')?.section]).toEqual([42, 'ABS']);
    expect(r.symbols.has('1')).toBe(false);
    expect(r.symbols.get('K')).toBe(42);
  });
  it('lists locals before globals, as ELF requires', () => {
    const firstGlobal = syms.findIndex((s) => s.bind !== 'LOCAL');
    expect(syms.slice(firstGlobal).every((s) => s.bind !== 'LOCAL')).toBe(true);
  });
});

describe('expressions beyond what gas takes', () => {
  it('label differences and forward .equ in immediates, resolved after layout', () => {
    const r = asm('start: addi a0, zero, end - start\n addi a1, zero, LATER * 2\n lw a2, (end - start)(sp)\nend:\n.equ LATER, 9');
    const t = r.sections[0].data;
    expect(disassemble(word(t, 0), 0)).toBe('addi a0, zero, 12');
    expect(disassemble(word(t, 4), 0)).toBe('addi a1, zero, 18');
    expect(disassemble(word(t, 8), 0)).toBe('lw a2, 12(sp)');
  });

  it('.word of addresses across sections', () => {
    const r = asm('.data\nptrs: .word here, there + 4, there - here\n.text\nhere: nop\n.section .rodata\nthere: .word 0');
    const d = r.sections.find((s) => s.name === '.data')!.data;
    expect([word(d, 0), word(d, 4), word(d, 8)]).toEqual([0x80000000, 0x80001004, 0x1000]);
  });

  it('the location counter in data is the address of each item', () => {
    const d = asm('.data\nx: .word ., ., . - x').sections.find((s) => s.name === '.data')!.data;
    expect([word(d, 0), word(d, 4), word(d, 8)]).toEqual([0x80000000, 0x80000004, 8]); // no code: .data comes first
  });

  it('unimp is csrrw x0, cycle, x0', () => {
    expect(word(asm('unimp').sections[0].data, 0)).toBe(0xc0001073);
  });
});

describe('.include', () => {
  it('reads through opts.readFile relative to the including file', () => {
    const seen: string[] = [];
    const files: Record<string, string> = {
      'src/main.s': '.include "lib/defs.s"\n li a0, VALUE\n',
      'src/lib/defs.s': '.include "more.s"\n.equ VALUE, OTHER + 1\n',
      'src/lib/more.s': '.equ OTHER, 41\n',
    };
    const r = assemble(files['src/main.s'], { filename: 'src/main.s', readFile: (p) => { seen.push(p); return files[p]; } });
    expect(seen).toEqual(['src/lib/defs.s', 'src/lib/more.s']);
    expect(disassemble(word(r.sections[0].data, 0), 0, { pseudo: true })).toBe('li a0, 42');
  });
});

describe('speed', () => {
  it('assembles a 10,000-line file in well under a second', () => {
    const lines = ['_start:'];
    for (let i = 0; i < 10000; i++) {
      const k = i % 8;
      lines.push(
        k === 0 ? `l${i}: addi a0, a1, ${i % 2000}` : k === 1 ? `  lw t0, ${(i % 500) * 4}(sp)  # load` :
        k === 2 ? `  beq a0, a1, l${i - 2}` : k === 3 ? `  li a2, ${i * 12345}` : k === 4 ? '  la a3, data' :
        k === 5 ? `  call l${i - 5}` : k === 6 ? '1: bnez a0, 1b' : '  amoadd.w.aqrl a0, a1, (a2)');
    }
    lines.push('.data', 'data: .word 0');
    const t0 = performance.now();
    const r = asm(lines.join('\n'));
    const ms = performance.now() - t0;
    expect(r.sections[0].size).toBeGreaterThan(40000);
    expect(ms).toBeLessThan(1000);
  });
});
