// ELF32 little-endian RISC-V executables: reader, writer and address symbolizer.
//
// The reader checks every offset and size against the file before it touches
// a byte, so a malformed or hostile file gives one ElfError line naming the
// problem and where, never a RangeError. The writer produces what `tessera asm`
// needs: a static ET_EXEC with one PT_LOAD per run of sections that share
// permissions, full section headers and a symbol table, in a form readelf and
// objdump read (checked against riscv64-unknown-elf-readelf in the tests).
//
// Entry points: parseElf, writeElf, symbolizer, ElfError, and the ElfFile /
// ElfImage shapes.

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export const EM_RISCV = 243;
export const ET = { REL: 1, EXEC: 2, DYN: 3 } as const;
export const PT_LOAD = 1;
export const PF = { X: 1, W: 2, R: 4 } as const;
export const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, NOBITS: 8 } as const;
export const SHF = { WRITE: 1, ALLOC: 2, EXECINSTR: 4 } as const;
const SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2, SHN_XINDEX = 0xffff;
const EHDR_SIZE = 52, PHDR_SIZE = 32, SHDR_SIZE = 40, SYM_SIZE = 16;
const PAGE = 0x1000;

/** Symbol binding and type names, spelled as readelf prints them. */
const BIND_NAMES = ['LOCAL', 'GLOBAL', 'WEAK'] as const;
const TYPE_NAMES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'] as const;
export type SymBind = 'LOCAL' | 'GLOBAL' | 'WEAK';
export type SymType = 'NOTYPE' | 'OBJECT' | 'FUNC' | 'SECTION' | 'FILE';

/** e_machine values worth naming in an error message. */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  2: 'SPARC', 3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM',
  50: 'IA-64', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch',
};

export interface ElfSegment {
  type: number; offset: number; vaddr: number; paddr: number;
  filesz: number; memsz: number; flags: number; align: number;
  /** The filesz bytes of the file this segment loads. */
  data: Uint8Array;
}

export interface ElfSection {
  index: number; name: string; type: number; flags: number; addr: number; offset: number;
  size: number; link: number; info: number; addralign: number; entsize: number;
  /** File bytes (absent for SHT_NOBITS and SHT_NULL). */
  data?: Uint8Array;
}

export interface ElfSymbol {
  name: string; value: number; size: number;
  bind: string; type: string; other: number; shndx: number;
  /** Name of the defining section, or 'UND', 'ABS', 'COM'. */
  section: string;
}

export interface ElfFile {
  type: number; machine: number; entry: number; flags: number;
  /** Every program header (PT_LOAD and the others). */
  segments: ElfSegment[];
  sections: ElfSection[];
  symbols: ElfSymbol[];
}

const hex = (n: number): string => '0x' + n.toString(16);

/** Bounds-checked little-endian reads; `what` names the structure for the error. */
class Reader {
  constructor(readonly b: Uint8Array) {}
  private need(off: number, n: number, what: string): void {
    if (off < 0 || off + n > this.b.length) {
      throw new ElfError(`truncated: ${what} at offset ${hex(off)} extends past end of file (file size ${hex(this.b.length)})`);
    }
  }
  u8(off: number, what: string): number { this.need(off, 1, what); return this.b[off]; }
  u16(off: number, what: string): number { this.need(off, 2, what); return this.b[off] | (this.b[off + 1] << 8); }
  u32(off: number, what: string): number {
    this.need(off, 4, what);
    return (this.b[off] | (this.b[off + 1] << 8) | (this.b[off + 2] << 16) | (this.b[off + 3] << 24)) >>> 0;
  }
}

/** Name the first entry of a table of `count` entries at `off` that does not fit in the file. */
function checkTable(size: number, off: number, count: number, entsize: number, name: (i: number) => string): void {
  for (let i = 0; i < count; i++) {
    const at = off + i * entsize;
    if (at + entsize > size) {
      throw new ElfError(`truncated: ${name(i)} extends past end of file (offset ${hex(at)}, file size ${hex(size)})`);
    }
  }
}

function parseIdent(b: Uint8Array): void {
  if (b.length < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic)');
  }
  if (b.length < 16) throw new ElfError(`truncated: ELF identification needs 16 bytes, file has ${b.length}`);
  if (b[4] === 2) throw new ElfError('ELF64 is not supported: need ELF32');
  if (b[4] !== 1) throw new ElfError(`bad ELF class ${b[4]} (need 1, ELF32)`);
  if (b[5] === 2) throw new ElfError('big-endian ELF is not supported: need little-endian');
  if (b[5] !== 1) throw new ElfError(`bad ELF data encoding ${b[5]} (need 1, little-endian)`);
  if (b[6] !== 1) throw new ElfError(`bad ELF version ${b[6]} in e_ident (need 1)`);
  if (b.length < EHDR_SIZE) throw new ElfError(`truncated: ELF header needs ${EHDR_SIZE} bytes, file has ${b.length}`);
}

/** Parse and validate an ELF32 little-endian RISC-V file. Throws ElfError. */
export function parseElf(bytes: Uint8Array): ElfFile {
  const b = bytes;
  parseIdent(b);
  const r = new Reader(b);
  const machine = r.u16(18, 'e_machine');
  if (machine !== EM_RISCV) {
    const nm = MACHINE_NAMES[machine] ?? 'unknown';
    throw new ElfError(`machine is ${nm} (${machine}), not RISC-V (${EM_RISCV})`);
  }
  const version = r.u32(20, 'e_version');
  if (version !== 1) throw new ElfError(`bad e_version ${version} (need 1)`);
  const file: ElfFile = {
    type: r.u16(16, 'e_type'), machine, entry: r.u32(24, 'e_entry'), flags: r.u32(36, 'e_flags'),
    segments: [], sections: [], symbols: [],
  };
  file.segments = parseSegments(r);
  file.sections = parseSections(r);
  file.symbols = parseSymbols(r, file.sections);
  return file;
}

function parseSegments(r: Reader): ElfSegment[] {
  const size = r.b.length;
  const phoff = r.u32(28, 'e_phoff'), phentsize = r.u16(42, 'e_phentsize'), phnum = r.u16(44, 'e_phnum');
  if (phnum === 0) return [];
  if (phentsize !== PHDR_SIZE) throw new ElfError(`bad e_phentsize ${phentsize} (need ${PHDR_SIZE})`);
  checkTable(size, phoff, phnum, PHDR_SIZE, (i) => `program header ${i}`);
  const segs: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * PHDR_SIZE, w = `program header ${i}`;
    const s = {
      type: r.u32(o, w), offset: r.u32(o + 4, w), vaddr: r.u32(o + 8, w), paddr: r.u32(o + 12, w),
      filesz: r.u32(o + 16, w), memsz: r.u32(o + 20, w), flags: r.u32(o + 24, w), align: r.u32(o + 28, w),
    };
    if (s.type === PT_LOAD) {
      if (s.filesz > s.memsz) throw new ElfError(`segment ${i}: filesz > memsz (${hex(s.filesz)} > ${hex(s.memsz)})`);
      if (s.vaddr + s.memsz > 0x1_0000_0000) {
        throw new ElfError(`segment ${i}: vaddr ${hex(s.vaddr)} + memsz ${hex(s.memsz)} wraps past the 32-bit address space`);
      }
    }
    if (s.offset + s.filesz > size) {
      throw new ElfError(`truncated: segment ${i} data extends past end of file (offset ${hex(s.offset)}, filesz ${hex(s.filesz)}, file size ${hex(size)})`);
    }
    segs.push({ ...s, data: r.b.subarray(s.offset, s.offset + s.filesz) });
  }
  return segs;
}

/** NUL-terminated string at `off` of string table `tab`; `what` names the user for errors. */
function readString(b: Uint8Array, tab: ElfSection, off: number, what: string): string {
  if (off >= tab.size && !(off === 0 && tab.size === 0)) {
    throw new ElfError(`${what}: name offset ${hex(off)} outside string table ${tab.name || `[${tab.index}]`} (size ${hex(tab.size)})`);
  }
  if (tab.size === 0) return '';
  const start = tab.offset + off, end = tab.offset + tab.size;
  let p = start;
  while (p < end && b[p] !== 0) p++;
  if (p === end) throw new ElfError(`${what}: name at offset ${hex(off)} runs off the end of its string table`);
  let s = '';
  for (let i = start; i < p; i++) s += String.fromCharCode(b[i]);
  return s;
}

function sectionCount(r: Reader, shoff: number): { shnum: number; shstrndx: number } {
  let shnum = r.u16(48, 'e_shnum'), shstrndx = r.u16(50, 'e_shstrndx');
  if (shoff === 0) return { shnum: 0, shstrndx: 0 };
  if (shoff + SHDR_SIZE > r.b.length) {
    throw new ElfError(`truncated: section header 0 extends past end of file (offset ${hex(shoff)}, file size ${hex(r.b.length)})`);
  }
  // Extended numbering: counts too large for the header live in section 0.
  if (shnum === 0) shnum = r.u32(shoff + 20, 'section header 0');
  if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + 24, 'section header 0');
  return { shnum, shstrndx };
}

function parseSections(r: Reader): ElfSection[] {
  const size = r.b.length;
  const shoff = r.u32(32, 'e_shoff'), shentsize = r.u16(46, 'e_shentsize');
  const { shnum, shstrndx } = sectionCount(r, shoff);
  if (shnum === 0) return [];
  if (shentsize !== SHDR_SIZE) throw new ElfError(`bad e_shentsize ${shentsize} (need ${SHDR_SIZE})`);
  if (shnum > (size - shoff) / SHDR_SIZE) {
    throw new ElfError(`truncated: section header table (${shnum} entries at offset ${hex(shoff)}) extends past end of file (file size ${hex(size)})`);
  }
  const secs: ElfSection[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * SHDR_SIZE, w = `section header ${i}`;
    nameOffs.push(r.u32(o, w));
    const s: ElfSection = {
      index: i, name: '', type: r.u32(o + 4, w), flags: r.u32(o + 8, w), addr: r.u32(o + 12, w),
      offset: r.u32(o + 16, w), size: r.u32(o + 20, w), link: r.u32(o + 24, w), info: r.u32(o + 28, w),
      addralign: r.u32(o + 32, w), entsize: r.u32(o + 36, w),
    };
    if (i > 0 && s.type !== SHT.NOBITS && s.type !== SHT.NULL) {
      if (s.offset + s.size > size) {
        throw new ElfError(`truncated: section ${i} extends past end of file (offset ${hex(s.offset)}, size ${hex(s.size)}, file size ${hex(size)})`);
      }
      s.data = r.b.subarray(s.offset, s.offset + s.size);
    }
    secs.push(s);
  }
  if (shstrndx !== SHN_UNDEF) {
    if (shstrndx >= shnum) throw new ElfError(`e_shstrndx ${shstrndx} is not a section (there are ${shnum})`);
    const tab = secs[shstrndx];
    if (tab.type !== SHT.STRTAB) throw new ElfError(`e_shstrndx ${shstrndx}: section type ${tab.type} is not SHT_STRTAB`);
    for (let i = 0; i < shnum; i++) secs[i].name = readString(r.b, tab, nameOffs[i], `section ${i}`);
  }
  return secs;
}

function symbolSectionName(shndx: number, secs: ElfSection[], i: number): string {
  if (shndx === SHN_UNDEF) return 'UND';
  if (shndx === SHN_ABS) return 'ABS';
  if (shndx === SHN_COMMON) return 'COM';
  if (shndx >= SHN_LORESERVE) return `RSV[${hex(shndx)}]`;
  if (shndx >= secs.length) throw new ElfError(`symbol ${i}: section index ${shndx} is not a section (there are ${secs.length})`);
  return secs[shndx].name;
}

function parseSymbols(r: Reader, secs: ElfSection[]): ElfSymbol[] {
  const tab = secs.find((s) => s.type === SHT.SYMTAB);
  if (!tab) return [];
  const where = `symbol table (section ${tab.index})`;
  if (tab.entsize !== SYM_SIZE) throw new ElfError(`${where}: sh_entsize ${tab.entsize} (need ${SYM_SIZE})`);
  if (tab.size % SYM_SIZE !== 0) throw new ElfError(`${where}: size ${hex(tab.size)} is not a multiple of ${SYM_SIZE}`);
  if (tab.link >= secs.length || secs[tab.link].type !== SHT.STRTAB) {
    throw new ElfError(`${where}: sh_link ${tab.link} is not a string table`);
  }
  const strtab = secs[tab.link];
  const out: ElfSymbol[] = [];
  for (let i = 0; i < tab.size / SYM_SIZE; i++) {
    const o = tab.offset + i * SYM_SIZE, w = `symbol ${i}`;
    const info = r.u8(o + 12, w), shndx = r.u16(o + 14, w);
    const bind = info >> 4, type = info & 15;
    out.push({
      name: readString(r.b, strtab, r.u32(o, w), w), value: r.u32(o + 4, w), size: r.u32(o + 8, w),
      bind: BIND_NAMES[bind] ?? `<${bind}>`, type: TYPE_NAMES[type] ?? `<${type}>`,
      other: r.u8(o + 13, w), shndx, section: symbolSectionName(shndx, secs, i),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Writer

export interface ElfImageSection {
  name: string;
  /** Load address (ignored for non-alloc sections). */
  addr: number;
  /** Contents; for nobits sections leave it out and give `size`. */
  data?: Uint8Array;
  size?: number;
  nobits?: boolean;
  alloc?: boolean; // default true
  write?: boolean;
  exec?: boolean;
  align?: number;
}

export interface ElfImageSymbol {
  name: string;
  value: number;
  size?: number;
  bind?: SymBind;
  type?: SymType;
  /** Name of the defining section, or 'ABS' for an absolute symbol. */
  section: string;
}

export interface ElfImage {
  entry: number;
  sections: ElfImageSection[];
  symbols?: ElfImageSymbol[];
}

interface Placed { sec: ElfImageSection; size: number; offset: number; shIndex: number }
interface Group { perm: number; items: Placed[]; vaddr: number; fileEnd: number; memEnd: number; offset: number }

const permOf = (s: ElfImageSection): number => PF.R | (s.exec ? PF.X : 0) | (s.write ? PF.W : 0);
const secSize = (s: ElfImageSection): number => (s.nobits ? s.size ?? 0 : s.data?.length ?? 0);

/** Group alloc sections (sorted by address) into PT_LOAD runs of the same permissions. */
function groupSegments(alloc: Placed[]): Group[] {
  const groups: Group[] = [];
  for (const p of alloc) {
    const g = groups[groups.length - 1];
    const endsInBss = g !== undefined && g.fileEnd < g.memEnd;
    if (g && g.perm === permOf(p.sec) && !endsInBss && p.sec.addr >= g.memEnd) {
      g.items.push(p);
      g.memEnd = p.sec.addr + p.size;
      if (!p.sec.nobits) g.fileEnd = g.memEnd;
      continue;
    }
    const end = p.sec.addr + p.size;
    groups.push({ perm: permOf(p.sec), items: [p], vaddr: p.sec.addr, memEnd: end, fileEnd: p.sec.nobits ? p.sec.addr : end, offset: 0 });
  }
  return groups;
}

function checkImage(img: ElfImage): void {
  const alloc = img.sections.filter((s) => s.alloc !== false).sort((a, b) => a.addr - b.addr);
  let prevEnd = 0, prev = '';
  for (const s of alloc) {
    const size = secSize(s);
    if (!Number.isInteger(s.addr) || s.addr < 0 || s.addr + size > 0x1_0000_0000) {
      throw new ElfError(`section ${s.name}: address ${hex(s.addr)} + size ${hex(size)} is outside the 32-bit address space`);
    }
    if (size > 0 && s.addr < prevEnd) throw new ElfError(`section ${s.name} at ${hex(s.addr)} overlaps ${prev}`);
    if (size > 0) { prevEnd = s.addr + size; prev = s.name; }
  }
  if (!Number.isInteger(img.entry) || img.entry < 0 || img.entry > 0xffffffff) throw new ElfError(`entry ${img.entry} is not a 32-bit address`);
}

class StrTab {
  bytes: number[] = [0];
  private seen = new Map<string, number>();
  add(s: string): number {
    if (s === '') return 0;
    const had = this.seen.get(s);
    if (had !== undefined) return had;
    const off = this.bytes.length;
    for (let i = 0; i < s.length; i++) this.bytes.push(s.charCodeAt(i) & 0xff);
    this.bytes.push(0);
    this.seen.set(s, off);
    return off;
  }
}

function symtabBytes(img: ElfImage, shIndexOf: Map<string, number>, strtab: StrTab): { bytes: Uint8Array; firstGlobal: number } {
  const syms = [...(img.symbols ?? [])];
  const local = syms.filter((s) => (s.bind ?? 'LOCAL') === 'LOCAL');
  const global = syms.filter((s) => (s.bind ?? 'LOCAL') !== 'LOCAL');
  const all = [...local, ...global];
  const out = new Uint8Array((all.length + 1) * SYM_SIZE);
  const dv = new DataView(out.buffer);
  all.forEach((s, i) => {
    const o = (i + 1) * SYM_SIZE;
    let shndx = SHN_ABS;
    if (s.section !== 'ABS') {
      const idx = shIndexOf.get(s.section);
      if (idx === undefined) throw new ElfError(`symbol ${s.name}: no section named ${s.section}`);
      shndx = idx;
    }
    const bind = BIND_NAMES.indexOf(s.bind ?? 'LOCAL'), type = TYPE_NAMES.indexOf(s.type ?? 'NOTYPE');
    dv.setUint32(o, strtab.add(s.name), true);
    dv.setUint32(o + 4, s.value >>> 0, true);
    dv.setUint32(o + 8, (s.size ?? 0) >>> 0, true);
    out[o + 12] = (bind << 4) | type;
    dv.setUint16(o + 14, shndx, true);
  });
  return { bytes: out, firstGlobal: local.length + 1 };
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Build a static ET_EXEC ELF32 RISC-V file from sections and symbols. Throws ElfError on inconsistent input. */
export function writeElf(img: ElfImage): Uint8Array {
  checkImage(img);
  const placed: Placed[] = img.sections.map((sec, i) => ({ sec, size: secSize(sec), offset: 0, shIndex: i + 1 }));
  const alloc = placed.filter((p) => p.sec.alloc !== false && p.size > 0).sort((a, b) => a.sec.addr - b.sec.addr);
  const groups = groupSegments(alloc);
  const shIndexOf = new Map(placed.map((p) => [p.sec.name, p.shIndex]));

  // File layout: headers, then each segment at an offset congruent to its vaddr modulo the page size.
  let off = EHDR_SIZE + groups.length * PHDR_SIZE;
  for (const g of groups) {
    off += (g.vaddr - off) & (PAGE - 1);
    g.offset = off;
    for (const p of g.items) p.offset = g.offset + (p.sec.addr - g.vaddr);
    off = g.offset + (g.fileEnd - g.vaddr);
  }
  for (const p of placed) {
    if (p.sec.alloc === false) { p.offset = off; off += p.sec.nobits ? 0 : p.size; }
    else if (p.size === 0 || p.sec.nobits) p.offset = Math.min(p.offset || off, off);
  }
  const shstr = new StrTab(), strtab = new StrTab();
  const sym = symtabBytes(img, shIndexOf, strtab);
  const symOff = alignUp(off, 4);
  const strOff = symOff + sym.bytes.length;
  const shstrOff = strOff + strtab.bytes.length;
  const names = placed.map((p) => shstr.add(p.sec.name));
  const extra = [shstr.add('.symtab'), shstr.add('.strtab'), shstr.add('.shstrtab')];
  const shOff = alignUp(shstrOff + shstr.bytes.length, 4);
  const shnum = placed.length + 4;
  const out = new Uint8Array(shOff + shnum * SHDR_SIZE);
  const dv = new DataView(out.buffer);

  writeHeader(dv, img.entry, groups.length, shOff, shnum);
  groups.forEach((g, i) => {
    const o = EHDR_SIZE + i * PHDR_SIZE;
    const vals = [PT_LOAD, g.offset, g.vaddr, g.vaddr, g.fileEnd - g.vaddr, g.memEnd - g.vaddr, g.perm, PAGE];
    vals.forEach((v, k) => dv.setUint32(o + 4 * k, v >>> 0, true));
  });
  for (const p of placed) if (!p.sec.nobits && p.sec.data) out.set(p.sec.data, p.offset);
  out.set(sym.bytes, symOff);
  out.set(strtab.bytes, strOff);
  out.set(shstr.bytes, shstrOff);

  const sh = (i: number, v: number[]): void => v.forEach((x, k) => dv.setUint32(shOff + i * SHDR_SIZE + 4 * k, x >>> 0, true));
  placed.forEach((p, i) => {
    const s = p.sec;
    const flags = (s.alloc !== false ? SHF.ALLOC : 0) | (s.write ? SHF.WRITE : 0) | (s.exec ? SHF.EXECINSTR : 0);
    sh(p.shIndex, [names[i], s.nobits ? SHT.NOBITS : SHT.PROGBITS, flags, s.alloc !== false ? s.addr : 0, p.offset, p.size, 0, 0, s.align ?? 1, 0]);
  });
  const base = placed.length + 1;
  sh(base, [extra[0], SHT.SYMTAB, 0, 0, symOff, sym.bytes.length, base + 1, sym.firstGlobal, 4, SYM_SIZE]);
  sh(base + 1, [extra[1], SHT.STRTAB, 0, 0, strOff, strtab.bytes.length, 0, 0, 1, 0]);
  sh(base + 2, [extra[2], SHT.STRTAB, 0, 0, shstrOff, shstr.bytes.length, 0, 0, 1, 0]);
  return out;
}

function writeHeader(dv: DataView, entry: number, phnum: number, shoff: number, shnum: number): void {
  [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1].forEach((v, i) => dv.setUint8(i, v));
  dv.setUint16(16, ET.EXEC, true);
  dv.setUint16(18, EM_RISCV, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, entry >>> 0, true);
  dv.setUint32(28, phnum ? EHDR_SIZE : 0, true);
  dv.setUint32(32, shoff, true);
  dv.setUint32(36, 0, true); // e_flags: no RVC, soft-float ABI
  dv.setUint16(40, EHDR_SIZE, true);
  dv.setUint16(42, PHDR_SIZE, true);
  dv.setUint16(44, phnum, true);
  dv.setUint16(46, SHDR_SIZE, true);
  dv.setUint16(48, shnum, true);
  dv.setUint16(50, shnum - 1, true);
}

// ---------------------------------------------------------------------------
// Symbolizer

/**
 * Address -> `name` or `name+0x10`, from the nearest preceding function, object
 * or untyped symbol of an allocated section that holds the address.
 */
export function symbolizer(elf: ElfFile): (addr: number) => string | undefined {
  const rank = (s: ElfSymbol): number => (s.bind === 'GLOBAL' ? 0 : s.bind === 'WEAK' ? 1 : 2) * 2 + (s.type === 'NOTYPE' ? 1 : 0);
  const cands = elf.symbols
    .filter((s) => s.name !== '' && (s.type === 'FUNC' || s.type === 'OBJECT' || s.type === 'NOTYPE') &&
      s.shndx > 0 && s.shndx < elf.sections.length && (elf.sections[s.shndx].flags & SHF.ALLOC) !== 0)
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.value - b.s.value || rank(a.s) - rank(b.s) || a.i - b.i)
    .filter((c, k, arr) => k === 0 || arr[k - 1].s.value !== c.s.value)
    .map((c) => c.s);
  const values = cands.map((s) => s.value);
  return (addr: number): string | undefined => {
    const a = addr >>> 0;
    let lo = 0, hi = values.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] <= a) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const s = cands[found];
    if (a === s.value) return s.name; // also a label just past its section's end
    const sec = elf.sections[s.shndx];
    return a < sec.addr + sec.size ? `${s.name}+${hex(a - s.value)}` : undefined;
  };
}
