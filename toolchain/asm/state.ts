// The assembler's state during the first pass: sections, symbols, numeric
// local labels, diagnostics, and the helpers every statement handler uses to
// parse expressions and emit instructions and data.
//
// Entry points: Asm, Sym, Macro, AsmOptions.

import { encodeInsn, type Operands } from '../../vm/isa/encode.ts';
import { StmtError, type Diag, type Loc } from './errors.ts';
import { ExprError, ExprParser, evaluate, type EvalEnv, type Expr, type ExprCtx, type Value } from './expr.ts';
import { LexError, type Token } from './lexer.ts';
import { immField } from './fields.ts';
import { Section, sectionDefaults, type ImmSpec, type InsnFixup, type SectionFlags } from './sections.ts';

export interface AsmOptions {
  filename: string;
  readFile?: (path: string) => string;
  /** Load address of the first section (default 0x80000000). */
  base?: number;
}

export interface Sym {
  name: string;
  kind: 'label' | 'equ' | 'undef';
  sec?: Section;
  off?: number;
  /** .equ/.set value known at definition. */
  value?: Value;
  /** .equ/.set expression naming symbols not defined yet: evaluated when used. */
  expr?: Expr;
  bind?: 'LOCAL' | 'GLOBAL' | 'WEAK';
  type: 'NOTYPE' | 'FUNC' | 'OBJECT';
  sizeExpr?: Expr;
  sizeLoc?: Loc;
  loc?: Loc;
  /** Numeric local labels and .L names: not in the output symbol table. */
  hidden: boolean;
  busy?: boolean;
}

export interface Macro {
  name: string;
  params: { name: string; def?: string; req: boolean; vararg: boolean }[];
  body: { text: string; file: string; line: number }[];
  loc: Loc;
}

const NUMERIC_SEP = '\u0002';

/** `1f` / `1b` spelled back from an internal numeric-label name, for messages. */
export function displayName(name: string): string {
  const i = name.indexOf(NUMERIC_SEP);
  return i < 0 ? name : `${name.slice(0, i)} (numeric local label)`;
}

export class Asm {
  readonly sections = new Map<string, Section>();
  readonly symbols = new Map<string, Sym>();
  readonly macros = new Map<string, Macro>();
  readonly diags: Diag[] = [];
  cur: Section;
  prev: Section;
  readonly secStack: { cur: Section; prev: Section }[] = [];
  private localCount = new Map<string, number>();
  /** Location of the statement being assembled (col is where it starts). */
  loc: Loc = { file: '', line: 0, col: 1 };
  ended = false;

  constructor(readonly opts: AsmOptions) {
    this.cur = this.section('.text');
    this.prev = this.cur;
  }

  // --- diagnostics -------------------------------------------------------

  at(col: number): Loc {
    return { ...this.loc, col };
  }

  fail(col: number, msg: string): never {
    throw new StmtError(this.at(col), msg);
  }

  report(loc: Loc, message: string): void {
    if (this.diags.length < 100) this.diags.push({ loc, message });
  }

  /** Run a statement handler; an error abandons the statement and is recorded. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof StmtError) this.report(e.loc, e.message);
      else if (e instanceof ExprError || e instanceof LexError) this.report(this.at(e.col), e.message);
      else throw e;
    }
  }

  // --- sections ----------------------------------------------------------

  section(name: string, flags?: SectionFlags): Section {
    let s = this.sections.get(name);
    if (!s) {
      s = new Section(name, flags ?? sectionDefaults(name), this.sections.size);
      this.sections.set(name, s);
    }
    return s;
  }

  switchTo(s: Section): void {
    if (s !== this.cur) { this.prev = this.cur; this.cur = s; }
  }

  // --- symbols and expressions --------------------------------------------

  readonly exprCtx: ExprCtx = {
    dot: () => ({ sec: this.cur, off: this.cur.size }),
    localRef: (text: string, col: number) => {
      const digits = text.slice(0, -1);
      const n = this.localCount.get(digits) ?? 0;
      if (text.endsWith('b')) {
        if (n === 0) this.fail(col, `backward reference to local label '${digits}' with no '${digits}:' before it`);
        return `${digits}${NUMERIC_SEP}${n}`;
      }
      return `${digits}${NUMERIC_SEP}${n + 1}`;
    },
  };

  /** Parse tokens [start, end) as one expression. */
  expr(toks: readonly Token[], start = 0, end = toks.length): Expr {
    const slice = start === 0 && end === toks.length ? toks : toks.slice(start, end);
    const endCol = slice.length ? slice[slice.length - 1].col + slice[slice.length - 1].s.length : this.loc.col;
    if (slice.length === 0) this.fail(endCol, 'expected an expression');
    const p = new ExprParser(slice, 0, this.exprCtx, endCol);
    const e = p.parse();
    if (p.pos < slice.length) this.fail(slice[p.pos].col, `unexpected '${slice[p.pos].s}' after expression`);
    return e;
  }

  private readonly pass1Env: EvalEnv = {
    symbol: (name: string) => this.symbolValue(name),
    place: (sec: object, off: number) => ({ sec, v: BigInt(off) }),
  };

  private symbolValue(name: string): Value | undefined {
    const s = this.symbols.get(name);
    if (!s || s.kind === 'undef') return undefined;
    if (s.kind === 'label') return { sec: s.sec!, v: BigInt(s.off!) };
    if (s.value) return s.value;
    if (!s.expr || s.busy) return undefined;
    s.busy = true;
    try { return evaluate(s.expr, this.pass1Env); } finally { s.busy = false; }
  }

  evalNow(e: Expr): Value | undefined {
    return evaluate(e, this.pass1Env);
  }

  /** A constant known at this point (gas needs one for sizes, counts and li). */
  constNow(e: Expr, col: number, what: string): bigint {
    const v = this.evalNow(e);
    if (!v) this.fail(col, `${what} must be a constant known at this point (a symbol in it is not defined yet)`);
    if (v.sec) this.fail(col, `${what} must be a constant, not an address`);
    return v.v;
  }

  symbol(name: string): Sym {
    let s = this.symbols.get(name);
    if (!s) {
      s = { name, kind: 'undef', type: 'NOTYPE', hidden: name.startsWith('.L') || name.includes(NUMERIC_SEP) };
      this.symbols.set(name, s);
    }
    return s;
  }

  defineLabel(name: string, col: number): void {
    const s = this.symbol(name);
    if (s.kind !== 'undef') {
      const where = s.loc ? ` (first defined at ${s.loc.file}:${s.loc.line})` : '';
      this.fail(col, `symbol '${name}' is already defined${where}`);
    }
    Object.assign(s, { kind: 'label', sec: this.cur, off: this.cur.size, loc: this.at(col) });
  }

  defineNumericLabel(digits: string, col: number): void {
    const n = (this.localCount.get(digits) ?? 0) + 1;
    this.localCount.set(digits, n);
    this.defineLabel(`${digits}${NUMERIC_SEP}${n}`, col);
  }

  /** `.set` / `.equ` / `sym = expr`; `.equiv` refuses to redefine. */
  setSymbol(name: string, e: Expr, col: number, equiv = false): void {
    const s = this.symbol(name);
    if (s.kind === 'label' || (equiv && s.kind === 'equ')) {
      this.fail(col, `symbol '${name}' is already defined${s.loc ? ` (at ${s.loc.file}:${s.loc.line})` : ''}`);
    }
    const v = this.evalNow(e);
    Object.assign(s, { kind: 'equ', value: v, expr: v ? undefined : e, loc: this.at(col) });
  }

  // --- emission ------------------------------------------------------------

  private checkCode(col: number): void {
    if (this.cur.flags.nobits) this.fail(col, `instruction in section ${this.cur.name}, which holds no data (nobits)`);
  }

  /**
   * Emit one instruction. With an immediate whose value is known now it is
   * encoded at once; otherwise a fixup patches it after layout.
   */
  insn(name: string, ops: Operands, imm?: ImmSpec, col = this.loc.col): InsnFixup | undefined {
    this.checkCode(col);
    const sec = this.cur, off = sec.size;
    if (imm && (imm.kind === 'abs' || imm.kind === 'hi' || imm.kind === 'lo')) {
      const v = this.evalNow(imm.expr);
      if (v && !v.sec) {
        const r = immField(name, imm.kind, v.v, 0);
        if ('err' in r) this.fail(imm.col, r.err);
        sec.emitLE(encodeInsn(name, { ...ops, imm: r.ok }), 4);
        return undefined;
      }
    }
    if (!imm) {
      sec.emitLE(encodeInsn(name, ops), 4);
      return undefined;
    }
    const f: InsnFixup = { k: 'insn', sec, off, name, ops, imm, loc: this.at(imm.col) };
    sec.fixups.push(f);
    sec.emitLE(encodeInsn(name, { ...ops, imm: 0 }), 4);
    return f;
  }

  /** Emit an `n`-byte data value (resolved later if it names a symbol not yet placed). */
  data(e: Expr, n: number, col: number): void {
    const v = this.evalNow(e);
    if (v && !v.sec) {
      checkDataFits(v.v, n, (m) => this.fail(col, m));
      if (!this.cur.emitLE(v.v, n)) this.fail(col, `non-zero data in section ${this.cur.name}, which holds no data (nobits)`);
      return;
    }
    if (this.cur.flags.nobits) this.fail(col, `address data in section ${this.cur.name}, which holds no data (nobits)`);
    this.cur.fixups.push({ k: 'data', sec: this.cur, off: this.cur.size, size: n, expr: e, loc: this.at(col) });
    this.cur.emitLE(0, n);
  }
}

/** gas accepts a value for an n-byte field if the bits above it are all zeros or all ones. */
export function checkDataFits(v: bigint, n: number, fail: (m: string) => void): void {
  if (n >= 8) return;
  const high = v >> BigInt(8 * n);
  if (high !== 0n && high !== -1n) {
    const shown = v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16);
    fail(`value ${shown} does not fit in ${n} byte${n > 1 ? 's' : ''}`);
  }
}
