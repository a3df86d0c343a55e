// The translator's file formats, each against values worked out by hand or
// by an independent implementation: the wasm reader (against V8's view of the
// same module, and on corrupt input), VLQ and source maps, the line table,
// and the emitter's branch relaxation (checked by disassembling and running).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readWasm, WasmError } from '../../toolchain/wasm/reader.ts';
import { decodeVlq, parseSourceMap, SourceMapError } from '../../toolchain/wasm/sourcemap.ts';
import { encodeLineTable, decodeLineTable, NO_FILE } from '../../toolchain/wasm/linetable.ts';
import { Code, Label, REG, hiLo } from '../../toolchain/wasm/emit.ts';
import { disassemble } from '../../vm/isa/disasm.ts';
import { encodeProgram } from './wasm_gen.ts';

const sampleProgram = () => encodeProgram({
  exprs: [{ k: 'op', t: 'i32', name: 'i32.add', args: [{ k: 'const', t: 'i32', v: 5n }, { k: 'local', t: 'i32', i: 1 }] }],
  locals: { i32: [1n, 2n, 3n], i64: [4n, 5n, 6n] }, data: new Array(64).fill(7),
});

describe('wasm reader', () => {
  it('sees the module V8 sees: imports, exports, functions, memory, data', () => {
    const bytes = sampleProgram();
    const m = readWasm(bytes);
    const v8 = new WebAssembly.Module(bytes);
    expect(m.imports.map((i) => `${i.module}.${i.name}`)).toEqual(WebAssembly.Module.imports(v8).map((i) => `${i.module}.${i.name}`));
    expect(m.exports.map((e) => e.name)).toEqual(WebAssembly.Module.exports(v8).map((e) => e.name));
    expect(m.funcTypes.length).toBe(m.importedFuncs + m.funcs.length);
    expect(m.memories[0].min).toBe(257);
    expect(m.datas[0].bytes.length).toBe(64);
    expect(m.datas[0].offset?.a).toBe(0x0100_1000);
  });

  it('keeps each instruction\'s byte offset (offsets increase and point at the opcode byte)', () => {
    const bytes = sampleProgram();
    const m = readWasm(bytes);
    const main = m.funcs[m.funcs.length - 1];
    for (let i = 1; i < main.body.length; i++) expect(main.body[i].off).toBeGreaterThan(main.body[i - 1].off);
    for (const ins of main.body) expect(bytes[ins.off] === ins.op || (ins.op >= 0xfc00 && bytes[ins.off] === 0xfc)).toBe(true);
  });

  it('decodes signed LEB128 constants at their limits', () => {
    // (func (result i64) i64.const v) for edge values, encoded here by hand.
    const sleb = (v: bigint): number[] => {
      const out: number[] = [];
      for (;;) {
        const b = Number(v & 0x7fn);
        v >>= 7n;
        if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) { out.push(b); return out; }
        out.push(b | 0x80);
      }
    };
    for (const v of [0n, -1n, 63n, 64n, -64n, -65n, (1n << 63n) - 1n, -(1n << 63n)]) {
      const code = [0x00, 0x42, ...sleb(v), 0x0b];
      const body = [code.length, ...code];
      const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7e, 3, 2, 1, 0,
        10, body.length + 1, 1, ...body]);
      expect(new WebAssembly.Module(bytes)).toBeDefined();
      expect(readWasm(bytes).funcs[0].body[0].big).toBe(v);
    }
  });

  it('rejects corrupt or truncated input with a WasmError naming an offset, never anything else', () => {
    const good = sampleProgram();
    expect(() => readWasm(good.subarray(0, 7))).toThrow(/not a WebAssembly module/);
    expect(() => readWasm(good.subarray(0, good.length - 3))).toThrow(WasmError);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(good.length), (edits, cut) => {
        const b = Uint8Array.from(good);
        for (const [at, v] of edits) b[at] = v;
        try {
          readWasm(b.subarray(0, Math.max(8, cut)));
        } catch (e) {
          expect(e).toBeInstanceOf(WasmError);
          expect((e as Error).message).toMatch(/offset 0x[0-9a-f]+|magic|version/);
        }
      }), { numRuns: 500, seed: 7 });
  });
});

describe('source maps', () => {
  it('decodes base64 VLQ (values from the source map specification\'s encoding)', () => {
    expect(decodeVlq('A')).toEqual([0]);
    expect(decodeVlq('C')).toEqual([1]);
    expect(decodeVlq('D')).toEqual([-1]);
    expect(decodeVlq('gB')).toEqual([16]);
    expect(decodeVlq('hB')).toEqual([-16]);
    expect(decodeVlq('AAgBC')).toEqual([0, 0, 16, 1]);
    expect(() => decodeVlq('g')).toThrow(SourceMapError);
    expect(() => decodeVlq('A!')).toThrow(SourceMapError);
  });

  it('maps wasm offsets to lines, and an unmapped stretch to nothing (nearest() falls back)', () => {
    // Offsets 10 (a.ts:3:1), 20 (a.ts:5:3), 30 (unmapped), 40 (b.ts:1:1): delta-coded.
    const sm = parseSourceMap(JSON.stringify({ version: 3, sources: ['a.ts', 'b.ts'], names: [], mappings: 'UAEA,UAEE,U,UCJF' }));
    const at = (off: number) => { const l = sm.lookup(off); return l && `${sm.sources[l.source]}:${l.line}:${l.col}`; };
    expect(at(10)).toBe('a.ts:3:1');
    expect(at(25)).toBe('a.ts:5:3');
    expect(at(35)).toBeUndefined();
    expect(at(40)).toBe('b.ts:1:1');
    expect(at(5)).toBeUndefined();
    const n = sm.nearest(35, 0, 100)!;
    expect(`${sm.sources[n.source]}:${n.line}`).toBe('a.ts:5');
    expect(() => parseSourceMap('{"version":2}')).toThrow(/version/);
    expect(() => parseSourceMap('not json')).toThrow(/JSON/);
  });
});

describe('the line table', () => {
  it('round-trips and answers lookups by pc ranges', () => {
    const rows = [
      { pc: 0x10000, file: NO_FILE, line: 0, col: 0 },
      { pc: 0x10020, file: 0, line: 12, col: 5 },
      { pc: 0x10030, file: 1, line: 7, col: 1 },
    ];
    const t = decodeLineTable(encodeLineTable(['prog.ts', '~lib/array.ts'], rows));
    expect(t.lookup(0x10010)).toBeUndefined();
    expect(t.lookup(0x10020)).toEqual({ file: 'prog.ts', line: 12, col: 5 });
    expect(t.lookup(0x1002c)).toEqual({ file: 'prog.ts', line: 12, col: 5 });
    expect(t.lookup(0x10040)).toEqual({ file: '~lib/array.ts', line: 7, col: 1 });
    expect(t.lookup(0xfff0)).toBeUndefined();
    expect(() => decodeLineTable(new Uint8Array(3))).toThrow(/magic/);
  });
});

describe('the emitter', () => {
  it('splits %hi/%lo so that (hi << 12) + lo gives the value back', () => {
    for (const v of [0, 1, 0x7ff, 0x800, 0xfff, -1, -2048, -2049, 0x12345678, 0x7ffff800, -0x80000000]) {
      const { hi, lo } = hiLo(v);
      expect(((hi << 12) + lo) | 0).toBe(v | 0);
      expect(lo).toBeGreaterThanOrEqual(-2048);
      expect(lo).toBeLessThanOrEqual(2047);
    }
  });

  it('relaxes a conditional branch past ±4 KiB into an inverted branch over a jal', () => {
    const c = new Code();
    const far = new Label(), near = new Label();
    c.branch('blt', REG.a0, REG.a1, far);
    c.branch('beq', REG.a0, REG.zero, near);
    c.label(near);
    for (let i = 0; i < 2000; i++) c.li(REG.t0, i);
    c.label(far);
    const size = c.layout(0x10000);
    const words = new Int32Array(c.bytes(0x10000).buffer);
    expect(size).toBe(words.length * 4);
    expect(disassemble(words[0], 0x10000)).toBe('bge a0, a1, 0x10008');
    expect(disassemble(words[1], 0x10004)).toBe(`jal zero, 0x${far.addr.toString(16)}`);
    expect(disassemble(words[2], 0x10008)).toBe(`beq a0, zero, 0x${near.addr.toString(16)}`);
    expect(near.addr).toBe(0x1000c);
  });

  it('drops a jump to the very next instruction', () => {
    const c = new Code();
    const l = new Label();
    c.li(REG.a0, 1);
    c.j(l);
    c.mark(5);
    c.label(l);
    c.li(REG.a0, 2);
    expect(c.layout(0)).toBe(8);
  });
});
