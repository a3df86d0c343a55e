// CSR behaviour: what each control and status register reads and how a write
// is legalised (privileged spec chapters 2-4; the numbers and names live in
// vm/isa/csr_table.ts). execCsr() implements the six Zicsr instructions with
// the spec's access rules: privilege from the number, read-only registers,
// counter enables, TVM for satp.
//
// Entry points: execCsr, csrRead, csrWrite (the debugger uses the last two).

import type { Hart } from './hart.ts';
import {
  PRV, MSTATUS as MS, MSTATUS_WRITABLE, SSTATUS_MASK, SSTATUS_WRITABLE, MIP_ALL, MIP_S_LEVEL,
  MIP_WRITABLE, MIP_SSIP, MEDELEG_WRITABLE, CAUSE,
} from './bits.ts';
import { raiseException } from './trap.ts';
import { CSR, csrPrivilege, csrReadOnly } from '../isa/csr_table.ts';

/** misa: MXL=1 (RV32), extensions A, I, M, S, U. */
export const MISA = (1 << 30) | (1 << 0) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

const TWO32 = 4294967296;
const lo = (v: number): number => v % TWO32 | 0;
const hi = (v: number): number => Math.floor(v / TWO32) | 0;
const withLo = (v: number, w: number): number => Math.floor(v / TWO32) * TWO32 + (w >>> 0);
const withHi = (v: number, w: number): number => (w >>> 0) * TWO32 + (v % TWO32);

/** Counters 0xC00-0xC1F / 0xB00-0xB1F: index 0 cycle, 1 time, 2 instret, 3-31 hpm. */
function counterRead(h: Hart, index: number, high: boolean): number {
  let v = 0;
  if (index === 0) v = h.cycleCount();
  else if (index === 1) v = h.readTime();
  else if (index === 2) v = h.instretCount();
  return high ? hi(v) : lo(v);
}

/** Value of CSR `num`, or undefined if the hart has no such CSR. No privilege checks. */
export function csrRead(h: Hart, num: number): number | undefined {
  if ((num >= 0xc00 && num <= 0xc1f) || (num >= 0xc80 && num <= 0xc9f)) return counterRead(h, num & 0x1f, num >= 0xc80);
  if ((num >= 0xb00 && num <= 0xb1f && num !== 0xb01) || (num >= 0xb80 && num <= 0xb9f && num !== 0xb81)) {
    return counterRead(h, num & 0x1f, num >= 0xb80);
  }
  if (num >= 0x323 && num <= 0x33f) return 0; // mhpmevent3..31
  if (num >= CSR.pmpcfg0 && num <= CSR.pmpcfg3) return h.pmpcfg[num - CSR.pmpcfg0];
  if (num >= CSR.pmpaddr0 && num <= CSR.pmpaddr15) return h.pmpaddr[num - CSR.pmpaddr0];
  switch (num) {
    case CSR.sstatus: return h.mstatus & SSTATUS_MASK;
    case CSR.sie: return h.mie & h.mideleg;
    case CSR.stvec: return h.stvec;
    case CSR.scounteren: return h.scounteren;
    case CSR.senvcfg: return h.senvcfg;
    case CSR.sscratch: return h.sscratch;
    case CSR.sepc: return h.sepc;
    case CSR.scause: return h.scause;
    case CSR.stval: return h.stval;
    case CSR.sip: return h.mip() & h.mideleg;
    case CSR.satp: return h.satp;
    case CSR.mvendorid: case CSR.marchid: case CSR.mimpid: case CSR.mhartid: case CSR.mconfigptr: return 0;
    case CSR.mstatus: return h.mstatus;
    case CSR.misa: return MISA;
    case CSR.medeleg: return h.medeleg;
    case CSR.mideleg: return h.mideleg;
    case CSR.mie: return h.mie;
    case CSR.mtvec: return h.mtvec;
    case CSR.mcounteren: return h.mcounteren;
    case CSR.menvcfg: return h.menvcfg;
    case CSR.mstatush: case CSR.menvcfgh: return 0;
    case CSR.mcountinhibit: return h.mcountinhibit;
    case CSR.mscratch: return h.mscratch;
    case CSR.mepc: return h.mepc;
    case CSR.mcause: return h.mcause;
    case CSR.mtval: return h.mtval;
    case CSR.mip: return h.mip();
    default: return undefined;
  }
}

/**
 * Write `v` to CSR `num` (which exists), legalising WARL fields. Returns true
 * if the write may change interrupt state or translation, so the interpreter
 * must stop its block and re-check. `external` is a write from outside the
 * hart (a debugger): the counters then take the value as it is, without the
 * writing instruction's own retirement.
 */
export function csrWrite(h: Hart, num: number, v: number, external = false): boolean {
  v |= 0;
  const retiring = external ? 0 : 1;
  if (num >= CSR.pmpcfg0 && num <= CSR.pmpcfg3) { h.pmpcfg[num - CSR.pmpcfg0] = v & 0x9f9f9f9f; return false; }
  if (num >= CSR.pmpaddr0 && num <= CSR.pmpaddr15) { h.pmpaddr[num - CSR.pmpaddr0] = v; return false; }
  switch (num) {
    case CSR.mcycle: h.setCycleCount(withLo(h.cycleCount(), v), retiring); return false;
    case CSR.mcycleh: h.setCycleCount(withHi(h.cycleCount(), v), retiring); return false;
    case CSR.minstret: h.setInstretCount(withLo(h.instretCount(), v), retiring); return false;
    case CSR.minstreth: h.setInstretCount(withHi(h.instretCount(), v), retiring); return false;
    case CSR.mcountinhibit: h.setCountInhibit(v & 5); return false;
    case CSR.sstatus: return h.writeMstatus((h.mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE));
    case CSR.mstatus: return h.writeMstatus(v);
    case CSR.sie: h.mie = (h.mie & ~h.mideleg) | (v & h.mideleg); return true;
    case CSR.mie: h.mie = v & MIP_ALL; return true;
    case CSR.sip: h.mipSw = (h.mipSw & ~(h.mideleg & MIP_SSIP)) | (v & h.mideleg & MIP_SSIP); return true;
    case CSR.mip: h.mipSw = (h.mipSw & ~MIP_WRITABLE) | (v & MIP_WRITABLE); return true;
    case CSR.medeleg: h.medeleg = v & MEDELEG_WRITABLE; return false;
    case CSR.mideleg: h.mideleg = v & MIP_S_LEVEL; return true;
    case CSR.stvec: if ((v & 3) < 2) h.stvec = v; return false;
    case CSR.mtvec: if ((v & 3) < 2) h.mtvec = v; return false;
    case CSR.scounteren: h.scounteren = v; return false;
    case CSR.mcounteren: h.mcounteren = v; return false;
    case CSR.senvcfg: h.senvcfg = v & 1; return false;
    case CSR.menvcfg: h.menvcfg = v & 1; return false;
    case CSR.sscratch: h.sscratch = v; return false;
    case CSR.mscratch: h.mscratch = v; return false;
    case CSR.sepc: h.sepc = v & ~3; return false;
    case CSR.mepc: h.mepc = v & ~3; return false;
    case CSR.scause: h.scause = v; return false;
    case CSR.mcause: h.mcause = v; return false;
    case CSR.stval: h.stval = v; return false;
    case CSR.mtval: h.mtval = v; return false;
    case CSR.satp: h.satp = v; h.mmu.flush(); return true;
    default: return false; // read-only-zero registers (misa, hpm counters, ...) ignore writes
  }
}

/** May the current privilege level touch CSR `num`? (beyond its privilege field) */
function accessAllowed(h: Hart, num: number): boolean {
  if (h.priv < csrPrivilege(num)) return false;
  if ((num >= 0xc00 && num <= 0xc1f) || (num >= 0xc80 && num <= 0xc9f)) {
    const bit = 1 << (num & 0x1f);
    if (h.priv < PRV.M && (h.mcounteren & bit) === 0) return false;
    if (h.priv < PRV.S && (h.scounteren & bit) === 0) return false;
  }
  if (num === CSR.satp && h.priv === PRV.S && (h.mstatus & MS.TVM) !== 0) return false;
  return true;
}

/**
 * Execute a Zicsr instruction at hart.pc. Returns true if the interpreter
 * must end its block (see csrWrite). Illegal accesses raise and unwind.
 */
export function execCsr(h: Hart, insn: number): boolean {
  const num = insn >>> 20;
  const f3 = (insn >>> 12) & 7;
  const rd = (insn >>> 7) & 31;
  const field = (insn >>> 15) & 31;
  const src = f3 >= 5 ? field : h.x[field];
  // csrrw/csrrwi always write; csrrs/csrrc (and immediates) write only with a nonzero source field.
  const writes = (f3 & 3) === 1 || field !== 0;
  const old = csrRead(h, num);
  if (old === undefined || !accessAllowed(h, num) || (writes && csrReadOnly(num))) {
    raiseException(h, CAUSE.ILLEGAL_INSTRUCTION, insn);
  }
  let stop = false;
  if (writes) {
    const op = f3 & 3;
    const nv = op === 1 ? src : op === 2 ? old | src : old & ~src;
    stop = csrWrite(h, num, nv);
  }
  if (rd !== 0) h.x[rd] = old;
  return stop;
}
