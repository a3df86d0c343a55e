// The interpreter loop: fetch, decode through the table-built DECODE lookup,
// execute. This is the one long function of the machine (STYLE.md 2); CSRs,
// traps, the MMU walk and devices stay outside it, reached through the hart's
// slow paths when the TLB fast path misses.
//
// A block runs until `budget` instructions retire, or until an instruction
// changes something the loop has cached or that may make an interrupt
// pending (CSR writes, xRET, wfi, sfence.vma, device writes, traps; all but
// traps also set hart.jitStop, so the translator's dispatcher stops too). The
// caller checks interrupts and timers between blocks, so they are taken
// precisely at instruction boundaries.
//
// Case labels are INSNS indices (vm/isa/table.ts); test/vm/interp_cases.test.ts
// checks every `case N: // name` against the table.
//
// Entry point: execute(hart, budget) -> instructions retired.

import type { Hart } from './hart.ts';
import { DECODE } from '../isa/decode.ts';
import { TRAP, raiseException } from './trap.ts';
import { execCsr } from './csr.ts';
import { mulh, mulhsu, mulhu, div, divu, rem, remu } from './alu.ts';
import { ACCESS, CAUSE } from './bits.ts';
import { TLB_MASK } from '../mmu/mmu.ts';

/** Host-offset delta for fetching from `pc`'s page (fills the fetch TLB); faults raise. */
function fetchDelta(h: Hart, pc: number): number {
  const mmu = h.mmu;
  const i = (pc >>> 12) & TLB_MASK;
  const tag = mmu.tag[ACCESS.FETCH];
  if (tag[i] !== (pc & -4096)) {
    const pa = mmu.translate(pc, ACCESS.FETCH);
    mmu.fill(ACCESS.FETCH, pc, pa);
    if (tag[i] !== (pc & -4096)) raiseException(h, CAUSE.FETCH_ACCESS, pc);
  }
  return mmu.off[ACCESS.FETCH][i];
}

/** Target of the taken branch `insn` at `pc`; a misaligned target raises on the branch. */
function branch(h: Hart, pc: number, insn: number, n: number): number {
  const target = (pc + (((insn >> 19) & ~0xfff) | ((insn << 4) & 0x800) | ((insn >>> 20) & 0x7e0) | ((insn >>> 7) & 0x1e))) | 0;
  if ((target & 3) !== 0) { h.pc = pc; h.inflight = n; raiseException(h, CAUSE.MISALIGNED_FETCH, target); }
  return target;
}

/** Run at most `budget` instructions; returns how many retired. */
export function execute(h: Hart, budget: number): number {
  const x = h.x;
  const { u8, i8, u16, i16, i32 } = h.mem;
  const rTag = h.mmu.tag[ACCESS.LOAD], rOff = h.mmu.off[ACCESS.LOAD];
  const wTag = h.mmu.tag[ACCESS.STORE], wOff = h.mmu.off[ACCESS.STORE];
  const D = DECODE;
  let pc = h.pc;
  let n = 0;
  let fetchPage = 1; // never equal to an aligned page address: forces the first lookup
  let fetchOff = 0;
  try {
    loop: while (n < budget) {
      if ((pc & -4096) !== fetchPage) {
        // A page with a breakpoint: hand over to the debugger, which steps there.
        if (h.bpPages !== undefined && h.bpPages.has(pc >>> 12)) { h.debugBreak = true; break; }
        h.pc = pc; h.inflight = n;
        fetchOff = fetchDelta(h, pc);
        fetchPage = pc & -4096;
      }
      const insn = i32[(pc + fetchOff) >> 2];
      const rd = (insn >> 7) & 31;
      let va = 0, t = 0, v = 0;
      switch (D[(insn & 0x7f) | ((insn >>> 5) & 0x380) | ((insn >>> 15) & 0x1fc00)]) {
        case 0: // lui
          if (rd !== 0) x[rd] = insn & -4096;
          break;
        case 1: // auipc
          if (rd !== 0) x[rd] = (pc + (insn & -4096)) | 0;
          break;
        case 2: { // jal
          const target = (pc + (((insn >> 11) & ~0xfffff) | (insn & 0xff000) | ((insn >>> 9) & 0x800) | ((insn >>> 20) & 0x7fe))) | 0;
          if ((target & 3) !== 0) { h.pc = pc; h.inflight = n; raiseException(h, CAUSE.MISALIGNED_FETCH, target); }
          if (rd !== 0) x[rd] = (pc + 4) | 0;
          pc = target; n++;
          continue;
        }
        case 3: { // jalr
          const target = (x[(insn >> 15) & 31] + (insn >> 20)) & ~1;
          if ((target & 3) !== 0) { h.pc = pc; h.inflight = n; raiseException(h, CAUSE.MISALIGNED_FETCH, target); }
          if (rd !== 0) x[rd] = (pc + 4) | 0;
          pc = target; n++;
          continue;
        }
        case 4: // beq
          if (x[(insn >> 15) & 31] === x[(insn >> 20) & 31]) { pc = branch(h, pc, insn, n); n++; continue; }
          break;
        case 5: // bne
          if (x[(insn >> 15) & 31] !== x[(insn >> 20) & 31]) { pc = branch(h, pc, insn, n); n++; continue; }
          break;
        case 6: // blt
          if (x[(insn >> 15) & 31] < x[(insn >> 20) & 31]) { pc = branch(h, pc, insn, n); n++; continue; }
          break;
        case 7: // bge
          if (x[(insn >> 15) & 31] >= x[(insn >> 20) & 31]) { pc = branch(h, pc, insn, n); n++; continue; }
          break;
        case 8: // bltu
          if ((x[(insn >> 15) & 31] >>> 0) < (x[(insn >> 20) & 31] >>> 0)) { pc = branch(h, pc, insn, n); n++; continue; }
          break;
        case 9: // bgeu
          if ((x[(insn >> 15) & 31] >>> 0) >= (x[(insn >> 20) & 31] >>> 0)) { pc = branch(h, pc, insn, n); n++; continue; }
          break;
        case 10: // lb
          va = (x[(insn >> 15) & 31] + (insn >> 20)) | 0; t = (va >>> 12) & TLB_MASK;
          if (rTag[t] === (va & -4096)) v = i8[va + rOff[t] | 0];
          else { h.pc = pc; h.inflight = n; v = (h.load(va, 1) << 24) >> 24; }
          if (rd !== 0) x[rd] = v;
          break;
        case 11: // lh
          va = (x[(insn >> 15) & 31] + (insn >> 20)) | 0; t = (va >>> 12) & TLB_MASK;
          if (rTag[t] === (va & -4095)) v = i16[(va + rOff[t]) >> 1];
          else { h.pc = pc; h.inflight = n; v = (h.load(va, 2) << 16) >> 16; }
          if (rd !== 0) x[rd] = v;
          break;
        case 12: // lw
          va = (x[(insn >> 15) & 31] + (insn >> 20)) | 0; t = (va >>> 12) & TLB_MASK;
          if (rTag[t] === (va & -4093)) v = i32[(va + rOff[t]) >> 2];
          else { h.pc = pc; h.inflight = n; v = h.load(va, 4); }
          if (rd !== 0) x[rd] = v;
          break;
        case 13: // lbu
          va = (x[(insn >> 15) & 31] + (insn >> 20)) | 0; t = (va >>> 12) & TLB_MASK;
          if (rTag[t] === (va & -4096)) v = u8[va + rOff[t] | 0];
          else { h.pc = pc; h.inflight = n; v = h.load(va, 1); }
          if (rd !== 0) x[rd] = v;
          break;
        case 14: // lhu
          va = (x[(insn >> 15) & 31] + (insn >> 20)) | 0; t = (va >>> 12) & TLB_MASK;
          if (rTag[t] === (va & -4095)) v = u16[(va + rOff[t]) >> 1];
          else { h.pc = pc; h.inflight = n; v = h.load(va, 2); }
          if (rd !== 0) x[rd] = v;
          break;
        case 15: // sb
          va = (x[(insn >> 15) & 31] + (((insn >> 20) & ~31) | ((insn >>> 7) & 31))) | 0; t = (va >>> 12) & TLB_MASK;
          if (wTag[t] === (va & -4096)) u8[va + wOff[t] | 0] = x[(insn >> 20) & 31];
          else { h.pc = pc; h.inflight = n; if (h.store(va, 1, x[(insn >> 20) & 31])) { pc = (pc + 4) | 0; n++; h.jitStop = true; break loop; } }
          break;
        case 16: // sh
          va = (x[(insn >> 15) & 31] + (((insn >> 20) & ~31) | ((insn >>> 7) & 31))) | 0; t = (va >>> 12) & TLB_MASK;
          if (wTag[t] === (va & -4095)) u16[(va + wOff[t]) >> 1] = x[(insn >> 20) & 31];
          else { h.pc = pc; h.inflight = n; if (h.store(va, 2, x[(insn >> 20) & 31])) { pc = (pc + 4) | 0; n++; h.jitStop = true; break loop; } }
          break;
        case 17: // sw
          va = (x[(insn >> 15) & 31] + (((insn >> 20) & ~31) | ((insn >>> 7) & 31))) | 0; t = (va >>> 12) & TLB_MASK;
          if (wTag[t] === (va & -4093)) i32[(va + wOff[t]) >> 2] = x[(insn >> 20) & 31];
          else { h.pc = pc; h.inflight = n; if (h.store(va, 4, x[(insn >> 20) & 31])) { pc = (pc + 4) | 0; n++; h.jitStop = true; break loop; } }
          break;
        case 18: // addi
          if (rd !== 0) x[rd] = (x[(insn >> 15) & 31] + (insn >> 20)) | 0;
          break;
        case 19: // slti
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] < (insn >> 20) ? 1 : 0;
          break;
        case 20: // sltiu
          if (rd !== 0) x[rd] = (x[(insn >> 15) & 31] >>> 0) < ((insn >> 20) >>> 0) ? 1 : 0;
          break;
        case 21: // xori
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] ^ (insn >> 20);
          break;
        case 22: // ori
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] | (insn >> 20);
          break;
        case 23: // andi
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] & (insn >> 20);
          break;
        case 24: // slli
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] << ((insn >> 20) & 31);
          break;
        case 25: // srli
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] >>> ((insn >> 20) & 31);
          break;
        case 26: // srai
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] >> ((insn >> 20) & 31);
          break;
        case 27: // add
          if (rd !== 0) x[rd] = (x[(insn >> 15) & 31] + x[(insn >> 20) & 31]) | 0;
          break;
        case 28: // sub
          if (rd !== 0) x[rd] = (x[(insn >> 15) & 31] - x[(insn >> 20) & 31]) | 0;
          break;
        case 29: // sll
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] << (x[(insn >> 20) & 31] & 31);
          break;
        case 30: // slt
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] < x[(insn >> 20) & 31] ? 1 : 0;
          break;
        case 31: // sltu
          if (rd !== 0) x[rd] = (x[(insn >> 15) & 31] >>> 0) < (x[(insn >> 20) & 31] >>> 0) ? 1 : 0;
          break;
        case 32: // xor
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] ^ x[(insn >> 20) & 31];
          break;
        case 33: // srl
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] >>> (x[(insn >> 20) & 31] & 31);
          break;
        case 34: // sra
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] >> (x[(insn >> 20) & 31] & 31);
          break;
        case 35: // or
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] | x[(insn >> 20) & 31];
          break;
        case 36: // and
          if (rd !== 0) x[rd] = x[(insn >> 15) & 31] & x[(insn >> 20) & 31];
          break;
        case 37: // fence
        case 40: // fence.i: the interpreter always fetches from memory, so there is nothing to drop
          break;
        case 41: case 42: case 43: case 44: case 45: case 46: // csrrw csrrs csrrc csrrwi csrrsi csrrci
          h.pc = pc; h.inflight = n;
          if (execCsr(h, insn)) { pc = (pc + 4) | 0; n++; h.jitStop = true; break loop; }
          break;
        case 47: // mul
          if (rd !== 0) x[rd] = Math.imul(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 48: // mulh
          if (rd !== 0) x[rd] = mulh(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 49: // mulhsu
          if (rd !== 0) x[rd] = mulhsu(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 50: // mulhu
          if (rd !== 0) x[rd] = mulhu(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 51: // div
          if (rd !== 0) x[rd] = div(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 52: // divu
          if (rd !== 0) x[rd] = divu(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 53: // rem
          if (rd !== 0) x[rd] = rem(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 54: // remu
          if (rd !== 0) x[rd] = remu(x[(insn >> 15) & 31], x[(insn >> 20) & 31]);
          break;
        case 56: case 57: case 58: case 59: case 60: case 61: case 62: case 63: case 64: case 65:
          // sc.w amoswap.w amoadd.w amoxor.w amoand.w amoor.w amomin.w amomax.w amominu.w amomaxu.w
          h.pc = pc; h.inflight = n;
          v = h.atomic(insn);
          if (rd !== 0) x[rd] = v;
          break;
        case 255: // ecall ebreak mret sret wfi sfence.vma lr.w: may change mode, translation or sleep
          h.pc = pc; h.inflight = n;
          if (insn === 0x00000073 && h.hostTrap !== undefined && h.priv === 0) {
            // A system call to the resident kernel: no unwinding; the kernel leaves pc where to go
            // on, and sets jitStop if the board must look again (a new timer deadline, a stop).
            h.userEcall(pc);
            pc = h.pc;
            break loop;
          }
          pc = h.execSystem(insn); n++;
          h.jitStop = true;
          break loop;
        default: // illegal
          h.pc = pc; h.inflight = n;
          raiseException(h, CAUSE.ILLEGAL_INSTRUCTION, insn);
      }
      pc = (pc + 4) | 0;
      n++;
    }
  } catch (e) {
    if (e !== TRAP) throw e;
    pc = h.pc;
  }
  h.pc = pc;
  h.retired += n;
  h.inflight = 0;
  return n;
}
