// Sections being assembled: a growing byte buffer, the fixups still to patch
// once addresses are known, and alignment padding as GNU `as` writes it.
//
// Sizes never depend on symbol values (li needs a constant known at that
// point, as in gas), so every offset is final when it is emitted; only the
// section base addresses and the fields that depend on them wait for layout.
//
// Entry points: Section, Fixup, ImmSpec, sectionDefaults, NOP, RVC_NOP.

import type { Expr } from './expr.ts';
import type { Loc } from './errors.ts';
import type { Operands } from '../../vm/isa/encode.ts';

/** How an instruction's immediate field is computed from its expression. */
export type ImmKind =
  | 'abs'       // the value itself
  | 'target'    // branch/jal: the value is an address, the field is value - pc
  | 'hi'        // %hi: upper 20 bits, rounded for a following sign-extended %lo
  | 'lo'        // %lo
  | 'pcrel_hi'  // %pcrel_hi: upper 20 bits of value - pc
  | 'pcrel_lo'; // %pcrel_lo(label): low 12 bits of the paired %pcrel_hi at label

export interface ImmSpec {
  kind: ImmKind;
  expr: Expr;
  col: number;
  /** For pseudo-instruction pairs: the auipc this %pcrel_lo belongs to. */
  pair?: InsnFixup;
}

export interface InsnFixup {
  k: 'insn';
  sec: Section;
  off: number;
  name: string;
  ops: Operands;
  imm: ImmSpec;
  loc: Loc;
}

export interface DataFixup {
  k: 'data';
  sec: Section;
  off: number;
  size: number;
  expr: Expr;
  loc: Loc;
}

export type Fixup = InsnFixup | DataFixup;

export const NOP = 0x00000013;
/** c.nop: GNU as pads a 2-byte gap in code with it even without the C extension. */
export const RVC_NOP = 0x0001;

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
  nobits: boolean;
}

/** Flags gas gives a section from its name when `.section` names none. */
export function sectionDefaults(name: string): SectionFlags {
  const is = (p: string): boolean => name === p || name.startsWith(p + '.');
  if (is('.text')) return { alloc: true, write: false, exec: true, nobits: false };
  if (is('.rodata') || is('.srodata')) return { alloc: true, write: false, exec: false, nobits: false };
  if (is('.bss') || is('.sbss') || is('.tbss')) return { alloc: true, write: true, exec: false, nobits: true };
  // .data, .sdata, .tohost and names gas does not know: loaded read/write data
  // (gas leaves unknown names non-alloc; an executable wants them loaded).
  return { alloc: true, write: true, exec: false, nobits: false };
}

export class Section {
  buf = new Uint8Array(256);
  size = 0;
  /** Alignment in bytes (power of two). */
  align: number;
  fixups: Fixup[] = [];
  /** Load address, set by layout. */
  addr = 0;

  constructor(readonly name: string, public flags: SectionFlags, readonly order: number) {
    // gas gives .text 4-byte alignment from the start; other sections 1.
    this.align = name === '.text' ? 4 : 1;
  }

  private grow(n: number): void {
    if (this.flags.nobits) return;
    const need = this.size + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.size));
    this.buf = nb;
  }

  /** Append `n` bytes of the little-endian value `v` (n <= 8). Returns false for non-zero data in a nobits section. */
  emitLE(v: bigint | number, n: number): boolean {
    if (this.flags.nobits) {
      this.size += n;
      return BigInt(v) === 0n;
    }
    this.grow(n);
    if (typeof v === 'number' && n <= 4) {
      for (let i = 0; i < n; i++) this.buf[this.size + i] = (v >>> (8 * i)) & 0xff;
    } else {
      let x = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < n; i++) { this.buf[this.size + i] = Number(x & 0xffn); x >>= 8n; }
    }
    this.size += n;
    return true;
  }

  /** Append raw bytes (a byte string, one char per byte). Returns false for non-zero data in a nobits section. */
  emitBytes(s: string): boolean {
    if (this.flags.nobits) {
      this.size += s.length;
      return !/[^\0]/.test(s);
    }
    this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.size + i] = s.charCodeAt(i);
    this.size += s.length;
    return true;
  }

  /** Append `n` copies of byte `b`. */
  emitFill(n: number, b: number): boolean {
    if (this.flags.nobits) { this.size += n; return (b & 0xff) === 0; }
    this.grow(n);
    this.buf.fill(b & 0xff, this.size, this.size + n);
    this.size += n;
    return true;
  }

  /** Overwrite 4 bytes at `off` (instruction patch after layout). */
  patch32(off: number, w: number): void {
    this.buf[off] = w & 0xff;
    this.buf[off + 1] = (w >>> 8) & 0xff;
    this.buf[off + 2] = (w >>> 16) & 0xff;
    this.buf[off + 3] = (w >>> 24) & 0xff;
  }

  patchLE(off: number, v: bigint, n: number): void {
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < n; i++) { this.buf[off + i] = Number(x & 0xffn); x >>= 8n; }
  }

  /**
   * `.align` and friends: pad to a multiple of `bytes`. Without a fill value,
   * code sections get gas's code padding (see codePad) and other sections
   * zeros. Skips padding longer than `max`. Like gas without the C extension,
   * a code section ignores requests for 4 bytes or less without a fill: it
   * takes instructions to be 4-byte aligned already (only the section's
   * alignment is raised).
   */
  alignTo(bytes: number, fill?: number, max?: number): void {
    if (bytes > this.align) this.align = bytes;
    if (this.flags.exec && fill === undefined && bytes <= 4) return;
    const pad = (bytes - (this.size % bytes)) % bytes;
    if (pad === 0 || (max !== undefined && pad > max)) return;
    if (fill !== undefined || !this.flags.exec) { this.emitFill(pad, fill ?? 0); return; }
    this.codePad(pad);
  }

  /** Pad a code section's end to its alignment, as gas does when it closes the section. */
  padEnd(): void {
    this.codePad((this.align - (this.size % this.align)) % this.align);
  }

  /** gas's code padding: a zero byte to reach 2-byte alignment, c.nop to reach 4, then nops. */
  codePad(pad: number): void {
    let left = pad;
    if (this.size & 1 && left > 0) { this.emitFill(1, 0); left--; }
    if (this.size & 2 && left >= 2) { this.emitLE(RVC_NOP, 2); left -= 2; }
    while (left >= 4) { this.emitLE(NOP, 4); left -= 4; }
    if (left > 0) this.emitFill(left, 0);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }
}
