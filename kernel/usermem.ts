// User memory as the kernel reaches it: through the process's own page
// table with U-mode rights, so the kernel never touches what the process
// itself could not. A stack page or a heap page below brk that the process
// has not touched yet is its own: the kernel maps it (as the process's
// first touch would) and tries again, for its own accesses, for message
// copies and for safecopy alike.
//
// Entry points: UserMemory (Kernel.user).

import { LAYOUT } from './abi.ts';
import type { Proc } from './proc.ts';
import type { Frames } from './frames.ts';
import type { PhysMem } from '../vm/memory.ts';
import { userWalk, COPY_OK, COPY_BAD_SRC } from './copy.ts';
import { PROT } from './space.ts';

export class UserMemory {
  constructor(private readonly frames: Frames, private readonly mem: PhysMem) {}

  /** A touch of the stack or heap below brk gets a fresh page: true if one was mapped at `va`. */
  demandPage(p: Proc, va: number): boolean {
    const v = va >>> 0;
    const stackLow = LAYOUT.stackTop - LAYOUT.stackSize;
    const inStack = v >= stackLow && v < LAYOUT.stackTop;
    const inHeap = v >= p.heapStart && v < p.brk;
    if (!inStack && !inHeap) return false;
    const page = v - (v % 4096);
    if (p.space!.lookup(page) !== undefined) return false;
    return p.space!.mapNew(page, PROT.R | PROT.W) !== undefined;
  }

  /**
   * Map the untouched stack or heap pages of [va, va+len) in `p`, as its own
   * first touch would. True if any page was mapped (so a failed access may
   * be retried).
   */
  faultIn(p: Proc, va: number, len: number): boolean {
    if (p.space === undefined || len <= 0 || (va >>> 0) + len > 0x100000000) return false;
    let mapped = false;
    for (let a = va >>> 0; a < (va >>> 0) + len; a = a - (a % 4096) + 4096) mapped = this.demandPage(p, a) || mapped;
    return mapped;
  }

  /**
   * After a copy from `from` to `to` failed with `r` (COPY_BAD_SRC or
   * COPY_BAD_DST): map the failing side's untouched stack or heap pages and
   * run `again`, while that maps something. Returns the last result. Message
   * copies and safecopy both come here, so both reach the same pages.
   */
  retryCopy(r: number, from: Proc, fromVa: number, to: Proc, toVa: number, len: number, again: () => number): number {
    while (r !== COPY_OK && (r === COPY_BAD_SRC ? this.faultIn(from, fromVa, len) : this.faultIn(to, toVa, len))) r = again();
    return r;
  }

  /** `len` bytes of `p`'s memory at `va`, or undefined if it could not read them itself. */
  read(p: Proc, va: number, len: number): Uint8Array | undefined {
    if (!this.readable(p, va, len)) return undefined;
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const a = (va + i) >>> 0;
      const pa = p.space?.translateUser(a, false);
      if (pa === undefined) return undefined;
      const n = Math.min(len - i, 4096 - (a % 4096));
      out.set(this.frames.read(pa, n), i);
      i += n;
    }
    return out;
  }

  /** Write `data` into `p`'s memory at `va`; false (nothing written) if it could not write there itself. */
  write(p: Proc, va: number, data: Uint8Array): boolean {
    if (!this.writable(p, va, data.length)) return false;
    for (let i = 0; i < data.length;) {
      const a = (va + i) >>> 0;
      const n = Math.min(data.length - i, 4096 - (a % 4096));
      this.frames.write(p.space!.translateUser(a, true)!, data.subarray(i, i + n));
      i += n;
    }
    return true;
  }

  /** One word (an aligned one without a copy), reporting a write onto translated code. */
  writeWord(p: Proc, va: number, v: number): boolean {
    const a = va >>> 0;
    if ((a & 3) !== 0 || p.space === undefined) return this.write(p, va, new Uint8Array(Int32Array.of(v).buffer));
    const mem = this.mem;
    const off = userWalk(mem, p.space.root, a, true);
    if (off < 0) return false;
    mem.i32[off >> 2] = v;
    if (mem.codePages[off >>> 12] !== 0) mem.noteWrite(off, 4);
    return true;
  }

  /** Could `p` write a whole message at `va`? (the receive path: a walk of one or two pages, cached per space) */
  messageWritable(p: Proc, va: number): boolean {
    const a = va >>> 0, space = p.space!;
    if (space.msgOk === a) return true;
    const ok = this.messageMapped(p, a) || (this.faultIn(p, a, 64) && this.messageMapped(p, a));
    if (ok) space.msgOk = a;
    return ok;
  }

  readable(p: Proc, va: number, len: number): boolean {
    return this.range(p, va >>> 0, len, false);
  }

  writable(p: Proc, va: number, len: number): boolean {
    return this.range(p, va >>> 0, len, true);
  }

  private range(p: Proc, va: number, len: number, write: boolean): boolean {
    if (p.space === undefined || len < 0 || va + len > 0x100000000) return false;
    return this.mapped(p, va, len, write) || (this.faultIn(p, va, len) && this.mapped(p, va, len, write));
  }

  private mapped(p: Proc, va: number, len: number, write: boolean): boolean {
    for (let a = va >>> 0; a < va + len; a = (a - (a % 4096)) + 4096) {
      if (p.space!.translateUser(a, write) === undefined) return false;
    }
    return true;
  }

  private messageMapped(p: Proc, a: number): boolean {
    const root = p.space!.root, mem = this.mem, last = (a + 63) >>> 0;
    if (userWalk(mem, root, a, true) < 0) return false;
    return (last >>> 12) === (a >>> 12) || (last > a && userWalk(mem, root, last, true) >= 0);
  }
}
