// `tessera run --user prog.elf`: one user program alone on the machine, in
// U-mode under Sv32, with the host as a minimal kernel (docs/abi.md): the
// ELF's segments mapped with their permissions, a stack with a guard below
// it, and the system calls exit, write and brk; the IPC calls answer -ENOSYS
// (there is no other process). Every trap from U-mode reaches the host
// through hart.hostTrap: a page fault on the stack maps a page on demand,
// any other fault, a wasm trap (the TRAP call) or abort ends the program
// with a message naming the pc, its function and its source line.
//
// How the hart gets to U-mode: the board is reset as usual, then the host
// builds page tables in guest RAM, sets satp and drops the hart straight to
// U-mode at the ELF's entry (no guest firmware runs).
//
// Entry points: runUserElf, cmdRunUser, UserRunOptions, UserRunResult, UserSpace.

import { readFileSync } from 'node:fs';
import { Board } from '../vm/board.ts';
import { RAM_BASE } from '../vm/memory.ts';
import { PTE } from '../vm/mmu/mmu.ts';
import { PRV, CAUSE, CAUSE_NAMES } from '../vm/cpu/bits.ts';
import { parseElf, ElfError, PT_LOAD, PF, symbolizer, type ElfFile } from '../toolchain/elf.ts';
import { lineTableOf, type LineTable } from '../toolchain/wasm/linetable.ts';
import {
  LAYOUT, STACK_LOW, GUARD_LOW, SYS, ERRNO, TRAPS, trapByKind, STDOUT, STDERR, type TrapInfo,
} from '../toolchain/wasm/abi.ts';
import { LoadError, traceLine, EXIT } from './run.ts';

export interface UserRunOptions {
  ramSize?: number;
  jit?: boolean;
  maxInsns?: number;
  /** Receives program output as it is written (fd 1 and 2); the result has it too. */
  onWrite?: (fd: number, bytes: Uint8Array) => void;
  trace?: (line: string) => void;
}

export interface UserRunResult {
  exitCode: number;
  /** Output as UTF-8 text (stdoutBytes for the bytes themselves). */
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
  insns: number;
  /** Why the program stopped when it did not exit by itself: a trap, a fault, the instruction limit. */
  message?: string;
  /** The wasm trap or fault that ended it, if any. */
  trap?: TrapInfo;
  /** Pages mapped for the program at the end (image, heap, stack, page tables not counted). */
  pages: number;
}

const PAGE = LAYOUT.page;
const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const pageDown = (a: number): number => Math.floor(a / PAGE) * PAGE;
const pageUp = (a: number): number => Math.ceil(a / PAGE) * PAGE;
const USER_RWX = PTE.V | PTE.U | PTE.A | PTE.D;

/** A user address space: Sv32 page tables in guest RAM, frames from a bump allocator. */
export class UserSpace {
  readonly root: number;
  private next = RAM_BASE;
  /** Mapped user pages (not counting page tables). */
  pages = 0;

  constructor(private readonly board: Board) {
    this.root = this.frame();
  }

  /** A zeroed physical page. Throws LoadError when RAM runs out. */
  frame(): number {
    const pa = this.next;
    if (pa + PAGE > this.board.fdtAddr) throw new LoadError(`out of guest RAM (${this.board.mem.ramSize >>> 20} MiB; use --mem)`);
    this.next += PAGE;
    const off = this.board.mem.hostOffset(pa, PAGE, false);
    this.board.mem.u8.fill(0, off, off + PAGE);
    return pa;
  }

  /** Whether a page can still be mapped (it may need a page table as well as the page). */
  hasFrame(): boolean {
    return this.next + 2 * PAGE <= this.board.fdtAddr;
  }

  private word(pa: number): number {
    return this.board.mem.hostOffset(pa, 4, false) >> 2;
  }

  /** The leaf PTE's physical address for `va`, making the level-1 table if `make`. */
  private leaf(va: number, make: boolean): number {
    const i32 = this.board.mem.i32;
    const l1 = this.word(this.root + (va >>> 22) * 4);
    if ((i32[l1] & PTE.V) === 0) {
      if (!make) return -1;
      i32[l1] = ((this.frame() >>> 12) << 10) | PTE.V;
    }
    return (i32[l1] >>> 10) * PAGE + ((va >>> 12) & 0x3ff) * 4;
  }

  /** Map `va`'s page to a fresh zeroed frame with `flags` (R/W/X), or add the flags if it is mapped. Returns the frame. */
  map(va: number, flags: number): number {
    const i32 = this.board.mem.i32;
    const p = this.word(this.leaf(va, true));
    if (i32[p] & PTE.V) {
      i32[p] |= flags;
      return (i32[p] >>> 10) * PAGE;
    }
    const pa = this.frame();
    i32[p] = ((pa >>> 12) << 10) | flags | USER_RWX;
    this.pages++;
    return pa;
  }

  unmap(va: number): void {
    const l = this.leaf(va, false);
    if (l < 0) return;
    const p = this.word(l);
    if (this.board.mem.i32[p] & PTE.V) { this.board.mem.i32[p] = 0; this.pages--; }
  }

  /** Physical address of user address `va` if mapped with all of `need` (R/W/X bits), else -1. */
  lookup(va: number, need: number): number {
    const l = this.leaf(va, false);
    if (l < 0) return -1;
    const pte = this.board.mem.i32[this.word(l)];
    if ((pte & PTE.V) === 0 || (pte & need) !== need) return -1;
    return (pte >>> 10) * PAGE + (va & (PAGE - 1));
  }

  /** Copy user memory out (readable pages only); undefined if any byte is not. */
  read(va: number, len: number): Uint8Array | undefined {
    // Check every page first: a huge length must fail, not allocate.
    for (let a = va - (va % PAGE); a < va + len; a += PAGE) if (this.lookup(a >>> 0, PTE.R) < 0) return undefined;
    const out = new Uint8Array(len);
    for (let done = 0; done < len;) {
      const a = (va + done) >>> 0;
      const pa = this.lookup(a, PTE.R);
      if (pa < 0) return undefined;
      const n = Math.min(len - done, PAGE - (a & (PAGE - 1)));
      const off = this.board.mem.hostOffset(pa, n, false);
      out.set(this.board.mem.u8.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Copy bytes into user memory through the tables (for loading; no permission check). */
  write(va: number, data: Uint8Array): void {
    for (let done = 0; done < data.length;) {
      const a = va + done;
      const n = Math.min(data.length - done, PAGE - (a & (PAGE - 1)));
      const pa = this.lookup(a, 0);
      this.board.mem.load(pa, data.subarray(done, done + n));
      done += n;
    }
  }
}

const segPerm = (flags: number): number =>
  (flags & (PF.R | PF.W) ? PTE.R : 0) | (flags & PF.W ? PTE.W : 0) | (flags & PF.X ? PTE.X : 0);

/** Check and map the program's segments; returns where the heap starts (the page after the highest segment) and how far it may grow. */
function loadSegments(space: UserSpace, elf: ElfFile): { brk: number; brkLimit: number } {
  if (elf.type !== 2) throw new LoadError(`ELF type ${elf.type} is not an executable (ET_EXEC)`);
  const loads = elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0).sort((a, b) => a.vaddr - b.vaddr);
  if (loads.length === 0) throw new LoadError('no loadable segments');
  for (const [i, s] of loads.entries()) {
    if (s.vaddr < LAYOUT.nullGuardEnd || s.vaddr + s.memsz > GUARD_LOW) {
      throw new LoadError(`segment ${i} at ${hex(s.vaddr)} (+0x${s.memsz.toString(16)}) is outside user memory ` +
        `(${hex(LAYOUT.nullGuardEnd)}-${hex(GUARD_LOW - 1)}, docs/abi.md)`);
    }
  }
  for (const s of loads) {
    for (let va = pageDown(s.vaddr); va < s.vaddr + s.memsz; va += PAGE) space.map(va, segPerm(s.flags));
    space.write(s.vaddr, s.data);
  }
  const inText = loads.some((s) => (s.flags & PF.X) && elf.entry >= s.vaddr && elf.entry < s.vaddr + s.memsz);
  if (!inText) throw new LoadError(`entry point ${hex(elf.entry)} is not in an executable segment`);
  return { brk: pageUp(Math.max(...loads.map((s) => s.vaddr + s.memsz))), brkLimit: GUARD_LOW };
}

/** The host side of one running user program. */
class UserProcess {
  readonly out: number[][] = [[], []];
  exitCode = 0;
  message: string | undefined;
  trap: TrapInfo | undefined;
  brk: number;
  private readonly brkStart: number;
  private readonly brkLimit: number;
  private readonly symbolize: (a: number) => string | undefined;
  private readonly lines: LineTable | undefined;

  constructor(private readonly board: Board, readonly space: UserSpace, elf: ElfFile, heap: { brk: number; brkLimit: number },
    private readonly onWrite?: UserRunOptions['onWrite']) {
    this.brk = this.brkStart = heap.brk;
    this.brkLimit = heap.brkLimit;
    this.symbolize = symbolizer(elf);
    try { this.lines = lineTableOf(elf); } catch { this.lines = undefined; }
  }

  /** "pc 0x... (func+0x10, prog.ts:12:5)" */
  where(pc: number): string {
    const parts = [this.symbolize(pc), this.lines?.lookup(pc)].filter((x) => x !== undefined)
      .map((x) => (typeof x === 'string' ? x : `${x.file}:${x.line}:${x.col}`));
    return `pc ${hex(pc)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  finish(code: number): void {
    this.exitCode = code & 0xff;
    this.board.finished = this.exitCode === 0 ? { kind: 'pass', code: 0 } : { kind: 'fail', code: this.exitCode };
    this.board.hart.jitStop = true; // a system call returns into the running block: make it stop there
  }

  die(trap: TrapInfo, pc: number, detail = ''): void {
    this.trap = trap;
    this.message = `${trap.message}${detail} at ${this.where(pc)}`;
    this.finish(trap.exit);
  }

  onTrap(cause: number, tval: number, epc: number): void {
    const h = this.board.hart;
    if (cause === CAUSE.USER_ECALL) {
      h.pc = (epc + 4) | 0;
      const r = this.syscall(h.x[17], h.x[10], h.x[11], h.x[12], epc);
      if (r !== undefined) h.x[10] = r;
      return;
    }
    h.pc = epc;
    const isPageFault = cause === CAUSE.LOAD_PAGE_FAULT || cause === CAUSE.STORE_PAGE_FAULT || cause === CAUSE.FETCH_PAGE_FAULT;
    const addr = tval >>> 0;
    if (isPageFault && addr >= STACK_LOW && addr < LAYOUT.stackTop) {
      if (!this.space.hasFrame()) return this.die(TRAPS.FAULT, epc, `: out of memory growing the stack (${this.board.mem.ramSize >>> 20} MiB; use --mem)`);
      this.space.map(addr, PTE.R | PTE.W); // the stack grows on demand
      return;
    }
    if (isPageFault && addr >= GUARD_LOW && addr < STACK_LOW) return this.die(TRAPS.STACK, epc, ` (address ${hex(addr)})`);
    if (isPageFault && cause !== CAUSE.FETCH_PAGE_FAULT) {
      const kind = cause === CAUSE.LOAD_PAGE_FAULT ? 'load from' : 'store to';
      return this.die(TRAPS.MEM_OOB, epc, `: ${kind} ${hex(addr)}`);
    }
    this.die(TRAPS.FAULT, epc, `: ${CAUSE_NAMES[cause] ?? `cause ${cause}`} (tval ${hex(addr)})`);
  }

  /** One system call; the value for a0, or undefined if the program is gone. */
  private syscall(num: number, a0: number, a1: number, a2: number, pc: number): number | undefined {
    switch (num) {
      case SYS.EXIT: this.finish(a0); return undefined;
      case SYS.WRITE: return this.write(a0, a1, a2);
      case SYS.BRK: return this.setBrk(a0 >>> 0);
      case SYS.TRAP: this.die(trapByKind(a0) ?? TRAPS.FAULT, pc); return undefined;
      default: return -ERRNO.ENOSYS; // the IPC calls need the kernel
    }
  }

  private write(fd: number, va: number, len: number): number {
    if (fd !== STDOUT && fd !== STDERR) return -ERRNO.EBADF;
    if (len < 0) return -ERRNO.EINVAL;
    const bytes = this.space.read(va >>> 0, len);
    if (!bytes) return -ERRNO.EFAULT;
    for (const b of bytes) this.out[fd - 1].push(b);
    this.onWrite?.(fd, bytes);
    return len;
  }

  private setBrk(want: number): number {
    if (want === 0) return this.brk;
    if (want < this.brkStart || want > this.brkLimit) return -ERRNO.ENOMEM;
    const oldTop = pageUp(this.brk), newTop = pageUp(want);
    for (let va = oldTop; va < newTop; va += PAGE) {
      if (!this.space.hasFrame()) {
        for (let u = oldTop; u < va; u += PAGE) this.space.unmap(u);
        return -ERRNO.ENOMEM;
      }
      this.space.map(va, PTE.R | PTE.W);
    }
    for (let va = newTop; va < oldTop; va += PAGE) this.space.unmap(va);
    if (newTop < oldTop) this.board.hart.mmu.flush();
    this.brk = want;
    return want;
  }
}

/**
 * Load a user-mode ELF and run it to completion. Throws LoadError for a file
 * that is not a Tessera user program; anything the program does ends in the
 * result (exit code 124 at the instruction limit).
 */
export function runUserElf(bytes: Uint8Array, opts: UserRunOptions = {}): UserRunResult {
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(e.message);
    throw e;
  }
  const board = new Board({ ramSize: opts.ramSize, jit: opts.jit });
  const space = new UserSpace(board);
  const heap = loadSegments(space, elf);
  space.map(LAYOUT.stackTop - PAGE, PTE.R | PTE.W);
  const proc = new UserProcess(board, space, elf, heap, opts.onWrite);
  const h = board.hart;
  h.satp = (0x80000000 | (space.root >>> 12)) | 0;
  h.setPriv(PRV.U);
  h.mmu.flush();
  h.pc = elf.entry | 0;
  h.x[2] = LAYOUT.stackTop | 0;
  h.hostTrap = (cause, tval, epc) => proc.onTrap(cause, tval, epc);
  if (opts.trace) {
    const t = opts.trace, sym = symbolizer(elf);
    board.traceHook = (pc, insn, priv) => t(traceLine(h, pc, insn, priv, sym));
  }
  const r = board.run(opts.maxInsns ?? Infinity);
  const insns = h.retired;
  const text = (fd: number): string => Buffer.from(proc.out[fd]).toString('utf8');
  const result: UserRunResult = {
    exitCode: proc.exitCode, stdout: text(0), stderr: text(1), stdoutBytes: Uint8Array.from(proc.out[0]),
    insns, message: proc.message, trap: proc.trap, pages: space.pages,
  };
  if (r.kind === 'limit') {
    result.exitCode = EXIT.LIMIT;
    result.message = `stopped: instruction limit reached after ${insns} instructions (--max-insns)`;
  } else if (r.kind !== 'pass' && r.kind !== 'fail') {
    result.exitCode = EXIT.IDLE;
    result.message = `stopped: ${r.kind}`;
  }
  return result;
}

/** The flags `tessera run` takes that make sense with --user. */
export interface RunUserFlags {
  mem?: number;
  maxInsns?: number;
  trace?: boolean;
  jit?: boolean;
  disk?: string;
  realtime?: boolean;
}

/** `tessera run --user prog.elf`: output streams to stdout/stderr, a trap or fault is one line on stderr. */
export async function cmdRunUser(file: string, o: RunUserFlags): Promise<number> {
  const fail = (msg: string): number => {
    process.stderr.write(`tessera: ${msg}\n`);
    return EXIT.BAD_INPUT;
  };
  if (o.disk !== undefined) return fail('--disk has no meaning with --user (a user program has no devices)');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return fail(`cannot read program '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const r = runUserElf(bytes, {
      ramSize: o.mem, jit: o.jit, maxInsns: o.maxInsns,
      onWrite: (fd, b) => (fd === STDERR ? process.stderr : process.stdout).write(b),
      trace: o.trace ? (line) => process.stderr.write(line + '\n') : undefined,
    });
    if (r.message) process.stderr.write(`tessera: ${r.message}\n`);
    return r.exitCode;
  } catch (e) {
    if (e instanceof LoadError) return fail(e.message);
    throw e;
  }
}
