// Traps: the one routine that raises every exception and takes every
// interrupt, interrupt selection by priority and delegation, and the xRET
// instructions that leave a trap handler (privileged spec 3.1.6-3.1.9, 3.3.2,
// 4.1.1).
//
// A synchronous exception inside the interpreter unwinds with the TRAP token:
// raiseException() has already redirected the hart to the handler, so the
// interpreter only has to resume at hart.pc. Nothing else is ever thrown for
// guest behaviour.
//
// Entry points: TRAP, raiseException, enterTrap, pendingInterrupt, doMret, doSret.

import type { Hart } from './hart.ts';
import {
  PRV, MSTATUS as MS, INTERRUPT_PRIORITY, INTERRUPT_FLAG, MIP_ALL,
} from './bits.ts';

/** Thrown (never constructed anew) to unwind the interpreter after a synchronous trap. */
export const TRAP: { readonly trap: true } = Object.freeze({ trap: true });

/**
 * Enter the trap handler for `cause` (an exception code, or an interrupt code
 * with `interrupt` set) taken at `epc`, with `tval` for xtval.
 */
export function enterTrap(h: Hart, cause: number, tval: number, epc: number, interrupt: boolean): void {
  h.traps++;
  if (h.hostTrap !== undefined && h.priv === PRV.U) {
    // A resident host kernel takes every trap from user mode (DESIGN.md): the
    // guest's CSRs are untouched, the handler sets pc (and registers) itself.
    h.reservationValid = false;
    h.stallCycles++;
    h.onTrap?.((interrupt ? INTERRUPT_FLAG : 0) | cause, tval, epc);
    h.hostTrap(cause, tval, epc, interrupt);
    return;
  }
  const deleg = interrupt ? h.mideleg : h.medeleg;
  const toS = h.priv <= PRV.S && ((deleg >>> cause) & 1) !== 0;
  const code = (interrupt ? INTERRUPT_FLAG : 0) | cause;
  let ms = h.mstatus;
  if (toS) {
    h.scause = code;
    h.sepc = epc & ~3;
    h.stval = tval | 0;
    ms = (ms & MS.SIE ? ms | MS.SPIE : ms & ~MS.SPIE) & ~MS.SIE;
    ms = h.priv === PRV.S ? ms | MS.SPP : ms & ~MS.SPP;
    h.pc = vectorTarget(h.stvec, cause, interrupt);
    h.setPriv(PRV.S);
  } else {
    h.mcause = code;
    h.mepc = epc & ~3;
    h.mtval = tval | 0;
    ms = (ms & MS.MIE ? ms | MS.MPIE : ms & ~MS.MPIE) & ~MS.MIE;
    ms = (ms & ~MS.MPP) | (h.priv << MS.MPP_SHIFT);
    h.pc = vectorTarget(h.mtvec, cause, interrupt);
    h.setPriv(PRV.M);
  }
  h.mstatus = ms;
  h.reservationValid = false;
  // Taking a trap costs one cycle, so time moves even for a hart stuck
  // trapping on its handler's first instruction (identically on both engines).
  h.stallCycles++;
  h.onTrap?.(code, tval, epc);
}

function vectorTarget(tvec: number, cause: number, interrupt: boolean): number {
  const base = tvec & ~3;
  return (interrupt && (tvec & 3) === 1 ? base + 4 * cause : base) | 0;
}

/** Raise synchronous exception `cause` for the instruction at hart.pc and unwind. */
export function raiseException(h: Hart, cause: number, tval: number): never {
  enterTrap(h, cause, tval, h.pc, false);
  throw TRAP;
}

/**
 * The interrupt the hart must take now (its cause code), or -1. M-level
 * interrupts win over S-level ones; within a level, INTERRUPT_PRIORITY.
 */
export function pendingInterrupt(h: Hart): number {
  const pending = h.mip() & h.mie & MIP_ALL;
  if (pending === 0) return -1;
  const priv = h.priv;
  const mEnabled = priv < PRV.M || (h.mstatus & MS.MIE) !== 0;
  const sEnabled = priv < PRV.S || (priv === PRV.S && (h.mstatus & MS.SIE) !== 0);
  let take = 0;
  if (mEnabled) take |= pending & ~h.mideleg;
  if (take === 0 && sEnabled) take = pending & h.mideleg;
  if (take === 0) return -1;
  for (const irq of INTERRUPT_PRIORITY) if ((take >>> irq) & 1) return irq;
  return -1;
}

/** mret: back to MPP with MIE = MPIE. Returns the new pc. */
export function doMret(h: Hart): number {
  let ms = h.mstatus;
  const mpp = (ms & MS.MPP) >>> MS.MPP_SHIFT;
  ms = ms & MS.MPIE ? ms | MS.MIE : ms & ~MS.MIE;
  ms = (ms | MS.MPIE) & ~MS.MPP; // MPP := U, the least-privileged mode
  if (mpp !== PRV.M) ms &= ~MS.MPRV;
  h.mstatus = ms;
  h.reservationValid = false;
  h.setPriv(mpp);
  return h.mepc;
}

/** sret: back to SPP with SIE = SPIE. Returns the new pc. */
export function doSret(h: Hart): number {
  let ms = h.mstatus;
  const spp = ms & MS.SPP ? PRV.S : PRV.U;
  ms = ms & MS.SPIE ? ms | MS.SIE : ms & ~MS.SIE;
  ms = (ms | MS.SPIE) & ~MS.SPP & ~MS.MPRV;
  h.mstatus = ms;
  h.reservationValid = false;
  h.setPriv(spp);
  return h.sepc;
}
