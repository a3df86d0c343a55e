// What every debugger command shares: the context a front end passes in
// (the REPL, or the GDB stub's `monitor`), per-session state (value history,
// `x` defaults, ignore counts), errors that become one line, expression
// evaluation with gdb's `$N` history, number formats, and side-effect-free
// reads of guest memory through the current translation or physically.
//
// Entry points: CommandContext, CommandResult, CmdError, session, evalExpr,
// splitAddress, readMemory, writeMemory, hex, hex8, symTag, where, insnLine.

import type { Debugger, StopEvent } from './debugger.ts';
import { evaluate } from './expr.ts';
import { peekTranslate } from '../inspect.ts';
import { ACCESS } from '../cpu/bits.ts';
import { disassemble } from '../isa/disasm.ts';

export interface CommandContext {
  dbg: Debugger;
  /** One or more lines of output (no trailing newline needed). */
  out(text: string): void;
  /** false for `monitor` from gdb: then running commands (step, next, continue, finish, until) answer with a one-line error instead. */
  canRun: boolean;
  /** REPL: a running command starts (true) or ends (false): route the terminal to the guest meanwhile. */
  onRun?(running: boolean): void;
  /**
   * REPL: the hart sleeps in wfi with no timer armed, so only UART input can
   * wake it. Resolve when input arrived or Ctrl-C was pressed (the run then
   * goes on, or reports the interrupt). Without it, an idle hart stops the run.
   */
  waitForInput?(): Promise<void>;
}

export interface CommandResult { stop?: StopEvent; quit?: boolean; error?: boolean }

/** A user error: executeCommand prints its message as one line. */
export class CmdError extends Error {}

/** State that lives as long as one debugging session (one Debugger). */
export interface Session {
  /** gdb's value history: `p` results, referenced as $1, $2, ..., `$` the last. */
  history: number[];
  /** `x` defaults: the last format and unit, and where a bare `x` continues. */
  x: { fmt: string; unit: string; next?: number; phys: boolean };
  /** Breakpoint number -> crossings still to ignore (`continue N`, `ignore`). */
  ignore: Map<number, number>;
  /** Why the machine last stopped (for `continue N`). */
  lastStop?: StopEvent;
}

const sessions = new WeakMap<Debugger, Session>();

export function session(dbg: Debugger): Session {
  let s = sessions.get(dbg);
  if (!s) {
    s = { history: [], x: { fmt: 'x', unit: 'w', phys: false }, ignore: new Map() };
    sessions.set(dbg, s);
  }
  return s;
}

// --- numbers ---

export const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
export const hex8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** ` <main+0x4>` for an address with a symbol, else ''. */
export function symTag(dbg: Debugger, addr: number): string {
  const s = dbg.symbolize(addr >>> 0);
  return s ? ` <${s}>` : '';
}

/** The function-ish name gdb shows in `0x... in NAME ()`: the symbol without its offset. */
export function funcName(dbg: Debugger, addr: number): string {
  const s = dbg.symbolize(addr >>> 0);
  return s ? s.replace(/\+0x[0-9a-f]+$/, '') : '??';
}

/** `0x80000014 in main () [M]`: where the hart is, with its privilege mode. */
export function where(dbg: Debugger): string {
  const h = dbg.board.hart;
  return `${hex8(h.pc)} in ${funcName(dbg, h.pc)} () [${privLetter(h.priv)}]`;
}

export function privLetter(p: number): string {
  return p === 3 ? 'M' : p === 1 ? 'S' : p === 0 ? 'U' : '?';
}

/** 'M', 'S', 'U' (or machine/supervisor/user, or 3/1/0) -> privilege number. */
export function parsePriv(s: string): number {
  const t = s.trim().toLowerCase();
  const p = ({ m: 3, machine: 3, '3': 3, s: 1, supervisor: 1, '1': 1, u: 0, user: 0, '0': 0 } as Record<string, number>)[t];
  if (p === undefined) throw new CmdError(`bad privilege mode '${s.trim()}' (expected M, S or U)`);
  return p;
}

// --- expressions ---

/**
 * Evaluate a gdb-style expression (vm/debug/expr.ts), after replacing gdb's
 * value-history references: `$N` (the Nth printed value), `$` (the last) and
 * `$$` (the one before). A unary `&SYMBOL` is the symbol itself (a symbol
 * already stands for its address).
 */
export function evalExpr(dbg: Debugger, text: string): number {
  const src = text.trim();
  if (src === '') throw new CmdError('an expression is needed here');
  const hist = session(dbg).history;
  const value = (i: number): string => {
    if (i < 1 || i > hist.length) throw new CmdError(`History has not yet reached $${i}.`);
    return String(hist[i - 1]);
  };
  const substituted = src
    .replace(/\$(\d+)\b/g, (_, n: string) => value(Number(n)))
    .replace(/\$\$(?![\w$])/g, () => value(hist.length - 1))
    .replace(/\$(?![\w$])/g, () => value(hist.length))
    .replace(/(^|[-+*/%(<>=!|^~,])(\s*)&(?!&)\s*(?=[A-Za-z_.])/g, '$1$2');
  return evaluate(substituted, dbg.env()) >>> 0;
}

/** `p:EXPR` (physical) or `EXPR` (virtual), evaluated. */
export function splitAddress(dbg: Debugger, text: string): { addr: number; phys: boolean } {
  const t = text.trim();
  const phys = /^p:/i.test(t);
  return { addr: evalExpr(dbg, phys ? t.slice(2) : t), phys };
}

/**
 * Split `ARG [COUNT]` where ARG is an expression that may hold spaces: if
 * the whole text parses, it is all ARG; otherwise the last word is COUNT.
 */
export function splitTrailingCount(dbg: Debugger, text: string): { arg: string; count?: number } {
  const t = text.trim();
  const m = /^(.*\S)\s+(\S+)$/.exec(t);
  if (!m) return { arg: t };
  try {
    splitAddress(dbg, t);
    return { arg: t };
  } catch {
    return { arg: m[1], count: evalExpr(dbg, m[2]) };
  }
}

// --- memory ---

export type MemRead = { ok: true; bytes: Uint8Array } | { ok: false; bytes: Uint8Array; failAt: number; why?: string };

/**
 * Read `len` bytes at `addr`, virtual (through the hart's current translation
 * for `access`, as the hart would see it now) or physical. Only RAM and the
 * reset ROM are read: device registers have side effects. Never throws.
 */
export function readMemory(dbg: Debugger, addr: number, len: number, phys: boolean, access: number = ACCESS.LOAD): MemRead {
  const h = dbg.board.hart;
  const out = new Uint8Array(len);
  let page = -1, base = -1;
  for (let i = 0; i < len; i++) {
    const va = (addr + i) >>> 0;
    if (va >>> 12 !== page) {
      page = va >>> 12;
      const pa = phys ? page * 4096 : peekTranslate(h, (page * 4096) | 0, access);
      base = pa === undefined ? -1 : h.mem.hostOffset(pa, 4096, true);
      if (base < 0) {
        const why = pa !== undefined && dbg.board.bus.find(pa) ? `${dbg.board.bus.find(pa)!.device.name} registers are not read by the debugger` : undefined;
        return { ok: false, bytes: out.subarray(0, i), failAt: va, why };
      }
    }
    out[i] = h.mem.u8[base + (va & 0xfff)];
  }
  return { ok: true, bytes: out };
}

/** gdb's message for memory that cannot be read. */
export function cannotAccess(r: { failAt: number; why?: string }): string {
  return `Cannot access memory at address ${hex(r.failAt)}` + (r.why ? ` (${r.why})` : '');
}

/** Little-endian value of 1, 2 or 4 bytes. */
export function readValue(dbg: Debugger, addr: number, size: number, phys: boolean): number {
  const r = readMemory(dbg, addr, size, phys);
  if (!r.ok) throw new CmdError(cannotAccess(r));
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = (v * 256) + r.bytes[i];
  return v;
}

/**
 * Write bytes to guest RAM (or ROM) as a debugger does: through the current
 * translation with no permission check (gdb writes to read-only text too),
 * dropping translated code that covered them.
 */
export function writeMemory(dbg: Debugger, addr: number, bytes: Uint8Array, phys: boolean): void {
  const h = dbg.board.hart;
  for (let i = 0; i < bytes.length; i++) {
    const va = (addr + i) >>> 0;
    const pa = phys ? va : peekTranslate(h, va | 0, ACCESS.LOAD) ?? peekTranslate(h, va | 0, ACCESS.FETCH);
    const off = pa === undefined ? -1 : h.mem.hostOffset(pa, 1, true);
    if (off < 0) throw new CmdError(`Cannot access memory at address ${hex(va)}`);
    h.mem.u8[off] = bytes[i];
    h.mem.noteWrite(off, 1);
  }
}

// --- instructions ---

/** The instruction word at virtual `addr` as the hart would fetch it, or undefined. */
export function fetchWord(dbg: Debugger, addr: number): number | undefined {
  const r = readMemory(dbg, addr, 4, false, ACCESS.FETCH);
  return r.ok ? (r.bytes[0] | (r.bytes[1] << 8) | (r.bytes[2] << 16) | (r.bytes[3] << 24)) >>> 0 : undefined;
}

export function disasmText(dbg: Debugger, word: number, addr: number): string {
  return disassemble(word | 0, addr | 0, { pseudo: true, symbolize: (a) => dbg.symbolize(a >>> 0) });
}

/** `=> 0x80000010 <main>:  addi sp, sp, -16` (the arrow only at pc). */
export function insnLine(dbg: Debugger, addr: number, width = 0): string {
  const mark = addr >>> 0 === dbg.board.hart.pc >>> 0 ? '=> ' : '   ';
  const label = `${hex8(addr)}${symTag(dbg, addr)}:`.padEnd(width);
  const w = fetchWord(dbg, addr);
  return w === undefined ? `${mark}${label}  Cannot access memory at address ${hex(addr)}` : `${mark}${label}  ${disasmText(dbg, w, addr)}`;
}
