// Assembler directives that emit data or set section and symbol properties:
// sections, symbol binding/type/size, data (.word ... .string), alignment,
// space/fill/org, .equ/.set, .option, and the accepted-and-ignored ones.
// Directives that steer the input (.include, .macro, .rept, .if, .end) live
// in control.ts.
//
// Entry points: DIRECTIVES, Dir, argList.

import type { Token } from './lexer.ts';
import type { Asm, Sym } from './state.ts';
import type { Source } from './source.ts';
import { sectionDefaults, type SectionFlags } from './sections.ts';

/** A directive statement: `toks[start..]` are its arguments, `raw` their source text. */
export interface Dir {
  asm: Asm;
  src: Source;
  name: string;
  toks: readonly Token[];
  start: number;
  raw: string;
  rawCol: number;
  /** Column of the directive name itself. */
  col: number;
  endCol: number;
}

export interface Arg {
  toks: Token[];
  col: number;
}

/** Arguments split at top-level commas; empty ones (`.balign 8, , 4`) are kept empty. */
export function argList(d: Dir): Arg[] {
  const out: Arg[] = [];
  if (d.start >= d.toks.length) return out;
  let depth = 0, cur: Token[] = [], col = d.toks[d.start].col;
  for (let i = d.start; i < d.toks.length; i++) {
    const t = d.toks[i];
    if (t.k === 'op' && t.s === '(') depth++;
    if (t.k === 'op' && t.s === ')') depth--;
    if (t.k === 'op' && t.s === ',' && depth === 0) {
      out.push({ toks: cur, col });
      cur = [];
      col = t.col + 1;
      continue;
    }
    cur.push(t);
  }
  out.push({ toks: cur, col });
  return out;
}

/** Bound on a section's size, so a typo in .space cannot exhaust the host's memory. */
const MAX_SECTION = 64 << 20;

function need(d: Dir, args: Arg[], min: number, max: number, syntax: string): void {
  if (args.length < min || (min > 0 && args.slice(0, min).some((a) => a.toks.length === 0))) {
    const a = args.find((x) => x.toks.length === 0);
    d.asm.fail(a ? a.col : d.endCol, `missing operand: ${d.name} takes ${syntax}`);
  }
  if (args.length > max) d.asm.fail(args[max].col, `too many operands: ${d.name} takes ${syntax}`);
}

function constArg(d: Dir, a: Arg, what: string): bigint {
  return d.asm.constNow(d.asm.expr(a.toks), a.col, what);
}

function symbolName(d: Dir, a: Arg): string {
  if (a.toks.length !== 1 || a.toks[0].k !== 'id') d.asm.fail(a.col, `expected a symbol name, found '${a.toks.map((t) => t.s).join('')}'`);
  return a.toks[0].s;
}

/** Room for `n` more bytes in the current section. */
function room(d: Dir, n: bigint, col: number): number {
  if (n < 0n) d.asm.fail(col, `${d.name}: size ${n} is negative`);
  if (BigInt(d.asm.cur.size) + n > BigInt(MAX_SECTION)) d.asm.fail(col, `${d.name}: section ${d.asm.cur.name} would exceed 64 MiB`);
  return Number(n);
}

// --- sections --------------------------------------------------------------

/** Split raw directive text at commas outside quotes. */
function rawParts(raw: string): string[] {
  const out: string[] = [];
  let cur = '', quote = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quote = !quote;
    if (ch === ',' && !quote) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const unquote = (s: string): string => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

function sectionFlags(d: Dir, name: string, parts: string[]): SectionFlags | undefined {
  if (parts.length < 2) return undefined;
  const f = parts[1];
  if (!/^"[^"]*"$/.test(f)) d.asm.fail(d.rawCol, `.section flags must be a quoted string like "ax", found '${f}'`);
  const letters = unquote(f);
  const bad = /[^awxMSGTRoe?d]/.exec(letters);
  if (bad) d.asm.fail(d.rawCol, `unknown section flag '${bad[0]}' in "${letters}": expected letters from "awx"`);
  const type = (parts[2] ?? '').replace(/^[@%]/, '');
  if (type && !['progbits', 'nobits', 'note', 'init_array', 'fini_array', 'preinit_array'].includes(type)) {
    d.asm.fail(d.rawCol, `unknown section type '${parts[2]}': expected @progbits or @nobits`);
  }
  const nobits = type ? type === 'nobits' : sectionDefaults(name).nobits;
  return { alloc: letters.includes('a'), write: letters.includes('w'), exec: letters.includes('x'), nobits };
}

function doSection(d: Dir): void {
  const parts = rawParts(d.raw);
  const name = unquote(parts[0]);
  if (!name) d.asm.fail(d.endCol, `missing operand: ${d.name} takes NAME[, "flags"[, @type]]`);
  if (/\s/.test(name)) d.asm.fail(d.rawCol, `bad section name '${name}'`);
  const flags = sectionFlags(d, name, parts);
  if (d.name === '.pushsection') d.asm.secStack.push({ cur: d.asm.cur, prev: d.asm.prev });
  const existed = d.asm.sections.has(name);
  const s = d.asm.section(name, flags);
  // Flags given before anything is emitted win (gas would warn about a change later on).
  if (flags && existed && s.size === 0) s.flags = flags;
  d.asm.switchTo(s);
}

function simpleSection(name: string) {
  return (d: Dir): void => { d.asm.switchTo(d.asm.section(name)); };
}

function popSection(d: Dir): void {
  const top = d.asm.secStack.pop();
  if (!top) d.asm.fail(d.col, '.popsection without .pushsection');
  d.asm.cur = top.cur;
  d.asm.prev = top.prev;
}

function previous(d: Dir): void {
  const p = d.asm.prev;
  d.asm.prev = d.asm.cur;
  d.asm.cur = p;
}

// --- symbols -----------------------------------------------------------------

function binding(bind: Sym['bind']) {
  return (d: Dir): void => {
    const args = argList(d);
    need(d, args, 1, Infinity, 'symbol[, symbol...]');
    for (const a of args) d.asm.symbol(symbolName(d, a)).bind = bind;
  };
}

const TYPES: Readonly<Record<string, Sym['type']>> = {
  function: 'FUNC', stt_func: 'FUNC', object: 'OBJECT', stt_object: 'OBJECT', notype: 'NOTYPE', stt_notype: 'NOTYPE',
};

function doType(d: Dir): void {
  const args = argList(d);
  need(d, args, 2, 2, 'symbol, @function|@object');
  const t = args[1].toks.filter((x) => !(x.k === 'op' && (x.s === '@' || x.s === '%')));
  const word = t.length === 1 ? t[0].s.toLowerCase() : '';
  const type = TYPES[word];
  if (!type) d.asm.fail(args[1].col, `unknown symbol type '${args[1].toks.map((x) => x.s).join('')}': expected @function, @object or @notype`);
  d.asm.symbol(symbolName(d, args[0])).type = type;
}

function doSize(d: Dir): void {
  const args = argList(d);
  need(d, args, 2, 2, 'symbol, size');
  const s = d.asm.symbol(symbolName(d, args[0]));
  s.sizeExpr = d.asm.expr(args[1].toks);
  s.sizeLoc = d.asm.at(args[1].col);
}

function doSet(d: Dir): void {
  const args = argList(d);
  need(d, args, 2, 2, 'symbol, expression');
  d.asm.setSymbol(symbolName(d, args[0]), d.asm.expr(args[1].toks), args[0].col, d.name === '.equiv');
}

// --- data --------------------------------------------------------------------

function dataOf(size: number) {
  return (d: Dir): void => {
    const args = argList(d);
    need(d, args, 1, Infinity, 'expression[, expression...]');
    for (const a of args) {
      if (a.toks.length === 0) d.asm.fail(a.col, `missing operand: ${d.name} takes expression[, expression...]`);
      if (a.toks[0].k === 'str') d.asm.fail(a.col, `expected an expression, found a string (use .ascii for text)`);
      d.asm.data(d.asm.expr(a.toks), size, a.col);
    }
  };
}

function strings(zero: boolean) {
  return (d: Dir): void => {
    const args = argList(d);
    need(d, args, 1, Infinity, '"string"[, "string"...]');
    for (const a of args) {
      if (a.toks.length !== 1 || a.toks[0].k !== 'str') d.asm.fail(a.col, `expected a string in double quotes, found '${a.toks.map((t) => t.s).join('')}'`);
      const bytes = a.toks[0].s + (zero ? '\0' : '');
      if (!d.asm.cur.emitBytes(bytes)) d.asm.fail(a.col, `non-zero data in section ${d.asm.cur.name}, which holds no data (nobits)`);
    }
  };
}

function space(d: Dir): void {
  const args = argList(d);
  need(d, args, 1, d.name === '.zero' ? 1 : 2, d.name === '.zero' ? 'size' : 'size[, fill]');
  const n = room(d, constArg(d, args[0], `${d.name} size`), args[0].col);
  const fill = args[1]?.toks.length ? Number(BigInt.asUintN(8, constArg(d, args[1], 'fill value'))) : 0;
  if (!d.asm.cur.emitFill(n, fill)) d.asm.fail(args[1].col, `non-zero fill in section ${d.asm.cur.name}, which holds no data (nobits)`);
}

function fill(d: Dir): void {
  const args = argList(d);
  need(d, args, 1, 3, 'repeat[, size[, value]]');
  const rep = constArg(d, args[0], '.fill repeat count');
  const size = args[1]?.toks.length ? constArg(d, args[1], '.fill size') : 1n;
  if (size < 0n || size > 8n) d.asm.fail(args[1].col, `.fill size ${size} out of range: must be in [0, 8]`);
  room(d, rep * size, args[0].col);
  const value = args[2]?.toks.length ? constArg(d, args[2], '.fill value') : 0n;
  // gas fills from an 8-byte number whose upper 4 bytes are zero.
  let v = BigInt.asUintN(32, value), unit = '';
  for (let i = 0n; i < size; i++, v >>= 8n) unit += String.fromCharCode(Number(v & 0xffn));
  if (rep > 0n && !d.asm.cur.emitBytes(unit.repeat(Number(rep)))) {
    d.asm.fail(args[2].col, `non-zero fill in section ${d.asm.cur.name}, which holds no data (nobits)`);
  }
}

function org(d: Dir): void {
  const args = argList(d);
  need(d, args, 1, 2, 'offset[, fill]');
  const v = d.asm.evalNow(d.asm.expr(args[0].toks));
  if (!v || (v.sec && v.sec !== d.asm.cur)) d.asm.fail(args[0].col, '.org needs a constant or a location in the current section');
  const target = v.v, cur = BigInt(d.asm.cur.size);
  if (target < cur) d.asm.fail(args[0].col, `.org ${target} would move the location backwards (it is already ${cur})`);
  const fillv = args[1]?.toks.length ? Number(BigInt.asUintN(8, constArg(d, args[1], 'fill value'))) : 0;
  d.asm.cur.emitFill(room(d, target - cur, args[0].col), fillv);
}

// --- alignment -------------------------------------------------------------------

function align(kind: 'pow' | 'bytes') {
  return (d: Dir): void => {
    const args = argList(d);
    need(d, args, 1, 3, kind === 'pow' ? 'log2(alignment)[, fill[, max]]' : 'alignment[, fill[, max]]');
    const a = constArg(d, args[0], `${d.name} argument`);
    let bytes: bigint;
    if (kind === 'pow') {
      if (a < 0n || a > 28n) d.asm.fail(args[0].col, `${d.name} ${a} out of range: must be in [0, 28] (a power of two)`);
      bytes = 1n << a;
    } else {
      if (a < 0n || a > 1n << 28n || (a & (a - 1n)) !== 0n) d.asm.fail(args[0].col, `${d.name} ${a} is not a power of two`);
      bytes = a === 0n ? 1n : a;
    }
    const fillv = args[1]?.toks.length ? Number(BigInt.asUintN(8, constArg(d, args[1], 'fill value'))) : undefined;
    const max = args[2]?.toks.length ? Number(constArg(d, args[2], 'maximum skip')) : undefined;
    room(d, bytes, args[0].col);
    d.asm.cur.alignTo(Number(bytes), fillv, max);
  };
}

// --- options and ignored -------------------------------------------------------------

const OPTIONS_OK = new Set(['push', 'pop', 'norelax', 'relax', 'nopic', 'norvc', 'csr-check', 'no-csr-check']);

function option(d: Dir): void {
  const parts = rawParts(d.raw);
  const word = parts[0].toLowerCase();
  if (OPTIONS_OK.has(word)) return;
  if (word === 'rvc' || (word === 'arch' && parts.slice(1).some((p) => /^\+c\b|^rv32[a-bd-z]*c/i.test(p)))) {
    d.asm.fail(d.rawCol, `.option ${d.raw.trim()}: the C extension is not supported (the machine is RV32IMA, no compressed instructions)`);
  }
  if (word === 'arch') return;
  if (word === 'pic') d.asm.fail(d.rawCol, '.option pic is not supported: the assembler builds static, non-PIC executables');
  d.asm.fail(d.rawCol, `unknown .option '${parts[0]}': expected push, pop, relax, norelax, nopic or arch`);
}

function errorDirective(d: Dir): void {
  const a = argList(d)[0];
  const msg = a && a.toks.length === 1 && a.toks[0].k === 'str' ? a.toks[0].s : '.error directive';
  d.asm.fail(d.rawCol, msg);
}

const ignore = (): void => {};

export const DIRECTIVES: Readonly<Record<string, (d: Dir) => void>> = {
  '.text': simpleSection('.text'), '.data': simpleSection('.data'), '.bss': simpleSection('.bss'),
  '.rodata': simpleSection('.rodata'),
  '.section': doSection, '.pushsection': doSection, '.popsection': popSection, '.previous': previous,
  '.globl': binding('GLOBAL'), '.global': binding('GLOBAL'), '.local': binding('LOCAL'), '.weak': binding('WEAK'),
  '.type': doType, '.size': doSize,
  '.equ': doSet, '.set': doSet, '.equiv': doSet,
  '.word': dataOf(4), '.long': dataOf(4), '.4byte': dataOf(4), '.int': dataOf(4),
  '.half': dataOf(2), '.short': dataOf(2), '.2byte': dataOf(2),
  '.byte': dataOf(1), '.dword': dataOf(8), '.8byte': dataOf(8), '.quad': dataOf(8),
  '.ascii': strings(false), '.asciz': strings(true), '.string': strings(true),
  '.space': space, '.skip': space, '.zero': space, '.fill': fill, '.org': org,
  '.align': align('pow'), '.p2align': align('pow'), '.balign': align('bytes'),
  '.option': option, '.error': errorDirective,
  '.file': ignore, '.ident': ignore, '.attribute': ignore, '.hidden': ignore, '.protected': ignore,
  '.internal': ignore, '.loc': ignore, '.addrsig': ignore, '.warning': ignore, '.print': ignore,
};
