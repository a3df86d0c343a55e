// Lexer for GNU `as` RISC-V syntax.
//
// Work happens per physical line: stripBlockComments blanks /* */ comments of
// a whole file (keeping line numbers), splitStatements cuts a line at `;` and
// drops `#` comments, tokenize turns one statement into tokens with columns.
// Strings are decoded here (C escapes, as gas reads them) into byte strings:
// one JS char per byte, code 0..255.
//
// Entry points: stripBlockComments, splitStatements, tokenize, Token, isIdentStart.

export type TokKind = 'id' | 'num' | 'str' | 'op' | 'lref';

export interface Token {
  k: TokKind;
  /** Identifier text, operator, decoded string bytes, or a local label reference like `1f`. */
  s: string;
  /** Value of a number or character constant. */
  n: bigint;
  /** 1-based column in the source line. */
  col: number;
}

export class LexError extends Error {
  constructor(readonly col: number, message: string) {
    super(message);
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isIdentStart = (c: number): boolean => isAlpha(c) || c === 95 || c === 46 || c === 36; // _ . $
const isIdentChar = (c: number): boolean => isIdentStart(c) || isDigit(c);

/** Replace /* *\/ comments by spaces, keeping newlines so line numbers stay right. */
export function stripBlockComments(text: string): string {
  if (text.indexOf('/*') < 0) return text;
  let out = '';
  let i = 0;
  let quote = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) { out += text.slice(i, i + 2); i += 2; continue; }
      if (c === quote || c === 10) quote = 0;
      out += text[i++];
    } else if (c === 34) { quote = c; out += text[i++]; }
    else if (c === 39) { const j = skipChar(text, i); out += text.slice(i, j); i = j; }
    else if (c === 35) { // '#' comment: copy to end of line untouched
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      out += text.slice(i, end); i = end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else out += text[i++];
  }
  return out;
}

/** Skip a character constant starting at the quote at `i`; returns the index after it. */
function skipChar(line: string, i: number): number {
  let j = i + 1;
  if (line.charCodeAt(j) === 92) j += 2; else j += 1;
  if (line.charCodeAt(j) === 39) j++;
  return j;
}

/** Statements of one line: split at `;`, with the `#` comment removed. Columns are 1-based. */
export function splitStatements(line: string): { text: string; col: number }[] {
  const out: { text: string; col: number }[] = [];
  let start = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 34) { // string: skip to the closing quote
      i++;
      while (i < n && line.charCodeAt(i) !== 34) i += line.charCodeAt(i) === 92 ? 2 : 1;
      i++;
    } else if (c === 39) i = skipChar(line, i);
    else if (c === 35) break;
    else if (c === 59) { out.push({ text: line.slice(start, i), col: start + 1 }); start = ++i; }
    else i++;
  }
  out.push({ text: line.slice(start, Math.min(i, n)), col: start + 1 });
  return out;
}

const ESCAPES: Readonly<Record<string, number>> = { b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39 };

/** Decode one escape after a backslash at line[i]; returns [byte, next index]. */
function readEscape(line: string, i: number, col0: number): [number, number] {
  const e = line[i];
  if (e === undefined) throw new LexError(col0 + i, 'backslash at end of line');
  if (e >= '0' && e <= '7') {
    let v = 0, j = i;
    while (j < i + 3 && line[j] >= '0' && line[j] <= '7') v = v * 8 + (line.charCodeAt(j++) - 48);
    return [v & 0xff, j];
  }
  if (e === 'x' || e === 'X') {
    let v = 0, j = i + 1;
    while (j < line.length && /[0-9a-fA-F]/.test(line[j])) v = (v * 16 + parseInt(line[j++], 16)) & 0xff;
    if (j === i + 1) throw new LexError(col0 + i, '\\x with no hex digits');
    return [v, j];
  }
  const v = ESCAPES[e];
  return [v ?? e.charCodeAt(0) & 0xff, i + 1];
}

function readString(line: string, i: number, col0: number): [string, number] {
  let s = '';
  let j = i + 1;
  for (;;) {
    if (j >= line.length) throw new LexError(col0 + i, 'unterminated string (missing closing ")');
    const c = line.charCodeAt(j);
    if (c === 34) return [s, j + 1];
    if (c === 92) {
      const [b, nj] = readEscape(line, j + 1, col0);
      s += String.fromCharCode(b);
      j = nj;
    } else {
      // Non-ASCII source characters become their UTF-8 bytes, as gas sees them.
      const cp = line.codePointAt(j) ?? c;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) s += String.fromCharCode(b);
      j += cp > 0xffff ? 2 : 1;
    }
  }
}

function readCharConst(line: string, i: number, col0: number): [bigint, number] {
  let j = i + 1;
  if (j >= line.length) throw new LexError(col0 + i, 'character constant with no character');
  let v: number;
  if (line.charCodeAt(j) === 92) [v, j] = readEscape(line, j + 1, col0);
  else { v = line.charCodeAt(j) & 0xff; j++; }
  if (line.charCodeAt(j) === 39) j++;
  return [BigInt(v), j];
}

const RADIX_DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

function readNumber(line: string, i: number, col0: number): Token {
  let j = i;
  while (j < line.length && isIdentChar(line.charCodeAt(j))) j++;
  const text = line.slice(i, j);
  const col = col0 + i;
  // `1f` / `1b`: a reference to numeric local label 1, forward or backward.
  if (/^[0-9]+[fb]$/.test(text) && !/^0[bB][01]/.test(text)) return { k: 'lref', s: text, n: 0n, col };
  let radix = 10, digits = text;
  if (/^0[xX]/.test(text)) { radix = 16; digits = text.slice(2); }
  else if (/^0[bB]/.test(text)) { radix = 2; digits = text.slice(2); }
  else if (text.length > 1 && text[0] === '0') { radix = 8; digits = text.slice(1); }
  if (!RADIX_DIGITS[radix].test(digits)) throw new LexError(col, `bad number '${text}'`);
  const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : radix === 8 ? '0o' : '';
  return { k: 'num', s: text, n: BigInt(prefix + digits), col };
}

const TWO_CHAR_OPS = new Set(['<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '<>']);
const ONE_CHAR_OPS = '+-*/%&|^~!(),:=<>@[]{}';

/** Tokens of one statement; `col0` is the column of its first character. */
export function tokenize(text: string, col0 = 1): Token[] {
  const toks: Token[] = [];
  const base = col0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) { i++; continue; }
    const col = base + i;
    if (isDigit(c)) {
      const t = readNumber(text, i, base);
      toks.push(t);
      i += t.s.length;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      toks.push({ k: 'id', s: text.slice(i, j), n: 0n, col });
      i = j;
    } else if (c === 34) {
      const [s, j] = readString(text, i, base);
      toks.push({ k: 'str', s, n: 0n, col });
      i = j;
    } else if (c === 39) {
      const [v, j] = readCharConst(text, i, base);
      toks.push({ k: 'num', s: text.slice(i, j), n: v, col });
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      if (TWO_CHAR_OPS.has(two)) { toks.push({ k: 'op', s: two, n: 0n, col }); i += 2; }
      else if (ONE_CHAR_OPS.includes(text[i])) { toks.push({ k: 'op', s: text[i], n: 0n, col }); i++; }
      else throw new LexError(col, `unexpected character '${text[i]}'`);
    }
  }
  return toks;
}
