// Guest physical memory: one WebAssembly.Memory that holds the hart's register
// file, the reset ROM and RAM, shared with the kernel's wasm hot paths.
//
// Layout of the WebAssembly.Memory (host offsets):
//   0x0000_0000  hart state: x0..x31 (REG_OFF), pc (PC_OFF)
//   0x0000_0800  scratch for the kernel's wasm hot paths (kernel/engines.ts LOG_OFF)
//   0x0000_1000  reset ROM, mapped at guest physical 0x1000..0xffff (host = phys)
//   0x0001_0000  RAM, guest physical RAM_BASE.. (host = phys - RAM_BASE + RAM_OFF)
//
// Entry points: PhysMem (views, hostOffset, DmaMemory), layout constants.

import type { DmaMemory } from './devices/device.ts';

export const REG_OFF = 0x0;
export const PC_OFF = 0x80;
export const ROM_BASE = 0x1000;
export const ROM_END = 0x10000;
export const RAM_OFF = 0x10000;
export const RAM_BASE = 0x80000000;
export const DEFAULT_RAM_SIZE = 128 * 1024 * 1024;

const WASM_PAGE = 65536;

export class PhysMem implements DmaMemory {
  readonly memory: WebAssembly.Memory;
  readonly ramSize: number;
  readonly ramEnd: number; // exclusive guest physical end of RAM
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  readonly dv: DataView;
  /**
   * One flag per 4 KiB host page: 1 if translated code was made from it. The
   * store TLB never maps such a page, and every write that bypasses the TLB
   * reports it through noteWrite, so translations never outlive their code.
   */
  readonly codePages: Uint8Array;
  /** Called with the host page index when a code page is written. */
  onCodeWrite: ((hostPage: number) => void) | undefined;

  constructor(ramSize = DEFAULT_RAM_SIZE) {
    if (!Number.isInteger(ramSize) || ramSize < WASM_PAGE || ramSize % WASM_PAGE !== 0 || ramSize > 0x7fff0000) {
      throw new RangeError(`RAM size must be a multiple of 64 KiB between 64 KiB and 2047 MiB (got ${ramSize})`);
    }
    this.ramSize = ramSize;
    this.ramEnd = RAM_BASE + ramSize;
    const pages = (RAM_OFF + ramSize) / WASM_PAGE;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const buf = this.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.i8 = new Int8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i16 = new Int16Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = new DataView(buf);
    this.codePages = new Uint8Array(pages * (WASM_PAGE >>> 12));
  }

  /** Report a write of `len` bytes at host offset `off` that did not go through the store TLB. Returns true if code was hit. */
  noteWrite(off: number, len: number): boolean {
    let hit = false;
    for (let p = off >>> 12, last = (off + len - 1) >>> 12; p <= last; p++) {
      if (this.codePages[p] !== 0) {
        hit = true;
        this.onCodeWrite?.(p);
      }
    }
    return hit;
  }

  /**
   * Host offset of guest physical address `pa` if the `len` bytes there are all
   * RAM (or ROM when `rom` is true), else -1. `pa` may be up to 2^34 (Sv32).
   */
  hostOffset(pa: number, len: number, rom: boolean): number {
    if (pa >= RAM_BASE && pa + len <= this.ramEnd) return pa - RAM_BASE + RAM_OFF;
    if (rom && pa >= ROM_BASE && pa + len <= ROM_END) return pa;
    return -1;
  }

  isRom(pa: number): boolean {
    return pa >= ROM_BASE && pa < ROM_END;
  }

  /** Copy `data` into RAM or ROM at guest physical `pa` (loaders, tests). */
  load(pa: number, data: Uint8Array): void {
    const off = this.hostOffset(pa, data.length, true);
    if (off < 0) throw new RangeError(`0x${pa.toString(16)}+${data.length} is not in ROM or RAM`);
    this.u8.set(data, off);
    this.noteWrite(off, data.length);
  }

  // DmaMemory: RAM only, never throws.
  read(pa: number, len: number): Uint8Array | undefined {
    const off = this.hostOffset(pa, len, false);
    return off < 0 ? undefined : this.u8.slice(off, off + len);
  }

  write(pa: number, data: Uint8Array): boolean {
    const off = this.hostOffset(pa, data.length, false);
    if (off < 0) return false;
    this.u8.set(data, off);
    if (data.length) this.noteWrite(off, data.length);
    return true;
  }

  read16(pa: number): number | undefined {
    const off = this.hostOffset(pa, 2, false);
    return off < 0 ? undefined : this.dv.getUint16(off, true);
  }

  read32(pa: number): number | undefined {
    const off = this.hostOffset(pa, 4, false);
    return off < 0 ? undefined : this.dv.getUint32(off, true);
  }

  write16(pa: number, v: number): boolean {
    const off = this.hostOffset(pa, 2, false);
    if (off < 0) return false;
    this.dv.setUint16(off, v, true);
    this.noteWrite(off, 2);
    return true;
  }

  write32(pa: number, v: number): boolean {
    const off = this.hostOffset(pa, 4, false);
    if (off < 0) return false;
    this.dv.setUint32(off, v >>> 0, true);
    this.noteWrite(off, 4);
    return true;
  }
}
