// The debugger's command set, shared by the REPL (cli/debug_repl.ts) and the
// GDB stub's `monitor` (qRcmd): one table of gdb-named commands (name,
// aliases, usage, help, handler), a dispatcher that accepts gdb's unique
// prefixes and `/FMT` suffixes, help, and tab completion.
//
// Nothing a user types escapes as an exception: every error becomes one line
// of output and `{ error: true }`.
//
// Entry points: executeCommand, completeCommand, describeStop, isRepeatable,
// COMMANDS, CommandContext, CommandResult.

import type { Debugger } from './debugger.ts';
import { type CommandContext, type CommandResult } from './cmd_util.ts';
import { cmdStep, cmdNext, cmdContinue, cmdFinish, cmdUntil, describeStop } from './cmd_run.ts';
import {
  cmdBreak, cmdWatch, cmdCatch, cmdDelete, cmdEnable, cmdCondition, cmdIgnore, infoBreakpoints,
} from './cmd_points.ts';
import { infoRegisters, cmdPrint, cmdSet, REGISTER_NAMES } from './cmd_regs.ts';
import { cmdExamine, cmdDisas } from './cmd_mem.ts';
import { cmdVtop, cmdTlb } from './cmd_mmu.ts';
import { infoDevices, infoSymbol, infoAddress, cmdTrace, cmdRecord, cmdInput } from './cmd_info.ts';

export type { CommandContext, CommandResult } from './cmd_util.ts';
export { describeStop } from './cmd_run.ts';

type Handler = (ctx: CommandContext, args: string, suffix: string) => CommandResult | Promise<CommandResult>;

export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  usage: string;
  /** One line for `help`. */
  summary: string;
  /** More for `help NAME`. */
  details?: string;
  /** Runs the machine (not available from gdb's `monitor`). */
  running?: boolean;
  /** An empty line at the REPL repeats it, as in gdb. */
  repeat?: boolean;
  run: Handler;
}

const INFO: CommandSpec[] = [
  { name: 'breakpoints', aliases: ['b', 'break', 'watchpoints'], usage: 'info breakpoints', summary: 'list breakpoints, watchpoints and catchpoints', run: (c) => infoBreakpoints(c) },
  { name: 'registers', aliases: ['r', 'all-registers'], usage: 'info registers [REG...]', summary: 'x0-x31, pc, the privilege mode and the CSRs (M, S, U), decoded', run: (c, a) => infoRegisters(c, a) },
  { name: 'devices', aliases: [], usage: 'info devices [NAME]', summary: 'the bus map: RAM, UART, CLINT, PLIC, virtio slots, with their state', run: (c, a) => infoDevices(c, a) },
  { name: 'symbol', aliases: [], usage: 'info symbol ADDR', summary: 'the symbol an address is in', run: (c, a) => infoSymbol(c, a) },
  { name: 'address', aliases: [], usage: 'info address SYMBOL', summary: 'where a symbol is', run: (c, a) => infoAddress(c, a) },
];

/**
 * Add an `info` topic (the booted system adds `info procs` and `info ipc`):
 * it shows in `help info`, completes, and runs at the prompt and through
 * gdb's `monitor`. A topic of the same name is replaced.
 */
export function addInfoCommand(spec: CommandSpec): void {
  const i = INFO.findIndex((s) => s.name === spec.name);
  if (i >= 0) INFO[i] = spec;
  else INFO.push(spec);
}

function cmdInfo(ctx: CommandContext, args: string): CommandResult | Promise<CommandResult> {
  const m = /^\s*(\S+)\s*(.*)$/.exec(args);
  if (!m) return out(ctx, `"info" must be followed by one of: ${INFO.map((s) => s.name).join(', ')}.`, true);
  const sub = lookup(INFO, m[1]);
  if (typeof sub === 'string') return out(ctx, sub.replace('command', 'info command'), true);
  return sub.run(ctx, m[2], '');
}

/** `run`: the machine already sits at the reset vector, so run means continue until it has started. */
function cmdRun(ctx: CommandContext, args: string): CommandResult | Promise<CommandResult> {
  const h = ctx.dbg.board.hart;
  if (h.retired === 0 && h.pc === 0x1000 && args.trim() === '') return cmdContinue(ctx, '');
  return out(ctx, 'The machine has already started (restarting is not supported): use continue, or stepi N to run N instructions.', true);
}

const BREAK_DETAILS = `LOCATION is an address expression: main, main+8, 0x80000010 or *0x80000010 (default: pc).
  mode M|S|U        stop only when the hart runs in that privilege mode
  satp EXPR|current stop only in the address space whose satp equals EXPR
  if COND           stop only when COND (an expression) is non-zero
Example: break handler mode S satp current if $a7 == 64`;

const X_DETAILS = `N: how many units (default 1). F: x hex, d signed, u unsigned, o octal, t binary,
c char, a address, z zero-padded hex, f float, s string, i instruction (default: the last used, x).
U: b byte, h halfword, w word (4), g giant (8) (default: the last used, w).
ADDR is virtual, through the hart's current translation; p:ADDR is physical.
A bare "x" continues after the last one. Device registers are not read (side effects).`;

/** The command table: what `help` lists, in this order. */
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'stepi', aliases: ['si', 'step', 's'], usage: 'stepi [N]', summary: 'execute N instructions (default 1), one at a time; also "run N instructions"', running: true, repeat: true,
    details: 'Stops early at a breakpoint, watchpoint or catchpoint. Without source lines, step is stepi.', run: (c, a) => cmdStep(c, a) },
  { name: 'nexti', aliases: ['ni', 'next', 'n'], usage: 'nexti [N]', summary: 'like stepi, but run a call (jal/jalr linking ra or t0) to its return', running: true, repeat: true, run: (c, a) => cmdNext(c, a) },
  { name: 'finish', aliases: ['fin'], usage: 'finish', summary: 'run until the current function returns; shows a0', running: true, repeat: true, run: (c) => cmdFinish(c) },
  { name: 'continue', aliases: ['c', 'fg'], usage: 'continue [N]', summary: 'run until a breakpoint, watchpoint, catchpoint, exit or Ctrl-C', running: true, repeat: true,
    details: 'N ignores the breakpoint just hit N-1 more times.', run: (c, a) => cmdContinue(c, a) },
  { name: 'until', aliases: ['u', 'advance'], usage: 'until ADDR', summary: 'run until pc reaches ADDR (or an earlier stop)', running: true, run: (c, a) => cmdUntil(c, a) },
  { name: 'run', aliases: ['r'], usage: 'run', summary: 'start the machine (it waits at the reset vector 0x1000): same as continue', running: true, run: (c, a) => cmdRun(c, a) },
  { name: 'break', aliases: ['b', 'br'], usage: 'break [LOCATION] [mode M|S|U] [satp EXPR|current] [if COND]', summary: 'set a breakpoint', details: BREAK_DETAILS, run: (c, a) => cmdBreak(c, a, false) },
  { name: 'tbreak', aliases: ['tb'], usage: 'tbreak [LOCATION] [mode M|S|U] [satp EXPR] [if COND]', summary: 'set a breakpoint deleted when hit', details: BREAK_DETAILS, run: (c, a) => cmdBreak(c, a, true) },
  { name: 'watch', aliases: [], usage: 'watch [p:]ADDR [LEN]', summary: 'stop after every write to LEN bytes (default 4) at ADDR; p: for physical',
    details: 'Reports the old and new value. Unlike gdb, a write of the same value also stops.', run: (c, a) => cmdWatch(c, a, 'watch') },
  { name: 'rwatch', aliases: [], usage: 'rwatch [p:]ADDR [LEN]', summary: 'stop after every read of ADDR', run: (c, a) => cmdWatch(c, a, 'rwatch') },
  { name: 'awatch', aliases: [], usage: 'awatch [p:]ADDR [LEN]', summary: 'stop after every read or write of ADDR', run: (c, a) => cmdWatch(c, a, 'awatch') },
  { name: 'catch', aliases: [], usage: 'catch CAUSE...', summary: 'stop at the trap handler when a trap is taken',
    details: 'CAUSE: page-fault, ecall, illegal, breakpoint, misaligned, access-fault, interrupt, timer, external, software, any, a cause name (load-page-fault, ecall-from-u, ...) or number.', run: (c, a) => cmdCatch(c, a) },
  { name: 'delete', aliases: ['d'], usage: 'delete [N...]', summary: 'delete points N (all when none is given)', run: (c, a) => cmdDelete(c, a) },
  { name: 'disable', aliases: ['dis', 'disa'], usage: 'disable [N...]', summary: 'disable points N (all when none is given)', run: (c, a) => cmdEnable(c, a, false) },
  { name: 'enable', aliases: ['en'], usage: 'enable [N...]', summary: 'enable points N (all when none is given)', run: (c, a) => cmdEnable(c, a, true) },
  { name: 'condition', aliases: [], usage: 'condition N [COND]', summary: 'set (or with no COND remove) the condition of breakpoint N', run: (c, a) => cmdCondition(c, a) },
  { name: 'ignore', aliases: [], usage: 'ignore N COUNT', summary: 'pass breakpoint N silently COUNT times', run: (c, a) => cmdIgnore(c, a) },
  {
    name: 'info', aliases: ['i'], summary: 'show breakpoints, registers, devices, symbols',
    get usage() { return `info ${INFO.map((s) => s.name).join('|')} ...`; },
    get details() { return INFO.map((s) => `  ${s.usage.padEnd(26)} ${s.summary}`).join('\n'); },
    run: (c, a) => cmdInfo(c, a),
  },
  { name: 'print', aliases: ['p', 'inspect'], usage: 'print[/x|d|u|o|t|c|a|z] EXPR', summary: 'evaluate an expression ($reg, CSR names, symbols, *ADDR, C operators)',
    details: 'Results are kept as $1, $2, ... ($ is the last). *ADDR reads a word through the current translation.', run: (c, a, s) => cmdPrint(c, a, s) },
  { name: 'set', aliases: [], usage: 'set $REG = EXPR | set var SYM = EXPR | set *ADDR = EXPR | set {char|short|int} ADDR = EXPR', summary: 'change a register, CSR, pc, $priv or memory',
    details: 'Registers: x0-x31 by any name, pc, priv (M, S or U) and every CSR (WARL fields legalised as the hart does). Memory: 4 bytes unless {type}; p:ADDR for physical.', run: (c, a) => cmdSet(c, a) },
  { name: 'x', aliases: [], usage: 'x/NFU [p:]ADDR', summary: 'examine memory', details: X_DETAILS, repeat: true, run: (c, a, s) => cmdExamine(c, a, s) },
  { name: 'disassemble', aliases: ['disas'], usage: 'disassemble [/r] [ADDR [N] | START,END | START,+LEN]', summary: 'disassemble the function around pc (or ADDR), or N instructions; => marks pc',
    run: (c, a, s) => cmdDisas(c, a, s) },
  { name: 'vtop', aliases: [], usage: 'vtop VA [r|w|x] [M|S|U]', summary: 'walk the Sv32 page tables for VA: each PTE, its flags, the PA or the fault',
    details: 'The access defaults to a load (r), the mode to the one the hart would use (from M-mode: mstatus.MPP, or S).', run: (c, a) => cmdVtop(c, a) },
  { name: 'tlb', aliases: [], usage: 'tlb', summary: 'the valid entries of the fetch, load and store TLBs (VA page -> PA page)', run: (c) => cmdTlb(c) },
  { name: 'trace', aliases: [], usage: 'trace [N]', summary: 'the last N retired instructions (default 20): mode, pc, word, registers and memory touched', run: (c, a) => cmdTrace(c, a) },
  { name: 'record', aliases: [], usage: 'record on|off', summary: 'record every instruction into the trace (slow), or only stepped ones', run: (c, a) => cmdRecord(c, a) },
  { name: 'input', aliases: [], usage: 'input TEXT', summary: 'send TEXT to the guest\'s UART (C escapes: \\n \\r \\t \\xNN; no newline is added)', run: (c, a) => cmdInput(c, a) },
  { name: 'interrupt', aliases: [], usage: 'interrupt', summary: 'stop a machine running in the background ("continue &", REPL only; Ctrl-C does the same)',
    run: (c) => out(c, 'The machine is not running in the background.', true) },
  { name: 'help', aliases: ['h'], usage: 'help [COMMAND]', summary: 'list the commands, or explain one', run: (c, a) => cmdHelp(c, a) },
  { name: 'quit', aliases: ['q', 'exit'], usage: 'quit', summary: 'leave the debugger', run: () => ({ quit: true }) },
];

function out(ctx: CommandContext, text: string, error = false): CommandResult {
  ctx.out(text);
  return error ? { error } : {};
}

/** A command by exact name or alias, else by unique prefix of a name; a string is the error. */
function lookup(table: readonly CommandSpec[], word: string): CommandSpec | string {
  const w = word.toLowerCase();
  const exact = table.find((c) => c.name === w || c.aliases.includes(w));
  if (exact) return exact;
  const hits = table.filter((c) => c.name.startsWith(w) || c.aliases.some((a) => a.startsWith(w)));
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return `Ambiguous command "${word}": ${hits.map((c) => c.name).sort().join(', ')}.`;
  return `Undefined command: "${word}".  Try "help".`;
}

function cmdHelp(ctx: CommandContext, args: string): CommandResult {
  const words = args.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) {
    const lines = ['Commands (gdb names; unique prefixes work; an empty line repeats stepping commands):'];
    for (const c of COMMANDS) {
      const names = [c.name, ...c.aliases.filter((a) => a.length < c.name.length)].join(', ');
      lines.push(`  ${names.padEnd(22)} ${c.summary}`);
    }
    lines.push('Type "help COMMAND" for its syntax. At the REPL, "CMD &" runs a running command in the background.');
    return out(ctx, lines.join('\n'));
  }
  const c = lookup(COMMANDS, words[0]);
  if (typeof c === 'string') return out(ctx, c, true);
  if (c.name === 'info' && words[1]) {
    const s = lookup(INFO, words[1]);
    if (typeof s === 'string') return out(ctx, s, true);
    return out(ctx, `${s.usage}\n  ${s.summary}`);
  }
  const aliases = c.aliases.length ? `\n  Aliases: ${c.aliases.join(', ')}` : '';
  const running = c.running ? '\n  Runs the machine (Ctrl-C stops it); not available from gdb\'s monitor.' : '';
  return out(ctx, `${c.usage}\n  ${c.summary}${c.details ? '\n' + c.details.replace(/^/gm, '  ') : ''}${aliases}${running}`);
}

/** `NAME[/FMT] ARGS` -> its parts, or undefined for an empty line or a comment. */
function parseLine(line: string): { word: string; suffix: string; args: string } | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const m = /^([A-Za-z][\w-]*)(\/\S*)?(?:\s+([\s\S]*))?$/.exec(t);
  if (!m) return { word: t.split(/\s/)[0], suffix: '', args: '' };
  return { word: m[1], suffix: m[2] ?? '', args: m[3] ?? '' };
}

/** Run one command line. Never throws: errors are printed as one line with `error: true`. */
export async function executeCommand(ctx: CommandContext, line: string): Promise<CommandResult> {
  try {
    const p = parseLine(line);
    if (!p) return {};
    const spec = lookup(COMMANDS, p.word);
    if (typeof spec === 'string') return out(ctx, /^[A-Za-z]/.test(p.word) ? spec : `Invalid command "${p.word}".  Try "help".`, true);
    if (p.suffix && !['x', 'print', 'disassemble'].includes(spec.name)) return out(ctx, `"${spec.name}" takes no /FORMAT`, true);
    return await spec.run(ctx, p.args, p.suffix);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return out(ctx, msg.split('\n')[0] || 'error', true);
  }
}

/** Does an empty line after `line` repeat it (stepping commands and x, as in gdb)? */
export function isRepeatable(line: string): boolean {
  const p = parseLine(line);
  if (!p) return false;
  const spec = lookup(COMMANDS, p.word);
  return typeof spec !== 'string' && spec.repeat === true;
}

const CATCH_WORDS = ['page-fault', 'ecall', 'illegal', 'breakpoint', 'misaligned', 'access-fault', 'interrupt', 'timer', 'external', 'software', 'any',
  'load-page-fault', 'store-page-fault', 'fetch-page-fault', 'ecall-from-u', 'ecall-from-s', 'ecall-from-m'];

/** Completions for the last word of `partial` (a command, an info topic, a $register, a symbol, a catch cause). */
export function completeCommand(dbg: Debugger, partial: string): string[] {
  const words = partial.replace(/^\s+/, '').split(/\s+/);
  const last = words[words.length - 1];
  let pool: string[];
  if (words.length === 1) pool = [...COMMANDS.map((c) => c.name), 'disas'];
  else {
    const cmd = lookup(COMMANDS, words[0].replace(/\/.*$/, ''));
    const name = typeof cmd === 'string' ? '' : cmd.name;
    if (name === 'info' && words.length === 2) pool = INFO.map((s) => s.name);
    else if (name === 'help' && words.length === 2) pool = COMMANDS.map((c) => c.name);
    else if (name === 'catch') pool = CATCH_WORDS;
    else if (name === 'record' && words.length === 2) pool = ['on', 'off'];
    else if (last.startsWith('$')) pool = REGISTER_NAMES.map((r) => `$${r}`);
    else if (last.startsWith('*')) pool = [...dbg.symbols.keys()].map((s) => `*${s}`);
    else if (name === 'info' && /^r/.test(words[1])) pool = [...REGISTER_NAMES];
    else pool = [...dbg.symbols.keys()];
  }
  return [...new Set(pool.filter((w) => w.startsWith(last)))].sort();
}
