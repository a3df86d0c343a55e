// Memory and code: gdb's `x/NFU ADDR` (formats x d u o t c a z f s i,
// units b h w g; virtual through the hart's current translation, or `p:ADDR`
// physical) and `disassemble [ADDR] [N]` with symbol headers and `=>` at pc.
//
// Entry points: cmdExamine, cmdDisas.

import type { Debugger } from './debugger.ts';
import {
  CmdError, cannotAccess, fetchWord, hex, hex8, insnLine, readMemory, session, splitAddress, splitTrailingCount,
  type CommandContext, type CommandResult,
} from './cmd_util.ts';
import { charLiteral, formatValue } from './cmd_regs.ts';

const UNIT_BYTES: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };
/** Values per line, by unit (as gdb lays them out). */
const PER_LINE: Record<string, number> = { b: 8, h: 8, w: 4, g: 2 };

interface XSpec { count: number; fmt: string; unit: string }

/** `/NFU` in any letter order after the count, with gdb's sticky defaults. */
export function parseXFormat(suffix: string, last: { fmt: string; unit: string }): XSpec {
  const m = /^\/(\d*)([a-z]*)$/i.exec(suffix);
  if (suffix !== '' && !m) throw new CmdError(`Invalid number "${suffix.slice(1)}".`);
  let fmt = '', unit = '';
  for (const ch of m ? m[2] : '') {
    if ('bhwg'.includes(ch)) unit = ch;
    else if ('xduotcazfsi'.includes(ch)) fmt = ch;
    else throw new CmdError(`Undefined output format "${ch}".`);
  }
  const count = m && m[1] !== '' ? Number(m[1]) : 1;
  if (count < 1 || count > 100_000) throw new CmdError(`bad count ${count} (1..100000)`);
  fmt ||= last.fmt;
  // gdb: c defaults to bytes, a to the pointer size; an explicit unit wins.
  unit ||= fmt === 'c' || fmt === 's' ? 'b' : fmt === 'a' ? 'w' : last.unit;
  if (fmt === 'f' && unit !== 'w' && unit !== 'g') unit = 'w';
  return { count, fmt, unit };
}

function label(dbg: Debugger, addr: number, phys: boolean): string {
  if (phys) return `p:${hex8(addr)}:`;
  const s = dbg.symbolize(addr >>> 0);
  return `${hex8(addr)}${s ? ` <${s}>` : ''}:`;
}

function formatUnit(dbg: Debugger, bytes: Uint8Array, at: number, spec: XSpec): string {
  const n = UNIT_BYTES[spec.unit];
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at, n);
  if (spec.fmt === 'f') return String(n === 8 ? dv.getFloat64(0, true) : dv.getFloat32(0, true));
  if (n === 8) {
    const v = dv.getBigUint64(0, true);
    switch (spec.fmt) {
      case 'x': case 'z': return '0x' + v.toString(16).padStart(16, '0');
      case 'd': case 'c': return BigInt.asIntN(64, v).toString();
      case 'o': return v === 0n ? '0' : '0' + v.toString(8);
      case 't': return v.toString(2).padStart(64, '0');
      case 'a': return '0x' + v.toString(16);
      default: return v.toString();
    }
  }
  const v = n === 1 ? dv.getUint8(0) : n === 2 ? dv.getUint16(0, true) : dv.getUint32(0, true);
  switch (spec.fmt) {
    case 'x': case 'z': return '0x' + v.toString(16).padStart(n * 2, '0');
    case 't': return v.toString(2).padStart(n * 8, '0');
    case 'c': return `${(v << (32 - 8 * n)) >> (32 - 8 * n)} ${charLiteral(v & 0xff)}`;
    default: return formatValue(dbg, v, spec.fmt, n * 8);
  }
}

/** A C string at addr (up to 200 bytes), as gdb's x/s shows it. */
function examineString(dbg: Debugger, addr: number, phys: boolean): { text: string; next: number; fail?: string } {
  let s = '';
  for (let i = 0; i < 200; i++) {
    const r = readMemory(dbg, addr + i, 1, phys);
    if (!r.ok) return { text: `"${s}"`, next: addr + i, fail: cannotAccess(r) };
    const b = r.bytes[0];
    if (b === 0) return { text: `"${s}"`, next: addr + i + 1 };
    s += b === 34 ? '\\"' : b === 39 ? "'" : charLiteral(b).slice(1, -1);
  }
  return { text: `"${s}"...`, next: addr + 200 };
}

/** `x/NFU [p:]ADDR`: examine memory. A bare `x` continues where the last one ended. */
export function cmdExamine(ctx: CommandContext, args: string, suffix: string): CommandResult {
  const dbg = ctx.dbg;
  const st = session(dbg).x;
  const spec = parseXFormat(suffix, st);
  let addr: number, phys: boolean;
  if (args.trim() === '') {
    if (st.next === undefined) throw new CmdError('Argument required (starting display address).');
    addr = st.next; phys = st.phys;
  } else ({ addr, phys } = splitAddress(dbg, args));
  st.fmt = spec.fmt;
  if (spec.fmt !== 's' && spec.fmt !== 'i') st.unit = spec.unit;
  st.phys = phys;
  const lines: string[] = [];
  let error = false;
  if (spec.fmt === 'i') {
    if (phys) throw new CmdError('x/i reads instructions through the current translation; give a virtual address');
    for (let i = 0; i < spec.count; i++, addr = (addr + 4) >>> 0) {
      lines.push(insnLine(dbg, addr));
      if (fetchWord(dbg, addr) === undefined) { error = true; break; }
    }
  } else if (spec.fmt === 's') {
    for (let i = 0; i < spec.count; i++) {
      const r = examineString(dbg, addr, phys);
      lines.push(`${label(dbg, addr, phys)}\t${r.text}`);
      addr = r.next >>> 0;
      if (r.fail) { lines.push(r.fail); error = true; break; }
    }
  } else error = examineUnits(dbg, lines, addr, phys, spec);
  st.next = (addr + (spec.fmt === 'i' || spec.fmt === 's' ? 0 : spec.count * UNIT_BYTES[spec.unit])) >>> 0;
  ctx.out(lines.join('\n'));
  return error ? { error } : {};
}

/** The numeric formats: PER_LINE units a line, stopping at the first unreadable byte. */
function examineUnits(dbg: Debugger, lines: string[], addr: number, phys: boolean, spec: XSpec): boolean {
  const n = UNIT_BYTES[spec.unit];
  const r = readMemory(dbg, addr, spec.count * n, phys);
  const whole = Math.floor(r.bytes.length / n);
  for (let i = 0; i < whole; i += PER_LINE[spec.unit]) {
    const vals: string[] = [];
    for (let k = i; k < Math.min(whole, i + PER_LINE[spec.unit]); k++) vals.push(formatUnit(dbg, r.bytes, k * n, spec));
    lines.push(`${label(dbg, (addr + i * n) >>> 0, phys)}\t${vals.join('\t')}`);
  }
  if (!r.ok) lines.push(cannotAccess({ ...r, failAt: (addr + whole * n) >>> 0 }));
  return !r.ok;
}

/** Start and end of the symbol-delimited region holding `addr` (at most `cap` instructions). */
function functionRange(dbg: Debugger, addr: number, cap: number): { start: number; end: number; name?: string } {
  const s = dbg.symbolize(addr);
  if (!s) return { start: addr, end: addr + 4 * 16 };
  const m = /^(.*?)(?:\+0x([0-9a-f]+))?$/.exec(s)!;
  const start = (addr - (m[2] ? parseInt(m[2], 16) : 0)) >>> 0;
  let end = start + 4 * cap;
  for (const v of dbg.symbols.values()) {
    const sv = v > start && v < end ? dbg.symbolize(v) : undefined;
    if (sv && !sv.includes('+')) end = v; // the next label starts another region
  }
  return { start, end: Math.max(end, addr + 4), name: m[1] };
}

/**
 * `disassemble [/r] [ADDR [N]]` or `disassemble START,END` / `START,+LEN`:
 * the function around pc (or ADDR), or N instructions from ADDR.
 */
export function cmdDisas(ctx: CommandContext, args: string, suffix: string): CommandResult {
  const dbg = ctx.dbg;
  let text = args.trim();
  let raw = suffix === '/r';
  if (/^\/r\b/.test(text)) { raw = true; text = text.slice(2).trim(); }
  if (suffix !== '' && suffix !== '/r') throw new CmdError(`Invalid disassembly modifier "${suffix}" (only /r)`);
  let start: number, end: number, fn: string | undefined;
  if (text.includes(',')) {
    const [a, b] = text.split(',', 2);
    start = splitAddress(dbg, a).addr;
    end = /^\s*\+/.test(b) ? start + splitAddress(dbg, b.replace(/^\s*\+/, '')).addr : splitAddress(dbg, b).addr;
  } else {
    const { arg, count } = text === '' ? { arg: '$pc', count: undefined } : splitTrailingCount(dbg, text);
    const a = splitAddress(dbg, arg);
    if (a.phys) throw new CmdError('disassemble reads through the current translation; give a virtual address');
    if (count !== undefined) ({ start, end } = { start: a.addr, end: a.addr + 4 * count });
    else ({ start, end, name: fn } = functionRange(dbg, a.addr, 64));
  }
  start = (start & ~3) >>> 0;
  if (end <= start || end - start > 4 * 4096) throw new CmdError(`bad range ${hex(start)}..${hex(end)} (at most 4096 instructions)`);
  return disasRange(ctx, start >>> 0, end, fn, raw);
}

function disasRange(ctx: CommandContext, start: number, end: number, fn: string | undefined, raw: boolean): CommandResult {
  const dbg = ctx.dbg;
  const lines = [fn ? `Dump of assembler code for function ${fn}:` : `Dump of assembler code from ${hex(start)} to ${hex(end)}:`];
  let width = 0;
  for (let a = start; a < end; a += 4) width = Math.max(width, `${hex8(a)} <${dbg.symbolize(a) ?? ''}>:`.length);
  for (let a = start; a < end; a += 4) {
    const s = dbg.symbolize(a);
    if (s && !s.includes('+') && (a !== start || !fn)) lines.push(`${s}:`);
    let line = insnLine(dbg, a, width);
    const w = fetchWord(dbg, a);
    if (raw && w !== undefined) line = line.replace(/:(\s+)/, (_, sp: string) => `:${sp}${w.toString(16).padStart(8, '0')}  `);
    lines.push(line);
    if (w === undefined) { ctx.out(lines.join('\n')); return { error: true }; }
  }
  lines.push('End of assembler dump.');
  ctx.out(lines.join('\n'));
  return {};
}
