// Registers and memory as the GDB stub reads and writes them: by gdb's wire
// register numbers (vm/debug/target_xml.ts), and memory at virtual addresses
// through the hart's current translation, as gdb on QEMU sees it.
//
// Memory: an address translates as a data load at the hart's effective data
// privilege (MPRV included), without setting A/D bits or raising anything;
// if that fails it is tried as a fetch, so execute-only code can still be
// read. Only RAM and ROM are reachable: device registers are not read or
// written from the debugger (a read could pop a UART FIFO), so such an
// access fails as an unmapped one does. Writes go straight into RAM (or the
// reset ROM, as QEMU's debug writes do) and tell the translator, so code
// that gdb patches runs as patched.
//
// Entry points: readGdbRegister, writeGdbRegister, readVirt, writeVirt.

import type { Hart } from '../cpu/hart.ts';
import { ACCESS, PRV } from '../cpu/bits.ts';
import { csrRead, csrWrite } from '../cpu/csr.ts';
import { peekTranslate } from '../inspect.ts';
import { gdbRegister } from './target_xml.ts';

/** Value of wire register `n`, or undefined if there is no such register. */
export function readGdbRegister(h: Hart, n: number): number | undefined {
  const r = gdbRegister(n);
  if (!r) return undefined;
  switch (r.kind) {
    case 'x': return h.x[r.index]! >>> 0;
    case 'pc': return h.pc >>> 0;
    case 'priv': return h.priv;
    case 'csr': {
      const v = csrRead(h, r.csr);
      return v === undefined ? undefined : v >>> 0;
    }
  }
}

/**
 * Write wire register `n`; false if there is no such register. x0 stays
 * zero; read-only CSRs ignore the write (as the hardware would); priv takes
 * the low two bits, with the reserved value 2 meaning S (as QEMU does).
 */
export function writeGdbRegister(h: Hart, n: number, v: number): boolean {
  const r = gdbRegister(n);
  if (!r) return false;
  switch (r.kind) {
    case 'x': if (r.index !== 0) h.x[r.index] = v | 0; return true;
    case 'pc': h.pc = v | 0; return true;
    case 'priv': {
      const p = v & 3;
      h.setPriv(p === 2 ? PRV.S : p);
      return true;
    }
    case 'csr':
      csrWrite(h, r.csr, v, true);
      // mstatus (MPRV, SUM, MXR) and satp change what addresses mean.
      h.mmu.flush();
      return true;
  }
}

/** Host offset of the byte at virtual `va` in RAM/ROM, or -1. */
function hostByte(h: Hart, va: number): number {
  const pa = peekTranslate(h, va >>> 0, ACCESS.LOAD) ?? peekTranslate(h, va >>> 0, ACCESS.FETCH);
  return pa === undefined ? -1 : h.mem.hostOffset(pa, 1, true);
}

/**
 * Up to `len` bytes at virtual `va`: the readable prefix, which is empty if
 * the first byte cannot be read (gdb reads the rest again and gets the error).
 */
export function readVirt(h: Hart, va: number, len: number): Uint8Array {
  const out: number[] = [];
  let off = -1;
  for (let i = 0; i < len; i++) {
    const a = (va + i) >>> 0;
    // Translate once per page.
    if (i === 0 || (a & 0xfff) === 0) off = hostByte(h, a);
    else if (off >= 0) off++;
    if (off < 0) break;
    out.push(h.mem.u8[off]!);
  }
  return Uint8Array.from(out);
}

/** Write `data` at virtual `va`: all of it, or nothing (false) if any byte is unreachable. */
export function writeVirt(h: Hart, va: number, data: Uint8Array): boolean {
  const offs: number[] = [];
  let off = -1;
  for (let i = 0; i < data.length; i++) {
    const a = (va + i) >>> 0;
    if (i === 0 || (a & 0xfff) === 0) off = hostByte(h, a);
    else if (off >= 0) off++;
    if (off < 0) return false;
    offs.push(off);
  }
  let runStart = 0;
  for (let i = 0; i < data.length; i++) {
    h.mem.u8[offs[i]!] = data[i]!;
    // Tell the translator once per run of contiguous host bytes.
    if (i + 1 === data.length || offs[i + 1] !== offs[i]! + 1) {
      h.mem.noteWrite(offs[runStart]!, i - runStart + 1);
      runStart = i + 1;
    }
  }
  return true;
}
