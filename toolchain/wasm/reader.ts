// The WebAssembly binary reader: sections, function bodies decoded into
// instructions that keep their byte offset in the file (the source map and
// the line table are keyed by it), the name section and the source map URL.
//
// Every read is bounds-checked, so a truncated or corrupt file gives one
// WasmError naming the problem and the file offset, never a RangeError. The
// reader checks structure only; type checking is V8's job (build.ts runs
// WebAssembly.Module first) and what the translator supports is check.ts's.
//
// Entry points: readWasm, WasmModule and its parts, WasmError, ValType.

import { OPCODES, FC, type Imm } from './opcodes.ts';

export class WasmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmError';
  }
}

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';
const VALTYPES: Readonly<Record<number, ValType>> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
};

export interface FuncType { params: ValType[]; results: ValType[] }
/** A block's type: no value, one value type, or a function type index (multi-value). */
export type BlockType = { kind: 'empty' } | { kind: 'value'; type: ValType } | { kind: 'func'; index: number };

/**
 * One instruction. `a` holds the first immediate (label depth, local, global,
 * function or type index, memarg offset, i32 constant, data index), `b` the
 * second (memarg alignment, call_indirect table), `big` an i64 constant,
 * `targets` br_table's labels (default last), `bt` a block type.
 */
export interface Insn {
  op: number;
  off: number;
  a: number;
  b: number;
  big?: bigint;
  targets?: number[];
  bt?: BlockType;
}

export interface Import { module: string; name: string; kind: 'func' | 'table' | 'memory' | 'global'; type: number; offset: number }
export interface Func {
  /** Index in the function index space (imports first). */
  index: number;
  type: number;
  /** Declared locals after the parameters. */
  locals: ValType[];
  body: Insn[];
  /** File offset of the body (its size field). */
  offset: number;
}
export interface Limits { min: number; max?: number }
export interface Global { type: ValType; mutable: boolean; init: Insn; offset: number }
export interface Export { name: string; kind: 'func' | 'table' | 'memory' | 'global'; index: number }
export interface Elem { mode: 'active' | 'passive' | 'declarative'; table: number; offset?: Insn; funcs: (number | null)[]; at: number }
export interface Data { mode: 'active' | 'passive'; memory: number; offset?: Insn; bytes: Uint8Array; at: number }

export interface WasmModule {
  types: FuncType[];
  imports: Import[];
  /** Type index of every function, imports first. */
  funcTypes: number[];
  funcs: Func[];
  tables: Limits[];
  memories: Limits[];
  globals: Global[];
  exports: Export[];
  start?: number;
  elems: Elem[];
  datas: Data[];
  /** Function names from the name section, by function index. */
  names: Map<number, string>;
  sourceMapUrl?: string;
  importedFuncs: number;
}

const hex = (n: number): string => '0x' + n.toString(16);
const KINDS = ['func', 'table', 'memory', 'global'] as const;

/** A bounds-checked cursor over the file. */
class Cursor {
  pos: number;
  constructor(readonly b: Uint8Array, pos: number, readonly end: number) {
    this.pos = pos;
  }
  fail(what: string, at = this.pos): never {
    throw new WasmError(`malformed wasm: ${what} at offset ${hex(at)}`);
  }
  byte(what: string): number {
    if (this.pos >= this.end) this.fail(`unexpected end of ${what}`);
    return this.b[this.pos++];
  }
  u32(what: string): number {
    let result = 0, shift = 0;
    const at = this.pos;
    for (;;) {
      const x = this.byte(what);
      if (shift === 28 && (x & 0x70) !== 0) this.fail(`${what}: LEB128 value too large`, at);
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
      if (shift > 28) this.fail(`${what}: LEB128 too long`, at);
    }
  }
  /** Signed LEB128 of up to `bits` bits, as a bigint. */
  sleb(bits: number, what: string): bigint {
    let result = 0n, shift = 0n;
    const at = this.pos;
    for (;;) {
      const x = this.byte(what);
      result |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if ((x & 0x80) === 0) {
        if ((x & 0x40) !== 0) result -= 1n << shift;
        return BigInt.asIntN(bits, result);
      }
      if (shift >= BigInt(bits + 7)) this.fail(`${what}: LEB128 too long`, at);
    }
  }
  s32(what: string): number {
    return Number(this.sleb(32, what));
  }
  bytes(n: number, what: string): Uint8Array {
    if (n > this.end - this.pos) this.fail(`${what} (${n} bytes) runs past the end of its section`);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(what: string): string {
    const len = this.u32(what);
    return new TextDecoder().decode(this.bytes(len, what));
  }
  valtype(what: string): ValType {
    const at = this.pos;
    const t = VALTYPES[this.byte(what)];
    if (t === undefined) this.fail(`${what}: unknown value type ${hex(this.b[at])}`, at);
    return t;
  }
  limits(what: string): Limits {
    const flags = this.byte(what);
    if (flags > 3) this.fail(`${what}: limits flags ${hex(flags)} (64-bit memories are not supported)`);
    const min = this.u32(what);
    return flags & 1 ? { min, max: this.u32(what) } : { min };
  }
}

function blockType(c: Cursor): BlockType {
  const first = c.b[c.pos];
  if (c.pos >= c.end) c.fail('unexpected end of block type');
  if (first === 0x40) { c.pos++; return { kind: 'empty' }; }
  if (VALTYPES[first] !== undefined) { c.pos++; return { kind: 'value', type: VALTYPES[first] }; }
  const idx = Number(c.sleb(33, 'block type'));
  if (idx < 0) c.fail(`bad block type ${idx}`);
  return { kind: 'func', index: idx };
}

/** Decode one instruction's immediates into `insn`. */
function immediates(c: Cursor, imm: Imm, insn: Insn): void {
  switch (imm) {
    case 'none': return;
    case 'block': insn.bt = blockType(c); return;
    case 'label': case 'func': case 'local': case 'global': case 'table': case 'data': case 'elem':
      insn.a = c.u32('immediate'); return;
    case 'br_table': {
      const n = c.u32('br_table count');
      if (n > c.end - c.pos) c.fail(`br_table with ${n} targets runs past the end of the body`);
      const t: number[] = [];
      for (let i = 0; i <= n; i++) t.push(c.u32('br_table target'));
      insn.targets = t;
      return;
    }
    case 'call_indirect': insn.a = c.u32('type index'); insn.b = c.u32('table index'); return;
    case 'mem': insn.b = c.u32('alignment'); insn.a = c.u32('offset'); return;
    case 'memidx': if (c.byte('memory index') !== 0) c.fail('memory index must be 0', c.pos - 1); return;
    case 'i32': insn.a = c.s32('i32 constant'); return;
    case 'i64': insn.big = c.sleb(64, 'i64 constant'); return;
    case 'f32': c.bytes(4, 'f32 constant'); return;
    case 'f64': c.bytes(8, 'f64 constant'); return;
    case 'select_t': {
      const n = c.u32('select types');
      for (let i = 0; i < n; i++) c.valtype('select type');
      return;
    }
    case 'reftype': c.byte('reference type'); return;
    case 'data_mem': insn.a = c.u32('data index'); c.byte('memory index'); return;
    case 'mem_mem': c.byte('memory index'); c.byte('memory index'); return;
    case 'table_table': case 'elem_table': insn.a = c.u32('index'); insn.b = c.u32('table index'); return;
  }
}

/** Decode instructions until the `end` that closes the outermost level. */
function decodeExpr(c: Cursor, what: string): Insn[] {
  const out: Insn[] = [];
  let depth = 0;
  for (;;) {
    const off = c.pos;
    let op = c.byte(what);
    if (op === 0xfc) op = FC + c.u32('0xfc sub-opcode');
    const info = OPCODES.get(op);
    if (info === undefined) {
      const shown = op >= FC ? `0xfc ${op - FC}` : hex(op);
      c.fail(`${what}: unknown or unsupported opcode ${shown}`, off);
    }
    const insn: Insn = { op, off, a: 0, b: 0 };
    immediates(c, info.imm, insn);
    out.push(insn);
    if (op === 0x02 || op === 0x03 || op === 0x04) depth++;
    else if (op === 0x0b) {
      if (depth === 0) return out;
      depth--;
    }
  }
}

function constExpr(c: Cursor, what: string): Insn {
  const body = decodeExpr(c, what);
  if (body.length !== 2) c.fail(`${what}: expected a single constant instruction`);
  return body[0];
}

type SectionReader = (c: Cursor, m: WasmModule) => void;

function readTypes(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('type count'); n > 0; n--) {
    const at = c.pos;
    const form = c.byte('type');
    if (form !== 0x60) c.fail(`type form ${hex(form)} is not a function type`, at);
    const params: ValType[] = [], results: ValType[] = [];
    for (let k = c.u32('param count'); k > 0; k--) params.push(c.valtype('param type'));
    for (let k = c.u32('result count'); k > 0; k--) results.push(c.valtype('result type'));
    m.types.push({ params, results });
  }
}

function readImports(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('import count'); n > 0; n--) {
    const offset = c.pos;
    const module = c.name('import module'), name = c.name('import name');
    const kindByte = c.byte('import kind');
    const kind = KINDS[kindByte];
    if (kind === undefined) c.fail(`import ${module}.${name}: unknown kind ${kindByte}`);
    let type = 0;
    if (kind === 'func') { type = c.u32('import type'); m.funcTypes.push(type); m.importedFuncs++; }
    else if (kind === 'table') { c.valtype('table type'); m.tables.push(c.limits('table limits')); }
    else if (kind === 'memory') m.memories.push(c.limits('memory limits'));
    else { c.valtype('global type'); c.byte('global mutability'); }
    m.imports.push({ module, name, kind, type, offset });
  }
}

function readFunctions(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('function count'); n > 0; n--) m.funcTypes.push(c.u32('function type'));
}

function readTables(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('table count'); n > 0; n--) { c.valtype('table type'); m.tables.push(c.limits('table limits')); }
}

function readMemories(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('memory count'); n > 0; n--) m.memories.push(c.limits('memory limits'));
}

function readGlobals(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('global count'); n > 0; n--) {
    const offset = c.pos;
    const type = c.valtype('global type');
    const mutable = c.byte('global mutability') === 1;
    m.globals.push({ type, mutable, init: constExpr(c, 'global initializer'), offset });
  }
}

function readExports(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('export count'); n > 0; n--) {
    const name = c.name('export name');
    const kind = KINDS[c.byte('export kind')];
    if (kind === undefined) c.fail(`export ${name}: unknown kind`);
    m.exports.push({ name, kind, index: c.u32('export index') });
  }
}

function readElems(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('element count'); n > 0; n--) {
    const at = c.pos;
    const flags = c.u32('element flags');
    if (flags > 7) c.fail(`element segment flags ${flags}`, at);
    const mode = (flags & 1) === 0 ? 'active' : (flags & 2) === 0 ? 'passive' : 'declarative';
    const table = flags === 2 || flags === 6 ? c.u32('element table') : 0;
    const offset = mode === 'active' ? constExpr(c, 'element offset') : undefined;
    if (flags & 3) c.byte('element kind');
    const funcs: (number | null)[] = [];
    for (let k = c.u32('element count'); k > 0; k--) {
      if ((flags & 4) === 0) { funcs.push(c.u32('element function')); continue; }
      const e = constExpr(c, 'element expression');
      funcs.push(e.op === 0xd2 ? e.a : null);
    }
    m.elems.push({ mode, table, offset, funcs, at });
  }
}

function readCode(c: Cursor, m: WasmModule): void {
  const count = c.u32('code count');
  if (count !== m.funcTypes.length - m.importedFuncs) {
    c.fail(`code section has ${count} bodies for ${m.funcTypes.length - m.importedFuncs} functions`);
  }
  for (let i = 0; i < count; i++) {
    const offset = c.pos;
    const size = c.u32('body size');
    if (size > c.end - c.pos) c.fail(`function body ${i} (${size} bytes) runs past the end of the code section`);
    const body = new Cursor(c.b, c.pos, c.pos + size);
    const locals: ValType[] = [];
    for (let g = body.u32('local groups'); g > 0; g--) {
      const k = body.u32('local count');
      if (k + locals.length > 50000) body.fail(`function body ${i} declares too many locals`);
      const t = body.valtype('local type');
      for (let j = 0; j < k; j++) locals.push(t);
    }
    const insns = decodeExpr(body, `function body ${i}`);
    if (body.pos !== body.end) body.fail(`function body ${i}: bytes after the final end`);
    const index = m.importedFuncs + i;
    m.funcs.push({ index, type: m.funcTypes[index], locals, body: insns, offset });
    c.pos += size;
  }
}

function readDatas(c: Cursor, m: WasmModule): void {
  for (let n = c.u32('data count'); n > 0; n--) {
    const at = c.pos;
    const flags = c.u32('data flags');
    if (flags > 2) c.fail(`data segment flags ${flags}`, at);
    const memory = flags === 2 ? c.u32('data memory') : 0;
    const offset = flags === 1 ? undefined : constExpr(c, 'data offset');
    const bytes = c.bytes(c.u32('data size'), 'data segment');
    m.datas.push({ mode: flags === 1 ? 'passive' : 'active', memory, offset, bytes, at });
  }
}

function readCustom(c: Cursor, m: WasmModule): void {
  const name = c.name('custom section name');
  if (name === 'sourceMappingURL') m.sourceMapUrl = c.name('source map URL');
  if (name !== 'name') return;
  while (c.pos < c.end) {
    const id = c.byte('name subsection');
    const size = c.u32('name subsection size');
    const sub = new Cursor(c.b, c.pos, c.pos + Math.min(size, c.end - c.pos));
    if (id === 1) {
      for (let k = sub.u32('function name count'); k > 0; k--) {
        const idx = sub.u32('function name index');
        m.names.set(idx, sub.name('function name'));
      }
    }
    c.pos = sub.end;
  }
}

const SECTIONS: Readonly<Record<number, SectionReader>> = {
  1: readTypes, 2: readImports, 3: readFunctions, 4: readTables, 5: readMemories, 6: readGlobals,
  7: readExports, 8: (c, m) => { m.start = c.u32('start function'); }, 9: readElems, 10: readCode,
  11: readDatas, 12: (c) => { c.u32('data count'); },
};

/** Parse a wasm binary. Throws WasmError with the offset of the first problem. */
export function readWasm(bytes: Uint8Array): WasmModule {
  const c = new Cursor(bytes, 0, bytes.length);
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((v, i) => bytes[i] !== v)) {
    throw new WasmError('not a WebAssembly module (bad magic number)');
  }
  const version = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  if (version !== 1) throw new WasmError(`unsupported wasm version ${version} (need 1)`);
  c.pos = 8;
  const m: WasmModule = {
    types: [], imports: [], funcTypes: [], funcs: [], tables: [], memories: [], globals: [], exports: [],
    elems: [], datas: [], names: new Map(), importedFuncs: 0,
  };
  while (c.pos < c.end) {
    const at = c.pos;
    const id = c.byte('section id');
    const size = c.u32('section size');
    if (size > c.end - c.pos) c.fail(`section ${id} (${size} bytes) runs past the end of the file`, at);
    const sc = new Cursor(bytes, c.pos, c.pos + size);
    if (id === 0) readCustom(sc, m);
    else {
      const reader = SECTIONS[id];
      if (reader === undefined) c.fail(`unknown section id ${id}`, at);
      reader(sc, m);
      if (sc.pos !== sc.end) sc.fail(`section ${id} has ${sc.end - sc.pos} unexpected trailing bytes`);
    }
    c.pos += size;
  }
  if (m.funcs.length !== m.funcTypes.length - m.importedFuncs) {
    c.fail(`${m.funcTypes.length - m.importedFuncs} functions declared but no code section before the end`);
  }
  return m;
}
