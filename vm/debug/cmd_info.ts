// The machine around the hart: `info devices` (the bus map and each device's
// state), `info symbol` / `info address`, the `trace` ring of retired
// instructions, `record on|off`, and `input TEXT` for the guest's UART.
//
// Entry points: infoDevices, infoSymbol, infoAddress, cmdTrace, cmdRecord,
// cmdInput, parseEscapes.

import { ABI_NAMES } from '../isa/regs.ts';
import { causeName } from './debugger.ts';
import {
  CmdError, disasmText, evalExpr, hex, hex8, privLetter, type CommandContext, type CommandResult,
} from './cmd_util.ts';

/** `info devices [NAME]`: every bus device with its range and state (empty virtio slots folded), then RAM. */
export function infoDevices(ctx: CommandContext, args: string): CommandResult {
  const b = ctx.dbg.board;
  const filter = args.trim().toLowerCase();
  const lines: string[] = [];
  let empty: { base: number; end: number; first: string; last: string } | undefined;
  const flushEmpty = (): void => {
    if (empty) lines.push(`${hex8(empty.base)}-${hex8(empty.end)}  ${empty.first}${empty.last !== empty.first ? `..${empty.last}` : ''}  empty virtio slot(s)`);
    empty = undefined;
  };
  for (const m of b.bus.mappings()) {
    const name = m.device.name;
    if (filter && !name.toLowerCase().startsWith(filter)) continue;
    const end = m.base + m.size - 1;
    const state = m.device.describe?.() ?? [];
    if (state.length === 1 && /^empty slot/.test(state[0])) {
      if (empty) { empty.end = end; empty.last = name; } else empty = { base: m.base, end, first: name, last: name };
      continue;
    }
    flushEmpty();
    lines.push(`${hex8(m.base)}-${hex8(end)}  ${name}`, ...state.map((s) => `    ${s}`));
  }
  flushEmpty();
  if (!filter || 'ram'.startsWith(filter)) {
    lines.push(`${hex8(b.mem.ramEnd - b.mem.ramSize)}-${hex8(b.mem.ramEnd - 1)}  ram (${b.mem.ramSize / 1048576} MiB)`);
  }
  if (lines.length === 0) throw new CmdError(`no device named '${args.trim()}' (try info devices)`);
  ctx.out(lines.join('\n'));
  return {};
}

/** `info symbol ADDR`: which symbol an address is in. */
export function infoSymbol(ctx: CommandContext, args: string): CommandResult {
  if (args.trim() === '') throw new CmdError('Argument required (address).');
  const a = evalExpr(ctx.dbg, args);
  const s = ctx.dbg.symbolize(a);
  if (!s) { ctx.out(`No symbol matches ${args.trim()}.`); return {}; }
  const m = /^(.*)\+0x([0-9a-f]+)$/.exec(s);
  ctx.out(m ? `${m[1]} + ${parseInt(m[2], 16)}` : s);
  return {};
}

/** `info address SYM`: where a symbol is. */
export function infoAddress(ctx: CommandContext, args: string): CommandResult {
  const name = args.trim();
  if (name === '') throw new CmdError('Argument required.');
  const v = ctx.dbg.symbols.get(name);
  if (v === undefined) throw new CmdError(`No symbol "${name}" in current context.`);
  ctx.out(`Symbol "${name}" is at ${hex8(v)}.`);
  return {};
}

/** `trace [N]`: the last N instructions of the ring, oldest first. */
export function cmdTrace(ctx: CommandContext, args: string): CommandResult {
  const dbg = ctx.dbg;
  const n = args.trim() === '' ? 20 : evalExpr(dbg, args);
  if (n < 1 || n > dbg.ringSize) throw new CmdError(`trace N: N must be 1..${dbg.ringSize}`);
  const entries = dbg.trace(n);
  if (entries.length === 0) {
    ctx.out('The trace is empty: instructions are recorded when stepped one at a time (stepi, next, finish, near breakpoints), or all of them after "record on".');
    return {};
  }
  const lines = entries.map((e, i) => {
    const idx = String(i - entries.length).padStart(5);
    const text = disasmText(dbg, e.insn, e.pc);
    const effects: string[] = [];
    if (e.trap !== undefined) effects.push(`trap: ${causeName(e.trap)}`);
    if (e.rd !== undefined) effects.push(`${ABI_NAMES[e.rd]} = ${hex8(e.rdValue ?? 0)}`);
    if (e.mem && e.trap === undefined) {
      effects.push(e.mem.write
        ? `[${hex8(e.mem.addr)}] <- ${hex(e.mem.value ?? 0)} (${e.mem.size} byte${e.mem.size > 1 ? 's' : ''})`
        : `[${hex8(e.mem.addr)}] read (${e.mem.size} byte${e.mem.size > 1 ? 's' : ''})`);
    }
    return `${idx} ${privLetter(e.priv)} ${hex8(e.pc)}  ${(e.insn >>> 0).toString(16).padStart(8, '0')}  ${text.padEnd(28)}${effects.join('  ')}`.trimEnd();
  });
  ctx.out(lines.join('\n'));
  return {};
}

/** `record [on|off]`: record every instruction into the trace (single-steps everything, slowly). */
export function cmdRecord(ctx: CommandContext, args: string): CommandResult {
  const a = args.trim().toLowerCase();
  const on = a === '' || a === 'on' || a === 'full' || a === 'start';
  if (!on && a !== 'off' && a !== 'stop') throw new CmdError(`record on|off (got '${args.trim()}')`);
  ctx.dbg.record = on;
  ctx.out(on ? 'Recording every instruction into the trace (the machine runs much slower; "record off" to stop).'
    : 'Recording off: the trace keeps only single-stepped instructions.');
  return {};
}

/** C escapes in `input` text: \n \r \t \e \0 \\ \xNN. */
export function parseEscapes(text: string): number[] {
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, e: 27, '0': 0, a: 7, b: 8, '\\': 92, '"': 34, "'": 39 };
  const cs = Array.from(text); // code points, so UTF-8 encodes whole characters
  for (let i = 0; i < cs.length; i++) {
    if (cs[i] !== '\\') { out.push(...new TextEncoder().encode(cs[i])); continue; }
    const n = cs[++i];
    const hx = cs.slice(i + 1, i + 3).join('');
    if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(hx)) { out.push(parseInt(hx, 16)); i += 2; continue; }
    if (n === undefined || simple[n] === undefined) throw new CmdError(`bad escape '\\${n ?? ''}' (use \\n \\r \\t \\e \\0 \\\\ \\xNN)`);
    out.push(simple[n]);
  }
  return out;
}

/** `input TEXT`: queue bytes for the guest's UART receiver (no newline is added: write \n). */
export function cmdInput(ctx: CommandContext, args: string): CommandResult {
  const text = args.replace(/^ /, '');
  const bytes = parseEscapes(/^".*"$/.test(text.trim()) ? text.trim().slice(1, -1) : text);
  if (bytes.length === 0) throw new CmdError('input TEXT: nothing to send (C escapes allowed, e.g. input ls\\n)');
  ctx.dbg.board.input(bytes);
  return {};
}
