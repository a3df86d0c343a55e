// Registers and values: `info registers` (x0-x31 with ABI names, pc, the
// privilege mode, then the CSRs grouped M/S/U with their fields decoded),
// `print` with gdb's /FMT letters and value history, and `set` for
// registers, CSRs, pc, the privilege mode and memory.
//
// Entry points: infoRegisters, cmdPrint, cmdSet, formatValue, REGISTER_NAMES.

import { ABI_NAMES, regNumber } from '../isa/regs.ts';
import { CSR, csrNumber, csrReadOnly } from '../isa/csr_table.ts';
import { csrRead, csrWrite } from '../cpu/csr.ts';
import { MSTATUS as MS, CAUSE_NAMES, INTERRUPT_NAMES, INTERRUPT_FLAG } from '../cpu/bits.ts';
import type { Debugger } from './debugger.ts';
import {
  CmdError, evalExpr, hex, hex8, parsePriv, privLetter, session, splitAddress, symTag, writeMemory,
  type CommandContext, type CommandResult,
} from './cmd_util.ts';

const PRIV_WORD: Record<number, string> = { 0: 'U (user)', 1: 'S (supervisor)', 3: 'M (machine)' };
const IRQ_BITS: readonly [number, string][] = [[1, 'SSI'], [3, 'MSI'], [5, 'STI'], [7, 'MTI'], [9, 'SEI'], [11, 'MEI']];

/** mstatus / sstatus fields: MPP and SPP always, the single-bit flags when set. */
function decodeStatus(v: number, machine: boolean): string {
  const f: string[] = [];
  if (machine) f.push(`MPP=${privLetter((v & MS.MPP) >>> MS.MPP_SHIFT)}`);
  f.push(`SPP=${v & MS.SPP ? 'S' : 'U'}`);
  const flags: [number, string, boolean][] = [
    [MS.MIE, 'MIE', true], [MS.MPIE, 'MPIE', true], [MS.SIE, 'SIE', false], [MS.SPIE, 'SPIE', false],
    [MS.MPRV, 'MPRV', true], [MS.SUM, 'SUM', false], [MS.MXR, 'MXR', false], [MS.TVM, 'TVM', true],
    [MS.TW, 'TW', true], [MS.TSR, 'TSR', true],
  ];
  for (const [bit, name, mOnly] of flags) if ((v & bit) !== 0 && (machine || !mOnly)) f.push(name);
  return bracket(f);
}

const bracket = (names: string[]): string => (names.length ? `[ ${names.join(' ')} ]` : '[ ]');

function decodeIrqs(v: number, suffix: string): string {
  return bracket(IRQ_BITS.filter(([b]) => (v >>> b) & 1).map(([, n]) => n + suffix));
}

function decodeCause(v: number): string {
  return v & INTERRUPT_FLAG ? `${INTERRUPT_NAMES[v & 0x7fffffff] ?? 'unknown'} interrupt` : CAUSE_NAMES[v] ?? (v === 0 ? '' : 'unknown');
}

function decodeDeleg(v: number, interrupts: boolean): string {
  if (interrupts) return decodeIrqs(v, '');
  const names: string[] = [];
  for (let c = 0; c < 16; c++) if ((v >>> c) & 1) names.push(CAUSE_NAMES[c] ?? String(c));
  return bracket(names);
}

function decodeTvec(dbg: Debugger, v: number): string {
  return `${symTag(dbg, v & ~3).trim()} (${(v & 3) === 1 ? 'vectored' : 'direct'})`.trim();
}

export function decodeSatp(v: number): string {
  if ((v >>> 31) === 0) return 'Bare (no translation)';
  const ppn = v & 0x3fffff;
  return `Sv32 ASID=${(v >>> 22) & 0x1ff} root table ${hex8(ppn * 4096)}`;
}

function decodeMisa(v: number): string {
  let ext = '';
  for (let i = 0; i < 26; i++) if ((v >>> i) & 1) ext += String.fromCharCode(65 + i);
  return `RV32${ext}`;
}

interface CsrShow { name: string; group: 'M' | 'S' | 'U'; decode?: (v: number, dbg: Debugger) => string; wide?: boolean; ifNonZero?: boolean }

/** The CSRs `info registers` shows, in the order it shows them, with how each one is decoded. */
export const CSR_SHOW: readonly CsrShow[] = [
  { name: 'mstatus', group: 'M', decode: (v) => decodeStatus(v, true) },
  { name: 'misa', group: 'M', decode: decodeMisa },
  { name: 'medeleg', group: 'M', decode: (v) => decodeDeleg(v, false) },
  { name: 'mideleg', group: 'M', decode: (v) => decodeDeleg(v, true) },
  { name: 'mie', group: 'M', decode: (v) => decodeIrqs(v, 'E') },
  { name: 'mip', group: 'M', decode: (v) => decodeIrqs(v, 'P') },
  { name: 'mtvec', group: 'M', decode: (v, d) => decodeTvec(d, v) },
  { name: 'mscratch', group: 'M' },
  { name: 'mepc', group: 'M', decode: (v, d) => symTag(d, v).trim() },
  { name: 'mcause', group: 'M', decode: decodeCause },
  { name: 'mtval', group: 'M' },
  { name: 'mcounteren', group: 'M' },
  { name: 'menvcfg', group: 'M' },
  { name: 'mcountinhibit', group: 'M' },
  { name: 'mhartid', group: 'M' },
  { name: 'mcycle', group: 'M', wide: true },
  { name: 'minstret', group: 'M', wide: true },
  ...[0, 1, 2, 3].map((i): CsrShow => ({ name: `pmpcfg${i}`, group: 'M', ifNonZero: true })),
  ...Array.from({ length: 16 }, (_, i): CsrShow => ({ name: `pmpaddr${i}`, group: 'M', ifNonZero: true })),
  { name: 'sstatus', group: 'S', decode: (v) => decodeStatus(v, false) },
  { name: 'sie', group: 'S', decode: (v) => decodeIrqs(v, 'E') },
  { name: 'sip', group: 'S', decode: (v) => decodeIrqs(v, 'P') },
  { name: 'stvec', group: 'S', decode: (v, d) => decodeTvec(d, v) },
  { name: 'sscratch', group: 'S' },
  { name: 'sepc', group: 'S', decode: (v, d) => symTag(d, v).trim() },
  { name: 'scause', group: 'S', decode: decodeCause },
  { name: 'stval', group: 'S' },
  { name: 'satp', group: 'S', decode: decodeSatp },
  { name: 'scounteren', group: 'S' },
  { name: 'senvcfg', group: 'S' },
  { name: 'cycle', group: 'U', wide: true },
  { name: 'time', group: 'U', wide: true },
  { name: 'instret', group: 'U', wide: true },
];

/** Every register name `p $NAME`, `set $NAME` and completion accept. */
export const REGISTER_NAMES: readonly string[] = [
  'pc', 'priv', ...ABI_NAMES, 'fp', ...Array.from({ length: 32 }, (_, i) => `x${i}`), ...Object.keys(CSR),
];

function csrValue(dbg: Debugger, name: string): number {
  return csrRead(dbg.board.hart, CSR[name]) ?? 0;
}

/** A 64-bit counter from its low CSR and the matching high one. */
function wideValue(dbg: Debugger, name: string): string {
  const lo = csrValue(dbg, name) >>> 0, hi = csrValue(dbg, `${name}h`) >>> 0;
  return `0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}  ${hi * 4294967296 + lo}`;
}

const row = (name: string, value: string, natural: string): string => `${name.padEnd(14)}${value.padEnd(12)}${natural}`.trimEnd();

function gprRows(dbg: Debugger, which?: number): string[] {
  const h = dbg.board.hart;
  const rows: string[] = [];
  for (let i = 0; i < 32; i++) {
    if (which !== undefined && i !== which) continue;
    const v = h.x[i];
    const sym = i === 0 ? '' : symTag(dbg, v).trim();
    rows.push(row(`${ABI_NAMES[i]} (x${i})`, hex8(v), sym || String(v)));
  }
  return rows;
}

function csrRow(dbg: Debugger, c: CsrShow): string | undefined {
  if (c.wide) return row(c.name, '', '').padEnd(14) + wideValue(dbg, c.name);
  const v = csrValue(dbg, c.name);
  if (c.ifNonZero && v === 0) return undefined;
  return row(c.name, hex8(v), c.decode?.(v, dbg) ?? '');
}

function modeRow(dbg: Debugger): string {
  const h = dbg.board.hart;
  const notes: string[] = [];
  if (h.priv === 3 && h.mstatus & MS.MPRV) notes.push(`loads and stores as ${privLetter((h.mstatus & MS.MPP) >>> MS.MPP_SHIFT)} (MPRV)`);
  if (h.wfi) notes.push('waiting in wfi');
  return row('priv', PRIV_WORD[h.priv] ?? String(h.priv), notes.length ? `(${notes.join('; ')})` : '');
}

/** `info registers [REG...]`: everything, or the named registers (CSRs decoded). */
export function infoRegisters(ctx: CommandContext, args: string): CommandResult {
  const dbg = ctx.dbg, h = dbg.board.hart;
  const names = args.trim().split(/[\s,]+/).filter((s) => s !== '').map((s) => s.replace(/^\$/, '').toLowerCase());
  if (names.length === 0 || names.includes('all')) {
    const lines = [...gprRows(dbg), row('pc', hex8(h.pc), symTag(dbg, h.pc).trim()), modeRow(dbg)];
    for (const [g, title] of [['M', 'machine'], ['S', 'supervisor'], ['U', 'user']] as const) {
      lines.push(`--- ${g}-mode CSRs (${title}) ---`);
      for (const c of CSR_SHOW) if (c.group === g) { const r = csrRow(dbg, c); if (r) lines.push(r); }
    }
    ctx.out(lines.join('\n'));
    return {};
  }
  const lines: string[] = [];
  for (const n of names) {
    if (n === 'pc') lines.push(row('pc', hex8(h.pc), symTag(dbg, h.pc).trim()));
    else if (n === 'priv' || n === 'mode') lines.push(modeRow(dbg));
    else if (regNumber(n) >= 0) lines.push(...gprRows(dbg, regNumber(n)));
    else if (csrNumber(n) >= 0) {
      const c = CSR_SHOW.find((s) => s.name === n) ?? { name: n, group: 'M' as const };
      lines.push(csrRow(dbg, { ...c, ifNonZero: false })!);
    } else throw new CmdError(`Invalid register \`${n}'`);
  }
  ctx.out(lines.join('\n'));
  return {};
}

/** A value in one of gdb's print formats (x d u o t c a z), or the natural one. */
export function formatValue(dbg: Debugger, v: number, fmt: string, bits = 32): string {
  const u = bits === 32 ? v >>> 0 : v & ((1 << bits) - 1);
  const signed = bits === 32 ? v | 0 : (u << (32 - bits)) >> (32 - bits);
  switch (fmt) {
    case 'x': return hex(u);
    case 'z': return '0x' + u.toString(16).padStart(bits / 4, '0');
    case 'd': return String(signed);
    case 'u': return String(u);
    case 'o': return u === 0 ? '0' : '0' + u.toString(8);
    case 't': return u.toString(2);
    case 'c': return `${signed} ${charLiteral(u & 0xff)}`;
    case 'a': return hex(u) + symTag(dbg, u);
    case '': return String(signed);
    default: throw new CmdError(`Undefined output format "${fmt}".`);
  }
}

export function charLiteral(b: number): string {
  const esc: Record<number, string> = { 0: '\\000', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' };
  if (esc[b]) return `'${esc[b]}'`;
  return b >= 32 && b < 127 ? `'${String.fromCharCode(b)}'` : `'\\${b.toString(8).padStart(3, '0')}'`;
}

/** Code and data pointers print as addresses by default (gdb's types for pc, ra, sp, gp, tp). */
const POINTER_REGS = /^\$(pc|ra|sp|gp|tp|[ms]epc|[ms]tvec)$/i;

/** `print[/FMT] EXPR`: `$N = value`, kept in the value history. */
export function cmdPrint(ctx: CommandContext, args: string, fmt: string): CommandResult {
  const dbg = ctx.dbg;
  const f = fmt.replace(/^\//, '');
  if (!/^[xduotcaz]?$/.test(f)) throw new CmdError(`Undefined output format "${f}".`);
  const text = args.trim() === '' ? '$' : args;
  const v = evalExpr(dbg, text);
  const hist = session(dbg).history;
  hist.push(v);
  // Symbols stand for addresses, so an expression naming one prints as an address too.
  const pointer = POINTER_REGS.test(text.trim()) || /(^|[^$\w.])[A-Za-z_.][\w.]*/.test(text.trim());
  const natural = f === '' && pointer ? 'a' : f;
  ctx.out(`$${hist.length} = ${formatValue(dbg, v, natural)}`);
  return {};
}

/** Index of the `=` of an assignment (not part of ==, <=, >=, !=), or -1. */
function assignAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '=') continue;
    if (text[i + 1] === '=' || /[=<>!]/.test(text[i - 1] ?? '')) { i++; continue; }
    return i;
  }
  return -1;
}

const GDB_SETTINGS = /^(confirm|pagination|height|width|print\s|logging|verbose|listsize)\b/;
const TYPE_SIZES: Record<string, number> = { char: 1, b: 1, short: 2, h: 2, int: 4, long: 4, w: 4 };

/** `set $reg = V`, `set var X = V`, `set *ADDR = V`, `set {char} ADDR = V` (p: for physical). */
export function cmdSet(ctx: CommandContext, args: string): CommandResult {
  let text = args.trim();
  if (GDB_SETTINGS.test(text)) return {}; // gdb scripts' settings: nothing to do here
  text = text.replace(/^var(iable)?\s+/, '');
  const eq = assignAt(text);
  if (eq < 0) throw new CmdError(`expected an assignment: set $REG = EXPR, set *ADDR = EXPR (got '${text}')`);
  const lhs = text.slice(0, eq).trim(), rhs = text.slice(eq + 1);
  const dbg = ctx.dbg;
  if (lhs.startsWith('$')) return setRegister(dbg, lhs.slice(1).toLowerCase(), rhs);
  const typed = /^\{\s*(\w+)\s*\}\s*(.+)$/.exec(lhs);
  let size = 4, target = lhs;
  if (typed) {
    size = TYPE_SIZES[typed[1]] ?? 0;
    if (!size) throw new CmdError(`unknown type {${typed[1]}} (char, short or int)`);
    target = typed[2];
  } else if (lhs.startsWith('*')) target = lhs.slice(1);
  else if (!dbg.symbols.has(lhs)) throw new CmdError(`cannot assign to '${lhs}' (a $register, *ADDR, {type} ADDR or a symbol)`);
  const { addr, phys } = splitAddress(dbg, target);
  const v = evalExpr(dbg, rhs);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (v >>> (8 * i)) & 0xff;
  writeMemory(dbg, addr, bytes, phys);
  return {};
}

function setRegister(dbg: Debugger, name: string, rhs: string): CommandResult {
  const h = dbg.board.hart;
  if (name === 'priv' || name === 'mode') {
    const t = rhs.trim();
    h.setPriv(/^[msu]$/i.test(t) ? parsePriv(t) : parsePriv(String(evalExpr(dbg, t))));
    return {};
  }
  const v = evalExpr(dbg, rhs);
  if (name === 'pc') {
    if (v & 3) throw new CmdError(`pc must be 4-byte aligned (got ${hex(v)})`);
    h.pc = v | 0;
    return {};
  }
  const r = regNumber(name);
  if (r === 0) throw new CmdError('x0 (zero) is hardwired to 0');
  if (r > 0) { h.x[r] = v; return {}; }
  const c = csrNumber(name);
  if (c < 0 || csrRead(h, c) === undefined) throw new CmdError(`Invalid register \`${name}'`);
  if (csrReadOnly(c)) throw new CmdError(`${name} is read-only${/^(cycle|instret)h?$/.test(name) ? ` (write m${name})` : ''}`);
  csrWrite(h, c, v, true);
  h.mmu.flush();
  return {};
}
