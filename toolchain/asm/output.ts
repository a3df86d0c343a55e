// From assembled sections to the executable: the symbol table (every label
// and .equ symbol except numeric local labels and .L names, bound as
// .globl/.weak say), the entry point, and the ELF file via writeElf.
//
// Entry points: buildOutput, AsmSection, AsmResult.

import { writeElf, type ElfImageSymbol } from '../elf.ts';
import { ExprError } from './expr.ts';
import { finalEnv, finalValue } from './layout.ts';
import type { Section } from './sections.ts';
import type { Asm } from './state.ts';

export interface AsmSection {
  name: string;
  addr: number;
  size: number;
  /** Contents (zeros for nobits sections). */
  data: Uint8Array;
  flags: { alloc: boolean; write: boolean; exec: boolean; nobits: boolean };
  align: number;
}

export interface AsmResult {
  elf: Uint8Array;
  /** Value of every label and .equ symbol (numeric local labels excluded). */
  symbols: Map<string, number>;
  sections: AsmSection[];
  entry: number;
}

function symbolSize(asm: Asm, s: { sizeExpr?: Parameters<typeof finalValue>[0]; sizeLoc?: Asm['loc'] }): number {
  if (!s.sizeExpr) return 0;
  try {
    return Number(BigInt.asUintN(32, finalValue(s.sizeExpr, finalEnv(asm)).v));
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    asm.report({ ...s.sizeLoc!, col: e.col || s.sizeLoc!.col }, e.message);
    return 0;
  }
}

function collectSymbols(asm: Asm): { elfSyms: ElfImageSymbol[]; values: Map<string, number> } {
  const elfSyms: ElfImageSymbol[] = [];
  const values = new Map<string, number>();
  const env = finalEnv(asm);
  for (const s of asm.symbols.values()) {
    if (s.hidden || s.kind === 'undef') continue;
    let value: number, section = 'ABS';
    if (s.kind === 'label') {
      value = (s.sec!.addr + s.off!) >>> 0;
      section = s.sec!.name;
    } else if (s.value) {
      const sec = s.value.sec as Section | null;
      value = Number(BigInt.asUintN(32, BigInt(sec ? sec.addr : 0) + s.value.v));
      if (sec) section = sec.name;
    } else {
      try {
        value = Number(BigInt.asUintN(32, finalValue(s.expr!, env).v));
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        asm.report(s.loc!, `${e.message} (in the value of '${s.name}')`);
        continue;
      }
    }
    values.set(s.name, value);
    elfSyms.push({ name: s.name, value, size: symbolSize(asm, s), bind: s.bind ?? 'LOCAL', type: s.type, section });
  }
  return { elfSyms, values };
}

/** Symbols, entry point and ELF bytes from laid-out and resolved sections. */
export function buildOutput(asm: Asm, alloc: Section[]): AsmResult {
  const { elfSyms, values } = collectSymbols(asm);
  const nonAlloc = [...asm.sections.values()].filter((s) => !s.flags.alloc && s.size > 0);
  const all = [...alloc, ...nonAlloc];
  const start = asm.symbols.get('_start');
  const firstText = alloc.find((s) => s.flags.exec);
  const entry = start?.kind === 'label' ? (start.sec!.addr + start.off!) >>> 0 : firstText?.addr ?? (asm.opts.base ?? 0x80000000);
  const sections: AsmSection[] = all.map((s) => ({
    name: s.name, addr: s.addr, size: s.size, align: s.align, flags: { ...s.flags },
    data: s.flags.nobits ? new Uint8Array(s.size) : s.bytes().slice(),
  }));
  const elf = writeElf({
    entry,
    sections: all.map((s) => ({
      name: s.name, addr: s.addr, alloc: s.flags.alloc, write: s.flags.write, exec: s.flags.exec,
      nobits: s.flags.nobits, size: s.size, data: s.flags.nobits ? undefined : s.bytes(), align: s.align,
    })),
    symbols: elfSyms.filter((sym) => sym.section === 'ABS' || all.some((s) => s.name === sym.section)),
  });
  return { elf, symbols: values, sections, entry };
}
