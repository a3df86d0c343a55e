// Context switch, the plain TypeScript twin of kernel/wasm/switch.ts: save
// the hart's register file and pc into a process's save area, or load them
// back and switch satp. Both live in the same WebAssembly.Memory (registers
// at REG_OFF, save areas in kernel frames of RAM), so either engine does the
// same copies.
//
// Entry points: SwitchEngine, TsSwitch, SAVE_PC, IpcSwap, ipcSwapWith.

import { RAM_BASE, RAM_OFF, REG_OFF, type PhysMem } from '../vm/memory.ts';
import type { Hart } from '../vm/cpu/hart.ts';
import type { AddressSpace } from './space.ts';
import { COPY_OK, type CopyEngine } from './copy.ts';

/** Byte offset of the saved pc in a save area (after x0..x31). */
export const SAVE_PC = 128;

export interface SwitchEngine {
  readonly name: string;
  /** Copy x0..x31 and `pc` into the save area at guest physical `area`. */
  save(area: number, pc: number): void;
  /** Load x0..x31 from `area`; returns the saved pc. */
  restore(area: number): number;
  /** save(from, pc) then restore(to): one call per switch. */
  swap(from: number, pc: number, to: number): number;
}

export class TsSwitch implements SwitchEngine {
  readonly name = 'ts';
  constructor(private readonly mem: PhysMem) {}

  save(area: number, pc: number): void {
    const i32 = this.mem.i32;
    const to = (area - RAM_BASE + RAM_OFF) >> 2;
    i32.copyWithin(to, REG_OFF >> 2, (REG_OFF >> 2) + 32);
    i32[to + (SAVE_PC >> 2)] = pc;
  }

  swap(from: number, pc: number, to: number): number {
    this.save(from, pc);
    return this.restore(to);
  }

  restore(area: number): number {
    const i32 = this.mem.i32;
    const from = (area - RAM_BASE + RAM_OFF) >> 2;
    i32.copyWithin(REG_OFF >> 2, from, from + 32);
    i32[REG_OFF >> 2] = 0;
    return i32[from + (SAVE_PC >> 2)];
  }
}

/**
 * Point the hart at address space `to`. Each space has its own TLB set on
 * the hart (an ASID in effect), so nothing is flushed: the entries `to` had
 * are still there, valid unless the kernel changed its mappings (which
 * clears its set).
 */
export function switchSpace(h: Hart, to: AddressSpace): void {
  const set = (to.tlbSet ??= h.mmu.newSet());
  h.satp = to.satp();
  if (h.mmu.tag !== set.tag) h.mmu.use(set);
}

/**
 * The IPC fast path's fused step (kernel.ts fastIpc): copy a 64-byte
 * message from (srcRoot, srcVa) to (dstRoot, dstVa) stamped with `source`;
 * only if that succeeded, save the hart into area `from` (resuming at `pc`)
 * and load area `to`, whose a0 becomes 0 (its receive's result). Returns
 * the copy's result (COPY_OK, COPY_BAD_SRC, COPY_BAD_DST); the receiver's
 * pc stays in its save area.
 */
export type IpcSwap = (srcRoot: number, srcVa: number, dstRoot: number, dstVa: number, source: number,
  from: number, pc: number, to: number) => number;

/**
 * IpcSwap from a copy and a switch engine: the TypeScript twin of
 * kernel/wasm/fastpath.ts. Undefined for a copy engine without copyMessage
 * (the kernel then has no fast path).
 */
export function ipcSwapWith(copy: CopyEngine, switcher: SwitchEngine, mem: PhysMem): IpcSwap | undefined {
  if (copy.copyMessage === undefined) return undefined;
  const message = copy.copyMessage.bind(copy);
  return (srcRoot, srcVa, dstRoot, dstVa, source, from, pc, to) => {
    const r = message(srcRoot, srcVa, dstRoot, dstVa, source);
    if (r !== COPY_OK) return r;
    switcher.swap(from, pc, to);
    mem.i32[(REG_OFF >> 2) + 10] = 0;
    return r;
  };
}
