// The board: QEMU `virt`'s memory map for one RV32 hart, its devices, the
// reset ROM and device tree, the deterministic clock, and the run loop that
// interleaves interpreter blocks with interrupts, timers and idle skips.
//
//   0x0000_1000  reset ROM          0x0c00_0000  PLIC
//   0x0010_0000  sifive_test        0x1000_0000  UART0 ns16550a, IRQ 10
//   0x0010_2000  handover (firmware -> resident kernel, docs/boot.md)
//   0x0200_0000  CLINT              0x1000_1000  virtio-mmio slots x8, IRQ 1..8
//                                   0x8000_0000  RAM
//
// Time: mtime = floor(cycles / INSNS_PER_TICK) + offset, where cycles counts
// retired instructions, one per trap taken, and cycles skipped while idle in
// wfi. A block never
// runs past the next mtimecmp, so timer interrupts arrive at exactly the same
// instruction on every run (a 100 MHz, one-instruction-per-cycle machine with
// a 10 MHz timer). With `realtime`, mtime follows the host clock instead.
//
// Entry points: Board (run, reset, input, loadSegment), MEMMAP, StopReason.

import { PhysMem, RAM_BASE, ROM_BASE, DEFAULT_RAM_SIZE } from './memory.ts';
import { Bus } from './bus.ts';
import { Hart } from './cpu/hart.ts';
import { execute } from './cpu/interp.ts';
import { Jit } from './cpu/jit.ts';
import { pendingInterrupt, enterTrap } from './cpu/trap.ts';
import { MIP_MSIP, MIP_MTIP, MIP_MEIP, MIP_SEIP, ACCESS } from './cpu/bits.ts';
import { peekVirt32 } from './inspect.ts';
import { Uart16550, UART_SIZE } from './devices/uart16550.ts';
import { Clint, CLINT_SIZE } from './devices/clint.ts';
import { Plic, PLIC_SIZE, PLIC_NUM_SOURCES } from './devices/plic.ts';
import { SifiveTest, SIFIVE_TEST_SIZE } from './devices/sifive_test.ts';
import { Handover, HANDOVER_SIZE } from './devices/handover.ts';
import { VirtioMmio, VIRTIO_MMIO_SIZE } from './devices/virtio_mmio.ts';
import { VirtioBlk, type BlockBackend } from './devices/virtio_blk.ts';
import type { IrqLine, MachineClock } from './devices/device.ts';
import { buildFdt } from './fdt.ts';
import { encodeInsn } from './isa/encode.ts';

export const MEMMAP = {
  rom: { base: ROM_BASE, size: 0xf000 },
  test: { base: 0x00100000, size: SIFIVE_TEST_SIZE },
  handover: { base: 0x00102000, size: HANDOVER_SIZE },
  clint: { base: 0x02000000, size: CLINT_SIZE },
  plic: { base: 0x0c000000, size: PLIC_SIZE },
  uart: { base: 0x10000000, size: UART_SIZE, irq: 10 },
  virtio: { base: 0x10001000, size: VIRTIO_MMIO_SIZE, count: 8, irq: 1 },
  ram: { base: RAM_BASE },
} as const;

export const INSNS_PER_TICK = 10;
const TIMEBASE_HZ = 10_000_000;

export interface BoardOptions {
  ramSize?: number;
  /** Backing store for virtio-blk in slot 0. */
  disk?: BlockBackend;
  /** UART transmit. */
  output?: (byte: number) => void;
  /** mtime follows the host's clock instead of retired instructions. */
  realtime?: boolean;
  /** Translate hot code to JavaScript (default); false runs the interpreter only. */
  jit?: boolean;
  /** The translator's Jit.hotAfter (default HOT_AFTER, or TESSERA_JIT_HOT); 0 translates a page at its first entry. */
  jitHotAfter?: number;
  /** Boot firmware's handover to a resident kernel (docs/boot.md): the boot-info block's address. */
  onHandover?: (bootInfo: number) => void;
}

/** Why run() returned. */
export type StopReason =
  | { kind: 'pass' | 'fail'; code: number; tohost?: boolean } // sifive_test, or riscv-tests' tohost
  | { kind: 'limit' }                          // the instruction budget ran out
  | { kind: 'idle' }                           // wfi with no timer armed: waiting for input
  | { kind: 'break' }                          // stop() was called (debugger, Ctrl-C)
  | { kind: 'debug' };                         // a debugger hook fired (hart.debugBreak)

const line = (f: (level: boolean) => void): IrqLine => ({ set: f });

export class Board {
  readonly mem: PhysMem;
  readonly bus = new Bus();
  readonly hart: Hart;
  /** The translator, unless the board runs the interpreter only. */
  readonly jit: Jit | undefined;
  readonly uart: Uart16550;
  readonly clint: Clint;
  readonly plic: Plic;
  readonly test: SifiveTest;
  readonly virtio: VirtioMmio[] = [];
  readonly fdt: Uint8Array;
  readonly fdtAddr: number;
  /** Address the reset ROM jumps to (QEMU -bios none: the start of RAM). */
  entry = RAM_BASE;
  /** Set when the guest finishes (sifive_test, tohost); run() returns it. */
  finished: StopReason | undefined;
  /** A pending reset request from sifive_test 0x7777. */
  private resetRequested = false;
  private stopRequested = false;
  private mtimeOffset = 0;
  private readonly realtime: boolean;
  private readonly t0 = performance.now();
  /**
   * Called after each retired instruction with its pc, word and the privilege
   * it ran at (`--trace`). When set, run() steps one instruction at a time.
   */
  traceHook: ((pc: number, insn: number, priv: number) => void) | undefined;
  /** Host input not yet accepted by the UART's FIFO. */
  private pendingInput: number[] = [];

  constructor(opts: BoardOptions = {}) {
    this.mem = new PhysMem(opts.ramSize ?? DEFAULT_RAM_SIZE);
    this.realtime = opts.realtime ?? false;
    const h = (this.hart = new Hart(this.mem, this.bus));
    this.jit = opts.jit === false ? undefined : new Jit(h);
    if (this.jit !== undefined && opts.jitHotAfter !== undefined) this.jit.hotAfter = opts.jitHotAfter;
    const clock: MachineClock = {
      mtime: () => this.mtime(),
      setMtime: (t) => { this.mtimeOffset = t - this.baseTicks(); },
      wakeAt: () => {},
    };
    h.readTime = clock.mtime;
    this.clint = new Clint(clock, line((l) => h.setIrq(MIP_MSIP, l)), line((l) => h.setIrq(MIP_MTIP, l)));
    this.plic = new Plic(line((l) => h.setIrq(MIP_MEIP, l)), line((l) => h.setIrq(MIP_SEIP, l)));
    this.uart = new Uart16550(this.plic.source(MEMMAP.uart.irq), opts.output ?? (() => {}));
    this.test = new SifiveTest((kind, code) => this.finish(kind, code));
    const m = MEMMAP;
    this.bus.register(m.test.base, m.test.size, this.test);
    this.bus.register(m.handover.base, m.handover.size, new Handover((pa) => opts.onHandover?.(pa)));
    this.bus.register(m.clint.base, m.clint.size, this.clint);
    this.bus.register(m.plic.base, m.plic.size, this.plic);
    this.bus.register(m.uart.base, m.uart.size, this.uart);
    for (let i = 0; i < m.virtio.count; i++) {
      const dev = i === 0 && opts.disk ? new VirtioBlk(opts.disk) : undefined;
      const v = new VirtioMmio(this.mem, this.plic.source(m.virtio.irq + i), dev, `virtio${i}`);
      this.virtio.push(v);
      this.bus.register(m.virtio.base + i * m.virtio.size, m.virtio.size, v);
    }
    this.fdt = this.buildDeviceTree();
    // Where QEMU puts it: the top of RAM (below 3 GiB), aligned down to 2 MiB.
    this.fdtAddr = Math.floor((this.mem.ramEnd - this.fdt.length) / 0x200000) * 0x200000;
    this.reset();
  }

  private buildDeviceTree(): Uint8Array {
    const m = MEMMAP;
    return buildFdt({
      memory: { base: RAM_BASE, size: this.mem.ramSize },
      cpu: { timebaseFrequency: TIMEBASE_HZ },
      clint: m.clint,
      plic: { ...m.plic, ndev: PLIC_NUM_SOURCES },
      uart: { ...m.uart, clockFrequency: 0x384000 },
      virtio: Array.from({ length: m.virtio.count }, (_, i) => ({
        base: m.virtio.base + i * m.virtio.size, size: m.virtio.size, irq: m.virtio.irq + i,
      })),
      test: m.test,
    });
  }

  /** Power-on state: devices reset, ROM and FDT written, hart at the reset vector. */
  reset(): void {
    for (const { device } of this.bus.mappings()) device.reset();
    this.mtimeOffset = 0;
    this.hart.reset(ROM_BASE);
    this.jit?.reset();
    this.mem.load(ROM_BASE, this.resetRom());
    this.mem.load(this.fdtAddr, this.fdt);
    this.finished = undefined;
    this.resetRequested = false;
  }

  /**
   * The reset vector, laid out as QEMU's: a0 = mhartid, a1 = FDT address,
   * a2 = fw_dynamic_info, then jump to `entry` in M-mode.
   */
  private resetRom(): Uint8Array {
    const E = encodeInsn;
    const t0 = 5, a0 = 10, a1 = 11, a2 = 12;
    const words = [
      E('auipc', { rd: t0, imm: 0 }),
      E('addi', { rd: a2, rs1: t0, imm: 0x28 }),
      E('csrrs', { rd: a0, csr: 0xf14, rs1: 0 }),
      E('lw', { rd: a1, rs1: t0, imm: 0x20 }),
      E('lw', { rd: t0, rs1: t0, imm: 0x18 }),
      E('jalr', { rd: 0, rs1: t0, imm: 0 }),
      this.entry, 0, // 0x18: start address (64-bit)
      this.fdtAddr, 0, // 0x20: FDT address (64-bit)
      // 0x28: fw_dynamic_info { magic "OSBI", version 2, next_addr, next_mode S, options, boot_hart }
      0x4942534f, 2, this.entry, 1, 0, 0,
    ];
    return new Uint8Array(new Int32Array(words).buffer);
  }

  /** Copy a program segment into guest physical memory; false if it does not fit in RAM. */
  loadSegment(pa: number, data: Uint8Array, memsz = data.length): boolean {
    if (pa < RAM_BASE || pa + memsz > this.mem.ramEnd || memsz < data.length) return false;
    this.mem.load(pa, data);
    const off = this.mem.hostOffset(pa, memsz, false);
    this.mem.u8.fill(0, off + data.length, off + memsz);
    return true;
  }

  private baseTicks(): number {
    if (this.realtime) return Math.floor((performance.now() - this.t0) * (TIMEBASE_HZ / 1000));
    const h = this.hart;
    return Math.floor((h.retired + h.inflight + h.stallCycles) / INSNS_PER_TICK);
  }

  mtime(): number {
    return this.baseTicks() + this.mtimeOffset;
  }

  /** Cycles until mtime reaches mtimecmp (Infinity if not armed or already reached). */
  private cyclesToDeadline(): number {
    if (this.realtime) return Infinity;
    const dl = this.clint.nextDeadline();
    if (dl === Infinity) return Infinity;
    const h = this.hart;
    const left = (dl - this.mtimeOffset) * INSNS_PER_TICK - (h.retired + h.stallCycles);
    return left > 0 ? left : Infinity;
  }

  private finish(kind: 'pass' | 'fail' | 'reset', code: number): void {
    if (kind === 'reset') this.resetRequested = true;
    else this.finished = { kind, code };
  }

  /** Queue host input for the UART receiver (fed as its FIFO drains). */
  input(bytes: Uint8Array | number[]): void {
    for (const b of bytes) this.pendingInput.push(b & 0xff);
    this.feedUart();
  }

  private feedUart(): void {
    if (this.pendingInput.length === 0) return;
    const n = this.uart.receive(this.pendingInput.slice(0, this.uart.rxFree()));
    if (n > 0) this.pendingInput.splice(0, n);
  }

  hasPendingInput(): boolean {
    return this.pendingInput.length > 0;
  }

  /** With `realtime`, host milliseconds until mtime reaches mtimecmp (Infinity if not armed). */
  msToDeadline(): number {
    if (!this.realtime) return Infinity;
    const dl = this.clint.nextDeadline();
    return dl === Infinity ? Infinity : Math.max(0, (dl - this.mtime()) / (TIMEBASE_HZ / 1000));
  }

  /**
   * Take a pending, enabled interrupt now, as run() would before the next
   * instruction (the debugger's single steps). True if one was taken.
   */
  takeInterrupt(): boolean {
    this.feedUart();
    this.clint.update();
    const irq = pendingInterrupt(this.hart);
    if (irq < 0) return false;
    this.hart.wfi = false;
    enterTrap(this.hart, irq, 0, this.hart.pc, true);
    return true;
  }

  /** Ask a running run() to return { kind: 'break' } at the next block boundary. */
  stop(): void {
    this.stopRequested = true;
  }

  private traceStep(): number {
    const h = this.hart;
    const pc = h.pc, priv = h.priv;
    const insn = peekVirt32(h, pc, ACCESS.FETCH) ?? 0;
    const n = execute(h, 1);
    if (n === 1) this.traceHook?.(pc, insn, priv);
    return n;
  }

  /** Run until the guest finishes, `maxInsns` instructions retire, it idles, or stop(). */
  /**
   * With `exactLimit` false, `maxInsns` is only a hint of how long to run
   * (a front end's slice between event-loop turns): the last block may run
   * past it, so the run ends on a block boundary and stays fast. Timer
   * deadlines are always exact.
   */
  run(maxInsns = Infinity, slice = 1_000_000, exactLimit = true): StopReason {
    const h = this.hart;
    let done = 0;
    this.stopRequested = false;
    for (;;) {
      if (this.resetRequested) this.reset();
      if (this.finished) return this.finished;
      if (this.stopRequested) return { kind: 'break' };
      if (h.debugBreak) return { kind: 'debug' };
      const left = maxInsns - done;
      if (left <= 0) return { kind: 'limit' };
      this.feedUart();
      this.clint.update();
      if (h.wfi) {
        if (h.interruptWaiting()) h.wfi = false;
        else {
          const skip = this.cyclesToDeadline();
          if (skip === Infinity) return { kind: 'idle' };
          h.stallCycles += skip;
          continue;
        }
      }
      const irq = pendingInterrupt(h);
      if (irq >= 0) {
        enterTrap(h, irq, 0, h.pc, true);
        if (h.debugBreak) continue; // caught by the debugger: stop at the handler
      }
      const deadline = this.cyclesToDeadline();
      const budget = Math.min(left, slice, deadline);
      const exact = deadline <= Math.min(left, slice) || (exactLimit && left <= slice);
      // One instruction (a debugger's step) is cheaper interpreted than by entering a translated page.
      const n = this.traceHook ? this.traceStep() : this.jit && budget > 1 ? this.jit.run(budget, exact) : execute(h, budget);
      done += n || 1; // so a guest stuck in a trap loop still meets its budget
    }
  }
}
