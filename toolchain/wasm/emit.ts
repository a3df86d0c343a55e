// RV32 machine code with labels: the translator's output buffer.
//
// Code is a list of items (fixed words, branches and jumps to labels, `la`
// pairs, labels, and line marks that tie the following code to a wasm byte
// offset). layout() gives every item an address; a conditional branch whose
// target is out of its ±4 KiB reach becomes an inverted branch over a `jal`,
// and a `jal` out of ±1 MiB an auipc/jalr pair, repeated until nothing moves.
// Words are encoded by the machine's own encoder (vm/isa/encode.ts), so the
// translator and the disassembler read one instruction table.
//
// Entry points: Code (instructions, labels, layout, bytes), Label, REG, BR.

import { encodeInsn } from '../../vm/isa/encode.ts';

/** Register numbers by ABI name. */
export const REG = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9,
  a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a6: 16, a7: 17,
  s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23, s8: 24, s9: 25, s10: 26, s11: 27,
  t3: 28, t4: 29, t5: 30, t6: 31,
} as const;

/** Conditional branch mnemonics and the one that tests the opposite. */
export const BR = { beq: 'bne', bne: 'beq', blt: 'bge', bge: 'blt', bltu: 'bgeu', bgeu: 'bltu' } as const;
export type Branch = keyof typeof BR;

export class Label {
  addr = -1;
  /** Branches and jumps emitted to it so far (a label nothing jumps to is reached only by falling in). */
  refs = 0;
  /** Backward branches will target it (a loop head). */
  back = false;
  constructor(readonly name = '') {}
}

type Item =
  | { k: 'w'; w: number }
  | { k: 'b'; op: Branch; rs1: number; rs2: number; to: Label; long: boolean }
  | { k: 'j'; rd: number; to: Label; long: boolean }
  | { k: 'la'; rd: number; to: Label }
  | { k: 'label'; l: Label }
  | { k: 'mark'; off: number };

const fitsI = (v: number): boolean => v >= -2048 && v <= 2047;
const size = (it: Item): number =>
  it.k === 'w' ? 4 : it.k === 'b' || it.k === 'j' ? (it.long ? 8 : 4) : it.k === 'la' ? 8 : 0;

/** %hi and %lo of a 32-bit value, as auipc/lui with addi/load/store use them. */
export function hiLo(v: number): { hi: number; lo: number } {
  const lo = ((v & 0xfff) << 20) >> 20;
  return { hi: ((v - lo) >>> 12) & 0xfffff, lo };
}

export class Code {
  readonly items: Item[] = [];
  /**
   * Observers for the code generator's value cache: every register an
   * instruction writes (-1 for a call or ecall, which clobber all
   * caller-saved registers), and every label placed.
   */
  onWrite: ((rd: number) => void) | undefined;
  onLabel: ((l: Label) => void) | undefined;

  /** Any instruction of the table by mnemonic (register operands and imm as encodeInsn takes them). */
  op(name: string, rd: number, rs1 = 0, rs2 = 0, imm = 0): void {
    this.items.push({ k: 'w', w: encodeInsn(name, { rd, rs1, rs2, imm }) });
    if (name === 'ecall' || (name === 'jalr' && rd !== 0)) this.onWrite?.(-1);
    else if (rd !== 0) this.onWrite?.(rd);
  }
  r(name: string, rd: number, rs1: number, rs2: number): void { this.op(name, rd, rs1, rs2); }
  i(name: string, rd: number, rs1: number, imm: number): void { this.op(name, rd, rs1, 0, imm); }
  load(name: string, rd: number, base: number, off: number): void { this.op(name, rd, base, 0, off); }
  store(name: string, src: number, base: number, off: number): void { this.op(name, 0, base, src, off); }
  mv(rd: number, rs: number): void { if (rd !== rs) this.i('addi', rd, rs, 0); }
  ecall(): void { this.op('ecall', 0); }
  jr(rs: number): void { this.op('jalr', 0, rs, 0, 0); }
  ret(): void { this.jr(REG.ra); }

  /** rd = v, in one or two instructions. */
  li(rd: number, v: number): void {
    v |= 0;
    if (fitsI(v)) { this.i('addi', rd, REG.zero, v); return; }
    const { hi, lo } = hiLo(v);
    this.op('lui', rd, 0, 0, hi);
    if (lo !== 0) this.i('addi', rd, rd, lo);
  }

  /** rd = rs + v for any 32-bit v (rd may equal rs; uses `tmp` when v needs two instructions). */
  addImm(rd: number, rs: number, v: number, tmp: number): void {
    if (fitsI(v)) { if (v !== 0 || rd !== rs) this.i('addi', rd, rs, v); return; }
    this.li(tmp, v);
    this.r('add', rd, rs, tmp);
  }

  branch(op: Branch, rs1: number, rs2: number, to: Label): void {
    to.refs++;
    this.items.push({ k: 'b', op, rs1, rs2, to, long: false });
  }
  j(to: Label): void { to.refs++; this.items.push({ k: 'j', rd: REG.zero, to, long: false }); }
  call(to: Label): void { this.jal(REG.ra, to); }
  /** jal with any link register (the runtime's internal routines link through t5). */
  jal(rd: number, to: Label): void {
    to.refs++;
    this.items.push({ k: 'j', rd, to, long: false });
    this.onWrite?.(-1);
  }
  la(rd: number, to: Label): void { to.refs++; this.items.push({ k: 'la', rd, to }); this.onWrite?.(rd); }
  label(l: Label): void { this.items.push({ k: 'label', l }); this.onLabel?.(l); }
  mark(off: number): void { this.items.push({ k: 'mark', off }); }
  append(other: Code): void { for (const it of other.items) this.items.push(it); }

  /** Number of instruction words so far (before relaxation). */
  get words(): number {
    let n = 0;
    for (const it of this.items) n += size(it) >> 2;
    return n;
  }

  /** Drop jumps to the very next instruction (the exit path of a rotated loop often is one). */
  private dropJumpsToNext(): void {
    const keep = this.items.filter((it, i) => {
      if (it.k !== 'j' || it.rd !== REG.zero) return true;
      for (let k = i + 1; k < this.items.length; k++) {
        const next = this.items[k];
        if (next.k === 'label' && next.l === it.to) return false;
        if (next.k !== 'label' && next.k !== 'mark') return true;
      }
      return true;
    });
    this.items.length = 0;
    for (const it of keep) this.items.push(it);
  }

  /** Give every label an address from `base`, relaxing out-of-range branches. Returns the size in bytes. */
  layout(base: number): number {
    this.dropJumpsToNext();
    for (;;) {
      let pc = base;
      for (const it of this.items) {
        if (it.k === 'label') it.l.addr = pc;
        pc += size(it);
      }
      let changed = false;
      pc = base;
      for (const it of this.items) {
        if ((it.k === 'b' || it.k === 'j') && !it.long) {
          if (it.to.addr < 0) throw new Error(`internal: label ${it.to.name || '(anonymous)'} was never placed`);
          const d = it.to.addr - pc;
          const reach = it.k === 'b' ? 4096 : 1 << 20;
          if (d < -reach || d >= reach) { it.long = true; changed = true; }
        }
        pc += size(it);
      }
      if (!changed) return pc - base;
    }
  }

  /** Encode after layout(base). Calls `onMark(pc, wasmOffset)` for each line mark. */
  bytes(base: number, onMark?: (pc: number, off: number) => void): Uint8Array {
    const words: number[] = [];
    let pc = base;
    const push = (w: number): void => { words.push(w); pc += 4; };
    for (const it of this.items) {
      switch (it.k) {
        case 'w': push(it.w); break;
        case 'label': break;
        case 'mark': onMark?.(pc, it.off); break;
        case 'b':
          if (!it.long) push(encodeInsn(it.op, { rs1: it.rs1, rs2: it.rs2, imm: it.to.addr - pc }));
          else {
            push(encodeInsn(BR[it.op], { rs1: it.rs1, rs2: it.rs2, imm: 8 }));
            push(encodeInsn('jal', { rd: REG.zero, imm: it.to.addr - pc }));
          }
          break;
        case 'j':
          if (!it.long) push(encodeInsn('jal', { rd: it.rd, imm: it.to.addr - pc }));
          else {
            const link = it.rd === REG.zero ? REG.t6 : it.rd;
            const { hi, lo } = hiLo(it.to.addr - pc);
            push(encodeInsn('auipc', { rd: link, imm: hi }));
            push(encodeInsn('jalr', { rd: it.rd, rs1: link, imm: lo }));
          }
          break;
        case 'la': {
          const { hi, lo } = hiLo(it.to.addr - pc);
          push(encodeInsn('auipc', { rd: it.rd, imm: hi }));
          push(encodeInsn('addi', { rd: it.rd, rs1: it.rd, imm: lo }));
          break;
        }
      }
    }
    return new Uint8Array(new Int32Array(words).buffer);
  }
}
