// The platform-level interrupt controller of the virt board (0x0c00_0000),
// laid out as the SiFive PLIC / RISC-V PLIC specification 1.0.0 describe it
// and sized as QEMU 7.2's virt builds it for one hart (`info qtree`:
// num-sources 96, num-priorities 7, hart-config "MS", aperture 0x600000):
//
//   0x000000 + 4*n         priority of source n (1..95), 3 bits, WARL
//   0x001000 + 4*w         pending bits, read-only
//   0x002000 + 0x80*ctx    enable bits of context ctx
//   0x200000 + 0x1000*ctx  priority threshold of context ctx (3 bits, WARL)
//   0x200004 + 0x1000*ctx  claim (read) / complete (write)
//
// Context 0 is hart 0 M-mode (drives MEIP), context 1 is hart 0 S-mode
// (drives SEIP). Source 0 does not exist: its priority and enable bits read 0.
// QEMU's DTB says riscv,ndev = 96 although the last source id is 95.
//
// Each source is a level-triggered line through a gateway: the pending bit is
// set while the line is high and the source is not claimed; a claim clears it
// and marks the source in service; a complete ends service, and a line still
// high pends again. A line that drops before the claim clears pending (as
// QEMU does). A context's output is high while some pending, enabled source
// has priority above its threshold; a claim returns the highest priority such
// source, ties going to the lowest id, or 0.
//
// A complete is accepted for any source id in service, enabled or not (QEMU
// does the same; the spec lets hardware ignore a completion of a disabled
// source). Accesses other than 4 bytes read 0 and are ignored (QEMU faults).
//
// Entry points: Plic (source, read, write, reset, save, restore), PLIC_SIZE,
// PLIC_NUM_SOURCES, PLIC_MAX_PRIORITY, PLIC_CONTEXTS.

import type { Device, IrqLine } from './device.ts';

export const PLIC_SIZE = 0x600000;
/** Source ids 0..95; 0 means "no interrupt". */
export const PLIC_NUM_SOURCES = 96;
export const PLIC_MAX_PRIORITY = 7;
export const PLIC_CONTEXTS = 2;

export const PLIC_PRIORITY_BASE = 0x000000;
export const PLIC_PENDING_BASE = 0x001000;
export const PLIC_ENABLE_BASE = 0x002000;
export const PLIC_ENABLE_STRIDE = 0x80;
export const PLIC_CONTEXT_BASE = 0x200000;
export const PLIC_CONTEXT_STRIDE = 0x1000;

const WORDS = Math.ceil(PLIC_NUM_SOURCES / 32);
/** Bit 0 of word 0 is source 0, which does not exist. */
const SOURCE_MASK = (w: number) => (w === 0 ? 0xfffffffe : 0xffffffff) >>> 0;

interface PlicState {
  priority: number[]; level: number[]; pending: number[]; claimed: number[];
  enable: number[][]; threshold: number[];
}

export class Plic implements Device {
  readonly name: string;
  private priority = new Uint32Array(PLIC_NUM_SOURCES);
  /** The input lines' levels, one bit per source. */
  private level = new Uint32Array(WORDS);
  private pending = new Uint32Array(WORDS);
  /** Sources claimed and not yet completed (in service). */
  private claimed = new Uint32Array(WORDS);
  private enable = [new Uint32Array(WORDS), new Uint32Array(WORDS)];
  private threshold = new Uint32Array(PLIC_CONTEXTS);
  private readonly outputs: IrqLine[];
  private outLevels: (boolean | undefined)[] = [undefined, undefined];

  constructor(meip: IrqLine, seip: IrqLine, name = 'plic') {
    this.name = name;
    this.outputs = [meip, seip];
    this.updateOutputs();
  }

  /** The input line of source n (1..95). */
  source(n: number): IrqLine {
    if (!Number.isInteger(n) || n < 1 || n >= PLIC_NUM_SOURCES) {
      throw new RangeError(`${this.name}: no interrupt source ${n} (sources are 1..${PLIC_NUM_SOURCES - 1})`);
    }
    return { set: (level: boolean) => this.setLevel(n, level) };
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4 || (offset & 3) !== 0) return 0;
    if (offset < PLIC_PENDING_BASE) {
      const n = offset >>> 2;
      return n < PLIC_NUM_SOURCES ? this.priority[n] : 0;
    }
    if (offset < PLIC_ENABLE_BASE) {
      const w = (offset - PLIC_PENDING_BASE) >>> 2;
      return w < WORDS ? this.pending[w] : 0;
    }
    if (offset < PLIC_CONTEXT_BASE) {
      const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
      const w = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >>> 2;
      return ctx < PLIC_CONTEXTS && w < WORDS ? this.enable[ctx][w] : 0;
    }
    const ctx = Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= PLIC_CONTEXTS) return 0;
    const reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
    if (reg === 0) return this.threshold[ctx];
    if (reg === 4) return this.claim(ctx);
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4 || (offset & 3) !== 0) return;
    const v = value >>> 0;
    if (offset < PLIC_PENDING_BASE) {
      const n = offset >>> 2;
      // Priority bits are WARL: the 3 implemented bits keep what is written.
      if (n >= 1 && n < PLIC_NUM_SOURCES) this.priority[n] = v & PLIC_MAX_PRIORITY;
    } else if (offset < PLIC_ENABLE_BASE) {
      return;   // pending bits are read-only
    } else if (offset < PLIC_CONTEXT_BASE) {
      const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
      const w = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >>> 2;
      if (ctx < PLIC_CONTEXTS && w < WORDS) this.enable[ctx][w] = (v & SOURCE_MASK(w)) >>> 0;
    } else {
      const ctx = Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
      if (ctx >= PLIC_CONTEXTS) return;
      const reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
      if (reg === 0) this.threshold[ctx] = v & PLIC_MAX_PRIORITY;
      else if (reg === 4) this.complete(v);
      else return;
    }
    this.updateOutputs();
  }

  reset(): void {
    this.priority.fill(0);
    this.pending.fill(0);
    this.claimed.fill(0);
    for (const e of this.enable) e.fill(0);
    this.threshold.fill(0);
    // The input levels belong to the devices: a device that still holds its
    // line high after reset pends again.
    for (let w = 0; w < WORDS; w++) this.pending[w] = this.level[w];
    this.outLevels = [undefined, undefined];
    this.updateOutputs();
  }

  save(): PlicState {
    return {
      priority: [...this.priority], level: [...this.level], pending: [...this.pending],
      claimed: [...this.claimed], enable: this.enable.map((e) => [...e]),
      threshold: [...this.threshold],
    };
  }

  restore(state: unknown): void {
    const s = state as PlicState;
    const ok = typeof s === 'object' && s !== null && Array.isArray(s.priority) &&
      Array.isArray(s.enable) && s.enable.length === PLIC_CONTEXTS;
    if (!ok) throw new Error(`${this.name}: restore: not a PLIC state`);
    const load = (dst: Uint32Array, src: number[], mask = 0xffffffff) => {
      for (let i = 0; i < dst.length; i++) dst[i] = ((src[i] ?? 0) & mask) >>> 0;
    };
    load(this.priority, s.priority, PLIC_MAX_PRIORITY);
    load(this.level, s.level);
    load(this.pending, s.pending);
    load(this.claimed, s.claimed);
    for (let c = 0; c < PLIC_CONTEXTS; c++) load(this.enable[c], s.enable[c]);
    load(this.threshold, s.threshold, PLIC_MAX_PRIORITY);
    this.updateOutputs();
  }

  describe(): string[] {
    const hex = (a: Uint32Array) => [...a].map((w) => w.toString(16).padStart(8, '0')).reverse().join('_');
    const lines = [`pending ${hex(this.pending)} claimed ${hex(this.claimed)}`];
    for (let c = 0; c < PLIC_CONTEXTS; c++) {
      lines.push(`context ${c} (${c === 0 ? 'M' : 'S'}) enable ${hex(this.enable[c])} ` +
        `threshold ${this.threshold[c]} out ${this.outLevels[c] ? 1 : 0}`);
    }
    return lines;
  }

  // --- gateway and core ----------------------------------------------------

  private setLevel(n: number, high: boolean): void {
    const w = n >>> 5, bit = (1 << (n & 31)) >>> 0;
    if (high) {
      this.level[w] |= bit;
      if (!(this.claimed[w] & bit)) this.pending[w] |= bit;
    } else {
      this.level[w] &= ~bit;
      this.pending[w] &= ~bit;
    }
    this.updateOutputs();
  }

  /** The best pending, enabled source above ctx's threshold, or 0. */
  private best(ctx: number): number {
    let bestId = 0;
    let bestPrio = this.threshold[ctx];
    for (let w = 0; w < WORDS; w++) {
      let bits = (this.pending[w] & this.enable[ctx][w]) >>> 0;
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits = (bits & ~(1 << b)) >>> 0;
        const n = w * 32 + b;
        if (this.priority[n] > bestPrio) {   // strictly greater: ties keep the lower id
          bestPrio = this.priority[n];
          bestId = n;
        }
      }
    }
    return bestId;
  }

  private claim(ctx: number): number {
    const n = this.best(ctx);
    if (n !== 0) {
      const w = n >>> 5, bit = (1 << (n & 31)) >>> 0;
      this.pending[w] &= ~bit;
      this.claimed[w] |= bit;
      this.updateOutputs();
    }
    return n;
  }

  private complete(n: number): void {
    if (n < 1 || n >= PLIC_NUM_SOURCES) return;
    const w = n >>> 5, bit = (1 << (n & 31)) >>> 0;
    if (!(this.claimed[w] & bit)) return;
    this.claimed[w] &= ~bit;
    if (this.level[w] & bit) this.pending[w] |= bit;
  }

  private updateOutputs(): void {
    for (let c = 0; c < PLIC_CONTEXTS; c++) {
      const level = this.best(c) !== 0;
      if (level !== this.outLevels[c]) {
        this.outLevels[c] = level;
        this.outputs[c].set(level);
      }
    }
  }
}
