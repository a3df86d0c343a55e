// Copies between address spaces, through the page tables as the hardware
// would walk them for a U-mode access: a range the process could not read
// (source) or write (destination) itself is refused, whole, before a byte
// moves. The plain TypeScript twin of kernel/wasm/copy.ts; IPC message copy
// and grant copy (safecopy) both come here.
//
// Entry points: userWalk, copyUser, CopyResult, CopyEngine.

import { RAM_BASE, RAM_OFF, type PhysMem } from '../vm/memory.ts';
import { PTE } from '../vm/mmu/mmu.ts';

/** Outcome of a copy: 0, or which side could not be accessed. */
export const COPY_OK = 0;
export const COPY_BAD_SRC = 1;
export const COPY_BAD_DST = 2;

/**
 * Host offset of user virtual `va` under the page table at physical `root`,
 * if a U-mode access (write or read) may touch it and it is RAM; else -1.
 */
export function userWalk(mem: PhysMem, root: number, va: number, write: boolean): number {
  const i32 = mem.i32, ramEnd = mem.ramEnd;
  const need = write ? PTE.W : PTE.R;
  const l1 = root + (va >>> 22) * 4;
  if (l1 < RAM_BASE || l1 + 4 > ramEnd) return -1;
  const pte1 = i32[(l1 - RAM_BASE + RAM_OFF) >> 2];
  if ((pte1 & PTE.V) === 0 || (pte1 & (PTE.R | PTE.W)) === PTE.W) return -1; // W without R is reserved at every level
  let pa: number, pte: number;
  if ((pte1 & (PTE.R | PTE.X)) !== 0) {
    if (((pte1 >>> 10) & 0x3ff) !== 0) return -1; // misaligned megapage
    pte = pte1;
    pa = (pte1 >>> 20) * 0x400000 + (va & 0x3fffff);
  } else {
    const l0 = (pte1 >>> 10) * 4096 + ((va >>> 12) & 0x3ff) * 4;
    if (l0 < RAM_BASE || l0 + 4 > ramEnd) return -1;
    pte = i32[(l0 - RAM_BASE + RAM_OFF) >> 2];
    if ((pte & PTE.V) === 0 || (pte & (PTE.R | PTE.X)) === 0) return -1;
    pa = (pte >>> 10) * 4096 + (va & 0xfff);
  }
  if ((pte & PTE.U) === 0 || (pte & need) === 0 || (pte & (PTE.R | PTE.W)) === PTE.W) return -1;
  if (pa < RAM_BASE || pa >= ramEnd) return -1;
  return pa - RAM_BASE + RAM_OFF;
}

/** The operations the kernel's hot paths provide, in TypeScript or WebAssembly. */
export interface CopyEngine {
  readonly name: string;
  /**
   * Copy `len` bytes from user `srcVa` (space `srcRoot`) to user `dstVa`
   * (space `dstRoot`). Nothing is copied unless every byte is accessible.
   */
  copy(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, len: number): number;
  /**
   * An IPC message: copy 64 bytes as copy() does, then write `source` over
   * its first word (m_source). Optional: the kernel falls back to copy().
   */
  copyMessage?(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, source: number): number;
}

/** The TypeScript engine: page by page, checking the whole range first. */
export class TsCopy implements CopyEngine {
  readonly name = 'ts';
  constructor(private readonly mem: PhysMem) {}

  copy(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, len: number): number {
    const mem = this.mem;
    if (len > 0 && (srcVa & 0xfff) + len <= 4096 && (dstVa & 0xfff) + len <= 4096) {
      // Both within one page (every IPC message not straddling a page): one walk each.
      const so = userWalk(mem, srcRoot, srcVa >>> 0, false);
      if (so < 0) return COPY_BAD_SRC;
      const dof = userWalk(mem, dstRoot, dstVa >>> 0, true);
      if (dof < 0) return COPY_BAD_DST;
      mem.u8.copyWithin(dof, so, so + len);
      if (mem.codePages[dof >>> 12] !== 0) mem.noteWrite(dof, len);
      return COPY_OK;
    }
    if (!this.check(srcRoot, srcVa, len, false)) return COPY_BAD_SRC;
    if (!this.check(dstRoot, dstVa, len, true)) return COPY_BAD_DST;
    const u8 = mem.u8;
    let done = 0;
    while (done < len) {
      const s = (srcVa + done) >>> 0, d = (dstVa + done) >>> 0;
      const n = Math.min(len - done, 4096 - (s & 0xfff), 4096 - (d & 0xfff));
      const so = userWalk(mem, srcRoot, s, false), dof = userWalk(mem, dstRoot, d, true);
      u8.copyWithin(dof, so, so + n);
      if (mem.codePages[dof >>> 12] !== 0) mem.noteWrite(dof, n);
      done += n;
    }
    return COPY_OK;
  }

  copyMessage(srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, source: number): number {
    const mem = this.mem;
    if ((srcVa & 0xfff) <= 4096 - 64 && (dstVa & 0xfff) <= 4096 - 64 && (dstVa & 3) === 0) {
      const so = userWalk(mem, srcRoot, srcVa >>> 0, false);
      if (so < 0) return COPY_BAD_SRC;
      const dof = userWalk(mem, dstRoot, dstVa >>> 0, true);
      if (dof < 0) return COPY_BAD_DST;
      mem.u8.copyWithin(dof, so, so + 64);
      mem.i32[dof >> 2] = source;
      if (mem.codePages[dof >>> 12] !== 0) mem.noteWrite(dof, 64);
      return COPY_OK;
    }
    const r = this.copy(srcRoot, srcVa, dstRoot, dstVa, 64);
    if (r === COPY_OK) {
      const dof = userWalk(mem, dstRoot, dstVa >>> 0, true);
      for (let i = 0; i < 4; i++) {
        const o = i === 0 ? dof : userWalk(mem, dstRoot, (dstVa + i) >>> 0, true);
        mem.u8[o] = source >>> (8 * i);
      }
    }
    return r;
  }

  /** Is every page of [va, va+len) accessible? */
  private check(root: number, va: number, len: number, write: boolean): boolean {
    if (len <= 0) return true;
    va = va >>> 0; // a register value: a negative one is an address near the top
    if (va + len > 0x100000000) return false;
    for (let p = va >>> 12, last = (va + len - 1) >>> 12; p <= last; p++) {
      const a = p === va >>> 12 ? va : p * 4096;
      if (userWalk(this.mem, root, a >>> 0, write) < 0) return false;
    }
    return true;
  }
}
