// Address spaces: one Sv32 page table per process, built by the kernel in
// guest RAM in the hardware's own format (so the MMU, the debugger's vtop
// and a test all read the same tables). Every user mapping has U set; the
// kernel maps nothing of its own (it lives on the host), and page 0 is never
// mapped. The kernel's copies into and out of user memory translate through
// these tables with the user's permissions (translateUser), so a pointer a
// process passes can only reach what that process itself could.
//
// Entry points: AddressSpace (map, mapNew, unmap, lookup, translateUser,
// clone, destroy, satp), PTE flags re-exported, UserFault.

import { Frames, PAGE } from './frames.ts';
import { PTE, type TlbSet } from '../vm/mmu/mmu.ts';

export { PTE };

/** R, W, X as a process's mapping asks for them (U, V, A and D are added). */
export const PROT = { R: PTE.R, W: PTE.W, X: PTE.X } as const;

interface Leaf { pa: number; flags: number; ptePa: number }

export class AddressSpace {
  readonly root: number;
  /** Frames this space owns (page tables and its memory); device mappings are not owned. */
  private readonly owned = new Set<number>();
  /** Frames of second-level tables, by root index. */
  private readonly tables = new Map<number, number>();
  /** Pages mapped, for accounting (GETINFO, the soak test). */
  pages = 0;
  /** This space's own TLB on the hart (vm/mmu TlbSet), made at its first switch-in. */
  tlbSet: TlbSet | undefined;
  /**
   * A message buffer (64 bytes at this address) the kernel found user-writable,
   * or -1: receive checks its buffer on every call, and a server uses one
   * buffer. Every change of a mapping forgets it.
   */
  msgOk = -1;

  private constructor(private readonly frames: Frames, root: number) {
    this.root = root;
    this.owned.add(root);
  }

  /** A new, empty address space, or undefined without memory. */
  static create(frames: Frames): AddressSpace | undefined {
    const root = frames.alloc();
    return root === undefined ? undefined : new AddressSpace(frames, root);
  }

  /** satp for this space (Sv32, ASID 0: the kernel flushes the TLB on every switch). */
  satp(): number {
    return (0x80000000 | (this.root / PAGE)) | 0;
  }

  private table(va: number, create: boolean): number | undefined {
    const i = va >>> 22;
    let t = this.tables.get(i);
    if (t === undefined && create) {
      t = this.frames.alloc();
      if (t === undefined) return undefined;
      this.owned.add(t);
      this.tables.set(i, t);
      this.frames.write32(this.root + i * 4, ((t / PAGE) << 10) | PTE.V);
    }
    return t;
  }

  /** Map the page at `va` to frame `pa` with `prot` (R/W/X). False without memory for a table. */
  map(va: number, pa: number, prot: number, own = false): boolean {
    if (va >>> 12 === 0 || (va & 0xfff) !== 0) throw new Error(`kernel bug: cannot map 0x${(va >>> 0).toString(16)}`);
    const t = this.table(va, true);
    if (t === undefined) return false;
    const pteAddr = t + ((va >>> 12) & 0x3ff) * 4;
    const old = this.frames.read32(pteAddr);
    this.tlbSet?.clear();
    this.msgOk = -1;
    if ((old & PTE.V) !== 0) this.dropLeaf(old);
    else this.pages++;
    this.frames.write32(pteAddr, ((pa / PAGE) << 10) | prot | PTE.U | PTE.V | PTE.A | PTE.D);
    if (own) this.owned.add(pa);
    return true;
  }

  /** Map a fresh zeroed frame at `va`; returns its physical address, or undefined without memory. */
  mapNew(va: number, prot: number): number | undefined {
    const pa = this.frames.alloc();
    if (pa === undefined) return undefined;
    if (!this.map(va, pa, prot, true)) {
      this.frames.release(pa);
      return undefined;
    }
    return pa;
  }

  private dropLeaf(pte: number): void {
    const pa = (pte >>> 10) * PAGE;
    if (this.owned.delete(pa)) this.frames.release(pa);
  }

  /** Remove the mapping of `va` (freeing the frame if this space owned it). */
  unmap(va: number): boolean {
    const t = this.table(va, false);
    if (t === undefined) return false;
    const pteAddr = t + ((va >>> 12) & 0x3ff) * 4;
    const pte = this.frames.read32(pteAddr);
    if ((pte & PTE.V) === 0) return false;
    this.tlbSet?.clear();
    this.msgOk = -1;
    this.frames.write32(pteAddr, 0);
    this.dropLeaf(pte);
    this.pages--;
    return true;
  }

  lookup(va: number): Leaf | undefined {
    const t = this.table(va, false);
    if (t === undefined) return undefined;
    const ptePa = t + ((va >>> 12) & 0x3ff) * 4;
    const pte = this.frames.read32(ptePa);
    if ((pte & PTE.V) === 0) return undefined;
    return { pa: (pte >>> 10) * PAGE + (va & 0xfff), flags: pte & 0xff, ptePa };
  }

  /**
   * Physical address of user byte `va` if the process may read it (or write
   * it, with `write`), else undefined.
   */
  translateUser(va: number, write: boolean): number | undefined {
    const l = this.lookup(va >>> 0);
    if (l === undefined || (l.flags & PTE.U) === 0) return undefined;
    if ((l.flags & (write ? PTE.W : PTE.R)) === 0) return undefined;
    return l.pa;
  }

  /** A copy of this space: every owned page copied, device mappings shared (fork). */
  clone(): AddressSpace | undefined {
    const copy = AddressSpace.create(this.frames);
    if (copy === undefined) return undefined;
    for (const [i, t] of this.tables) {
      for (let j = 0; j < 1024; j++) {
        const pte = this.frames.read32(t + j * 4);
        if ((pte & PTE.V) === 0) continue;
        const va = ((i << 22) | (j << 12)) >>> 0;
        const pa = (pte >>> 10) * PAGE;
        const prot = pte & (PTE.R | PTE.W | PTE.X);
        if (this.owned.has(pa)) {
          const npa = copy.mapNew(va, prot);
          if (npa === undefined) { copy.destroy(); return undefined; }
          this.frames.copy(npa, pa, PAGE);
        } else if (!copy.map(va, pa, prot)) {
          copy.destroy();
          return undefined;
        }
      }
    }
    return copy;
  }

  /** Free every frame this space owns. */
  destroy(): void {
    this.tlbSet?.clear();
    this.msgOk = -1;
    for (const pa of this.owned) this.frames.release(pa);
    this.owned.clear();
    this.tables.clear();
    this.pages = 0;
  }
}
