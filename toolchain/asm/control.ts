// Directives that steer the input rather than emit: .include, .macro/.endm,
// .rept/.irp/.irpc/.endr, the .if family, .end.
//
// Entry points: CONTROL, COND_OPENERS, condWhileSkipping.

import { argList, type Dir } from './directives.ts';
import type { Macro } from './state.ts';
import type { Loc } from './errors.ts';

const LOOP_OPENERS = ['.rept', '.irp', '.irpc'];

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i + 1);
}

function include(d: Dir): void {
  const a = argList(d)[0];
  if (!a || a.toks.length !== 1 || a.toks[0].k !== 'str') d.asm.fail(a ? a.col : d.endCol, '.include takes a file name in double quotes');
  const name = a.toks[0].s;
  const path = name.startsWith('/') ? name : dirname(d.src.currentFile()) + name;
  const read = d.asm.opts.readFile;
  if (!read) d.asm.fail(a.col, `cannot include "${name}": no readFile was given to the assembler`);
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    const why = e instanceof Error && (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : e instanceof Error ? e.message : String(e);
    d.asm.fail(a.col, `cannot include "${name}" (${path}): ${why}`);
  }
  d.src.pushFile(path, text, d.asm.at(a.col));
}

const PARAM_RE = /^([A-Za-z_.$][A-Za-z0-9_.$]*)(?::(req|vararg))?(?:\s*=\s*(.*))?$/s;

/** Parameters of `.macro name a, b=1, c:req, d:vararg` (blanks also separate). */
function parseParams(d: Dir, text: string): Macro['params'] {
  const params: Macro['params'] = [];
  const pieces = text.includes(',') ? text.split(',') : text.trim().split(/\s+/);
  for (const raw of pieces) {
    const p = raw.trim();
    if (p === '') continue;
    const m = PARAM_RE.exec(p);
    if (!m) d.asm.fail(d.rawCol, `bad macro parameter '${p}': expected NAME, NAME=default, NAME:req or NAME:vararg`);
    if (params.some((x) => x.name === m[1])) d.asm.fail(d.rawCol, `macro parameter '${m[1]}' given twice`);
    params.push({ name: m[1], def: m[3]?.trim(), req: m[2] === 'req', vararg: m[2] === 'vararg' });
  }
  return params;
}

function macro(d: Dir): void {
  const m = /^\s*([A-Za-z_.$][A-Za-z0-9_.$]*)\s*,?(.*)$/s.exec(d.raw);
  if (!m) d.asm.fail(d.rawCol, '.macro needs a name: .macro NAME [params]');
  const loc: Loc = d.asm.at(d.col);
  // Collect the body first so an error in the header does not leave it to be assembled.
  const body = d.src.collect(['.macro'], '.endm', `.macro ${m[1]}`, loc);
  const name = m[1].toLowerCase();
  if (d.asm.macros.has(name)) d.asm.fail(d.rawCol, `macro '${m[1]}' is already defined`);
  d.asm.macros.set(name, { name: m[1], params: parseParams(d, m[2]), body, loc });
}

function rept(d: Dir): void {
  const args = argList(d);
  const loc = d.asm.at(d.col);
  const body = d.src.collect(LOOP_OPENERS, '.endr', '.rept', loc);
  if (args.length !== 1 || args[0].toks.length === 0) d.asm.fail(d.endCol, 'missing operand: .rept takes a count');
  const n = d.asm.constNow(d.asm.expr(args[0].toks), args[0].col, '.rept count');
  if (n < 0n) d.asm.fail(args[0].col, `.rept count ${n} is negative`);
  if (n > 10_000_000n) d.asm.fail(args[0].col, `.rept count ${n} is too large`);
  d.src.expandLoop(body, Array.from({ length: Number(n) }, () => new Map()), loc, '.rept');
}

function irp(d: Dir): void {
  const loc = d.asm.at(d.col);
  const body = d.src.collect(LOOP_OPENERS, '.endr', d.name, loc);
  const m = /^\s*([A-Za-z_.$][A-Za-z0-9_.$]*)\s*(?:,(.*))?$/s.exec(d.raw);
  if (!m) d.asm.fail(d.rawCol, `${d.name} needs a parameter name: ${d.name} NAME, values`);
  const rest = (m[2] ?? '').trim();
  let values: string[];
  if (d.name === '.irpc') values = [...rest];
  else values = rest === '' ? [''] : (rest.includes(',') ? rest.split(',') : rest.split(/\s+/)).map((s) => s.trim());
  d.src.expandLoop(body, values.map((v) => new Map([[m[1], v]])), loc, d.name);
}

/** The condition of an .if-family directive. */
function condition(d: Dir): boolean {
  const args = argList(d);
  const w = d.name;
  if (w === '.ifdef' || w === '.ifndef' || w === '.ifnotdef') {
    const a = args[0];
    if (!a || a.toks.length !== 1 || a.toks[0].k !== 'id') d.asm.fail(a ? a.col : d.endCol, `${w} takes one symbol name`);
    const s = d.asm.symbols.get(a.toks[0].s);
    const defined = s !== undefined && s.kind !== 'undef';
    return w === '.ifdef' ? defined : !defined;
  }
  if (w === '.ifb' || w === '.ifnb') return (d.raw.trim() === '') === (w === '.ifb');
  if (w === '.ifc' || w === '.ifnc') {
    const parts = d.raw.split(',');
    if (parts.length !== 2) d.asm.fail(d.rawCol, `${w} takes two strings separated by a comma`);
    const norm = (s: string): string => s.trim().replace(/^'(.*)'$/s, '$1').replace(/^"(.*)"$/s, '$1');
    return (norm(parts[0]) === norm(parts[1])) === (w === '.ifc');
  }
  if (args.length !== 1 || args[0].toks.length === 0) d.asm.fail(d.endCol, `missing operand: ${w} takes an expression`);
  const v = d.asm.constNow(d.asm.expr(args[0].toks), args[0].col, `${w} condition`);
  switch (w) {
    case '.ifeq': return v === 0n;
    case '.ifgt': return v > 0n;
    case '.ifge': return v >= 0n;
    case '.iflt': return v < 0n;
    case '.ifle': return v <= 0n;
    default: return v !== 0n; // .if, .ifne, .elseif
  }
}

export const COND_OPENERS = new Set(['.if', '.ifdef', '.ifndef', '.ifnotdef', '.ifeq', '.ifne', '.ifgt', '.ifge', '.iflt', '.ifle', '.ifc', '.ifnc', '.ifb', '.ifnb']);

/** While lines are being skipped only the .if structure matters. */
export function condWhileSkipping(d: Dir): void {
  if (COND_OPENERS.has(d.name)) d.src.pushCond(false, d.asm.at(d.col));
  else if (d.name === '.else' || d.name === '.elseif' || d.name === '.endif') {
    d.src.condDirective(d.name, d.asm.at(d.col), () => condition({ ...d, name: '.if' }));
  }
}

const closer = (what: string, opener: string) => (d: Dir): void => d.asm.fail(d.col, `${what} without ${opener}`);

export const CONTROL: Readonly<Record<string, (d: Dir) => void>> = {
  '.include': include,
  '.macro': macro,
  '.endm': closer('.endm', '.macro'),
  '.exitm': (d) => d.src.exitMacro(d.col),
  '.purgem': (d) => { d.asm.macros.delete(d.raw.trim().toLowerCase()); },
  '.rept': rept, '.irp': irp, '.irpc': irp,
  '.endr': closer('.endr', '.rept'),
  '.else': (d) => d.src.condDirective('.else', d.asm.at(d.col), () => true),
  '.elseif': (d) => d.src.condDirective('.elseif', d.asm.at(d.col), () => condition({ ...d, name: '.if' })),
  '.endif': (d) => d.src.condDirective('.endif', d.asm.at(d.col), () => true),
  '.end': (d) => { d.asm.ended = true; },
  ...Object.fromEntries([...COND_OPENERS].map((w) => [w, (d: Dir) => d.src.pushCond(condition(d), d.asm.at(d.col))])),
};
