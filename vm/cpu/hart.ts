// The RV32IMA hart: architectural state (registers in the shared
// WebAssembly.Memory, pc, privilege, CSRs, counters, LR/SC reservation) and
// the slow paths the interpreter falls back to: loads and stores that miss
// the TLB or touch devices, misaligned accesses, atomics, and the SYSTEM
// instructions (ecall, ebreak, xRET, wfi, sfence.vma).
//
// Misaligned loads and stores are performed, as on QEMU 7.2 (byte by byte,
// each byte translated, so a page-crossing access can fault on its second
// page with xtval = that byte's address). Misaligned LR raises cause 4,
// misaligned SC and AMOs cause 6.
//
// Entry points: Hart (execute is in interp.ts), HartBus.

import { PhysMem, REG_OFF, PC_OFF } from '../memory.ts';
import { Mmu } from '../mmu/mmu.ts';
import type { Bus } from '../bus.ts';
import {
  PRV, MSTATUS as MS, MSTATUS_WRITABLE, CAUSE, ACCESS, MIP_SEIP,
} from './bits.ts';
import { raiseException, enterTrap, doMret, doSret, TRAP } from './trap.ts';
import { INSNS } from '../isa/table.ts';
import { lookupInsn, rs1Of, rs2Of } from '../isa/decode.ts';

/** The SYSTEM-group words that need no decoding beyond equality. */
const SYSTEM_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00000073, 'ecall'], [0x00100073, 'ebreak'], [0x10200073, 'sret'], [0x30200073, 'mret'], [0x10500073, 'wfi'],
]);

function nameOf(insn: number): string {
  const idx = lookupInsn(insn);
  return idx < 0 ? '' : INSNS[idx].name;
}

export class Hart {
  readonly mem: PhysMem;
  readonly bus: Bus;
  readonly mmu: Mmu;
  /** x0..x31, a view into the shared WebAssembly.Memory. */
  readonly x: Int32Array;
  pc = 0;
  priv: number = PRV.M;

  // CSR state
  mstatus = 0;
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  /** Software-written mip bits (SSIP, STIP, SEIP). */
  mipSw = 0;
  /** Bits driven by devices (MSIP, MTIP, MEIP, and the PLIC's SEIP line). */
  mipHw = 0;
  mtvec = 0;
  stvec = 0;
  mscratch = 0;
  sscratch = 0;
  mepc = 0;
  sepc = 0;
  mcause = 0;
  scause = 0;
  mtval = 0;
  stval = 0;
  mcounteren = 0;
  scounteren = 0;
  menvcfg = 0;
  senvcfg = 0;
  satp = 0;
  mcountinhibit = 0;
  readonly pmpcfg = new Int32Array(4);
  readonly pmpaddr = new Int32Array(16);

  reservationValid = false;
  reservationAddr = 0;

  /** Instructions retired before the current interpreter block, and inside it so far. */
  retired = 0;
  inflight = 0;
  /** Traps taken so far (exceptions and interrupts). */
  traps = 0;
  /** Cycles that retired no instruction: one per trap taken, and those skipped idle in wfi. */
  stallCycles = 0;
  private instretOffset = 0;
  private cycleOffset = 0;
  private instretFrozen = 0;
  private cycleFrozen = 0;

  /** Translator signals: the block must end (device or code write), or it reached an offset with no block. */
  jitStop = false;
  jitMiss = false;
  /**
   * Set by jitLoad/jitStore: the access would trap or reach a device, so the
   * translated code stopped before it and the interpreter runs it (with the
   * registers written back, as a trap needs them).
   */
  jitRedo = false;
  /** Set by wfi: the hart sleeps until an enabled interrupt is pending. */
  wfi = false;
  /** mtime as the CLINT sees it; set by the board. */
  readTime: () => number = () => 0;
  /**
   * Physical pages (pa >>> 12) whose stores must reach storeHook (tohost,
   * physical watchpoints). The store TLB never maps them, so the fast path
   * costs nothing when the set is empty.
   */
  readonly hookedPages = new Set<number>();
  /** Called after a store to a hooked page; returning true ends the block. */
  storeHook: ((pa: number, size: number, value: number) => boolean) | undefined;
  /**
   * A resident host kernel: when set, every trap taken in U-mode calls it
   * instead of entering a guest handler. It must set pc (the next user
   * instruction) and may change registers, privilege, satp or stop the board.
   */
  hostTrap: ((cause: number, tval: number, epc: number, interrupt: boolean) => void) | undefined;
  // --- Debugger hooks (vm/debug/). Each costs nothing while unset. ---
  /** Virtual page numbers holding a breakpoint: execution entering one stops with debugBreak. */
  bpPages: Set<number> | undefined;
  /** Set by a hook (breakpoint page, watchpoint, catch): the board stops after this instruction. */
  debugBreak = false;
  /**
   * Called before every load and store that took the slow path, with the
   * virtual and physical address, size, direction and (for stores) value.
   * Returning true stops the hart precisely before the access: nothing is
   * read or written, pc stays on the instruction, no trap is taken. While it
   * is set, the MMU keeps watched pages (watchPage) out of the TLB so their
   * accesses come this way.
   */
  watchHook: ((va: number, pa: number, size: number, write: boolean, value: number) => boolean) | undefined;
  /** Is this access to be watched? Decides which pages stay out of the TLB. */
  watchPage: ((vpage: number, ppage: number, write: boolean) => boolean) | undefined;
  /** Debug hook: called on every trap (cause with interrupt bit, tval, epc). */
  onTrap: ((cause: number, tval: number, epc: number) => void) | undefined;

  constructor(mem: PhysMem, bus: Bus) {
    this.mem = mem;
    this.bus = bus;
    this.x = new Int32Array(mem.memory.buffer, REG_OFF, 32);
    this.mmu = new Mmu(this, mem);
  }

  reset(pc: number): void {
    this.x.fill(0);
    this.pc = pc;
    this.priv = PRV.M;
    this.mstatus = this.medeleg = this.mideleg = this.mie = this.mipSw = 0;
    this.mtvec = this.stvec = this.mscratch = this.sscratch = this.mepc = this.sepc = 0;
    this.mcause = this.scause = this.mtval = this.stval = this.satp = 0;
    this.mcounteren = this.scounteren = this.menvcfg = this.senvcfg = this.mcountinhibit = 0;
    this.pmpcfg.fill(0);
    this.pmpaddr.fill(0);
    this.reservationValid = false;
    this.retired = this.inflight = this.stallCycles = 0;
    this.instretOffset = this.cycleOffset = 0;
    this.wfi = false;
    this.mmu.flushAll();
  }

  /** Mirror pc into the shared memory (for the kernel's wasm paths and snapshots). */
  syncPc(): void {
    this.mem.i32[PC_OFF >> 2] = this.pc;
  }

  setPriv(p: number): void {
    if (p !== this.priv) {
      this.priv = p;
      this.mmu.flush();
    }
  }

  mip(): number {
    return this.mipSw | this.mipHw;
  }

  /** Drive a device interrupt bit of mip (MSIP, MTIP, MEIP, or SEIP from the PLIC). */
  setIrq(bit: number, level: boolean): void {
    this.mipHw = level ? this.mipHw | bit : this.mipHw & ~bit;
  }

  /** True if some interrupt is pending and enabled in mie, whatever the global enables (wfi wake-up). */
  interruptWaiting(): boolean {
    return (this.mip() & this.mie) !== 0;
  }

  writeMstatus(v: number): boolean {
    let nv = (this.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
    if (((nv & MS.MPP) >>> MS.MPP_SHIFT) === 2) nv = (nv & ~MS.MPP) | (this.mstatus & MS.MPP);
    this.mstatus = nv;
    this.mmu.flush();
    return true;
  }

  // Counters: 64-bit values kept as doubles (exact below 2^53).
  instretCount(): number {
    if (this.mcountinhibit & 4) return this.instretFrozen;
    return this.retired + this.inflight - this.instretOffset;
  }
  cycleCount(): number {
    if (this.mcountinhibit & 1) return this.cycleFrozen;
    return this.retired + this.inflight + this.stallCycles - this.cycleOffset;
  }
  /**
   * A CSR write to minstret replaces the increment of the writing
   * instruction (`retiring` 1); a debugger's write is no instruction (0).
   */
  setInstretCount(v: number, retiring = 1): void {
    if (this.mcountinhibit & 4) this.instretFrozen = v;
    else this.instretOffset = this.retired + this.inflight + retiring - v;
  }
  setCycleCount(v: number, retiring = 1): void {
    if (this.mcountinhibit & 1) this.cycleFrozen = v;
    else this.cycleOffset = this.retired + this.inflight + this.stallCycles + retiring - v;
  }
  setCountInhibit(v: number): void {
    const ir = this.instretCount(), cy = this.cycleCount();
    this.mcountinhibit = 0;
    this.instretFrozen = ir;
    this.cycleFrozen = cy;
    this.setInstretCount(ir);
    this.setCycleCount(cy);
    this.mcountinhibit = v;
  }

  // --- Slow paths of loads and stores (TLB miss, device, misaligned) ---

  /** Load `size` bytes at virtual `va`; zero-extended result. Faults raise. */
  load(va: number, size: 1 | 2 | 4): number {
    if ((va & (size - 1)) !== 0) return this.loadMisaligned(va, size);
    const pa = this.mmu.translate(va, ACCESS.LOAD);
    const off = this.mem.hostOffset(pa, size, true);
    if (this.watchHook !== undefined) this.watchBefore(va, pa, size, false, 0);
    if (off >= 0) {
      this.mmu.fill(ACCESS.LOAD, va, pa);
      return size === 4 ? this.mem.i32[off >> 2] : size === 2 ? this.mem.u16[off >> 1] : this.mem.u8[off];
    }
    const v = this.bus.read(pa, size);
    if (v === undefined) raiseException(this, CAUSE.LOAD_ACCESS, va);
    return v | 0;
  }

  /**
   * A translated load's slow path (a TLB miss): load() when it is an aligned
   * RAM or ROM access that cannot trap, else nothing but jitRedo (the
   * interpreter will run the instruction). Translated code keeps guest
   * registers in JS locals and need not write them back for this call.
   */
  jitLoad(va: number, size: 1 | 2 | 4): number {
    if (this.jitPlain(va, size, ACCESS.LOAD)) return this.load(va, size);
    this.jitRedo = true;
    return 0;
  }

  /** jitLoad's twin for stores: 0 done, 1 done and the page function must stop (jitStop), 2 jitRedo. */
  jitStore(va: number, size: 1 | 2 | 4, value: number): number {
    if (this.jitPlain(va, size, ACCESS.STORE)) return this.store(va, size, value) ? 1 : 0;
    this.jitRedo = true;
    return 2;
  }

  /** Is this an aligned, unwatched access to RAM (or ROM, for loads) that cannot trap? */
  private jitPlain(va: number, size: number, access: number): boolean {
    if ((va & (size - 1)) !== 0 || this.watchHook !== undefined) return false;
    const pa = this.mmu.probe(va, access);
    return pa >= 0 && this.mem.hostOffset(pa, size, access === ACCESS.LOAD) >= 0;
  }

  /** Byte by byte from the lowest address, so a fault names the first byte that faults. */
  /** A watched access: stop before it (unwind like a trap, but enter none). */
  private watchBefore(va: number, pa: number, size: number, write: boolean, value: number): void {
    if (this.watchHook!(va, pa, size, write, value)) {
      this.debugBreak = true;
      throw TRAP;
    }
  }

  private loadMisaligned(va: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.load((va + i) | 0, 1) << (8 * i);
    return size === 4 ? v : v & 0xffff;
  }

  /** Store; returns true if a device was written (the block must end to see its effects). */
  store(va: number, size: 1 | 2 | 4, value: number): boolean {
    if ((va & (size - 1)) !== 0) return this.storeMisaligned(va, size, value);
    const pa = this.mmu.translate(va, ACCESS.STORE);
    const off = this.mem.hostOffset(pa, size, false);
    if (this.watchHook !== undefined) this.watchBefore(va, pa, size, true, value);
    if (off >= 0) {
      this.mmu.fill(ACCESS.STORE, va, pa);
      if (size === 4) this.mem.i32[off >> 2] = value;
      else if (size === 2) this.mem.u16[off >> 1] = value;
      else this.mem.u8[off] = value;
      if (this.mem.codePages[off >>> 12] !== 0 && this.mem.noteWrite(off, size)) return true;
      if (this.hookedPages.size !== 0 && this.hookedPages.has(Math.floor(pa / 4096)) && this.storeHook) {
        return this.storeHook(pa, size, value);
      }
      return false;
    }
    if (this.mem.isRom(pa)) return false; // writes to ROM are ignored, as on QEMU
    if (!this.bus.write(pa, size, value)) raiseException(this, CAUSE.STORE_ACCESS, va);
    return true;
  }

  private storeMisaligned(va: number, size: number, value: number): boolean {
    // Translate every byte first so a fault leaves memory unchanged.
    for (let i = 0; i < size; i++) this.mmu.translate((va + i) | 0, ACCESS.STORE);
    let dev = false;
    for (let i = 0; i < size; i++) dev = this.store((va + i) | 0, 1, value >>> (8 * i)) || dev;
    return dev;
  }

  /** Host offset of an aligned word for an atomic access, or a raised fault. */
  private atomicOffset(va: number, access: number, misalignedCause: number): number {
    if ((va & 3) !== 0) raiseException(this, misalignedCause, va);
    const pa = this.mmu.translate(va, access);
    const off = this.mem.hostOffset(pa, 4, false);
    if (this.watchHook !== undefined) this.watchBefore(va, pa, 4, access === ACCESS.STORE, 0);
    if (off < 0) raiseException(this, access === ACCESS.LOAD ? CAUSE.LOAD_ACCESS : CAUSE.STORE_ACCESS, va);
    return off;
  }

  /** An AMO (funct5 `f5`) or sc.w at hart.pc; returns the value for rd. */
  atomic(insn: number): number {
    const f5 = insn >>> 27;
    const va = this.x[rs1Of(insn)];
    const src = this.x[rs2Of(insn)];
    if (f5 === 0x03) { // sc.w
      const off = this.atomicOffset(va, ACCESS.STORE, CAUSE.MISALIGNED_STORE);
      const ok = this.reservationValid && this.reservationAddr === va;
      this.reservationValid = false;
      if (!ok) return 1;
      this.mem.i32[off >> 2] = src;
      this.mem.noteWrite(off, 4);
      return 0;
    }
    const off = this.atomicOffset(va, ACCESS.STORE, CAUSE.MISALIGNED_STORE);
    const m = this.mem.i32;
    const old = m[off >> 2];
    let nv: number;
    switch (f5) {
      case 0x01: nv = src; break;
      case 0x00: nv = (old + src) | 0; break;
      case 0x04: nv = old ^ src; break;
      case 0x0c: nv = old & src; break;
      case 0x08: nv = old | src; break;
      case 0x10: nv = old < src ? old : src; break;
      case 0x14: nv = old > src ? old : src; break;
      case 0x18: nv = (old >>> 0) < (src >>> 0) ? old : src; break;
      default: nv = (old >>> 0) > (src >>> 0) ? old : src; break; // 0x1c amomaxu
    }
    m[off >> 2] = nv;
    this.mem.noteWrite(off, 4);
    return old;
  }

  /** lr.w at hart.pc; returns the loaded value. */
  loadReserved(insn: number): number {
    const va = this.x[rs1Of(insn)];
    const off = this.atomicOffset(va, ACCESS.LOAD, CAUSE.MISALIGNED_LOAD);
    this.reservationValid = true;
    this.reservationAddr = va;
    return this.mem.i32[off >> 2];
  }

  /**
   * The SYSTEM funct3=0 group and lr.w (the entries the decode table cannot
   * tell apart by its key). Executes the instruction at hart.pc and returns
   * the next pc; exceptions raise.
   */
  execSystem(insn: number): number {
    const name = SYSTEM_NAMES.get(insn) ?? nameOf(insn);
    const pc = this.pc;
    const ms = this.mstatus;
    switch (name) {
      case 'ecall': return raiseException(this, CAUSE.USER_ECALL + this.priv, 0);
      case 'ebreak': return raiseException(this, CAUSE.BREAKPOINT, 0); // xtval 0, as QEMU 7.2 (the spec allows 0 or pc)
      case 'mret': return this.priv === PRV.M ? doMret(this) : this.illegal(insn);
      case 'sret':
        if (this.priv === PRV.U || (this.priv === PRV.S && (ms & MS.TSR) !== 0)) this.illegal(insn);
        return doSret(this);
      case 'wfi':
        if (this.priv === PRV.U || (this.priv === PRV.S && (ms & MS.TW) !== 0)) this.illegal(insn);
        this.wfi = !this.interruptWaiting();
        return (pc + 4) | 0;
      case 'sfence.vma':
        if (this.priv === PRV.U || (this.priv === PRV.S && (ms & MS.TVM) !== 0)) this.illegal(insn);
        if (rs1Of(insn) === 0) this.mmu.flush();
        else this.mmu.flushPage(this.x[rs1Of(insn)]);
        return (pc + 4) | 0;
      case 'lr.w': {
        const v = this.loadReserved(insn);
        const rd = (insn >>> 7) & 31;
        if (rd !== 0) this.x[rd] = v;
        return (pc + 4) | 0;
      }
      default: return this.illegal(insn);
    }
  }

  private illegal(insn: number): never {
    return raiseException(this, CAUSE.ILLEGAL_INSTRUCTION, insn);
  }

  /**
   * ecall from U-mode with a resident kernel (hostTrap): the same trap as
   * raiseException would take, without unwinding; the kernel sets pc.
   */
  userEcall(pc: number): void {
    enterTrap(this, CAUSE.USER_ECALL, 0, pc, false);
  }

  /** Route for PLIC S-context output into mip.SEIP (hardware part). */
  setSeip(level: boolean): void {
    this.setIrq(MIP_SEIP, level);
  }
}
