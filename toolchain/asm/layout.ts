// Second pass: place the sections in memory, then patch every field that
// depends on an address (branch offsets, %hi/%lo, %pcrel pairs, data words
// holding addresses).
//
// Order from `base`: code (.text.init first, as the riscv-tests linker
// script has it, then .text, then other code sections in order of first
// use), read-only data, writable data and other sections, then .bss-like
// nobits sections. The first starts at `base`; each later one on a 4 KiB
// boundary (or its own larger alignment) so the loader can give each its
// own page permissions.
//
// Entry points: layoutSections, resolveFixups, finalValue.

import { encodeInsn } from '../../vm/isa/encode.ts';
import { ExprError, evaluate, type EvalEnv, type Value } from './expr.ts';
import { immField, lo12, pcDistance } from './fields.ts';
import type { InsnFixup, Section } from './sections.ts';
import { checkDataFits, displayName, type Asm } from './state.ts';

const PAGE = 0x1000;

function groupOf(s: Section): number {
  if (s.flags.exec) return 0;
  if (!s.flags.write && !s.flags.nobits) return 1;
  return s.flags.nobits ? 3 : 2;
}

function priority(s: Section): number {
  return s.name === '.text.init' ? 0 : s.name === '.text' ? 1 : 2;
}

/** Sections that end up in the image: allocated ones with contents or symbols. */
function placedSections(asm: Asm): Section[] {
  const labelled = new Set<Section>();
  for (const sym of asm.symbols.values()) if (sym.kind === 'label' && sym.sec) labelled.add(sym.sec);
  return [...asm.sections.values()].filter((s) => s.size > 0 || labelled.has(s));
}

/** Give every section an address; returns the allocated ones in address order. */
export function layoutSections(asm: Asm, base: number): Section[] {
  const used = placedSections(asm);
  const alloc = used.filter((s) => s.flags.alloc)
    .sort((a, b) => groupOf(a) - groupOf(b) || priority(a) - priority(b) || a.order - b.order);
  let at = base;
  for (const s of alloc) {
    // gas pads the end of a code section to its alignment with nops.
    if (s.flags.exec) s.padEnd();
    // The first section starts at `base` itself (aligned only as its contents need).
    const a = at === base ? s.align : Math.max(PAGE, s.align);
    s.addr = Math.ceil(at / a) * a;
    at = s.addr + s.size;
    if (at > 0x1_0000_0000) {
      asm.report({ file: asm.opts.filename, line: 1, col: 1 }, `section ${s.name} at 0x${s.addr.toString(16)} (size 0x${s.size.toString(16)}) does not fit below 4 GiB`);
      s.addr = 0;
    }
  }
  for (const s of used) if (!s.flags.alloc) s.addr = 0;
  return alloc;
}

/** Evaluation after layout: every label has its address. */
export function finalEnv(asm: Asm): EvalEnv {
  const env: EvalEnv = {
    symbol(name: string, col: number): Value {
      const s = asm.symbols.get(name);
      if (!s || s.kind === 'undef') throw new ExprError(col, `undefined symbol '${displayName(name)}'`);
      if (s.kind === 'label') return { sec: null, v: BigInt(s.sec!.addr + s.off!) };
      if (s.value) return s.value.sec ? { sec: null, v: BigInt((s.value.sec as Section).addr) + s.value.v } : s.value;
      if (s.busy) throw new ExprError(col, `symbol '${name}' is defined in terms of itself`);
      s.busy = true;
      try {
        return finalValue(s.expr!, env);
      } finally {
        s.busy = false;
      }
    },
    place: (sec: object, off: number) => ({ sec: null, v: BigInt((sec as Section).addr + off) }),
  };
  return env;
}

export function finalValue(e: Parameters<typeof evaluate>[0], env: EvalEnv): Value {
  const v = evaluate(e, env);
  if (!v) throw new ExprError(0, 'expression cannot be computed');
  return v;
}

const pcOf = (f: InsnFixup): number => f.sec.addr + f.off;

/** Patch all fixups; errors are reported at the statement that made them. */
export function resolveFixups(asm: Asm, sections: Section[]): void {
  const env = finalEnv(asm);
  const auipcAt = new Map<number, InsnFixup>();
  for (const s of sections) {
    for (const f of s.fixups) if (f.k === 'insn' && f.imm.kind === 'pcrel_hi') auipcAt.set(pcOf(f), f);
  }
  for (const s of sections) {
    for (const f of s.fixups) {
      try {
        if (f.k === 'data') {
          const v = finalValue(f.expr, env).v;
          checkDataFits(v, f.size, (m) => { throw new ExprError(f.loc.col, m); });
          s.patchLE(f.off, v, f.size);
        } else {
          s.patch32(f.off, encodeInsn(f.name, { ...f.ops, imm: insnImm(f, env, auipcAt) }));
        }
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        asm.report({ ...f.loc, col: e.col || f.loc.col }, e.message);
      }
    }
  }
}

function insnImm(f: InsnFixup, env: EvalEnv, auipcAt: Map<number, InsnFixup>): number {
  const col = f.imm.col;
  if (f.imm.kind === 'pcrel_lo') {
    let hi = f.imm.pair;
    if (!hi) {
      const at = Number(BigInt.asUintN(32, finalValue(f.imm.expr, env).v));
      hi = auipcAt.get(at);
      if (!hi) throw new ExprError(col, `%pcrel_lo needs the label of an auipc with %pcrel_hi; there is none at 0x${at.toString(16)}`);
    }
    return lo12(pcDistance(finalValue(hi.imm.expr, env).v, pcOf(hi)));
  }
  const r = immField(f.name, f.imm.kind, finalValue(f.imm.expr, env).v, pcOf(f));
  if ('err' in r) throw new ExprError(col, r.err);
  return r.ok;
}
