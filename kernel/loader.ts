// Program loading: an RV32 ELF executable into a fresh address space, laid
// out as docs/abi.md says (segments where the ELF puts them, with their
// R/W/X; the stack below LAYOUT.stackTop, mapped on demand, with an unmapped
// guard below it; the heap from the page after the highest segment, grown
// by brk). Nothing is mapped at page 0 or at or above LAYOUT.userTop.
//
// Entry points: loadImage, LoadedImage, ImageError.

import { parseElf, PT_LOAD, PF, ElfError } from '../toolchain/elf.ts';
import { LAYOUT } from './abi.ts';
import { AddressSpace, PROT } from './space.ts';
import type { Frames } from './frames.ts';

export class ImageError extends Error {}

export interface LoadedImage {
  space: AddressSpace;
  entry: number;
  sp: number;
  /** First byte after the highest segment, page-aligned: where the heap starts. */
  brk: number;
}

const pageDown = (a: number): number => a - (a % 4096);
const pageUp = (a: number): number => Math.ceil(a / 4096) * 4096;

function protOf(flags: number): number {
  return (flags & PF.R ? PROT.R : 0) | (flags & PF.W ? PROT.W | PROT.R : 0) | (flags & PF.X ? PROT.X : 0);
}

/** Build an address space for `elf`. Throws ImageError (bad ELF, bad layout) or returns undefined without memory. */
export function loadImage(frames: Frames, elf: Uint8Array, name: string): LoadedImage | undefined {
  let file;
  try {
    file = parseElf(elf);
  } catch (e) {
    if (e instanceof ElfError) throw new ImageError(`${name}: ${e.message}`);
    throw e;
  }
  if (file.type !== 2) throw new ImageError(`${name}: not an executable (ELF type ${file.type})`);
  const loads = file.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
  if (loads.length === 0) throw new ImageError(`${name}: no loadable segments`);
  // Each page's protection is the union of the segments on it.
  const pages = new Map<number, number>();
  for (const s of loads) {
    if (s.vaddr < LAYOUT.nullGuardEnd || s.vaddr + s.memsz > LAYOUT.stackTop - LAYOUT.stackSize - LAYOUT.stackGuard) {
      throw new ImageError(`${name}: segment at 0x${s.vaddr.toString(16)} (+0x${s.memsz.toString(16)}) is outside user space`);
    }
    for (let va = pageDown(s.vaddr); va < s.vaddr + s.memsz; va += 4096) {
      pages.set(va, (pages.get(va) ?? 0) | protOf(s.flags));
    }
  }
  const space = AddressSpace.create(frames);
  if (space === undefined) return undefined;
  const phys = new Map<number, number>();
  for (const [va, prot] of pages) {
    const pa = space.mapNew(va, prot);
    if (pa === undefined) { space.destroy(); return undefined; }
    phys.set(va, pa);
  }
  for (const s of loads) {
    for (let off = 0; off < s.data.length;) {
      const va = s.vaddr + off;
      const n = Math.min(s.data.length - off, 4096 - (va % 4096));
      frames.write(phys.get(pageDown(va))! + (va % 4096), s.data.subarray(off, off + n));
      off += n;
    }
  }
  const top = Math.max(...loads.map((s) => s.vaddr + s.memsz));
  return { space, entry: file.entry, sp: LAYOUT.stackTop, brk: pageUp(top) };
}
