// The kernel's side of the boot path (docs/boot.md): the boot-info block the
// firmware leaves in guest RAM, turned into the kernel's boot list, and the
// moment the resident kernel takes the hart from the firmware.
//
// The handover: the firmware stores the block's address to the handover
// register (vm/devices/handover.ts), then drops to U-mode and executes
// `ecall` (firmware/firmware.s). The store only records the address and
// arms a one-shot hostTrap; the kernel boots at that ecall, a trap from
// U-mode like every other entry into it, so the firmware's M-mode state (a
// store half done, its registers, its pc) never leaks into the kernel: by
// then the hart is in U-mode with nothing in flight, and Kernel.boot sets
// the rest (hostTrap, mie, the PLIC, pc, satp and the timer at its first
// dispatch). This works under any run loop (the console, the debugger, the
// gdb stub), with no loop needing to know about the handover.
//
// The block is checked before anything is believed: magic, version, count,
// and every entry (a printable name, unique; flags and priority in range;
// a size > 0; the module inside RAM). Every module's ELF is copied out of
// RAM before the kernel's frame allocator (all of RAM) hands any page out.
// A bad block or a module the kernel cannot load gives one console line
// ("kernel: boot: ...") and powers off with BOOT_FAILED_EXIT.
//
// Once the kernel runs, ResidentBoot.onIdle is called each time the kernel
// leaves the hart waiting with no process runnable (the system waits for
// input, a timer or a device): `tessera boot` feeds piped input a line at a
// time at those moments, as a person types at a prompt.
//
// Entry points: ResidentBoot (onIdle), bootFromInfo, readBootInfo, bootImages,
// BootInfoError, BOOT_INFO, BOOT_FAILED_EXIT, BootModule.

import { Board, type BoardOptions } from '../vm/board.ts';
import { RAM_BASE } from '../vm/memory.ts';
import { Kernel, type BootImage, type KernelOptions } from './kernel.ts';
import { ImageError } from './loader.ts';
import { privilegesFor } from './privileges.ts';
import type { Proc } from './proc.ts';

/** The boot-info block (docs/boot.md). */
export const BOOT_INFO = {
  magic: 0x544f4f42, // "BOOT"
  version: 1,
  headerSize: 12,
  entrySize: 48,
  maxModules: 32,
  nameBytes: 32,
  /** Flags word: bit 0 process manager, bit 1 system service. */
  flags: { pm: 1, system: 2 },
  maxPriority: 15,
} as const;

/** Exit code when the kernel cannot start the modules (next to the firmware's own, 10..41: docs/boot.md). */
export const BOOT_FAILED_EXIT = 42;

export class BootInfoError extends Error {}

export interface BootModule {
  name: string;
  /** Guest physical address of the ELF, and its size in bytes. */
  pa: number;
  size: number;
  flags: number;
  priority: number;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** Parse and check the boot-info block at guest physical `pa`. Throws BootInfoError. */
export function readBootInfo(board: Board, pa: number): BootModule[] {
  const mem = board.mem;
  const B = BOOT_INFO;
  const inRam = (a: number, len: number): boolean => a >= RAM_BASE && len <= mem.ramEnd - a;
  const addr = pa >>> 0;
  if (addr % 4 !== 0 || !inRam(addr, B.headerSize)) throw new BootInfoError(`boot-info block at ${hex(addr)} is not in RAM`);
  const word = (a: number): number => {
    const o = mem.hostOffset(a, 4, false);
    return mem.u8[o] | (mem.u8[o + 1] << 8) | (mem.u8[o + 2] << 16) | (mem.u8[o + 3] << 24);
  };
  if ((word(addr) >>> 0) !== B.magic) throw new BootInfoError(`bad boot-info magic ${hex(word(addr))} at ${hex(addr)}`);
  if (word(addr + 4) !== B.version) throw new BootInfoError(`unsupported boot-info version ${word(addr + 4) >>> 0}`);
  const n = word(addr + 8) >>> 0;
  if (n < 1 || n > B.maxModules) throw new BootInfoError(`bad boot-info module count ${n} (1..${B.maxModules})`);
  if (!inRam(addr, B.headerSize + n * B.entrySize)) throw new BootInfoError(`boot-info block at ${hex(addr)} runs past the end of RAM`);
  const modules: BootModule[] = [];
  for (let i = 0; i < n; i++) {
    const e = addr + B.headerSize + i * B.entrySize;
    const name = readName(board, e);
    if (name === undefined) throw new BootInfoError(`boot-info entry ${i}: bad name`);
    if (modules.some((m) => m.name === name)) throw new BootInfoError(`boot-info: two modules named ${name}`);
    const m: BootModule = { name, pa: word(e + 32) >>> 0, size: word(e + 36) >>> 0, flags: word(e + 40) >>> 0, priority: word(e + 44) >>> 0 };
    if ((m.flags & ~(B.flags.pm | B.flags.system)) !== 0) throw new BootInfoError(`module ${name}: bad flags ${hex(m.flags)}`);
    if (m.priority > B.maxPriority) throw new BootInfoError(`module ${name}: bad priority ${m.priority} (0..${B.maxPriority})`);
    if (m.size === 0 || !inRam(m.pa, m.size)) throw new BootInfoError(`module ${name}: ${m.size} bytes at ${hex(m.pa)} are not all in RAM`);
    modules.push(m);
  }
  const pms = modules.filter((m) => m.flags & B.flags.pm);
  if (pms.length > 1) throw new BootInfoError(`boot-info: more than one process manager (${pms.map((m) => m.name).join(', ')})`);
  return modules;
}

/** 1..31 printable characters, then NULs to the end of the 32 bytes; else undefined. */
function readName(board: Board, pa: number): string | undefined {
  const off = board.mem.hostOffset(pa, BOOT_INFO.nameBytes, false);
  const bytes = board.mem.u8.subarray(off, off + BOOT_INFO.nameBytes);
  const end = bytes.indexOf(0);
  if (end < 1) return undefined;
  if (bytes.subarray(0, end).some((b) => b < 0x21 || b > 0x7e)) return undefined;
  if (bytes.subarray(end).some((b) => b !== 0)) return undefined;
  return String.fromCharCode(...bytes.subarray(0, end));
}

/** The kernel's boot list: each module's ELF copied out of RAM, its privileges from kernel/privileges.ts. */
export function bootImages(board: Board, modules: readonly BootModule[]): BootImage[] {
  const names = modules.map((m) => m.name);
  return modules.map((m) => {
    const off = board.mem.hostOffset(m.pa, m.size, false);
    return {
      name: m.name,
      elf: board.mem.u8.slice(off, off + m.size),
      priority: m.priority,
      pm: (m.flags & BOOT_INFO.flags.pm) !== 0,
      system: (m.flags & BOOT_INFO.flags.system) !== 0,
      ...privilegesFor(m.name, names),
    };
  });
}

/**
 * Boot `kernel` with the modules the block at `pa` describes. Throws
 * BootInfoError (a bad block) or ImageError (a module the kernel cannot
 * load) before the hart is touched.
 */
export function bootFromInfo(kernel: Kernel, board: Board, pa: number): Proc[] {
  const images = bootImages(board, readBootInfo(board, pa));
  return kernel.boot(images);
}

/**
 * A board whose firmware hands over to a resident kernel. `board` is built
 * with the handover hook; `kernel` exists from the start (so an engine that
 * cannot be built fails before the machine runs) and takes the hart at the
 * firmware's first trap from U-mode after the handover. The firmware and
 * its disk are the caller's to load and attach.
 */
export class ResidentBoot {
  readonly board: Board;
  /** Undefined when RAM ends at the FDT's page: too little to boot anything (the firmware says so first). */
  readonly kernel: Kernel | undefined;
  /** The boot-info block's address, once the firmware has handed over. */
  bootInfo: number | undefined;
  /** The processes started, once the kernel has taken over. */
  started: Proc[] | undefined;
  /** Why the kernel could not start the modules (also on the console). */
  error: string | undefined;
  /** Called after a trap that leaves the hart waiting with no process runnable (set it any time). */
  onIdle: (() => void) | undefined;

  constructor(opts: BoardOptions = {}, kernelOpts: KernelOptions = {}) {
    this.board = new Board({ ...opts, onHandover: (pa) => this.handover(pa) });
    this.kernel = this.board.fdtAddr > RAM_BASE ? new Kernel(this.board, kernelOpts) : undefined;
  }

  /** The handover register's store: remember the block; boot at the next trap from U-mode. */
  private handover(pa: number): void {
    if (this.bootInfo !== undefined) return; // the firmware hands over once; the kernel owns the hart after
    this.bootInfo = pa >>> 0;
    this.board.hart.hostTrap = () => this.takeOver();
  }

  private takeOver(): void {
    const h = this.board.hart;
    h.hostTrap = undefined;
    if (this.kernel === undefined) { this.fail('no RAM for the kernel below the FDT'); return; }
    try {
      this.started = bootFromInfo(this.kernel, this.board, this.bootInfo!);
    } catch (e) {
      if (!(e instanceof BootInfoError || e instanceof ImageError)) throw e;
      this.fail(e.message);
      return;
    }
    this.watchIdle(this.kernel);
  }

  /** Wrap the kernel's trap entry: after a trap that ends with nothing runnable, call onIdle. */
  private watchIdle(kernel: Kernel): void {
    const h = this.board.hart;
    const kernelTrap = h.hostTrap;
    if (kernelTrap === undefined) return;
    h.hostTrap = (cause, tval, epc, interrupt) => {
      kernelTrap(cause, tval, epc, interrupt);
      if (this.onIdle !== undefined && this.isIdle(kernel)) this.onIdle();
    };
  }

  /**
   * The kernel runs, nothing is runnable, the hart waits in wfi, and no
   * interrupt waits to be taken. The trap that left nothing runnable may end
   * while a device's line is already up (the UART has the rest of a line
   * that did not fit its 16-byte FIFO): that is not a system waiting for
   * input, and a line typed then would come before the answer to the last.
   */
  isIdle(kernel = this.kernel): boolean {
    return this.started !== undefined && kernel !== undefined && kernel.current === undefined &&
      this.board.hart.wfi && this.board.finished === undefined && !this.board.hart.interruptWaiting();
  }

  private fail(why: string): void {
    this.error = why;
    const line = `kernel: boot: ${why}\n`;
    for (let i = 0; i < line.length; i++) this.board.uart.write(0, 1, line.charCodeAt(i) & 0xff);
    this.board.finished = { kind: 'fail', code: BOOT_FAILED_EXIT };
    this.board.hart.jitStop = true;
  }
}
