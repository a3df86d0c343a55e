// Disassembly of an ELF file in objdump's layout (what `tessera disasm` prints):
//
//   Disassembly of section .text:
//
//   80000000 <_start>:
//   80000000:	00000513	li a0, 0
//   80000004:	0080006f	j 0x8000000c <_start+0xc>
//
// Code sections (SHF_EXECINSTR) are shown, or the executable PT_LOAD segments
// of a file without section headers. Words come from vm/isa/disasm.ts with
// the friendly (pseudo) forms; jump and branch targets get `<sym+off>`.
//
// Entry points: disasmElf.

import { parseElf, symbolizer, PF, PT_LOAD, SHF, SHT, type ElfFile } from './elf.ts';
import { disassemble } from '../vm/isa/disasm.ts';

interface CodeRange {
  name: string;
  addr: number;
  data: Uint8Array;
}

function codeRanges(elf: ElfFile): CodeRange[] {
  const secs = elf.sections.filter((s) => s.type === SHT.PROGBITS && (s.flags & SHF.EXECINSTR) && (s.flags & SHF.ALLOC) && s.data);
  if (secs.length > 0 || elf.sections.length > 0) return secs.map((s) => ({ name: s.name, addr: s.addr, data: s.data! }));
  return elf.segments
    .filter((p) => p.type === PT_LOAD && (p.flags & PF.X))
    .map((p, i) => ({ name: `segment ${i}`, addr: p.vaddr, data: p.data }));
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const addrText = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** Labels to print as `addr <name>:` headers: the symbols exactly at each address. */
function labelsAt(elf: ElfFile): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const s of elf.symbols) {
    if (s.name === '' || s.shndx === 0 || s.section === 'ABS' || s.section === 'UND') continue;
    if (s.type !== 'FUNC' && s.type !== 'OBJECT' && s.type !== 'NOTYPE') continue;
    const list = m.get(s.value) ?? [];
    if (!list.includes(s.name)) list.push(s.name);
    m.set(s.value, list);
  }
  return m;
}

function tailBytes(data: Uint8Array, off: number, addr: number): string[] {
  const out: string[] = [];
  const n = data.length - off;
  if (n >= 2) {
    const h = data[off] | (data[off + 1] << 8);
    out.push(`${addrText(addr)}:\t${h.toString(16).padStart(4, '0')}    \t.2byte 0x${h.toString(16)}`);
  }
  if (n % 2 === 1) {
    const b = data[data.length - 1];
    out.push(`${addrText(addr + n - 1)}:\t${b.toString(16).padStart(2, '0')}      \t.byte 0x${b.toString(16)}`);
  }
  return out;
}

function disasmRange(r: CodeRange, labels: Map<number, string[]>, sym: (a: number) => string | undefined): string[] {
  const out = ['', `Disassembly of section ${r.name}:`];
  const d = r.data;
  let off = 0;
  // As objdump does, a section that starts without a symbol is headed by its own name.
  if (!labels.has(r.addr)) out.push('', `${addrText(r.addr)} <${r.name}>:`);
  for (; off + 4 <= d.length; off += 4) {
    const pc = (r.addr + off) >>> 0;
    const names = labels.get(pc);
    if (names) for (const n of names) out.push('', `${addrText(pc)} <${n}>:`);
    const w = (d[off] | (d[off + 1] << 8) | (d[off + 2] << 16) | (d[off + 3] << 24)) >>> 0;
    out.push(`${addrText(pc)}:\t${hex8(w)}\t${disassemble(w | 0, pc, { pseudo: true, symbolize: sym })}`);
  }
  if (off < d.length) out.push(...tailBytes(d, off, (r.addr + off) >>> 0));
  return out;
}

function sectionRelative(ranges: CodeRange[], a: number): string | undefined {
  const r = ranges.find((x) => a >= x.addr && a < x.addr + x.data.length);
  if (!r) return undefined;
  return a === r.addr ? r.name : `${r.name}+0x${(a - r.addr).toString(16)}`;
}

/** objdump-like disassembly of the code in an ELF file. Throws ElfError for a malformed file. */
export function disasmElf(bytes: Uint8Array): string {
  const elf = parseElf(bytes);
  const bySymbol = symbolizer(elf);
  const ranges = codeRanges(elf);
  // Addresses with no symbol before them in their section are named after the section.
  const sym = (a: number): string | undefined => bySymbol(a) ?? sectionRelative(ranges, a);
  const labels = labelsAt(elf);
  const lines: string[] = [];
  for (const r of ranges) lines.push(...disasmRange(r, labels, sym));
  return lines.join('\n').replace(/^\n/, '') + '\n';
}
