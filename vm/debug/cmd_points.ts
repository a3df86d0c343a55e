// Breakpoints, watchpoints and catchpoints: break, tbreak, watch, rwatch,
// awatch, catch, delete, disable, enable, condition, ignore and
// `info breakpoints`, over the core's points (vm/debug/debugger.ts).
//
// Breakpoint syntax (gdb's, plus two machine qualifiers):
//   break [LOCATION] [mode M|S|U] [satp EXPR|current] [if COND]
// LOCATION is an expression (`main`, `main+8`, `0x80000010`, `*0x80000010`);
// `mode` stops only in that privilege mode, `satp` only in the address space
// whose satp register equals EXPR (`current`: the satp now).
//
// Entry points: cmdBreak, cmdWatch, cmdCatch, cmdDelete, cmdEnable,
// cmdCondition, cmdIgnore, infoBreakpoints, pointWhat.

import type { Debugger, Point, WatchKind } from './debugger.ts';
import { parseExpr } from './expr.ts';
import {
  CmdError, evalExpr, hex, hex8, parsePriv, privLetter, session, splitAddress, splitTrailingCount, symTag,
  type CommandContext, type CommandResult,
} from './cmd_util.ts';

interface BreakSpec { location: string; priv?: number; satp?: string; cond?: string }

/** Split `LOCATION [mode M] [satp EXPR] [if COND]` (keywords in any order, `if` last). */
export function parseBreakSpec(text: string): BreakSpec {
  const t = ` ${text.trim()} `;
  const ifAt = t.search(/\sif\s/);
  const head = ifAt >= 0 ? t.slice(0, ifAt + 1) : t;
  const spec: BreakSpec = { location: '' };
  if (ifAt >= 0) {
    spec.cond = t.slice(ifAt + 3).trim();
    if (spec.cond === '') throw new CmdError('Argument required (boolean expression after "if").');
  }
  const parts = head.split(/\s(mode|satp)\s/);
  spec.location = parts[0].trim();
  for (let i = 1; i < parts.length; i += 2) {
    const value = (parts[i + 1] ?? '').trim();
    if (value === '') throw new CmdError(`"${parts[i]}" needs a value (mode M|S|U, satp EXPR)`);
    if (parts[i] === 'mode') spec.priv = parsePriv(value);
    else spec.satp = value;
  }
  return spec;
}

/** `break` / `tbreak`. */
export function cmdBreak(ctx: CommandContext, args: string, temp: boolean): CommandResult {
  const dbg = ctx.dbg, h = dbg.board.hart;
  const spec = parseBreakSpec(args);
  const addr = spec.location === '' ? h.pc >>> 0 : evalExpr(dbg, spec.location.replace(/^\*/, ''));
  if (addr & 3) throw new CmdError(`no instruction starts at ${hex(addr)} (not 4-byte aligned)`);
  const satp = spec.satp === undefined ? undefined : /^current$/i.test(spec.satp) ? h.satp >>> 0 : evalExpr(dbg, spec.satp);
  const bp = dbg.addBreakpoint(addr, { priv: spec.priv, satp, cond: spec.cond, temp });
  ctx.out(`${temp ? 'Temporary breakpoint' : 'Breakpoint'} ${bp.id} at ${hex8(addr)}${symTag(dbg, addr)}${qualifiers(bp)}`);
  return {};
}

function qualifiers(p: Point): string {
  if (p.type !== 'break') return '';
  const q: string[] = [];
  if (p.priv !== undefined) q.push(`only in ${privLetter(p.priv)}-mode`);
  if (p.satp !== undefined) q.push(`only when satp == ${hex8(p.satp)}`);
  if (p.cond) q.push(`if ${p.cond.text}`);
  return q.length ? ` (${q.join(', ')})` : '';
}

/** What a watchpoint watches, as gdb shows it: `*0x80001000 <result>`, `p:0x80001000`. */
export function pointWhat(dbg: Debugger, p: Point): string {
  if (p.type === 'catch') return p.text;
  if (p.type === 'break') return `${hex8(p.addr)}${symTag(dbg, p.addr)}`;
  const where = p.phys ? `p:${hex(p.addr)}` : `*${hex(p.addr)}${symTag(dbg, p.addr)}`;
  return p.len === 4 ? where : `${where} (${p.len} bytes)`;
}

const WATCH_TITLE: Record<WatchKind, string> = {
  watch: 'Hardware watchpoint', rwatch: 'Hardware read watchpoint', awatch: 'Hardware access (read/write) watchpoint',
};

/** `watch|rwatch|awatch [p:]ADDR [LEN]`. */
export function cmdWatch(ctx: CommandContext, args: string, kind: WatchKind): CommandResult {
  const dbg = ctx.dbg;
  const text = args.trim().replace(/^\*/, '').replace(/^(p:)\*/i, '$1');
  if (text === '') throw new CmdError(`Argument required (${kind} [p:]ADDR [LEN]).`);
  if (/^\$/.test(text) && !/[-+*/&|]/.test(text)) {
    throw new CmdError('only memory can be watched: give an address (watch ADDR [LEN], p:ADDR for physical)');
  }
  const { arg, count } = splitTrailingCount(dbg, text);
  const { addr, phys } = splitAddress(dbg, arg);
  const wp = dbg.addWatchpoint(kind, addr, count ?? 4, phys);
  ctx.out(`${WATCH_TITLE[kind]} ${wp.id}: ${pointWhat(dbg, wp)}`);
  return {};
}

/** `catch CAUSE...`: names (page-fault, ecall, illegal, ...), numbers, or any. */
export function cmdCatch(ctx: CommandContext, args: string): CommandResult {
  if (args.trim() === '') {
    throw new CmdError('catch what? page-fault, ecall, illegal, breakpoint, misaligned, access-fault, interrupt, timer, any, or a cause number');
  }
  // The core reads decimal cause numbers; mcause values are often written in hex.
  const spec = args.replace(/\b0x[0-9a-f]+\b/gi, (h) => String(parseInt(h, 16)));
  const cp = ctx.dbg.addCatchpoint(spec);
  ctx.out(`Catchpoint ${cp.id} (${cp.text})`);
  return {};
}

/** Point numbers from `1 3 5-7`; empty means all. */
function numbers(dbg: Debugger, args: string): number[] {
  const t = args.trim().replace(/^(breakpoints|display)\b/, '').trim();
  if (t === '') return dbg.list().map((p) => p.id);
  const ids: number[] = [];
  for (const w of t.split(/[\s,]+/)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(w);
    if (!m) throw new CmdError(`Convenience variable must have integer value.  Bad breakpoint number '${w}'`);
    const lo = Number(m[1]), hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo > 10_000) throw new CmdError(`bad range '${w}'`);
    for (let i = lo; i <= hi; i++) ids.push(i);
  }
  return ids;
}

function userPoint(dbg: Debugger, id: number): Point | undefined {
  return dbg.list().find((p) => p.id === id);
}

/** `delete [N...]`: all points when no number is given. */
export function cmdDelete(ctx: CommandContext, args: string): CommandResult {
  const dbg = ctx.dbg;
  const ids = numbers(dbg, args);
  const missing = ids.filter((id) => !userPoint(dbg, id));
  for (const id of ids) if (userPoint(dbg, id)) { dbg.delete(id); session(dbg).ignore.delete(id); }
  if (missing.length) { ctx.out(`No breakpoint number ${missing.join(', ')}.`); return { error: true }; }
  return {};
}

/** `enable|disable [N...]`. */
export function cmdEnable(ctx: CommandContext, args: string, on: boolean): CommandResult {
  const dbg = ctx.dbg;
  if (/^\s*(once|delete|count)\b/.test(args)) throw new CmdError('"enable once/delete/count" is not supported; use tbreak for a one-shot breakpoint');
  const ids = numbers(dbg, args);
  const missing = ids.filter((id) => !userPoint(dbg, id) || !dbg.enable(id, on));
  if (missing.length) { ctx.out(`No breakpoint number ${missing.join(', ')}.`); return { error: true }; }
  return {};
}

/** `condition N [COND]`: set or remove a breakpoint's condition. */
export function cmdCondition(ctx: CommandContext, args: string): CommandResult {
  const m = /^\s*(\d+)\s*(.*)$/.exec(args);
  if (!m) throw new CmdError('Argument required (breakpoint number).');
  const p = userPoint(ctx.dbg, Number(m[1]));
  if (!p) throw new CmdError(`No breakpoint number ${m[1]}.`);
  if (p.type !== 'break') throw new CmdError(`only breakpoints take conditions (${m[1]} is a ${p.type}point)`);
  const text = m[2].trim();
  p.cond = text === '' ? undefined : { text, tree: parseExpr(text) };
  ctx.out(text === '' ? `Breakpoint ${p.id} now unconditional.` : `Breakpoint ${p.id} stops only if ${text}`);
  return {};
}

/** `ignore N COUNT`: pass breakpoint N silently COUNT times. */
export function cmdIgnore(ctx: CommandContext, args: string): CommandResult {
  const m = /^\s*(\d+)\s+(\S.*)$/.exec(args);
  if (!m) throw new CmdError('Argument required (a breakpoint number and a count).');
  const id = Number(m[1]);
  if (!userPoint(ctx.dbg, id)) throw new CmdError(`No breakpoint number ${id}.`);
  const n = evalExpr(ctx.dbg, m[2]);
  session(ctx.dbg).ignore.set(id, n);
  ctx.out(n === 0 ? `Will stop next time breakpoint ${id} is reached.` : `Will ignore next ${n} crossings of breakpoint ${id}.`);
  return {};
}

const TYPE_NAME: Record<Point['type'], string> = {
  break: 'breakpoint', watch: 'hw watchpoint', rwatch: 'read watchpoint', awatch: 'acc watchpoint', catch: 'catchpoint',
};

/** `info breakpoints`: gdb's table, with mode/satp qualifiers and hit counts. */
export function infoBreakpoints(ctx: CommandContext): CommandResult {
  const dbg = ctx.dbg;
  const pts = dbg.list().sort((a, b) => a.id - b.id);
  if (pts.length === 0) { ctx.out('No breakpoints, watchpoints or catchpoints.'); return {}; }
  const lines = ['Num     Type            Disp Enb Address    What'];
  for (const p of pts) {
    const disp = p.type === 'break' && p.temp ? 'del ' : 'keep';
    const addr = p.type === 'break' ? hex8(p.addr) : ''.padEnd(10);
    const what = p.type === 'break' ? (dbg.symbolize(p.addr) ? `<${dbg.symbolize(p.addr)}>` : '') : pointWhat(dbg, p);
    lines.push(`${String(p.id).padEnd(8)}${TYPE_NAME[p.type].padEnd(16)}${disp} ${p.enabled ? 'y' : 'n'}   ${addr} ${what}`.trimEnd());
    if (p.type === 'break') {
      if (p.priv !== undefined) lines.push(`\tstop only in ${privLetter(p.priv)}-mode`);
      if (p.satp !== undefined) lines.push(`\tstop only when satp == ${hex8(p.satp)}`);
      if (p.cond) lines.push(`\tstop only if ${p.cond.text}`);
    }
    if (p.hits > 0) lines.push(`\t${p.type === 'catch' ? 'catchpoint' : 'breakpoint'} already hit ${p.hits} time${p.hits === 1 ? '' : 's'}`);
    const ign = session(dbg).ignore.get(p.id);
    if (ign) lines.push(`\tWill ignore next ${ign} crossings of breakpoint.`);
  }
  ctx.out(lines.join('\n'));
  return {};
}
