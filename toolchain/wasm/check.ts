// What the translator accepts, checked before any code is generated, so a
// program outside it fails with one message naming the function and the
// source line (from the source map) instead of a wrong translation:
// floating point (until the machine has F/D), imports other than the user
// runtime's system calls, multi-value, reference types, tail calls, passive
// segments, several memories or tables, a missing or ill-typed `main`, and
// data that would not land in the wasm memory above the null guard.
//
// Entry points: checkModule, Checked, describeOffset.

import type { WasmModule, Func, ValType } from './reader.ts';
import type { SourceMap } from './sourcemap.ts';
import { OP, opName, usesFloat, FC } from './opcodes.ts';
import { TranslateError } from './codegen.ts';
import { LAYOUT, WASM_MAX_PAGES } from './abi.ts';

export interface Checked {
  /** Function index of the exported main, and whether it returns an i32. */
  main: number;
  mainReturns: boolean;
  /** For imported functions: the N of tessera.syscallN. */
  syscallArgs: (number | undefined)[];
}

/** Instructions outside what the translator implements (besides floating point). */
const UNSUPPORTED = new Set<number>([
  0x12, 0x13, 0x25, 0x26, 0xd0, 0xd1, 0xd2,
  OP.memory_init, OP.data_drop, FC + 12, FC + 13, FC + 14, FC + 15, FC + 16, FC + 17,
]);

const isFloat = (t: ValType): boolean => t === 'f32' || t === 'f64';
const hex = (n: number): string => '0x' + n.toString(16);

/** A function's name from the name section (asc's internal path, minus leading ../), or $funcN. */
export function funcName(m: WasmModule, index: number): string {
  return m.names.get(index)?.replace(/^(\.\.?\/)+/, '') ?? `$func${index}`;
}

/** "file.ts:12:5" for a wasm byte offset inside `f`, or the offset when there is no source map. */
export function describeOffset(sm: SourceMap | undefined, off: number, f?: Func): string {
  const end = f ? f.body[f.body.length - 1]?.off ?? off : off;
  const loc = sm ? (f ? sm.nearest(off, f.offset, end + 1) : sm.lookup(off)) : undefined;
  if (loc) return `${sm!.sources[loc.source]}:${loc.line}:${loc.col}`;
  return `wasm offset ${hex(off)}`;
}

function checkImports(m: WasmModule): (number | undefined)[] {
  const syscallArgs: (number | undefined)[] = [];
  for (const imp of m.imports) {
    const what = `${imp.module}.${imp.name}`;
    if (imp.kind !== 'func') {
      throw new TranslateError(`unsupported import '${what}' (a ${imp.kind}): a Tessera program imports only the user runtime's system calls`);
    }
    const match = imp.module === 'tessera' ? /^syscall([0-6])$/.exec(imp.name) : null;
    if (!match) {
      throw new TranslateError(`unknown import '${what}': a Tessera program may import only tessera.syscall0 .. tessera.syscall6 (servers/lib)`);
    }
    const n = Number(match[1]);
    const t = m.types[imp.type];
    if (t.params.length !== n + 1 || t.params.some((p) => p !== 'i32') || t.results.length !== 1 || t.results[0] !== 'i32') {
      throw new TranslateError(`import '${what}' must have type (i32 x ${n + 1}) -> i32`);
    }
    syscallArgs.push(n);
  }
  return syscallArgs;
}

function checkFunction(m: WasmModule, sm: SourceMap | undefined, f: Func): void {
  const name = funcName(m, f.index);
  const t = m.types[f.type];
  const at = (off: number): string => describeOffset(sm, off, f);
  for (const ins of f.body) {
    if (usesFloat(ins.op) || ins.op === 0x43 || ins.op === 0x44) {
      throw new TranslateError(`floating point is not supported (the machine has no F/D extensions yet): function '${name}' uses ${opName(ins.op)} at ${at(ins.off)}`);
    }
    if (UNSUPPORTED.has(ins.op)) {
      throw new TranslateError(`function '${name}' uses ${opName(ins.op)}, which the translator does not support, at ${at(ins.off)}`);
    }
    if (ins.bt?.kind === 'func') throw new TranslateError(`function '${name}' has a multi-value block at ${at(ins.off)}`);
    if (ins.bt?.kind === 'value' && isFloat(ins.bt.type)) {
      throw new TranslateError(`floating point is not supported (the machine has no F/D extensions yet): function '${name}' has an ${ins.bt.type} block at ${at(ins.off)}`);
    }
    if (ins.bt?.kind === 'value' && ins.bt.type !== 'i32' && ins.bt.type !== 'i64') {
      throw new TranslateError(`function '${name}' has a ${ins.bt.type} block at ${at(ins.off)}, which the translator does not support`);
    }
  }
  const types = [...t.params, ...t.results, ...f.locals];
  const bad = types.find((v) => v !== 'i32' && v !== 'i64');
  if (bad) {
    const where = at(f.body[0]?.off ?? f.offset);
    if (isFloat(bad)) {
      throw new TranslateError(`floating point is not supported (the machine has no F/D extensions yet): function '${name}' has an ${bad} parameter, result or local (${where})`);
    }
    throw new TranslateError(`function '${name}' uses the value type ${bad}, which the translator does not support (${where})`);
  }
  if (t.results.length > 1) throw new TranslateError(`function '${name}' returns several values (multi-value is not supported)`);
}

function checkSegments(m: WasmModule): void {
  const memBytes = (m.memories[0]?.min ?? 0) * 0x10000;
  for (const d of m.datas) {
    if (d.mode !== 'active') throw new TranslateError(`passive data segment at ${hex(d.at)}: memory.init is not supported`);
    if (d.offset?.op !== OP.i32_const) throw new TranslateError(`data segment at ${hex(d.at)}: offset must be an i32.const`);
    const start = d.offset.a >>> 0;
    if (start < LAYOUT.wasmMemoryBase && d.bytes.length > 0) {
      throw new TranslateError(`data segment at wasm address ${hex(start)} is below the memory base ${hex(LAYOUT.wasmMemoryBase)} ` +
        `that keeps the low addresses unmapped (build with asc --memoryBase ${LAYOUT.wasmMemoryBase})`);
    }
    if (start + d.bytes.length > memBytes) throw new TranslateError(`data segment at ${hex(start)} (+${d.bytes.length} bytes) is outside the initial memory`);
  }
  for (const e of m.elems) {
    if (e.mode === 'declarative') continue;
    if (e.mode !== 'active' || e.table !== 0) throw new TranslateError(`element segment at ${hex(e.at)}: only active segments of table 0 are supported`);
    if (e.offset?.op !== OP.i32_const) throw new TranslateError(`element segment at ${hex(e.at)}: offset must be an i32.const`);
    const tmin = m.tables[0]?.min ?? 0;
    if ((e.offset.a >>> 0) + e.funcs.length > tmin) throw new TranslateError(`element segment at ${hex(e.at)} does not fit in the table`);
  }
}

function checkMain(m: WasmModule): { main: number; mainReturns: boolean } {
  const exp = m.exports.find((e) => e.name === 'main');
  if (!exp) throw new TranslateError("missing export 'main': the program must export function main(): i32 (or void)");
  if (exp.kind !== 'func') throw new TranslateError(`export 'main' is a ${exp.kind}, not a function`);
  const t = m.types[m.funcTypes[exp.index]];
  if (t.params.length !== 0 || t.results.length > 1 || (t.results.length === 1 && t.results[0] !== 'i32')) {
    throw new TranslateError("export 'main' must take no parameters and return i32 or nothing");
  }
  if (exp.index < m.importedFuncs) throw new TranslateError("export 'main' is an imported function");
  return { main: exp.index, mainReturns: t.results.length === 1 };
}

/** Check that the translator supports `m`. Throws TranslateError naming the first problem. */
export function checkModule(m: WasmModule, sm?: SourceMap): Checked {
  const syscallArgs = checkImports(m);
  if (m.memories.length > 1) throw new TranslateError('more than one memory is not supported');
  if (m.tables.length > 1) throw new TranslateError('more than one table is not supported');
  const mem = m.memories[0];
  if (mem && mem.min > WASM_MAX_PAGES) {
    throw new TranslateError(`initial memory of ${mem.min} pages is more than the ${WASM_MAX_PAGES} a program can have`);
  }
  m.globals.forEach((g, i) => {
    if (isFloat(g.type)) throw new TranslateError(`floating point is not supported (the machine has no F/D extensions yet): global ${i} is an ${g.type}`);
    if (g.type !== 'i32' && g.type !== 'i64') throw new TranslateError(`global ${i} has type ${g.type}, which is not supported`);
    if (g.init.op !== OP.i32_const && g.init.op !== OP.i64_const) throw new TranslateError(`global ${i}: initializer must be a constant`);
  });
  for (const f of m.funcs) checkFunction(m, sm, f);
  checkSegments(m);
  if (m.start !== undefined) {
    const t = m.types[m.funcTypes[m.start]];
    if (t.params.length || t.results.length) throw new TranslateError('the start function must take and return nothing');
  }
  return { ...checkMain(m), syscallArgs };
}
