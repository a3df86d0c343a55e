// Physical memory as the kernel manages it: a frame allocator over guest
// RAM (4 KiB frames, handed out zeroed) and the kernel's own reads and
// writes of guest physical memory. Every write goes through here so the
// machine hears of it (PhysMem.noteWrite): a frame that held translated code
// of a dead process may be reused for anything.
//
// Entry points: Frames (alloc, free, used), PAGE.

import type { PhysMem } from '../vm/memory.ts';

export const PAGE = 4096;

export class Frames {
  private readonly free: number[] = [];
  private readonly inUse: Uint8Array;
  readonly base: number;
  readonly total: number;

  /** Manage the frames of [base, end) (page-aligned guest physical addresses). */
  constructor(readonly mem: PhysMem, base: number, end: number) {
    if (base % PAGE !== 0 || end % PAGE !== 0 || end <= base) throw new RangeError('frame range must be page-aligned and non-empty');
    this.base = base;
    this.total = (end - base) / PAGE;
    this.inUse = new Uint8Array(this.total);
    for (let i = this.total - 1; i >= 0; i--) this.free.push(base + i * PAGE);
  }

  /** A zeroed frame, or undefined when memory is exhausted. */
  alloc(): number | undefined {
    const pa = this.free.pop();
    if (pa === undefined) return undefined;
    this.inUse[(pa - this.base) / PAGE] = 1;
    this.zero(pa, PAGE);
    return pa;
  }

  release(pa: number): void {
    const i = (pa - this.base) / PAGE;
    if (!Number.isInteger(i) || i < 0 || i >= this.total || this.inUse[i] === 0) {
      throw new Error(`kernel bug: freeing frame 0x${pa.toString(16)} that is not allocated`);
    }
    this.inUse[i] = 0;
    this.free.push(pa);
  }

  /** Take a specific frame out of the pool (memory something else already uses). */
  reserve(pa: number): void {
    const i = (pa - this.base) / PAGE;
    if (i < 0 || i >= this.total || this.inUse[i] !== 0) return;
    this.inUse[i] = 1;
    const k = this.free.indexOf(pa);
    if (k >= 0) this.free.splice(k, 1);
  }

  get used(): number {
    return this.total - this.free.length;
  }

  get available(): number {
    return this.free.length;
  }

  // --- guest physical memory, as the kernel touches it ---

  private off(pa: number, len: number): number {
    const off = this.mem.hostOffset(pa, len, false);
    if (off < 0) throw new Error(`kernel bug: 0x${pa.toString(16)}+${len} is not RAM`);
    return off;
  }

  read32(pa: number): number {
    return this.mem.i32[this.off(pa, 4) >> 2];
  }

  write32(pa: number, v: number): void {
    const off = this.off(pa, 4);
    this.mem.i32[off >> 2] = v;
    this.mem.noteWrite(off, 4);
  }

  zero(pa: number, len: number): void {
    const off = this.off(pa, len);
    this.mem.u8.fill(0, off, off + len);
    this.mem.noteWrite(off, len);
  }

  write(pa: number, data: Uint8Array): void {
    const off = this.off(pa, data.length);
    this.mem.u8.set(data, off);
    if (data.length) this.mem.noteWrite(off, data.length);
  }

  read(pa: number, len: number): Uint8Array {
    const off = this.off(pa, len);
    return this.mem.u8.subarray(off, off + len);
  }

  /** Copy `len` bytes between physical ranges (each within RAM). */
  copy(dst: number, src: number, len: number): void {
    const d = this.off(dst, len), s = this.off(src, len);
    this.mem.u8.copyWithin(d, s, s + len);
    if (len) this.mem.noteWrite(d, len);
  }
}
