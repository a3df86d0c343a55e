// Side-effect-free views of the machine for traces, the debugger and tests:
// translate a virtual address as the hart would right now (without setting
// A/D bits or raising anything) and read guest memory through it.
//
// Entry points: peekTranslate, peekVirt32, peekPhys.

import type { Hart } from './cpu/hart.ts';
import { ACCESS, PRV } from './cpu/bits.ts';

/** Physical address the hart would use for `va` and `access`, or undefined if it would fault. */
export function peekTranslate(h: Hart, va: number, access: number): number | undefined {
  const priv = access === ACCESS.FETCH ? h.priv : h.mmu.dataPriv();
  if (priv === PRV.M || (h.satp >>> 31) === 0) return va >>> 0;
  const r = h.mmu.walk(va, access, priv, false);
  return r.fault === undefined ? r.pa : undefined;
}

/** Bytes of RAM/ROM at physical `pa`, or undefined if not all there. */
export function peekPhys(h: Hart, pa: number, len: number): Uint8Array | undefined {
  const off = h.mem.hostOffset(pa, len, true);
  return off < 0 ? undefined : h.mem.u8.slice(off, off + len);
}

/** The 32-bit word at virtual `va` (as fetched when `access` is FETCH), or undefined. */
export function peekVirt32(h: Hart, va: number, access: number = ACCESS.LOAD): number | undefined {
  const pa = peekTranslate(h, va, access);
  if (pa === undefined) return undefined;
  const off = h.mem.hostOffset(pa, 4, true);
  return off < 0 || (off & 3) !== 0 ? undefined : h.mem.i32[off >> 2];
}
