// A whole wasm module to a static RV32 ELF for Tessera's user mode.
//
// Layout (abi.ts LAYOUT, docs/abi.md): the code (.text: _start, the
// functions, the runtime routines) and read-only tables (.rodata: br_table
// jump tables, the call_indirect table of signature ids and addresses, the
// globals' initial values) from textBase, below the wasm memory's base. The
// wasm memory is identity-mapped: its static data sits where asc put it
// (--memoryBase) as .data, the rest of the initial memory as .bss, the
// highest segment, so the heap grows right above it with `brk`. The wasm
// globals live in _start's frame at the top of the stack, addressed from gp,
// where no wasm pointer reaches. Function names become symbols, and
// `.tessera.lines` maps every pc to the AssemblyScript line its wasm
// instruction came from.
//
// Entry points: translateWasm, Translation, TranslateOptions.

import { Code, Label } from './emit.ts';
import { readWasm, type WasmModule, type FuncType } from './reader.ts';
import { checkModule, funcName, type Checked } from './check.ts';
import { FuncGen, TranslateError, type GlobalHome, type HelperName, type ModuleCtx } from './codegen.ts';
import { emitStart, emitHelper, emitUdivmod, HELPER_SYMBOLS } from './runtime.ts';
import { encodeLineTable, LINES_SECTION, NO_FILE, type LineRow } from './linetable.ts';
import { LAYOUT, WASM_MAX_PAGES } from './abi.ts';
import { OP } from './opcodes.ts';
import { writeElf, type ElfImageSection, type ElfImageSymbol } from '../elf.ts';
import type { SourceMap } from './sourcemap.ts';

export interface TranslateOptions {
  sourceMap?: SourceMap;
}

export interface Translation {
  elf: Uint8Array;
  entry: number;
  /** Address and size of each function, by name. */
  functions: { name: string; addr: number; size: number }[];
  textSize: number;
}

const PAGE = LAYOUT.page;
const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;
const GP_BIAS = 2048;

function constOf(m: WasmModule, g: number): [number, number] {
  const init = m.globals[g].init;
  if (init.op === OP.i64_const) {
    const v = init.big!;
    return [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
  }
  return [init.a | 0, 0];
}

/** Words of the gp area (initial values): the memory size in pages, then the mutable globals. */
function layoutGlobals(m: WasmModule): { homes: GlobalHome[]; init: number[] } {
  const init = [m.memories[0]?.min ?? 0];
  const homes = m.globals.map((g, i): GlobalHome => {
    const [lo, hi] = constOf(m, i);
    if (!g.mutable) return { kind: 'const', lo, hi };
    const off = 4 * init.length - GP_BIAS;
    init.push(lo);
    if (g.type === 'i64') init.push(hi);
    return { kind: 'gp', off };
  });
  if (init.length * 4 > 4096 - 8) throw new TranslateError(`too many mutable globals (${m.globals.length}) for the gp-relative area`);
  return { homes, init };
}

/** Equal function types get equal ids (wasm's call_indirect compares types structurally). */
function signatureIds(types: FuncType[]): number[] {
  const ids = new Map<string, number>();
  return types.map((t) => {
    const key = `${t.params.join(',')}>${t.results.join(',')}`;
    if (!ids.has(key)) ids.set(key, ids.size + 1);
    return ids.get(key)!;
  });
}

interface Rodata { label: Label; words: (number | Label)[] }

/** Line rows from the marks the code carries: each wasm offset mapped through the source map. */
function lineRows(m: WasmModule, sm: SourceMap | undefined, starts: number[], marks: { pc: number; off: number }[]): { files: string[]; rows: LineRow[] } {
  const rows: LineRow[] = [];
  const fileIdx = new Map<number, number>();
  const files: string[] = [];
  const bodyStarts = m.funcs.map((f) => f.offset);
  let last = '';
  const push = (pc: number, file: number, line: number, col: number): void => {
    const key = `${file}:${line}:${col}`;
    if (key === last) return;
    last = key;
    if (rows.length && rows[rows.length - 1].pc === pc) rows.pop();
    rows.push({ pc, file, line, col });
  };
  const events = [...starts.map((pc) => ({ pc, off: -1 })), ...marks].sort((a, b) => a.pc - b.pc || a.off - b.off);
  for (const ev of events) {
    if (ev.off < 0) { push(ev.pc, NO_FILE, 0, 0); continue; }
    if (!sm) continue;
    let lo = 0, hi = bodyStarts.length - 1, fi = 0;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (bodyStarts[mid] <= ev.off) { fi = mid; lo = mid + 1; } else hi = mid - 1; }
    // Unmapped bytes (code binaryen made) take the nearest mapped line of their function.
    const loc = sm.nearest(ev.off, bodyStarts[fi], bodyStarts[fi + 1] ?? Infinity);
    if (!loc) continue;
    if (!fileIdx.has(loc.source)) { fileIdx.set(loc.source, files.length); files.push(sm.sources[loc.source]); }
    push(ev.pc, fileIdx.get(loc.source)!, loc.line, loc.col);
  }
  return { files, rows };
}

/** The .data image of the active data segments, and where it starts. */
function dataImage(m: WasmModule): { addr: number; bytes: Uint8Array } | undefined {
  const segs = m.datas.filter((d) => d.bytes.length > 0).map((d) => ({ at: d.offset!.a >>> 0, bytes: d.bytes }));
  if (segs.length === 0) return undefined;
  const lo = Math.min(...segs.map((s) => s.at)), hi = Math.max(...segs.map((s) => s.at + s.bytes.length));
  const out = new Uint8Array(hi - lo);
  for (const s of segs) out.set(s.bytes, s.at - lo);
  return { addr: lo, bytes: out };
}

/** The call_indirect table: (signature id, address) per entry, 0s where the table has no function. */
function indirectTable(m: WasmModule, funcLabels: (Label | undefined)[]): Rodata | undefined {
  if (m.tables.length === 0) return undefined;
  const words: (number | Label)[] = new Array(2 * m.tables[0].min).fill(0);
  const sig = signatureIds(m.types);
  for (const e of m.elems) {
    if (e.mode !== 'active') continue;
    e.funcs.forEach((fi, k) => {
      if (fi === null) return;
      if (fi < m.importedFuncs) throw new TranslateError(`the table holds imported function ${funcName(m, fi)}, which cannot be called indirectly`);
      const slot = 2 * ((e.offset!.a >>> 0) + k);
      words[slot] = sig[m.funcTypes[fi]];
      words[slot + 1] = funcLabels[fi]!;
    });
  }
  return { label: new Label('__wasm_table'), words };
}

interface Range { name: string; start: Label; end: Label; global: boolean }

/** All the code: _start, every function, the runtime routines they use. Returns the named ranges (for symbols). */
function emitText(m: WasmModule, checked: Checked, ctx: ModuleCtx, helpers: Map<HelperName, Label>,
  text: Code, startLabel: Label, globalsInit: Rodata): Range[] {
  const ranges: Range[] = [];
  const range = (name: string, global: boolean, emit: () => void, start = new Label()): void => {
    const end = new Label();
    text.label(start);
    emit();
    text.label(end);
    ranges.push({ name, start, end, global });
  };
  const labels = ctx.funcLabels;
  range('_start', true, () => emitStart(text, globalsInit.label, globalsInit.words.length,
    m.start !== undefined ? labels[m.start] : undefined, labels[checked.main]!, checked.mainReturns), startLabel);
  const exported = new Set(m.exports.filter((e) => e.kind === 'func').map((e) => e.index));
  for (const f of m.funcs) {
    const g = new FuncGen(ctx, f, labels[f.index]!);
    g.run();
    range(funcName(m, f.index), exported.has(f.index), () => text.append(g.finish()));
  }
  const memMax = Math.min(m.memories[0]?.max ?? WASM_MAX_PAGES, WASM_MAX_PAGES);
  const env = { memPagesOff: -GP_BIAS, maxPages: memMax, udivmod: new Label('__wasm_udivmod64') };
  for (const [name, l] of helpers) range(HELPER_SYMBOLS[name], false, () => emitHelper(text, name, l, env));
  if ([...helpers.keys()].some((h) => /^(div|rem)[su]64$/.test(h))) range('__wasm_udivmod64', false, () => emitUdivmod(text, env.udivmod));
  return ranges;
}

/** The wasm memory's initial contents: .data from its base (a .bss.low first if the data starts far above it), .bss to its size. */
function memorySections(m: WasmModule): ElfImageSection[] {
  const out: ElfImageSection[] = [];
  const memEnd = (m.memories[0]?.min ?? 0) * 0x10000;
  const data = dataImage(m);
  let bssStart = LAYOUT.wasmMemoryBase;
  if (data) {
    const gap = data.addr - LAYOUT.wasmMemoryBase;
    if (gap > 0x10000) out.push({ name: '.bss.low', addr: LAYOUT.wasmMemoryBase, size: gap, nobits: true, write: true, align: 1 });
    const start = gap > 0x10000 ? data.addr : LAYOUT.wasmMemoryBase;
    const bytes = new Uint8Array(data.addr + data.bytes.length - start);
    bytes.set(data.bytes, data.addr - start);
    out.push({ name: '.data', addr: start, data: bytes, write: true, align: 1 });
    bssStart = start + bytes.length;
  }
  if (memEnd > bssStart) out.push({ name: '.bss', addr: bssStart, size: memEnd - bssStart, nobits: true, write: true, align: 1 });
  return out;
}

/** Read-only tables after the code, page-aligned: labels placed, words resolved. */
function placeRodata(rodata: Rodata[], base: number): Uint8Array {
  let addr = base;
  for (const r of rodata) { r.label.addr = addr; addr += 4 * r.words.length; }
  if (addr > LAYOUT.wasmMemoryBase) {
    throw new TranslateError(`the program's code and tables (${addr - LAYOUT.textBase} bytes) do not fit below the wasm memory at 0x${LAYOUT.wasmMemoryBase.toString(16)}`);
  }
  const words = new Int32Array((addr - base) / 4);
  let k = 0;
  for (const r of rodata) for (const w of r.words) words[k++] = typeof w === 'number' ? w : w.addr;
  return new Uint8Array(words.buffer);
}

/** Translate a wasm binary (as asc emits it with Tessera's flags) to an ELF. Throws WasmError or TranslateError. */
export function translateWasm(bytes: Uint8Array, opts: TranslateOptions = {}): Translation {
  const m = readWasm(bytes);
  const sm = opts.sourceMap;
  const checked = checkModule(m, sm);
  const globals = layoutGlobals(m);
  const funcLabels = m.funcTypes.map((_, i) => (i < m.importedFuncs ? undefined : new Label(funcName(m, i))));
  const rodata: Rodata[] = [];
  const helpers = new Map<HelperName, Label>();
  const tableData = indirectTable(m, funcLabels);
  if (tableData) rodata.push(tableData);
  const ctx: ModuleCtx = {
    m, funcLabels, syscallArgs: checked.syscallArgs, globals: globals.homes, memPagesOff: -GP_BIAS,
    helper: (name) => {
      if (!helpers.has(name)) helpers.set(name, new Label(HELPER_SYMBOLS[name]));
      return helpers.get(name)!;
    },
    table: tableData && { label: tableData.label, size: m.tables[0].min }, sigIds: signatureIds(m.types),
    jumpTable: (targets) => { const label = new Label(); rodata.push({ label, words: targets }); return label; },
    funcName: (i) => funcName(m, i),
  };
  const text = new Code();
  const startLabel = new Label('_start');
  const globalsInit: Rodata = { label: new Label('__wasm_globals_init'), words: globals.init };
  rodata.push(globalsInit);
  const ranges = emitText(m, checked, ctx, helpers, text, startLabel, globalsInit);

  const textBase = LAYOUT.textBase;
  const textSize = text.layout(textBase);
  const rodataBase = alignUp(textBase + textSize, PAGE);
  const rodataBytes = placeRodata(rodata, rodataBase);
  const marks: { pc: number; off: number }[] = [];
  const textBytes = text.bytes(textBase, (pc, off) => marks.push({ pc, off }));
  const lines = lineRows(m, sm, ranges.map((r) => r.start.addr), marks);
  const sections: ElfImageSection[] = [
    { name: '.text', addr: textBase, data: textBytes, exec: true, align: 4 },
    { name: '.rodata', addr: rodataBase, data: rodataBytes, align: 4 },
    ...memorySections(m),
    { name: LINES_SECTION, addr: 0, alloc: false, data: encodeLineTable(lines.files, lines.rows) },
  ];
  const symbols: ElfImageSymbol[] = ranges.map((r) => ({
    name: r.name, value: r.start.addr, size: r.end.addr - r.start.addr, type: 'FUNC', bind: r.global ? 'GLOBAL' : 'LOCAL', section: '.text',
  }));
  for (const e of m.exports) {
    if (e.kind === 'func' && funcLabels[e.index] && e.name !== funcName(m, e.index)) {
      symbols.push({ name: e.name, value: funcLabels[e.index]!.addr, type: 'FUNC', bind: 'GLOBAL', section: '.text' });
    }
  }
  if (tableData) symbols.push({ name: '__wasm_table', value: tableData.label.addr, size: 4 * tableData.words.length, type: 'OBJECT', section: '.rodata' });
  symbols.push({ name: '__wasm_globals_init', value: globalsInit.label.addr, size: 4 * globals.init.length, type: 'OBJECT', section: '.rodata' });
  const elf = writeElf({ entry: startLabel.addr, sections, symbols });
  const functions = ranges.map((r) => ({ name: r.name, addr: r.start.addr, size: r.end.addr - r.start.addr }));
  return { elf, entry: startLabel.addr, functions, textSize };
}
