// Test helper: random wasm programs for the translator's property tests.
//
// exprArb generates typed expression trees over i32 and i64: constants
// (edge values and small immediates), locals, globals, every integer
// operator, comparisons, conversions, select, if-else and br_if-with-value
// blocks, local.tee, loops of five shapes, loads of every width from a data
// segment at constant and computed (base + index + constant) addresses,
// stores followed by loads, and calls to helper functions with many i32/i64
// parameters (so arguments spill to the stack). encodeProgram turns a list of them into a module whose main stores
// each result to memory and writes the bytes to stdout, so Node's engine and
// the translated program can be compared byte for byte. fast-check shrinks a
// failing program to a small expression.
//
// Entry points: exprArb, programArb, encodeProgram, Expr, Program.

import fc from 'fast-check';
import { OPCODES } from '../../toolchain/wasm/opcodes.ts';
import { LAYOUT } from '../../toolchain/wasm/abi.ts';

export type T = 'i32' | 'i64';
export type Expr =
  | { k: 'const'; t: T; v: bigint }
  | { k: 'local'; t: T; i: number }
  | { k: 'global'; t: T }
  | { k: 'op'; t: T; name: string; args: Expr[] }
  | { k: 'select'; t: T; a: Expr; b: Expr; c: Expr }
  | { k: 'if'; t: T; c: Expr; a: Expr; b: Expr }
  | { k: 'brif'; t: T; a: Expr; c: Expr; b: Expr }
  | { k: 'tee'; t: T; i: number; a: Expr }
  | { k: 'load'; t: T; name: string; off: number }
  | { k: 'call'; t: T; f: number; args: Expr[] }
  | { k: 'loop'; t: T; form: LoopForm; n: number; body: Expr }
  | { k: 'loadx'; t: T; name: string; idx: Expr; add: number; off: number }
  | { k: 'stld'; t: T; store: string; idx: Expr; add: number; value: Expr; load: Expr };

/**
 * Loop shapes: test at the bottom, `br_if` exit at the top, `if` around the
 * body at the top; and the last two with their test an if-expression
 * (`c >= n || x & 0`, `!(c < n ? x & 0 : 1)`) as && and || compile to.
 */
export type LoopForm = 'bottom' | 'exit' | 'enter' | 'exitOr' | 'enterNot';

export interface Program { exprs: Expr[]; locals: { i32: bigint[]; i64: bigint[] }; data: number[] }

/** Helper functions every program has: parameter types, result type, and a fixed body shape. */
export const HELPERS: { params: T[]; result: T }[] = [
  { params: ['i32', 'i64', 'i32'], result: 'i64' },
  { params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], result: 'i32' },
  { params: ['i64', 'i64', 'i64', 'i64', 'i64', 'i32'], result: 'i32' },
  // Calls helper 1 with its own parameters shifted and offset by constants (arguments moving between argument registers).
  { params: ['i32', 'i32', 'i32'], result: 'i32' },
];
export const NLOCALS = 3;
/** Loops nest at most this deep; each level has its own counter and accumulators. */
const LOOP_LEVELS = 3;
const DATA_AT = LAYOUT.wasmMemoryBase + 0x1000;
const OUT_AT = LAYOUT.wasmMemoryBase;

const EDGE32 = [0n, 1n, -1n, 2n, 31n, 32n, 0x7fffffffn, -0x80000000n, 0x7ffn, 0x800n, -2048n, 0xffffn, 0x12345678n];
const EDGE64 = [...EDGE32, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn, 0x100000000n, 0x123456789abcdefn, 63n, 64n];

const constArb = (t: T): fc.Arbitrary<Expr> =>
  fc.oneof(
    fc.constantFrom(...(t === 'i32' ? EDGE32 : EDGE64)),
    fc.integer({ min: -4096, max: 4096 }).map(BigInt),
    t === 'i32' ? fc.integer().map(BigInt) : fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  ).map((v) => ({ k: 'const', t, v }));

const BIN = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr', 'div_s', 'div_u', 'rem_s', 'rem_u'];
const CMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const UN32 = ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'];
const UN64 = ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s'];
const STORES: Record<T, string[]> = {
  i32: ['i32.store', 'i32.store8', 'i32.store16'],
  i64: ['i64.store', 'i64.store8', 'i64.store16', 'i64.store32'],
};
const LOADS: Record<T, string[]> = {
  i32: ['i32.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u'],
  i64: ['i64.load', 'i64.load8_s', 'i64.load8_u', 'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'],
};

/** Typed expression trees of bounded depth. */
export function exprArb(maxDepth = 4): { i32: fc.Arbitrary<Expr>; i64: fc.Arbitrary<Expr> } {
  return fc.letrec<{ i32: Expr; i64: Expr }>((tie) => {
    const of = (t: T): fc.Arbitrary<Expr> => tie(t) as fc.Arbitrary<Expr>;
    const typed = (t: T): fc.Arbitrary<Expr> => {
      const other: T = t === 'i32' ? 'i64' : 'i32';
      const leaf = fc.oneof(
        constArb(t),
        fc.integer({ min: 0, max: NLOCALS - 1 }).map((i): Expr => ({ k: 'local', t, i })),
        fc.constant<Expr>({ k: 'global', t }),
        fc.record({ name: fc.constantFrom(...LOADS[t]), off: fc.integer({ min: 0, max: 56 }) }).map(({ name, off }): Expr => ({ k: 'load', t, name, off })),
      );
      const nodes: fc.Arbitrary<Expr>[] = [
        fc.record({ name: fc.constantFrom(...BIN), a: of(t), b: of(t) }).map(({ name, a, b }): Expr => ({ k: 'op', t, name: `${t}.${name}`, args: [a, b] })),
        fc.record({ name: fc.constantFrom(...(t === 'i32' ? UN32 : UN64)), a: of(t) }).map(({ name, a }): Expr => ({ k: 'op', t, name: `${t}.${name}`, args: [a] })),
        fc.record({ a: of(t), b: of(t), c: of('i32') }).map(({ a, b, c }): Expr => ({ k: 'select', t, a, b, c })),
        fc.record({ a: of(t), b: of(t), c: of('i32') }).map(({ a, b, c }): Expr => ({ k: 'if', t, a, b, c })),
        fc.record({ a: of(t), b: of(t), c: of('i32') }).map(({ a, b, c }): Expr => ({ k: 'brif', t, a, b, c })),
        fc.record({ i: fc.integer({ min: 0, max: NLOCALS - 1 }), a: of(t) }).map(({ i, a }): Expr => ({ k: 'tee', t, i, a })),
        fc.record({ form: fc.constantFrom<LoopForm>('bottom', 'exit', 'enter', 'exitOr', 'enterNot'), n: fc.integer({ min: 0, max: 4 }), body: of(t) })
          .map(({ form, n, body }): Expr => ({ k: 'loop', t, form, n: form === 'bottom' ? Math.max(1, n) : n, body })),
        fc.record({ name: fc.constantFrom(...LOADS[t]), idx: of('i32'), add: fc.integer({ min: -4, max: 12 }), off: fc.integer({ min: 0, max: 24 }) })
          .map(({ name, idx, add, off }): Expr => ({ k: 'loadx', t, name, idx, add, off })),
        fc.record({ store: fc.constantFrom(...STORES[t]), idx: of('i32'), add: fc.integer({ min: 0, max: 12 }), value: of(t), load: of(t) })
          .map(({ store, idx, add, value, load }): Expr => ({ k: 'stld', t, store, idx, add, value, load })),
      ];
      if (t === 'i32') {
        nodes.push(
          fc.record({ ot: fc.constantFrom<T>('i32', 'i64'), name: fc.constantFrom(...CMP), a: of('i32'), b: of('i32'), a64: of('i64'), b64: of('i64') })
            .map(({ ot, name, a, b, a64, b64 }): Expr => ({ k: 'op', t, name: `${ot}.${name}`, args: ot === 'i32' ? [a, b] : [a64, b64] })),
          fc.record({ ot: fc.constantFrom<T>('i32', 'i64'), a: of('i32'), a64: of('i64') })
            .map(({ ot, a, a64 }): Expr => ({ k: 'op', t, name: `${ot}.eqz`, args: [ot === 'i32' ? a : a64] })),
          of(other).map((a): Expr => ({ k: 'op', t, name: 'i32.wrap_i64', args: [a] })),
          fc.array(of('i32'), { minLength: 10, maxLength: 10 }).map((args): Expr => ({ k: 'call', t, f: 1, args })),
          fc.record({ x: fc.array(of('i64'), { minLength: 5, maxLength: 5 }), y: of('i32') })
            .map(({ x, y }): Expr => ({ k: 'call', t, f: 2, args: [...x, y] })),
          fc.array(of('i32'), { minLength: 3, maxLength: 3 }).map((args): Expr => ({ k: 'call', t, f: 3, args })),
        );
      } else {
        nodes.push(
          fc.record({ s: fc.boolean(), a: of(other) }).map(({ s, a }): Expr => ({ k: 'op', t, name: s ? 'i64.extend_i32_s' : 'i64.extend_i32_u', args: [a] })),
          fc.record({ a: of('i32'), b: of('i64'), c: of('i32') }).map(({ a, b, c }): Expr => ({ k: 'call', t, f: 0, args: [a, b, c] })),
        );
      }
      return fc.oneof({ maxDepth, depthIdentifier: 'expr' }, leaf, ...nodes);
    };
    return { i32: typed('i32'), i64: typed('i64') };
  }) as { i32: fc.Arbitrary<Expr>; i64: fc.Arbitrary<Expr> };
}

export function programArb(count = 6, maxDepth = 4): fc.Arbitrary<Program> {
  const e = exprArb(maxDepth);
  return fc.record({
    exprs: fc.array(fc.oneof(e.i32, e.i64), { minLength: 1, maxLength: count }),
    locals: fc.record({
      i32: fc.array(fc.constantFrom(...EDGE32), { minLength: NLOCALS, maxLength: NLOCALS }),
      i64: fc.array(fc.constantFrom(...EDGE64), { minLength: NLOCALS, maxLength: NLOCALS }),
    }),
    data: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 64, maxLength: 64 }),
  });
}

// --- encoding ------------------------------------------------------------------

const OPS = new Map<string, number>();
for (const [code, info] of OPCODES) if (!OPS.has(info.name)) OPS.set(info.name, code);
const VT: Record<T, number> = { i32: 0x7f, i64: 0x7e };

function uleb(n: number): number[] {
  const out: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}
function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}
const op = (name: string): number => {
  const c = OPS.get(name);
  if (c === undefined) throw new Error(`no opcode ${name}`);
  return c;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => vec([...Buffer.from(s)].map((b) => [b]));

/** Where each (type, index) local of main lives: i32 locals first, then i64. */
const localIndex = (t: T, i: number): number => (t === 'i32' ? i : NLOCALS + i);
/** Loop level L's counter (i32), i32 and i64 accumulators, after the ordinary locals. */
const loopLocal = (level: number, what: 0 | 1 | 2): number => 2 * NLOCALS + 3 * level + what;
/** An i32 local of main holding the data segment's address (a base for computed addresses). */
const BASE_LOCAL = 2 * NLOCALS + 3 * LOOP_LEVELS;

/** base + (idx & 31) + add: an address inside the data area (add may be negative; base is 0x1000 above it). */
function address(idx: number[], add: number): number[] {
  return [0x20, BASE_LOCAL, ...idx, 0x41, 31, op('i32.and'), op('i32.add'), 0x41, ...sleb(BigInt(add)), op('i32.add')];
}

/**
 * A loop computing acc = acc * 31 + body, n times (n may be 0 except for the
 * bottom-tested form), then the accumulator.
 */
function encodeLoop(e: Extract<Expr, { k: 'loop' }>, body: number[], level: number): number[] {
  const c = loopLocal(level, 0), acc = loopLocal(level, e.t === 'i32' ? 1 : 2);
  const k = e.t === 'i32' ? [0x41, 31, op('i32.mul')] : [0x42, 31, op('i64.mul')];
  const zero = e.t === 'i32' ? [0x41, 0] : [0x42, 0];
  const step = [0x20, acc, ...k, ...body, op(`${e.t}.add`), 0x21, acc, 0x20, c, 0x41, 1, op('i32.add'), 0x21, c];
  const init = [0x41, 0, 0x21, c, ...zero, 0x21, acc];
  const cmp = (name: string): number[] => [0x20, c, 0x41, e.n, op(name)];
  // The body as an i32 and-ed with 0: a computed arm that is always false.
  const zero32 = [...body, ...(e.t === 'i64' ? [op('i32.wrap_i64')] : []), 0x41, 0, op('i32.and')];
  switch (e.form) {
    case 'bottom': return [...init, 0x03, 0x40, ...step, ...cmp('i32.lt_s'), 0x0d, 0, 0x0b, 0x20, acc];
    case 'exit': return [...init, 0x02, 0x40, 0x03, 0x40, ...cmp('i32.ge_s'), 0x0d, 1, ...step, 0x0c, 0, 0x0b, 0x0b, 0x20, acc];
    case 'enter': return [...init, 0x03, 0x40, ...cmp('i32.lt_s'), 0x04, 0x40, ...step, 0x0c, 1, 0x0b, 0x0b, 0x20, acc];
    case 'exitOr': return [...init, 0x02, 0x40, 0x03, 0x40, ...cmp('i32.ge_s'), 0x04, 0x7f, 0x41, 1, 0x05, ...zero32, 0x0b,
      0x0d, 1, ...step, 0x0c, 0, 0x0b, 0x0b, 0x20, acc];
    case 'enterNot': return [...init, 0x03, 0x40, ...cmp('i32.lt_s'), 0x04, 0x7f, ...zero32, 0x05, 0x41, 1, 0x0b, op('i32.eqz'),
      0x04, 0x40, ...step, 0x0c, 1, 0x0b, 0x0b, 0x20, acc];
  }
}

/** Instructions computing `e` (in a function whose locals follow `localOf`). */
export function encodeExpr(e: Expr, localOf: (t: T, i: number) => number, helperBase: number, level = 0): number[] {
  const enc = (x: Expr): number[] => encodeExpr(x, localOf, helperBase, level);
  const divisorSafe = (name: string, args: Expr[]): number[] => {
    // x | 1 keeps divisions from trapping on zero almost always (INT_MIN / -1 remains possible).
    if (!/\.(div|rem)_/.test(name)) return args.flatMap(enc);
    const one = name.startsWith('i32') ? [0x41, 1, op('i32.or')] : [0x42, 1, op('i64.or')];
    return [...enc(args[0]), ...enc(args[1]), ...one];
  };
  switch (e.k) {
    case 'const': return e.t === 'i32' ? [0x41, ...sleb(BigInt.asIntN(32, e.v))] : [0x42, ...sleb(BigInt.asIntN(64, e.v))];
    case 'local': return [0x20, ...uleb(localOf(e.t, e.i))];
    case 'global': return [0x23, e.t === 'i32' ? 0 : 1];
    case 'op': return [...divisorSafe(e.name, e.args), op(e.name)];
    case 'select': return [...enc(e.a), ...enc(e.b), ...enc(e.c), 0x1b];
    case 'if': return [...enc(e.c), 0x04, VT[e.t], ...enc(e.a), 0x05, ...enc(e.b), 0x0b];
    case 'brif': return [0x02, VT[e.t], ...enc(e.a), ...enc(e.c), 0x0d, 0x00, 0x1a, ...enc(e.b), 0x0b];
    case 'tee': return [...enc(e.a), 0x22, ...uleb(localOf(e.t, e.i))];
    case 'load': return [0x41, ...sleb(BigInt(DATA_AT)), op(e.name), 0, ...uleb(e.off)];
    case 'call': return [...e.args.flatMap(enc), 0x10, ...uleb(helperBase + e.f)];
    case 'loop':
      // Too deep: the body alone (the program stays valid, just with fewer loops).
      if (level >= LOOP_LEVELS) return enc(e.body);
      return encodeLoop(e, encodeExpr(e.body, localOf, helperBase, level + 1), level);
    case 'loadx': return [...address(enc(e.idx), e.add), op(e.name), 0, ...uleb(e.off)];
    case 'stld': return [...address(enc(e.idx), e.add), ...enc(e.value), op(e.store), 0, 2, ...enc(e.load)];
  }
}

/** Helper 3's body: helper 1 (function index 2) on (a+1, b-1, c+3, a, b, c, a+b, 7, c-2, b), xor a. */
function forwardingBody(): number[] {
  const get = (i: number): number[] => [0x20, i];
  const plus = (i: number, k: number): number[] => [...get(i), 0x41, ...sleb(BigInt(k)), op('i32.add')];
  return [...plus(0, 1), ...plus(1, -1), ...plus(2, 3), ...get(0), ...get(1), ...get(2),
    ...get(0), ...get(1), op('i32.add'), 0x41, 7, ...plus(2, -2), ...get(1), 0x10, 2, ...get(0), op('i32.xor')];
}

/** Helper bodies: a fixed mix of their parameters (the calls, not the bodies, are what vary). */
function helperBody(h: { params: T[]; result: T }, index: number): number[] {
  if (index === 3) return forwardingBody();
  const code: number[] = [];
  const as = (t: T, want: T): number[] => (t === want ? [] : want === 'i64' ? [op('i64.extend_i32_s')] : [op('i32.wrap_i64')]);
  h.params.forEach((t, i) => {
    code.push(0x20, i, ...as(t, h.result));
    if (i > 0) code.push(op(`${h.result}.${i % 3 === 0 ? 'xor' : i % 3 === 1 ? 'add' : 'sub'}`), h.result === 'i32' ? 0x41 : 0x42, ...sleb(BigInt(i * 8 + 5)), op(`${h.result}.mul`));
  });
  return code;
}

function funcBody(locals: [number, number][], code: number[]): number[] {
  const body = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code, 0x0b];
  return [...uleb(body.length), ...body];
}

/** A module: import tessera.syscall3, helpers, main storing every result and writing them to fd 1. */
export function encodeProgram(p: Program): Uint8Array<ArrayBuffer> {
  const types = [
    [0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f]]), ...vec([[0x7f]])], // syscall3
    [0x60, 0, ...vec([[0x7f]])], // main
    ...HELPERS.map((h) => [0x60, ...vec(h.params.map((t) => [VT[t]])), ...vec([[VT[h.result]]])]),
  ];
  const helperBase = 1;
  const mainIdx = helperBase + HELPERS.length;
  const imports = [[...str('tessera'), ...str('syscall3'), 0x00, 0]];
  const funcs = [...HELPERS.map((_, i) => [2 + i]), [1]];
  const memory = [[0x00, ...uleb(LAYOUT.wasmMemoryBase / 0x10000 + 1)]];
  const globals = [[0x7f, 1, 0x41, ...sleb(0x1234567n), 0x0b], [0x7e, 1, 0x42, ...sleb(-0x123456789an), 0x0b]];
  const exports = [[...str('main'), 0x00, ...uleb(mainIdx)], [...str('memory'), 0x02, 0]];
  const main: number[] = [];
  main.push(0x41, ...sleb(BigInt(DATA_AT)), 0x21, BASE_LOCAL);
  p.locals.i32.forEach((v, i) => main.push(0x41, ...sleb(BigInt.asIntN(32, v)), 0x21, localIndex('i32', i)));
  p.locals.i64.forEach((v, i) => main.push(0x42, ...sleb(v), 0x21, localIndex('i64', i)));
  p.exprs.forEach((e, j) => {
    main.push(0x41, ...sleb(BigInt(OUT_AT + 8 * j)), ...encodeExpr(e, localIndex, helperBase));
    main.push(op(e.t === 'i32' ? 'i32.store' : 'i64.store'), 0, 0);
  });
  main.push(0x41, 17, 0x41, 1, 0x41, ...sleb(BigInt(OUT_AT)), 0x41, ...sleb(BigInt(8 * p.exprs.length)), 0x10, 0, 0x1a, 0x41, 0);
  const code = [
    ...HELPERS.map((h, i) => funcBody([], helperBody(h, i))),
    funcBody([[NLOCALS, 0x7f], [NLOCALS, 0x7e], ...Array.from({ length: LOOP_LEVELS }, (): [number, number][] => [[2, 0x7f], [1, 0x7e]]).flat(), [1, 0x7f]], main),
  ];
  const data = [[0x00, 0x41, ...sleb(BigInt(DATA_AT)), 0x0b, ...vec(p.data.map((b) => [b]))]];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)), ...section(2, vec(imports)), ...section(3, vec(funcs)), ...section(5, vec(memory)),
    ...section(6, vec(globals)), ...section(7, vec(exports)), ...section(10, vec(code)), ...section(11, vec(data)),
  ]);
}
