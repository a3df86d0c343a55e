// Expressions: parsing with GNU `as` operator precedence, and evaluation.
//
// gas ranks binary operators differently from C (its expr.c op_rank):
//   * / % << >>   >   | ^ &   >   + -   >   == != <> < > <= >=   >   &&   >   ||
// so `4 + 1 & 2` is 4. Arithmetic is 64-bit two's complement as in gas on a
// 64-bit host, `>>` is a logical shift, and comparisons give -1 for true.
//
// A value is absolute (sec null) or an offset in a section (before layout a
// label is "section + offset"; after layout everything is absolute). The
// difference of two labels in the same section is absolute, as in gas.
//
// Entry points: ExprParser, evaluate, Expr, Value, EvalEnv, ExprCtx, ExprError.

import type { Token } from './lexer.ts';

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string; col: number }
  | { k: 'dot'; sec: object; off: number }
  | { k: 'un'; op: string; a: Expr; col: number }
  | { k: 'bin'; op: string; a: Expr; b: Expr; col: number };

export interface Value {
  sec: object | null;
  v: bigint;
}

export class ExprError extends Error {
  constructor(readonly col: number, message: string) {
    super(message);
  }
}

/** What the parser needs from the assembler: where `.` is, and names for `1f` / `1b`. */
export interface ExprCtx {
  dot(): { sec: object; off: number };
  localRef(text: string, col: number): string;
}

/** Symbol lookup during evaluation; undefined means "not known yet". */
export interface EvalEnv {
  symbol(name: string, col: number): Value | undefined;
  /** Value of location `off` in section `sec` (a label or `.`). */
  place(sec: object, off: number): Value;
}

const RANK: Readonly<Record<string, number>> = {
  '*': 9, '/': 9, '%': 9, '<<': 9, '>>': 9,
  '|': 8, '^': 8, '&': 8,
  '+': 7, '-': 7,
  '==': 5, '!=': 5, '<>': 5, '<': 5, '>': 5, '<=': 5, '>=': 5,
  '&&': 3, '||': 2,
};

const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Parser over a token slice; `pos` advances past what it consumed. */
export class ExprParser {
  pos: number;
  constructor(readonly toks: readonly Token[], start: number, readonly ctx: ExprCtx, readonly endCol: number) {
    this.pos = start;
  }

  private fail(msg: string): never {
    const t = this.toks[this.pos];
    throw new ExprError(t ? t.col : this.endCol, msg + (t ? `, found '${t.k === 'str' ? '"' + t.s + '"' : t.s}'` : ', found end of line'));
  }

  parse(minRank = 0): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.toks[this.pos];
      if (!t || t.k !== 'op') return left;
      const r = RANK[t.s];
      if (r === undefined || r <= minRank) return left;
      this.pos++;
      const right = this.parse(r);
      left = { k: 'bin', op: t.s, a: left, b: right, col: t.col };
    }
  }

  private unary(): Expr {
    const t = this.toks[this.pos];
    if (!t) this.fail('expected an expression');
    if (t.k === 'op' && (t.s === '-' || t.s === '~' || t.s === '!' || t.s === '+')) {
      this.pos++;
      const a = this.unary();
      return t.s === '+' ? a : { k: 'un', op: t.s, a, col: t.col };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.toks[this.pos];
    if (t.k === 'num') { this.pos++; return { k: 'num', v: t.n }; }
    if (t.k === 'lref') { this.pos++; return { k: 'sym', name: this.ctx.localRef(t.s, t.col), col: t.col }; }
    if (t.k === 'id') {
      this.pos++;
      if (t.s === '.') { const d = this.ctx.dot(); return { k: 'dot', sec: d.sec, off: d.off }; }
      return { k: 'sym', name: t.s, col: t.col };
    }
    if (t.k === 'op' && t.s === '(') {
      this.pos++;
      const e = this.parse();
      const c = this.toks[this.pos];
      if (!c || c.k !== 'op' || c.s !== ')') this.fail("expected ')'");
      this.pos++;
      return e;
    }
    return this.fail('expected an expression');
  }
}

function binary(op: string, a: Value, b: Value, col: number): Value | undefined {
  if (op === '+') {
    if (a.sec && b.sec) return undefined;
    return { sec: a.sec ?? b.sec, v: wrap(a.v + b.v) };
  }
  if (op === '-') {
    if (a.sec && b.sec) return a.sec === b.sec ? { sec: null, v: wrap(a.v - b.v) } : undefined;
    if (b.sec) return undefined;
    return { sec: a.sec, v: wrap(a.v - b.v) };
  }
  if (a.sec || b.sec) return undefined;
  return { sec: null, v: absBinary(op, a.v, b.v, col) };
}

function absBinary(op: string, x: bigint, y: bigint, col: number): bigint {
  const t = (c: boolean): bigint => (c ? -1n : 0n);
  switch (op) {
    case '*': return wrap(x * y);
    case '/': if (y === 0n) throw new ExprError(col, 'division by zero'); return wrap(x / y);
    case '%': if (y === 0n) throw new ExprError(col, 'division by zero'); return wrap(x % y);
    case '<<': return y < 0n || y > 63n ? 0n : wrap(x << y);
    case '>>': return y < 0n || y > 63n ? 0n : wrap(BigInt.asUintN(64, x) >> y);
    case '|': return x | y;
    case '^': return x ^ y;
    case '&': return x & y;
    case '==': return t(x === y);
    case '!=': case '<>': return t(x !== y);
    case '<': return t(x < y);
    case '>': return t(x > y);
    case '<=': return t(x <= y);
    case '>=': return t(x >= y);
    case '&&': return x !== 0n && y !== 0n ? 1n : 0n;
    case '||': return x !== 0n || y !== 0n ? 1n : 0n;
    default: throw new ExprError(col, `unknown operator '${op}'`);
  }
}

/** Value of `e`, or undefined if it names a symbol not known yet or mixes sections in a way only layout can settle. */
export function evaluate(e: Expr, env: EvalEnv): Value | undefined {
  switch (e.k) {
    case 'num': return { sec: null, v: e.v };
    case 'sym': return env.symbol(e.name, e.col);
    case 'dot': return env.place(e.sec, e.off);
    case 'un': {
      const a = evaluate(e.a, env);
      if (!a || a.sec) return undefined;
      if (e.op === '-') return { sec: null, v: wrap(-a.v) };
      if (e.op === '~') return { sec: null, v: ~a.v };
      return { sec: null, v: a.v === 0n ? 1n : 0n };
    }
    case 'bin': {
      const a = evaluate(e.a, env);
      const b = evaluate(e.b, env);
      if (!a || !b) return undefined;
      return binary(e.op, a, b, e.col);
    }
  }
}
