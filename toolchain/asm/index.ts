// The assembler: GNU `as` syntax for RV32IMA + Zicsr + Zifencei in, a static
// RISC-V ELF executable out (what `tessera asm in.s -o out.elf` runs).
//
// Pass 1 reads statements (labels, directives, macros, instructions) and
// emits bytes, leaving fixups where a field needs an address; layout places
// the sections from `base`; pass 2 patches the fixups; output writes the ELF.
// Errors are collected and thrown together as one AsmError.
//
// Entry points: assemble, AsmError.

import { AsmError, StmtError } from './errors.ts';
import { splitStatements, tokenize, type Token } from './lexer.ts';
import { Asm, type AsmOptions } from './state.ts';
import { Source, directiveWord } from './source.ts';
import { DIRECTIVES, type Dir } from './directives.ts';
import { CONTROL, COND_OPENERS, condWhileSkipping } from './control.ts';
import { assembleInsn } from './insns.ts';
import { layoutSections, resolveFixups } from './layout.ts';
import { buildOutput, type AsmResult, type AsmSection } from './output.ts';

export { AsmError } from './errors.ts';
export type { AsmOptions, AsmResult, AsmSection };

const isOp = (t: Token | undefined, s: string): boolean => t !== undefined && t.k === 'op' && t.s === s;

function makeDir(asm: Asm, src: Source, name: string, toks: Token[], start: number, text: string, col0: number): Dir {
  const after = toks[start - 1];
  const rawStart = after.col - col0 + after.s.length;
  const raw = text.slice(rawStart);
  const lead = raw.length - raw.trimStart().length;
  const last = toks[toks.length - 1];
  return {
    asm, src, name, toks, start, raw, rawCol: col0 + rawStart + lead, col: after.col,
    endCol: last.col + (last.k === 'str' ? last.s.length + 2 : last.s.length),
  };
}

/** Only .if structure counts in a skipped region; nothing else is even tokenized. */
function skippedStatement(asm: Asm, src: Source, text: string, col0: number): void {
  const w = directiveWord(text);
  if (!COND_OPENERS.has(w) && w !== '.else' && w !== '.elseif' && w !== '.endif') return;
  const toks = tokenize(text, col0);
  const i = toks.findIndex((t) => t.k === 'id' && t.s.toLowerCase() === w);
  condWhileSkipping(makeDir(asm, src, w, toks, i + 1, text, col0));
}

/** Labels at the start of a statement; returns the index of what follows them. */
function labels(asm: Asm, toks: Token[]): number {
  let i = 0;
  while (i + 1 < toks.length && isOp(toks[i + 1], ':') && !isOp(toks[i + 2], '=')) {
    const t = toks[i];
    if (t.k === 'id') asm.defineLabel(t.s, t.col);
    else if (t.k === 'num' && /^[0-9]+$/.test(t.s)) asm.defineNumericLabel(t.s, t.col);
    else break;
    i += 2;
  }
  return i;
}

function statement(asm: Asm, src: Source, text: string, col0: number): void {
  if (src.skipping()) { skippedStatement(asm, src, text, col0); return; }
  const toks = tokenize(text, col0);
  if (toks.length === 0) return;
  const i = labels(asm, toks);
  if (i >= toks.length) return;
  const t = toks[i];
  if (t.k !== 'id') asm.fail(t.col, `expected an instruction, directive or label, found '${t.s}'`);
  if (isOp(toks[i + 1], '=')) {
    asm.setSymbol(t.s, asm.expr(toks, i + 2), t.col);
    return;
  }
  const last = toks[toks.length - 1];
  const endCol = last.col + (last.k === 'str' ? last.s.length + 2 : last.s.length);
  const macro = asm.macros.get(t.s.toLowerCase());
  if (macro) {
    const argStart = t.col - col0 + t.s.length;
    src.expandMacro(macro, text.slice(argStart), asm.at(t.col));
    return;
  }
  if (t.s.startsWith('.')) {
    const name = t.s.toLowerCase();
    const fn = CONTROL[name] ?? DIRECTIVES[name];
    if (fn) { fn(makeDir(asm, src, name, toks, i + 1, text, col0)); return; }
    if (name.startsWith('.cfi_')) return;
    asm.fail(t.col, `unknown directive '${t.s}'`);
  }
  assembleInsn(asm, toks, i, endCol);
}

function pass1(asm: Asm, src: Source): void {
  for (let line = src.next(); line && !asm.ended; line = src.next()) {
    const stmts = line.text.indexOf(';') < 0 && line.text.indexOf('#') < 0
      ? [{ text: line.text, col: 1 }] : splitStatements(line.text);
    for (let k = 0; k < stmts.length; k++) {
      const st = stmts[k];
      asm.loc = { file: line.file, line: line.line, col: st.col, ctx: line.ctx };
      const depth = src.depth;
      asm.guard(() => statement(asm, src, st.text, st.col));
      if (asm.ended) break;
      if (src.depth > depth && k + 1 < stmts.length) {
        // A macro expanded: the rest of this line comes after its body.
        src.deferRest(depth, line, stmts[k + 1].col);
        break;
      }
    }
  }
  for (const c of src.conds) asm.report(c.loc, '.if without .endif');
}

/**
 * Assemble `source` into an executable ELF. Sections are placed from
 * `opts.base` (default 0x80000000); `opts.readFile` serves `.include`.
 * Throws AsmError listing every error found.
 */
export function assemble(source: string, opts: AsmOptions): AsmResult {
  const asm = new Asm(opts);
  const src = new Source(asm);
  const loc = { file: opts.filename, line: 1, col: 1 };
  try {
    src.pushFile(opts.filename, source, loc);
    pass1(asm, src);
  } catch (e) {
    if (!(e instanceof StmtError)) throw e;
    asm.report(e.loc, e.message);
  }
  if (asm.diags.length === 0) {
    const alloc = layoutSections(asm, opts.base ?? 0x80000000);
    resolveFixups(asm, alloc);
    if (asm.diags.length === 0) {
      const out = buildOutput(asm, alloc);
      if (asm.diags.length === 0) return out;
    }
  }
  throw new AsmError(asm.diags);
}
