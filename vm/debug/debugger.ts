// The debugger core: breakpoints, watchpoints, trap catchpoints, stepping
// (step, next, finish, until, run N) and a ring buffer of retired
// instructions, over a Board. The REPL (cli/debug) and the GDB stub
// (vm/debug/gdbstub.ts) are two front ends on this one engine.
//
// Speed: with nothing set the machine runs exactly as without a debugger
// (the translator at full speed). Breakpoints cost only on the pages that
// hold them: execution entering such a page stops (hart.bpPages), and the
// debugger single-steps while pc stays there, checking addresses exactly.
// Watchpoints keep the watched pages out of the TLB, so only accesses to
// those pages take the slow path and reach the check. Catchpoints ride on
// the trap hook. Recording (`record`) single-steps everything.
//
// Entry points: Debugger (points, resume, step, next, finish, until,
// interrupt), StopEvent, Point kinds, TraceEntry.

import type { Board, StopReason } from '../board.ts';
import { PRV, CAUSE_NAMES, INTERRUPT_NAMES, INTERRUPT_FLAG, ACCESS } from '../cpu/bits.ts';
import { csrRead } from '../cpu/csr.ts';
import { csrNumber } from '../isa/csr_table.ts';
import { regNumber } from '../isa/regs.ts';
import { lookupInsn, rdOf, rs1Of, rs2Of, immI, immS } from '../isa/decode.ts';
import { INSNS } from '../isa/table.ts';
import { peekVirt32 } from '../inspect.ts';
import { parseExpr, evaluateTree, type ExprEnv, type ExprTree } from './expr.ts';

export interface Breakpoint {
  id: number; type: 'break'; addr: number; enabled: boolean; hits: number;
  /** Only in this privilege mode (0 U, 1 S, 3 M). */
  priv?: number;
  /** Only when satp equals this (one address space). */
  satp?: number;
  cond?: { text: string; tree: ExprTree };
  /** Deleted when hit (until, next). */
  temp?: boolean;
  /** Internal (next/until): not listed, not reported as a user breakpoint. */
  internal?: boolean;
}

export type WatchKind = 'watch' | 'rwatch' | 'awatch';
export interface Watchpoint {
  id: number; type: WatchKind; addr: number; len: number; phys: boolean; enabled: boolean; hits: number;
  /** The watched bytes' value (up to 4) when last seen, for Old/New reports. */
  last: number;
}

export interface Catchpoint {
  id: number; type: 'catch'; enabled: boolean; hits: number;
  /** Cause codes to catch (interrupts with INTERRUPT_FLAG set); undefined = any trap. */
  causes?: Set<number>;
  text: string;
}

export type Point = Breakpoint | Watchpoint | Catchpoint;

export type StopEvent =
  | { reason: 'breakpoint'; bp: Breakpoint }
  | { reason: 'watchpoint'; wp: Watchpoint; addr: number; access: 'read' | 'write'; old: number; value: number }
  | { reason: 'catch'; cp: Catchpoint; cause: number; tval: number; epc: number }
  | { reason: 'step' }
  | { reason: 'exited'; code: number; kind: 'pass' | 'fail' }
  | { reason: 'interrupted' }
  | { reason: 'idle' }
  | { reason: 'limit' };

export interface TraceEntry {
  pc: number; priv: number; insn: number;
  rd?: number; rdValue?: number;
  mem?: { addr: number; size: number; write: boolean; value?: number };
  trap?: number;
}

/** Fast-mode slice between checks for Ctrl-C. */
const SLICE = 2_000_000;

const CAUSE_BY_NAME: Readonly<Record<string, number[]>> = {
  'page-fault': [12, 13, 15], ecall: [8, 9, 11], illegal: [2], 'illegal-instruction': [2], breakpoint: [3],
  ebreak: [3], misaligned: [0, 4, 6], 'access-fault': [1, 5, 7], 'fetch-page-fault': [12],
  'load-page-fault': [13], 'store-page-fault': [15], timer: [5 | INTERRUPT_FLAG, 7 | INTERRUPT_FLAG],
  interrupt: [1, 3, 5, 7, 9, 11].map((c) => c | INTERRUPT_FLAG), external: [9 | INTERRUPT_FLAG, 11 | INTERRUPT_FLAG],
  software: [1 | INTERRUPT_FLAG, 3 | INTERRUPT_FLAG],
};

/** Cause codes for a `catch` argument (a name, a number, or `any`); undefined for any trap. Throws on unknown names. */
export function parseCatch(spec: string): Set<number> | undefined {
  const s = spec.trim().toLowerCase();
  if (s === 'any' || s === '') return undefined;
  const out = new Set<number>();
  for (const word of s.split(/[\s,]+/)) {
    if (/^(0x[0-9a-f]+|\d+)$/.test(word)) { out.add(Number(word) | 0); continue; }
    const named = CAUSE_BY_NAME[word]
      ?? Object.entries(CAUSE_NAMES).filter(([, n]) => n === word).map(([c]) => Number(c))
      ?? [];
    const irq = Object.entries(INTERRUPT_NAMES).filter(([, n]) => n === word).map(([c]) => Number(c) | INTERRUPT_FLAG);
    const all = [...named, ...irq];
    if (all.length === 0) throw new Error(`unknown trap '${word}' (try page-fault, ecall, illegal, breakpoint, misaligned, access-fault, interrupt, timer, any, or a cause number)`);
    all.forEach((c) => out.add(c));
  }
  return out;
}

export function causeName(cause: number): string {
  return cause & INTERRUPT_FLAG ? `${INTERRUPT_NAMES[cause & 0xff] ?? 'interrupt'} interrupt` : CAUSE_NAMES[cause] ?? `cause ${cause}`;
}

export class Debugger {
  readonly board: Board;
  readonly symbols = new Map<string, number>();
  symbolize: (addr: number) => string | undefined = () => undefined;
  private readonly points = new Map<number, Point>();
  private nextId = 1;
  /** Record every instruction into the ring (single-steps everything). */
  record = false;
  private readonly ring: TraceEntry[] = [];
  private ringStart = 0;
  ringSize = 4096;
  /**
   * Where the last stop left the hart: the next resume runs the instruction
   * at this pc once without re-hitting its breakpoint (and, after a
   * watchpoint that stopped before its access, without re-hitting that).
   */
  private skipBpAt: number | undefined;
  private skipWatch = false;
  /**
   * Watchpoints stop before the access (pc on the accessing instruction,
   * nothing done), as QEMU and the RISC-V debug spec's triggers do; gdb
   * expects that and steps over it itself. With this false (the REPL) the
   * debugger steps over the access itself and reports after it, with the
   * new value, as gdb's own display does.
   */
  watchStopsBefore = false;
  private pending: StopEvent | undefined;
  private interruptRequested = false;
  private readonly priorTrap: ((cause: number, tval: number, epc: number) => void) | undefined;
  /** While stepping: the first trap the step took, and the hook to pass it on to. */
  private stepTrap: number | undefined;
  private stepTrapNext: ((cause: number, tval: number, epc: number) => void) | undefined;
  private readonly stepTrapHook = (cause: number, tval: number, epc: number): void => {
    this.stepTrap ??= cause;
    this.stepTrapNext?.(cause, tval, epc);
  };

  constructor(board: Board) {
    this.board = board;
    this.priorTrap = board.hart.onTrap;
  }

  // --- points ---

  list(): Point[] {
    return [...this.points.values()].filter((p) => !(p.type === 'break' && p.internal));
  }

  get(id: number): Point | undefined {
    return this.points.get(id);
  }

  addBreakpoint(addr: number, opts: { priv?: number; satp?: number; cond?: string; temp?: boolean; internal?: boolean } = {}): Breakpoint {
    const cond = opts.cond === undefined ? undefined : { text: opts.cond, tree: parseExpr(opts.cond) };
    const bp: Breakpoint = { id: this.nextId++, type: 'break', addr: addr >>> 0, enabled: true, hits: 0, ...opts, cond };
    this.points.set(bp.id, bp);
    this.sync();
    return bp;
  }

  addWatchpoint(type: WatchKind, addr: number, len = 4, phys = false): Watchpoint {
    if (!Number.isInteger(len) || len < 1 || len > 4096) throw new Error(`watch length must be 1..4096 (got ${len})`);
    const wp: Watchpoint = { id: this.nextId++, type, addr: addr >>> 0, len, phys, enabled: true, hits: 0, last: 0 };
    wp.last = this.readWatched(wp) ?? 0;
    this.points.set(wp.id, wp);
    this.sync();
    return wp;
  }

  addCatchpoint(spec: string): Catchpoint {
    const cp: Catchpoint = { id: this.nextId++, type: 'catch', enabled: true, hits: 0, causes: parseCatch(spec), text: spec.trim() || 'any' };
    this.points.set(cp.id, cp);
    this.sync();
    return cp;
  }

  /** Delete one point, or all (user) points when id is undefined. Returns false for an unknown id. */
  delete(id?: number): boolean {
    if (id === undefined) { for (const p of this.list()) this.points.delete(p.id); this.sync(); return true; }
    const ok = this.points.delete(id);
    this.sync();
    return ok;
  }

  enable(id: number, on: boolean): boolean {
    const p = this.points.get(id);
    if (!p) return false;
    p.enabled = on;
    this.sync();
    return true;
  }

  /** Install or remove the machine hooks to match the enabled points (none set = no cost). */
  private sync(): void {
    const h = this.board.hart;
    const bps = [...this.points.values()].filter((p): p is Breakpoint => p.type === 'break' && p.enabled);
    h.bpPages = bps.length ? new Set(bps.map((b) => b.addr >>> 12)) : undefined;
    const wps = [...this.points.values()].filter((p): p is Watchpoint => p.type !== 'break' && p.type !== 'catch' && p.enabled);
    if (wps.length) {
      h.watchPage = (vpage, ppage, write) => wps.some((w) => wantsAccess(w, write) &&
        pageOverlaps(w, w.phys ? ppage : vpage));
      h.watchHook = (va, pa, size, write, value) => this.onAccess(wps, va, pa, size, write, value);
    } else {
      h.watchPage = undefined;
      h.watchHook = undefined;
    }
    const cps = [...this.points.values()].filter((p): p is Catchpoint => p.type === 'catch' && p.enabled);
    h.onTrap = cps.length === 0 ? this.priorTrap : (cause, tval, epc) => {
      this.priorTrap?.(cause, tval, epc);
      this.onTrapEvent(cps, cause, tval, epc);
    };
    h.mmu.flushAll();
  }

  /** The watch hook: true stops the hart before this access. */
  private onAccess(wps: Watchpoint[], va: number, pa: number, size: number, write: boolean, value: number): boolean {
    if (this.skipWatch) return false;
    for (const w of wps) {
      if (!wantsAccess(w, write)) continue;
      const a = w.phys ? pa : va >>> 0;
      if (a + size <= w.addr || a >= w.addr + w.len) continue;
      w.hits++;
      const old = w.last;
      const now = write ? value >>> 0 : this.readWatched(w) ?? old;
      this.pending = { reason: 'watchpoint', wp: w, addr: a, access: write ? 'write' : 'read', old, value: now };
      return true;
    }
    return false;
  }

  private onTrapEvent(cps: Catchpoint[], cause: number, tval: number, epc: number): void {
    for (const c of cps) {
      if (c.causes !== undefined && !c.causes.has(cause >>> 0) && !c.causes.has(cause)) continue;
      c.hits++;
      this.pending ??= { reason: 'catch', cp: c, cause, tval, epc };
      this.board.hart.debugBreak = true;
      return;
    }
  }

  /** Up to 4 watched bytes as a little-endian number, read without side effects. */
  private readWatched(w: Watchpoint): number | undefined {
    const n = Math.min(4, w.len);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) {
      const b = this.readByte(w.addr + i, w.phys);
      if (b === undefined) return undefined;
      v = (v << 8) | b;
    }
    return v >>> 0;
  }

  private readByte(addr: number, phys: boolean): number | undefined {
    const h = this.board.hart;
    const word = phys ? undefined : peekVirt32(h, (addr & ~3) | 0, ACCESS.LOAD);
    if (!phys) return word === undefined ? undefined : (word >>> (8 * (addr & 3))) & 0xff;
    const off = h.mem.hostOffset(addr, 1, true);
    return off < 0 ? undefined : h.mem.u8[off];
  }

  // --- expressions ---

  env(): ExprEnv {
    const h = this.board.hart;
    return {
      reg: (name) => this.readRegister(name),
      symbol: (name) => this.symbols.get(name),
      read32: (addr) => {
        const w = peekVirt32(h, addr | 0, ACCESS.LOAD);
        return w === undefined ? undefined : w >>> 0;
      },
    };
  }

  /** pc, x0..x31 by ABI or xN name, `priv`, or any CSR by name. */
  readRegister(name: string): number | undefined {
    const h = this.board.hart;
    const n = name.toLowerCase();
    if (n === 'pc') return h.pc >>> 0;
    if (n === 'priv' || n === 'mode') return h.priv;
    const r = regNumber(n);
    if (r >= 0) return h.x[r] >>> 0;
    const c = csrNumber(n);
    if (c >= 0) { const v = csrRead(h, c); return v === undefined ? undefined : v >>> 0; }
    return undefined;
  }

  // --- running ---

  /** Ask a running resume() to stop at its next check (Ctrl-C, gdb's 0x03). */
  interrupt(): void {
    this.interruptRequested = true;
    this.board.stop();
  }

  private bpAt(pc: number): Breakpoint | undefined {
    const h = this.board.hart;
    for (const p of this.points.values()) {
      if (p.type !== 'break' || !p.enabled || p.addr !== pc >>> 0) continue;
      if (p.priv !== undefined && p.priv !== h.priv) continue;
      if (p.satp !== undefined && p.satp >>> 0 !== h.satp >>> 0) continue;
      if (p.cond !== undefined) {
        try {
          if (evaluateTree(p.cond.tree, this.env()) === 0) continue;
        } catch {
          // An error in a condition stops, as gdb does, so the user can see it.
        }
      }
      return p;
    }
    return undefined;
  }

  /** Does execution have to go one instruction at a time right now? */
  private mustStep(): boolean {
    const h = this.board.hart;
    return this.record || (h.bpPages !== undefined && h.bpPages.has(h.pc >>> 12));
  }

  /** A breakpoint hit at pc (deleting a temporary one), as an event. */
  private hitBreakpoint(bp: Breakpoint): StopEvent {
    bp.hits++;
    this.skipBpAt = this.board.hart.pc >>> 0;
    this.skipWatch = false;
    if (bp.temp) this.delete(bp.id);
    return { reason: 'breakpoint', bp };
  }

  private fromBoard(r: StopReason): StopEvent | undefined {
    switch (r.kind) {
      case 'pass': case 'fail': return { reason: 'exited', code: r.code, kind: r.kind };
      case 'idle': return { reason: 'idle' };
      case 'break': return this.interruptRequested ? this.interrupted() : undefined;
      default: return undefined;
    }
  }

  /**
   * The event a hook left, if any. A watchpoint (stopped before its access)
   * is completed here: unless watchStopsBefore, the access is stepped over
   * and the event reports the value afterwards.
   */
  private takePending(): StopEvent | undefined {
    const p = this.pending;
    this.pending = undefined;
    this.board.hart.debugBreak = false;
    if (p?.reason !== 'watchpoint') return p;
    const pc = this.board.hart.pc >>> 0;
    if (this.watchStopsBefore) {
      this.skipBpAt = pc;
      this.skipWatch = true;
      return p;
    }
    this.skipBpAt = pc;
    this.skipWatch = true;
    const after = this.stepOne();
    if (after && after.reason !== 'watchpoint') return after;
    const now = this.readWatched(p.wp);
    p.wp.last = now ?? p.wp.last;
    return p.access === 'write' ? { ...p, value: p.wp.last } : p;
  }

  /**
   * Execute exactly one instruction (or take one trap) with hooks for
   * breakpoints suspended, recording it. Returns an event if one fired.
   */
  stepOne(): StopEvent | undefined {
    const b = this.board, h = b.hart;
    const pc = h.pc >>> 0, priv = h.priv;
    const insn = peekVirt32(h, pc | 0, ACCESS.FETCH) ?? 0;
    const priorTrap = h.onTrap;
    this.stepTrap = undefined;
    this.stepTrapNext = priorTrap;
    h.onTrap = this.stepTrapHook;
    try {
      // A pending interrupt is a step of its own: it ends at the handler's entry.
      if (b.takeInterrupt()) {
        this.skipBpAt = undefined;
        this.push({ pc, priv, insn, trap: this.stepTrap });
        return this.takePending();
      }
    } finally {
      h.onTrap = priorTrap;
    }
    const entry: TraceEntry = { pc, priv, insn, mem: memTouched(h.x, insn) };
    const pages = h.bpPages;
    h.bpPages = undefined;
    h.onTrap = this.stepTrapHook;
    // Resuming from a watchpoint stop: this instruction's access already stopped once.
    this.skipWatch = this.skipWatch && pc === this.skipBpAt;
    const before = h.retired;
    let r: StopReason;
    try {
      r = b.run(1, 1);
    } finally {
      h.bpPages = pages;
      h.onTrap = priorTrap;
      this.skipWatch = false;
    }
    this.skipBpAt = undefined;
    if (h.retired > before) {
      const rd = rdOf(insn);
      const idx = lookupInsn(insn);
      if (idx >= 0 && writesRd(INSNS[idx].format) && rd !== 0) { entry.rd = rd; entry.rdValue = h.x[rd] >>> 0; }
      this.push(entry);
    } else if (this.pending?.reason !== 'watchpoint') {
      this.push({ pc, priv, insn, trap: this.stepTrap });
    }
    return this.takePending() ?? this.fromBoard(r);
  }

  /**
   * A user's step (stepi, next, finish, until) that lands on a breakpoint
   * reports the step; resuming from there runs that instruction (as gdb).
   */
  private afterStep<T extends StopEvent | undefined>(ev: T): T {
    if (ev?.reason === 'step' && this.bpAt(this.board.hart.pc)) this.skipBpAt = this.board.hart.pc >>> 0;
    return ev;
  }

  /**
   * Run until an event or until `budget` instructions have gone by (then
   * undefined: call again). Front ends call this in slices so Ctrl-C works.
   */
  resume(budget = SLICE): StopEvent | undefined {
    const b = this.board, h = b.hart;
    let left = budget;
    while (left > 0) {
      if (this.interruptRequested) return this.interrupted();
      const pc = h.pc >>> 0;
      if (pc !== this.skipBpAt) {
        const bp = this.bpAt(pc);
        if (bp) return this.hitBreakpoint(bp);
      }
      if (this.mustStep() || pc === this.skipBpAt) {
        const ev = this.stepOne();
        left--;
        if (ev) return ev;
        continue;
      }
      h.debugBreak = false;
      const before = h.retired;
      const r = b.run(Math.min(left, SLICE), SLICE, false);
      left -= Math.max(1, h.retired - before);
      const ev = this.takePending() ?? this.fromBoard(r);
      if (ev) return ev;
    }
    return undefined;
  }

  /** `stepi N`: N instructions, stopping early at an event. */
  step(n = 1): StopEvent {
    for (let i = 0; i < n; i++) {
      const ev = this.stepOne();
      if (ev) return ev;
      if (this.interruptRequested) return this.interrupted();
    }
    return this.afterStep({ reason: 'step' });
  }

  /**
   * `next`: step one instruction, running a call (jal/jalr that links ra or
   * t0) to its return. Returns the event, or undefined if the callee is
   * still running (call resume() to continue; the internal breakpoint stays).
   */
  next(budget = SLICE): StopEvent | undefined {
    const h = this.board.hart;
    const insn = peekVirt32(h, h.pc, ACCESS.FETCH) ?? 0;
    if (!isCall(insn)) return this.step(1);
    const ret = (h.pc + 4) >>> 0;
    const sp = h.x[2] >>> 0;
    this.addBreakpoint(ret, { temp: true, internal: true, cond: `$sp >= ${sp}` });
    const first = this.stepOne();
    if (first) return first;
    return this.resumeToStep(budget);
  }

  /** `until ADDR` / `advance`: run to an address (or an earlier event). */
  until(addr: number, budget = SLICE): StopEvent | undefined {
    this.addBreakpoint(addr, { temp: true, internal: true });
    return this.resumeToStep(budget);
  }

  private resumeToStep(budget = SLICE): StopEvent | undefined {
    const ev = this.resume(budget);
    if (ev?.reason === 'breakpoint' && ev.bp.internal) return this.afterStep({ reason: 'step' });
    return ev;
  }

  /** Continue after next()/until() returned undefined. */
  continueStep(budget = SLICE): StopEvent | undefined {
    return this.resumeToStep(budget);
  }

  /** Drop internal breakpoints left by an interrupted next/until. */
  clearInternal(): void {
    for (const p of [...this.points.values()]) if (p.type === 'break' && p.internal) this.points.delete(p.id);
    this.sync();
  }

  /**
   * `finish`: single-step until the current function returns (a `ret` at
   * call depth 0; calls and returns in between are counted). Up to `budget`
   * instructions per call; undefined means call again.
   */
  finish(state: { depth: number }, budget = 200_000): StopEvent | undefined {
    for (let i = 0; i < budget; i++) {
      const h = this.board.hart;
      const insn = peekVirt32(h, h.pc, ACCESS.FETCH) ?? 0;
      const bp = this.bpAt(h.pc);
      if (bp && h.pc >>> 0 !== this.skipBpAt) return this.hitBreakpoint(bp);
      const ev = this.stepOne();
      if (ev) return ev;
      if (isCall(insn)) state.depth++;
      else if (isReturn(insn)) {
        if (state.depth === 0) return this.afterStep({ reason: 'step' });
        state.depth--;
      }
      if (this.interruptRequested) return this.interrupted();
    }
    return undefined;
  }

  /** Forget an interrupt request that found nothing running. */
  clearInterrupt(): void {
    this.interruptRequested = false;
  }

  /** Report (and consume) an interrupt request. */
  private interrupted(): StopEvent {
    this.interruptRequested = false;
    return { reason: 'interrupted' };
  }

  // --- the trace ring ---

  private push(e: TraceEntry): void {
    if (this.ring.length < this.ringSize) this.ring.push(e);
    else {
      this.ring[this.ringStart] = e;
      this.ringStart = (this.ringStart + 1) % this.ringSize;
    }
  }

  /** The last `n` recorded instructions, oldest first. */
  trace(n = 20): TraceEntry[] {
    const all = this.ring.length < this.ringSize ? this.ring : [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
    return all.slice(Math.max(0, all.length - n));
  }

  /** Privilege mode name, as info registers shows it. */
  static privName(p: number): string {
    return p === PRV.M ? 'M' : p === PRV.S ? 'S' : 'U';
  }
}

function wantsAccess(w: Watchpoint, write: boolean): boolean {
  return w.type === 'awatch' || (w.type === 'watch') === write;
}

function pageOverlaps(w: Watchpoint, page: number): boolean {
  return page >= w.addr >>> 12 && page <= (w.addr + w.len - 1) >>> 12;
}

function writesRd(format: string): boolean {
  return format !== 'STORE' && format !== 'BRANCH' && format !== 'FENCE' && format !== 'SFENCE' && format !== 'NONE';
}

/** jal/jalr linking ra or t0 (the call conventions of the RISC-V psABI). */
export function isCall(insn: number): boolean {
  const op = insn & 0x7f, rd = rdOf(insn);
  return (op === 0x6f || (op === 0x67 && ((insn >>> 12) & 7) === 0)) && (rd === 1 || rd === 5);
}

/** jalr x0, 0(ra) or 0(t0): a return. */
export function isReturn(insn: number): boolean {
  return (insn & 0x707f) === 0x0067 && rdOf(insn) === 0 && (rs1Of(insn) === 1 || rs1Of(insn) === 5) && immI(insn) === 0;
}

/** The memory a load, store or AMO at the current state will touch. */
function memTouched(x: Int32Array, insn: number): TraceEntry['mem'] {
  const op = insn & 0x7f, f3 = (insn >>> 12) & 7;
  if (op === 0x03) return { addr: (x[rs1Of(insn)] + immI(insn)) >>> 0, size: 1 << (f3 & 3), write: false };
  if (op === 0x23) {
    const size = 1 << (f3 & 3);
    const v = x[rs2Of(insn)] >>> 0;
    return { addr: (x[rs1Of(insn)] + immS(insn)) >>> 0, size, write: true, value: size === 4 ? v : v & ((1 << (8 * size)) - 1) };
  }
  if (op === 0x2f) return { addr: x[rs1Of(insn)] >>> 0, size: 4, write: (insn >>> 27) !== 2, value: x[rs2Of(insn)] >>> 0 };
  return undefined;
}
