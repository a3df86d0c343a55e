// The pc -> (source file, line) table of a translated program, stored in the
// ELF as the non-allocated section `.tessera.lines` so the debugger and
// `run --user` can name the AssemblyScript line of any instruction.
//
// Format (little-endian):
//   "TLN1"   magic
//   u32      number of files, u32 number of rows
//   files    each a NUL-terminated UTF-8 path (as the source map names it)
//   rows     each { u32 pc, u32 line, u16 column, u16 file }, sorted by pc;
//            a row covers [pc, next row's pc); file 0xffff means "no source"
//            (runtime routines, compiler-made code).
//
// Entry points: LINES_SECTION, encodeLineTable, decodeLineTable, lineTableOf,
// LineTable, LineRow.

import type { ElfFile } from '../elf.ts';

export const LINES_SECTION = '.tessera.lines';
const MAGIC = 0x314e4c54; // "TLN1"
export const NO_FILE = 0xffff;

export interface LineRow { pc: number; file: number; line: number; col: number }

export function encodeLineTable(files: string[], rows: LineRow[]): Uint8Array {
  const enc = new TextEncoder();
  const names = files.map((f) => enc.encode(f));
  const namesLen = names.reduce((s, n) => s + n.length + 1, 0);
  const out = new Uint8Array(12 + namesLen + rows.length * 12);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, files.length, true);
  dv.setUint32(8, rows.length, true);
  let o = 12;
  for (const n of names) { out.set(n, o); o += n.length + 1; }
  for (const r of rows) {
    dv.setUint32(o, r.pc >>> 0, true);
    dv.setUint32(o + 4, r.line, true);
    dv.setUint16(o + 8, Math.min(r.col, 0xffff), true);
    dv.setUint16(o + 10, r.file, true);
    o += 12;
  }
  return out;
}

export interface SourceLine { file: string; line: number; col: number }

export class LineTable {
  private readonly pcs: number[];
  constructor(readonly files: string[], readonly rows: LineRow[]) {
    this.pcs = rows.map((r) => r.pc >>> 0);
  }

  /** The source line of the instruction at `pc`, if the table covers it. */
  lookup(pc: number): SourceLine | undefined {
    const a = pc >>> 0;
    let lo = 0, hi = this.pcs.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.pcs[mid] <= a) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const r = this.rows[found];
    if (r.file === NO_FILE || r.file >= this.files.length) return undefined;
    return { file: this.files[r.file], line: r.line, col: r.col };
  }
}

/** Parse a `.tessera.lines` section; throws Error naming what is wrong. */
export function decodeLineTable(b: Uint8Array): LineTable {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 12 || dv.getUint32(0, true) !== MAGIC) throw new Error(`${LINES_SECTION}: bad magic`);
  const nfiles = dv.getUint32(4, true), nrows = dv.getUint32(8, true);
  const files: string[] = [];
  const dec = new TextDecoder();
  let o = 12;
  for (let i = 0; i < nfiles; i++) {
    const end = b.indexOf(0, o);
    if (end < 0) throw new Error(`${LINES_SECTION}: file name ${i} is not terminated`);
    files.push(dec.decode(b.subarray(o, end)));
    o = end + 1;
  }
  if (o + nrows * 12 > b.length) throw new Error(`${LINES_SECTION}: ${nrows} rows do not fit in ${b.length} bytes`);
  const rows: LineRow[] = [];
  for (let i = 0; i < nrows; i++, o += 12) {
    rows.push({ pc: dv.getUint32(o, true), line: dv.getUint32(o + 4, true), col: dv.getUint16(o + 8, true), file: dv.getUint16(o + 10, true) });
  }
  return new LineTable(files, rows);
}

/** The line table of a parsed ELF, if it has one. */
export function lineTableOf(elf: ElfFile): LineTable | undefined {
  const s = elf.sections.find((x) => x.name === LINES_SECTION);
  return s?.data ? decodeLineTable(s.data) : undefined;
}
