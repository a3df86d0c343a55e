// The Sv32 MMU: the two-level page-table walk from satp (privileged spec 4.3),
// with R/W/X/U checks, SUM, MXR, MPRV, hardware A/D updates, superpages, and
// the TLB the interpreter's fast path reads.
//
// The TLB is three direct-mapped arrays (fetch, load, store) of TLB_SIZE
// entries. An entry maps a 4 KiB virtual page to a host offset delta into the
// WebAssembly.Memory: host = (va + off[i]) | 0. Only RAM (and ROM for fetch
// and load) is entered, so devices always take the slow path. Entries are
// valid for one translation context (privilege, satp, SUM, MXR, MPRV/MPP); the
// hart flushes on any change of it. A store entry exists only once D is set,
// so the first write to a page always walks and sets D. A resident kernel
// keeps one TlbSet per address space and switches sets instead of flushing.
//
// Entry points: Mmu.translate, Mmu.fill, Mmu.flush, Mmu.flushPage, Mmu.walk (for
// the debugger's vtop), TlbSet, Mmu.use/newSet, TLB_SIZE, PTE bits.

import type { Hart } from '../cpu/hart.ts';
import { ACCESS, MSTATUS as MS, PRV, PAGE_FAULT_CAUSE, ACCESS_FAULT_CAUSE } from '../cpu/bits.ts';
import { raiseException } from '../cpu/trap.ts';
import type { PhysMem } from '../memory.ts';

export const TLB_BITS = 8;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

export const PTE = { V: 1, R: 2, W: 4, X: 8, U: 16, G: 32, A: 64, D: 128 } as const;

/** Past this many fills since the last flush, flush() clears the whole TLB. */
const FILLED_MAX = 64;

/** One step of a walk, for the debugger's `vtop`. */
export interface WalkStep { level: number; pteAddr: number; pte: number }
export interface WalkResult {
  steps: WalkStep[];
  /** Physical address, or undefined with the fault cause. */
  pa?: number;
  fault?: number;
  megapage?: boolean;
}

/**
 * One TLB: three direct-mapped arrays (fetch, load, store) and the list of
 * entries filled since it was last cleared (so clearing touches only those).
 * The hart uses one set at a time; a resident kernel gives each address
 * space a set of its own and switches sets instead of flushing, which is
 * what ASIDs buy real hardware, without an ASID compare on every access.
 */
export class TlbSet {
  readonly tag: Int32Array[] = [0, 1, 2].map(() => new Int32Array(TLB_SIZE).fill(-1));
  readonly off: Int32Array[] = [0, 1, 2].map(() => new Int32Array(TLB_SIZE));
  /** True while an entry from a 4 MiB page is cached (sfence.vma by address then clears all). */
  megaCached = false;
  /** Entries filled since the last clear (access << TLB_BITS | index). */
  readonly filled = new Int32Array(FILLED_MAX);
  nFilled = 0;

  /** Drop every entry (touching only the filled ones when there are few). */
  clear(): void {
    const n = this.nFilled;
    if (n > FILLED_MAX) {
      for (const t of this.tag) t.fill(-1);
    } else {
      const f = this.filled, tags = this.tag;
      for (let i = 0; i < n; i++) tags[f[i] >>> TLB_BITS][f[i] & TLB_MASK] = -1;
    }
    this.nFilled = 0;
    this.megaCached = false;
  }

  clearStores(): void {
    this.tag[ACCESS.STORE].fill(-1);
  }
}

export class Mmu {
  /** The current set's arrays (what the fast paths read). */
  tag: Int32Array[];
  off: Int32Array[];
  private set: TlbSet;
  /** Every set in use, so a change that concerns all of them reaches all. */
  private readonly sets = new Set<TlbSet>();
  /** Whether the last resolve() ended at a 4 MiB leaf. */
  private lastMegapage = false;

  constructor(private readonly h: Hart, private readonly mem: PhysMem) {
    this.set = this.newSet();
    this.tag = this.set.tag;
    this.off = this.set.off;
  }

  /** A new, empty TLB set (use() installs it). */
  newSet(): TlbSet {
    const s = new TlbSet();
    this.sets.add(s);
    return s;
  }

  /** Forget a set that will not be used again. */
  dropSet(s: TlbSet): void {
    if (s !== this.set) this.sets.delete(s);
  }

  /** Make `s` the hart's TLB. Code that cached the arrays must re-read them (blocks end at every trap). */
  use(s: TlbSet): void {
    this.set = s;
    this.tag = s.tag;
    this.off = s.off;
  }

  /** Drop every entry of the current set (satp, privilege or mstatus changed; sfence.vma). */
  flush(): void {
    this.set.clear();
  }

  /** Drop every entry of every set (the debugger changed which pages may be cached). */
  flushAll(): void {
    for (const s of this.sets) s.clear();
  }

  /** Drop every store entry of every set (a page just became code, and any of them may map it). */
  flushStores(): void {
    for (const s of this.sets) s.clearStores();
  }

  /** sfence.vma with rs1 != x0: drop what maps `va`. */
  flushPage(va: number): void {
    if (this.set.megaCached) return this.flush();
    const i = (va >>> 12) & TLB_MASK;
    for (const t of this.tag) if (t[i] === (va & -4096)) t[i] = -1;
  }

  /** The privilege that loads and stores run at (MPRV, 3.1.6.3). */
  dataPriv(): number {
    const h = this.h;
    return h.priv === PRV.M && (h.mstatus & MS.MPRV) !== 0 ? (h.mstatus & MS.MPP) >>> MS.MPP_SHIFT : h.priv;
  }

  /** Physical address of `va` for `access`, or a raised page/access fault. */
  translate(va: number, access: number): number {
    const priv = access === ACCESS.FETCH ? this.h.priv : this.dataPriv();
    if (priv === PRV.M || (this.h.satp >>> 31) === 0) return va >>> 0;
    const pa = this.resolve(va, access, priv, true, undefined);
    if (pa < 0) raiseException(this.h, -pa, va);
    if (this.lastMegapage) this.set.megaCached = true;
    return pa;
  }

  /**
   * The physical address `va` translates to for `access`, or minus the fault
   * cause: translate() without raising and without setting A/D bits (the
   * translator asks before an access it must not start unless it succeeds).
   */
  probe(va: number, access: number): number {
    const priv = access === ACCESS.FETCH ? this.h.priv : this.dataPriv();
    if (priv === PRV.M || (this.h.satp >>> 31) === 0) return va >>> 0;
    return this.resolve(va, access, priv, false, undefined);
  }

  /**
   * Sv32 walk of `va` for `access` at privilege `priv` (the debugger's
   * `vtop`): each level's PTE, and the physical address or the fault cause.
   * Sets nothing.
   */
  walk(va: number, access: number, priv: number, update: boolean): WalkResult {
    const steps: WalkStep[] = [];
    const pa = this.resolve(va, access, priv, update, steps);
    return pa < 0 ? { steps, fault: -pa } : { steps, pa, megapage: this.lastMegapage };
  }

  /**
   * The walk itself (privileged spec 4.3.2): the physical address, or minus
   * the fault cause. With `update`, sets A (and D for stores) in the leaf as
   * the hardware does. Allocates nothing unless `steps` is given.
   */
  private resolve(va: number, access: number, priv: number, update: boolean, steps: WalkStep[] | undefined): number {
    const mem = this.mem;
    let table = (this.h.satp & 0x3fffff) * 4096;
    this.lastMegapage = false;
    for (let level = 1; level >= 0; level--) {
      const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
      const pteAddr = table + vpn * 4;
      const off = mem.hostOffset(pteAddr, 4, false);
      if (off < 0) return -ACCESS_FAULT_CAUSE[access];
      const pte = mem.i32[off >> 2];
      steps?.push({ level, pteAddr, pte });
      if ((pte & PTE.V) === 0 || ((pte & PTE.R) === 0 && (pte & PTE.W) !== 0)) return -PAGE_FAULT_CAUSE[access];
      if ((pte & (PTE.R | PTE.X)) === 0) {
        table = (pte >>> 10) * 4096;
        continue;
      }
      if (!this.leafAllows(pte, access, priv) || (level === 1 && ((pte >>> 10) & 0x3ff) !== 0)) {
        return -PAGE_FAULT_CAUSE[access];
      }
      const nw = pte | PTE.A | (access === ACCESS.STORE ? PTE.D : 0);
      if (update && nw !== pte) {
        mem.i32[off >> 2] = nw;
        mem.noteWrite(off, 4);
      }
      this.lastMegapage = level === 1;
      return level === 1
        ? (pte >>> 20) * 0x400000 + (va & 0x3fffff)
        : (pte >>> 10) * 4096 + (va & 0xfff);
    }
    return -PAGE_FAULT_CAUSE[access];
  }

  private leafAllows(pte: number, access: number, priv: number): boolean {
    const ms = this.h.mstatus;
    if (priv === PRV.U) {
      if ((pte & PTE.U) === 0) return false;
    } else if ((pte & PTE.U) !== 0) {
      if (access === ACCESS.FETCH || (ms & MS.SUM) === 0) return false;
    }
    if (access === ACCESS.FETCH) return (pte & PTE.X) !== 0;
    if (access === ACCESS.STORE) return (pte & PTE.W) !== 0;
    return (pte & PTE.R) !== 0 || ((ms & MS.MXR) !== 0 && (pte & PTE.X) !== 0);
  }

  /** Enter va -> pa in the `access` TLB if the page is RAM (or ROM, except for stores). */
  fill(access: number, va: number, pa: number): void {
    if (pa >= 0x100000000) return;
    const page = pa - (pa & 0xfff);
    const host = this.mem.hostOffset(page, 4096, access !== ACCESS.STORE);
    if (host < 0) return;
    if (access === ACCESS.STORE) {
      if (this.mem.codePages[host >>> 12] !== 0) return;
      if (this.h.hookedPages.size !== 0 && this.h.hookedPages.has(page / 4096)) return;
    }
    if (access !== ACCESS.FETCH && this.h.watchPage?.(va >>> 12, page / 4096, access === ACCESS.STORE)) return;
    const i = (va >>> 12) & TLB_MASK;
    const set = this.set;
    if (set.tag[access][i] === -1) {
      if (set.nFilled < FILLED_MAX) set.filled[set.nFilled] = (access << TLB_BITS) | i;
      set.nFilled++;
    }
    set.tag[access][i] = va & -4096;
    set.off[access][i] = (host - (va & -4096)) | 0;
  }
}
