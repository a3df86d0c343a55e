// Where source lines come from: files and .include, macro expansions,
// .rept/.irp/.irpc loops, and the .if/.else/.endif state that decides which
// lines count. Bodies of macros and loops are collected as raw text and
// expanded by substitution, as gas does, so `\arg` can appear anywhere.
//
// Entry points: Source, SrcLine, directiveWord.

import { stripBlockComments } from './lexer.ts';
import type { Loc } from './errors.ts';
import type { Asm, Macro } from './state.ts';

export interface SrcLine {
  text: string;
  file: string;
  line: number;
  ctx?: string;
}

interface Frame {
  kind: 'file' | 'macro' | 'loop';
  lines: readonly string[];
  /** Per-line origin for expansions; files use `file` and index + 1. */
  locs?: readonly { file: string; line: number }[];
  file: string;
  idx: number;
  ctx?: string;
  condDepth: number;
  /** Where the expansion was requested, for "missing .endif" messages. */
  loc: Loc;
}

interface Cond {
  active: boolean;
  /** Some branch of this .if was taken (later .else/.elseif are off). */
  taken: boolean;
  sawElse: boolean;
  loc: Loc;
}

/** The first directive of a raw line, lower-cased, after any labels; '' if none. */
export function directiveWord(text: string): string {
  const m = /^\s*(?:[A-Za-z0-9_.$]+:\s*)*(\.[A-Za-z_][A-Za-z0-9_]*)/.exec(text);
  return m ? m[1].toLowerCase() : '';
}

const MAX_INCLUDE_DEPTH = 64;
const MAX_MACRO_DEPTH = 200;
const MAX_EXPANDED_LINES = 2_000_000;

export class Source {
  private frames: Frame[] = [];
  readonly conds: Cond[] = [];
  private expanded = 0;
  macroCounter = 0;

  constructor(readonly asm: Asm) {}

  pushFile(file: string, text: string, loc: Loc): void {
    if (this.frames.filter((f) => f.kind === 'file').length >= MAX_INCLUDE_DEPTH) {
      this.asm.fail(loc.col, `.include nested more than ${MAX_INCLUDE_DEPTH} deep (recursive include of '${file}'?)`);
    }
    const lines = stripBlockComments(text).split('\n');
    this.frames.push({ kind: 'file', lines, file, idx: 0, condDepth: this.conds.length, loc });
  }

  pushLines(kind: 'macro' | 'loop', lines: SrcLine[], ctx: string, loc: Loc): void {
    if (kind === 'macro' && this.frames.filter((f) => f.kind === 'macro').length >= MAX_MACRO_DEPTH) {
      this.asm.fail(loc.col, `macros nested more than ${MAX_MACRO_DEPTH} deep (a macro that calls itself forever?)`);
    }
    this.expanded += lines.length;
    if (this.expanded > MAX_EXPANDED_LINES) this.asm.fail(loc.col, `expansion too large: more than ${MAX_EXPANDED_LINES} lines from macros and .rept`);
    this.frames.push({
      kind, lines: lines.map((l) => l.text), locs: lines.map((l) => ({ file: l.file, line: l.line })),
      file: loc.file, idx: 0, ctx, condDepth: this.conds.length, loc,
    });
  }

  /** How many frames are open (an expansion pushes one). */
  get depth(): number {
    return this.frames.length;
  }

  /**
   * The statements after a macro call on the same line (`m 1; nop`) run after
   * the expansion, as gas does: they become a one-line frame below the
   * frames pushed since depth `at`. `col` is their 1-based column, kept for messages.
   */
  deferRest(at: number, line: SrcLine, col: number): void {
    const top = this.frames[this.frames.length - 1];
    this.frames.splice(at, 0, {
      kind: 'loop', lines: [' '.repeat(col - 1) + line.text.slice(col - 1)],
      locs: [{ file: line.file, line: line.line }], file: line.file, idx: 0, ctx: line.ctx,
      condDepth: top ? top.condDepth : this.conds.length, loc: top ? top.loc : this.asm.at(col),
    });
  }

  /** Next line, or undefined at the end of everything. */
  next(): SrcLine | undefined {
    for (;;) {
      const f = this.frames[this.frames.length - 1];
      if (!f) return undefined;
      if (f.idx < f.lines.length) {
        const i = f.idx++;
        const at = f.locs ? f.locs[i] : { file: f.file, line: i + 1 };
        return { text: f.lines[i], file: at.file, line: at.line, ctx: f.ctx };
      }
      this.popFrame();
    }
  }

  private popFrame(): void {
    const f = this.frames.pop()!;
    while (this.conds.length > f.condDepth) {
      const c = this.conds.pop()!;
      this.asm.report(c.loc, `.if without .endif before the end of ${f.kind === 'file' ? `file ${f.file}` : 'the expansion'}`);
    }
  }

  /** Current frame's file (for relative .include paths). */
  currentFile(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i].kind === 'file') return this.frames[i].file;
    return this.asm.opts.filename;
  }

  /** .exitm: drop the rest of the innermost macro expansion. */
  exitMacro(col: number): void {
    const i = this.frames.map((f) => f.kind).lastIndexOf('macro');
    if (i < 0) this.asm.fail(col, '.exitm outside a macro');
    // Conditionals open inside the macro end with it (the .exitm is usually in one).
    this.conds.length = Math.min(this.conds.length, this.frames[i].condDepth);
    while (this.frames.length > i) this.popFrame();
  }

  /**
   * Raw lines up to the directive closing a block opened by `open` (nested
   * blocks of the same kind are counted). The closing line is consumed.
   */
  collect(opens: readonly string[], close: string, what: string, loc: Loc): SrcLine[] {
    const body: SrcLine[] = [];
    let depth = 1;
    for (let l = this.next(); l; l = this.next()) {
      const w = directiveWord(l.text);
      if (opens.includes(w)) depth++;
      else if (w === close && --depth === 0) return body;
      body.push(l);
    }
    this.asm.fail(loc.col, `${what} without ${close} (reached the end of the input)`);
  }

  // --- conditionals ------------------------------------------------------

  skipping(): boolean {
    const c = this.conds[this.conds.length - 1];
    return c !== undefined && !c.active;
  }

  pushCond(active: boolean, loc: Loc): void {
    const parentOn = !this.skipping();
    this.conds.push({ active: parentOn && active, taken: !parentOn || active, sawElse: false, loc });
  }

  /** .else / .elseif (with its condition, evaluated only when it can matter) / .endif. */
  condDirective(word: string, loc: Loc, cond: () => boolean): void {
    const c = this.conds[this.conds.length - 1];
    if (!c) this.asm.fail(loc.col, `${word} without .if`);
    if (word === '.endif') { this.conds.pop(); return; }
    if (c.sawElse) this.asm.fail(loc.col, `${word} after .else`);
    if (word === '.else') { c.sawElse = true; c.active = !c.taken; c.taken = true; return; }
    if (c.taken) { c.active = false; return; }
    c.active = cond();
    c.taken = c.active;
  }

  // --- macros and loops --------------------------------------------------

  expandMacro(m: Macro, argText: string, loc: Loc): void {
    const args = this.bindArgs(m, splitArgs(argText, m.params.length), loc);
    const count = String(this.macroCounter++);
    const lines = m.body.map((l) => ({ ...l, text: substitute(l.text, args, count) }));
    this.pushLines('macro', lines, `in macro '${m.name}' used at ${loc.file}:${loc.line}`, loc);
  }

  private bindArgs(m: Macro, given: string[], loc: Loc): Map<string, string> {
    const vals = new Map<string, string>();
    let pos = 0;
    for (const g of given) {
      const kw = /^\s*([A-Za-z_.$][A-Za-z0-9_.$]*)\s*=(?!=)(.*)$/s.exec(g);
      const named = kw && m.params.find((p) => p.name === kw[1]);
      if (named) { vals.set(named.name, kw![2].trim()); continue; }
      const p = m.params[pos];
      if (!p) this.asm.fail(loc.col, `too many arguments for macro '${m.name}' (it takes ${m.params.length})`);
      if (p.vararg) { vals.set(p.name, given.slice(given.indexOf(g)).map((s) => s.trim()).join(', ')); break; }
      vals.set(p.name, g.trim());
      pos++;
    }
    for (const p of m.params) {
      if (vals.has(p.name) && vals.get(p.name) !== '') continue;
      if (p.req) this.asm.fail(loc.col, `missing value for required argument '${p.name}' of macro '${m.name}'`);
      vals.set(p.name, p.def ?? '');
    }
    return vals;
  }

  /** .rept / .irp / .irpc: the body once per value, with `\name` replaced. */
  expandLoop(body: SrcLine[], iterations: Map<string, string>[], loc: Loc, what: string): void {
    const out: SrcLine[] = [];
    if (body.length * iterations.length + this.expanded > MAX_EXPANDED_LINES) {
      this.asm.fail(loc.col, `${what} expands to more than ${MAX_EXPANDED_LINES} lines`);
    }
    for (const vars of iterations) {
      for (const l of body) out.push(vars.size ? { ...l, text: substitute(l.text, vars, '') } : l);
    }
    this.pushLines('loop', out, `in ${what} at ${loc.file}:${loc.line}`, loc);
  }
}

/** Split macro arguments at top-level commas (or blanks when there are no commas and several parameters). */
export function splitArgs(text: string, nparams: number): string[] {
  const out: string[] = [];
  let depth = 0, quote = false, cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      cur += ch;
      if (ch === '\\') cur += text[++i] ?? '';
      else if (ch === '"') quote = false;
      continue;
    }
    if (ch === '"') quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  if (out.length === 1 && nparams > 1 && !text.includes('"')) {
    const words = text.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length > 1 && !words.some((w) => /^[-+*/%&|^<>=!]+$/.test(w))) return words;
  }
  return out.length === 1 && out[0].trim() === '' ? [] : out;
}

/** Replace `\name` by its value, `\@` by the expansion count and `\()` by nothing. */
export function substitute(text: string, vars: ReadonlyMap<string, string>, count: string): string {
  if (text.indexOf('\\') < 0) return text;
  return text.replace(/\\(\(\)|@|[A-Za-z_.$][A-Za-z0-9_.$]*)/g, (all, name: string) => {
    if (name === '()') return '';
    if (name === '@') return count || all;
    return vars.get(name) ?? all;
  });
}
