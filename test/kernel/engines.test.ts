// The kernel's hot-path twins side by side: the TypeScript engine
// (kernel/copy.ts, kernel/switch.ts) and the WebAssembly one (kernel/wasm/,
// through kernel/engines.ts) on the same cases. Copies over random Sv32
// layouts must agree with each other byte for byte and with the machine's
// own MMU (vm/mmu) on what a U-mode access may touch; a copy into translated
// code must drop the translation; save/restore round-trip the register file;
// and a whole kernel run of IPC and grant copies is the same on both.

import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhysMem, RAM_BASE, RAM_OFF, REG_OFF } from '../../vm/memory.ts';
import { Hart } from '../../vm/cpu/hart.ts';
import { Bus } from '../../vm/bus.ts';
import { ACCESS, PRV } from '../../vm/cpu/bits.ts';
import { PTE } from '../../vm/mmu/mmu.ts';
import { TsCopy, COPY_OK, COPY_BAD_SRC, COPY_BAD_DST, type CopyEngine } from '../../kernel/copy.ts';
import { TsSwitch, SAVE_PC, ipcSwapWith, type SwitchEngine } from '../../kernel/switch.ts';
import {
  wasmEngines, makeEngines, engineNames, LOG_CAP, EngineError, compileKernelWasm, compileKernelWasmSync,
  type Engines, type EngineName,
} from '../../kernel/engines.ts';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { buildUser, USER_PRELUDE, ep, type Program, type Booted } from './harness.ts';

const RAM = 8 << 20;
const RAM_END = RAM_BASE + RAM;
/** Page tables: two roots, then second-level tables. No leaf can map this region (a copy never rewrites a table). */
const TABLES = 0x80400000;
const ROOTS = [TABLES, TABLES + 0x1000];
const L0 = (k: number): number => TABLES + 0x2000 + k * 0x1000;
const NL0 = 8;
/** 4 KiB data frames, and the one RAM megapage a PTE may map. */
const FRAMES = 0x80600000;
const NFRAMES = 512;
const MEGA = 0x80000000;
const VPN1S = [0x10, 0x11, 0x12, 0x3ff];
const VPN0S = [0, 1, 2, 1021, 1022, 1023];

const host = (pa: number): number => pa - RAM_BASE + RAM_OFF;
const pte = (pa: number, flags: number): number => ((Math.floor(pa / 4096) << 10) | flags) | 0;
const USER_RW = PTE.V | PTE.R | PTE.W | PTE.U | PTE.A | PTE.D;

function fillPattern(mem: PhysMem, seed: number): void {
  let s = seed >>> 0 || 1;
  const w = mem.i32;
  for (let i = host(MEGA) >> 2; i < host(TABLES) >> 2; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; w[i] = s; }
  for (let i = host(FRAMES) >> 2; i < host(RAM_END) >> 2; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; w[i] = s; }
}

// --- random layouts ---

interface Layout {
  l1: number[][];           // [root][VPN1S index] -> PTE
  l0: number[][];           // [table][VPN0S index] -> PTE
  code: number[];           // guest physical pages holding translated code
}
/** With `source`, an IPC message: copyMessage (64 bytes, m_source stamped) instead of copy. */
interface Case { layout: Layout; srcRoot: number; srcVa: number; dstRoot: number; dstVa: number; len: number; source?: number }

const flagsArb = fc.oneof(
  { weight: 40, arbitrary: fc.constant(USER_RW) },
  { weight: 4, arbitrary: fc.constant(PTE.V | PTE.R | PTE.U | PTE.A) },
  { weight: 1, arbitrary: fc.constant(PTE.V | PTE.R | PTE.W | PTE.A | PTE.D) },            // no U
  { weight: 1, arbitrary: fc.constant(PTE.V | PTE.W | PTE.U | PTE.A | PTE.D) },            // W without R
  { weight: 1, arbitrary: fc.constant(PTE.V | PTE.X | PTE.U | PTE.A) },                    // execute only
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xff }) },                             // anything
);
const outside = fc.constantFrom(RAM_END, RAM_BASE - 0x1000, 0x10000000, 0x3fffff000);
const leafArb = fc.oneof(
  { weight: 40, arbitrary: fc.tuple(fc.integer({ min: 0, max: NFRAMES - 1 }).map((j) => FRAMES + j * 4096), flagsArb) },
  { weight: 1, arbitrary: fc.tuple(outside, flagsArb) },
  { weight: 1, arbitrary: fc.constant([0, 0] as [number, number]) },
).map(([pa, f]) => pte(pa, f));
const l1Arb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 30, arbitrary: fc.integer({ min: 0, max: NL0 - 1 }).map((k) => pte(L0(k), PTE.V)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: NL0 - 1 }), fc.constantFrom(PTE.U, PTE.W, PTE.A | PTE.D)).map(([k, f]) => pte(L0(k), PTE.V | f)) },
  { weight: 1, arbitrary: fc.constant(pte(0x90000000, PTE.V)) },                           // table outside RAM
  // Megapage leaves (R or X forced: a pointer into the data would make random tables).
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(MEGA, MEGA, MEGA + 0x1000, MEGA + 0x400000 * 0x40, 0x200000000), flagsArb)
    .map(([pa, f]) => pte(pa, f | PTE.V | ((f & (PTE.R | PTE.X)) === 0 ? PTE.R : 0))) },
);
const layoutArb: fc.Arbitrary<Layout> = fc.record({
  l1: fc.array(fc.array(l1Arb, { minLength: VPN1S.length, maxLength: VPN1S.length }), { minLength: 2, maxLength: 2 }),
  l0: fc.array(fc.array(leafArb, { minLength: VPN0S.length, maxLength: VPN0S.length }), { minLength: NL0, maxLength: NL0 }),
  code: fc.array(fc.oneof(
    fc.integer({ min: 0, max: NFRAMES - 1 }).map((j) => FRAMES + j * 4096),
    fc.integer({ min: 0, max: 1023 }).map((j) => MEGA + j * 4096)), { maxLength: 12 }),
});
const vaArb = fc.tuple(fc.constantFrom(...VPN1S), fc.constantFrom(...VPN0S), fc.integer({ min: 0, max: 4095 }))
  .map(([a, b, o]) => ((a << 22) | (b << 12) | o) >>> 0);
const lenArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 80 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 13000 }) },
  { weight: 1, arbitrary: fc.constantFrom(64, 4096, 0x100000) },
);
const rootArb = fc.oneof({ weight: 16, arbitrary: fc.constantFrom(...ROOTS) }, { weight: 1, arbitrary: fc.constantFrom(0x7ffff000, 0x90000000) });
const caseArb: fc.Arbitrary<Case> = fc.record({
  layout: layoutArb, srcRoot: rootArb, srcVa: vaArb, dstRoot: rootArb, dstVa: vaArb, len: lenArb,
  source: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: undefined, freq: 3 }),
}).map((c) => (c.source === undefined ? c : { ...c, len: 64 }));

function runCase(e: CopyEngine, c: Case): number {
  return c.source === undefined ? e.copy(c.srcRoot, c.srcVa, c.dstRoot, c.dstVa, c.len)
    : e.copyMessage!(c.srcRoot, c.srcVa, c.dstRoot, c.dstVa, c.source);
}

function applyLayout(mem: PhysMem, l: Layout): void {
  const w = mem.i32;
  l.l1.forEach((row, r) => row.forEach((v, i) => { w[(host(ROOTS[r]) >> 2) + VPN1S[i]] = v; }));
  l.l0.forEach((row, k) => row.forEach((v, i) => { w[(host(L0(k)) >> 2) + VPN0S[i]] = v; }));
  mem.codePages.fill(0);
  for (const pa of l.code) mem.codePages[host(pa) >>> 12] = 1;
}

/** Host pages the copy reported as written code. */
function watchCode(mem: PhysMem): Set<number> {
  const hits = new Set<number>();
  mem.onCodeWrite = (p) => hits.add(p);
  return hits;
}

/** The machine's own MMU as the judge of what a U-mode access may touch. */
class Oracle {
  private readonly hart: Hart;
  constructor(private readonly mem: PhysMem) { this.hart = new Hart(mem, new Bus()); }

  /** Host offset of `va` for a U-mode load/store under `root`, or -1 (a fault, or not RAM). */
  access(root: number, va: number, write: boolean): number {
    this.hart.satp = (0x80000000 | Math.floor(root / 4096)) | 0;
    const r = this.hart.mmu.walk(va >>> 0, write ? ACCESS.STORE : ACCESS.LOAD, PRV.U, false);
    return r.fault !== undefined ? -1 : this.mem.hostOffset(r.pa!, 1, false);
  }

  /** What a copy must return, and (on success) the host ranges it reads and writes, chunk by chunk. */
  judge(c: Case): { code: number; chunks: [number, number, number][] } {
    const { srcRoot, srcVa, dstRoot, dstVa, len } = c;
    if (len <= 0) return { code: COPY_OK, chunks: [] };
    const pages = (va: number, root: number, write: boolean): boolean => {
      if (va + len > 2 ** 32) return false;
      for (let a = va; a < va + len; a = a - (a % 4096) + 4096) if (this.access(root, a, write) < 0) return false;
      return true;
    };
    if (!pages(srcVa, srcRoot, false)) return { code: COPY_BAD_SRC, chunks: [] };
    if (!pages(dstVa, dstRoot, true)) return { code: COPY_BAD_DST, chunks: [] };
    const chunks: [number, number, number][] = [];
    for (let done = 0; done < len;) {
      const s = srcVa + done, d = dstVa + done;
      const n = Math.min(len - done, 4096 - (s % 4096), 4096 - (d % 4096));
      chunks.push([this.access(srcRoot, s, false), this.access(dstRoot, d, true), n]);
      done += n;
    }
    return { code: COPY_OK, chunks };
  }
}

let wasm: Engines;
let memT: PhysMem, memW: PhysMem, pristine: Uint8Array;
let tsCopy: TsCopy, wasmCopy: CopyEngine;

beforeAll(async () => {
  memT = new PhysMem(RAM);
  memW = new PhysMem(RAM);
  fillPattern(memT, 12345);
  pristine = memT.u8.slice();
  tsCopy = new TsCopy(memT);
  wasm = await wasmEngines(memW);
  wasmCopy = wasm.copy;
});

const ramOf = (m: PhysMem): Buffer => Buffer.from(m.memory.buffer, RAM_OFF, RAM);

describe('copy: TypeScript and WebAssembly twins', () => {
  it('agree with each other and with the MMU on random page-table layouts', () => {
    fc.assert(fc.property(caseArb, (c) => {
      for (const m of [memT, memW]) { m.u8.set(pristine); applyLayout(m, c.layout); }
      const judged = new Oracle(memW).judge(c);
      let expected: Uint8Array | undefined;
      if (judged.code === COPY_OK && disjoint(judged.chunks)) {
        expected = Buffer.concat(judged.chunks.map(([so, , n]) => memW.u8.slice(so, so + n)));
        if (c.source !== undefined) new DataView(expected.buffer, expected.byteOffset).setInt32(0, c.source, true);
      }
      const hitsT = watchCode(memT), hitsW = watchCode(memW);
      const rT = runCase(tsCopy, c);
      if (rT !== COPY_OK) expect(ramOf(memT).equals(ramOf(memW)), 'a refused copy wrote nothing').toBe(true);
      const rW = runCase(wasmCopy, c);
      expect(rW, 'wasm').toBe(judged.code);
      expect(rT, 'ts').toBe(judged.code);
      expect(ramOf(memT).equals(ramOf(memW)), 'same memory afterwards').toBe(true);
      expect([...hitsW].sort()).toEqual([...hitsT].sort());
      const codeWritten = new Set<number>();
      for (const [, d, n] of judged.chunks) for (let p = d >>> 12; p <= (d + n - 1) >>> 12; p++) if (memW.codePages[p]) codeWritten.add(p);
      expect([...hitsW].sort()).toEqual([...codeWritten].sort());
      if (expected) expect(Buffer.concat(judged.chunks.map(([, d, n]) => memW.u8.subarray(d, d + n)))).toEqual(Buffer.from(expected));
    }), { numRuns: 400 });
  });

  it('copy nothing for a zero length, and refuse more than the address space', () => {
    for (const e of [tsCopy, wasmCopy]) {
      expect(e.copy(ROOTS[0], 0x1000, ROOTS[1], 0x2000, 0)).toBe(COPY_OK);
      expect(e.copy(ROOTS[0], 0x1000, ROOTS[1], 0x2000, 2 ** 32)).toBe(COPY_BAD_SRC);
    }
  });

  it('refuse a range that wraps past 0xffffffff, given as a signed register value', () => {
    for (const [m, e] of [[memT, tsCopy], [memW, wasmCopy]] as const) {
      m.u8.set(pristine);
      const w = m.i32;
      w[(host(ROOTS[0]) >> 2) + 0x3ff] = pte(L0(0), PTE.V);
      w[(host(L0(0)) >> 2) + 0x3ff] = pte(FRAMES, USER_RW);   // 0xfffff000 mapped
      w[(host(ROOTS[1]) >> 2) + 0x10] = pte(L0(1), PTE.V);
      w[(host(L0(1)) >> 2)] = pte(FRAMES + 0x1000, USER_RW);  // 0x04000000 mapped
      expect(e.copy(ROOTS[0], -8, ROOTS[1], 0x04000000, 64), `${e.name}: source wraps`).toBe(COPY_BAD_SRC);
      expect(e.copy(ROOTS[1], 0x04000000, ROOTS[0], -8, 64), `${e.name}: destination wraps`).toBe(COPY_BAD_DST);
      expect(e.copy(ROOTS[0], -64, ROOTS[1], 0x04000000, 64), `${e.name}: last bytes`).toBe(COPY_OK);
    }
  });

  it('refuse a second-level pointer with W but not R (reserved: the MMU faults)', () => {
    for (const [m, e] of [[memT, tsCopy], [memW, wasmCopy]] as const) {
      m.u8.set(pristine);
      const w = m.i32;
      w[(host(ROOTS[0]) >> 2) + 0x10] = pte(L0(0), PTE.V | PTE.W);
      w[(host(L0(0)) >> 2)] = pte(FRAMES, USER_RW);
      w[(host(ROOTS[1]) >> 2) + 0x10] = pte(L0(1), PTE.V);
      w[(host(L0(1)) >> 2)] = pte(FRAMES + 0x1000, USER_RW);
      expect(new Oracle(m).access(ROOTS[0], 0x04000000, false)).toBe(-1);
      expect(e.copy(ROOTS[0], 0x04000000, ROOTS[1], 0x04000000, 64), e.name).toBe(COPY_BAD_SRC);
    }
  });

  it('report every code page of a copy that overflows the write log', () => {
    // 600 chunks to 300 scattered destination pages: more than the log holds, so the wasm copy resumes.
    const pages = 300;
    expect(pages * 2).toBeGreaterThan(LOG_CAP);
    const results: { r: number; hits: Set<number>; ram: Buffer }[] = [];
    for (const [m, e] of [[memT, tsCopy], [memW, wasmCopy]] as const) {
      m.u8.set(pristine);
      m.codePages.fill(0);
      const w = m.i32;
      w[(host(ROOTS[0]) >> 2) + 0x10] = pte(L0(0), PTE.V);
      w[(host(ROOTS[1]) >> 2) + 0x10] = pte(L0(1), PTE.V);
      for (let i = 0; i <= pages; i++) {
        w[(host(L0(0)) >> 2) + i] = pte(FRAMES + i * 4096, USER_RW);
        const dst = MEGA + (1023 - 2 * i) * 4096;               // every other page, downwards: no two adjacent
        w[(host(L0(1)) >> 2) + i] = pte(dst, USER_RW);
        m.codePages[host(dst) >>> 12] = 1;
      }
      const hits = watchCode(m);
      results.push({ r: e.copy(ROOTS[0], 0x04000000 + 100, ROOTS[1], 0x04000000, pages * 4096), hits, ram: Buffer.from(ramOf(m)) });
    }
    expect(results[0].r).toBe(COPY_OK);
    expect(results[1].r).toBe(COPY_OK);
    expect(results[0].hits.size).toBe(pages);
    expect([...results[1].hits].sort()).toEqual([...results[0].hits].sort());
    expect(results[1].ram.equals(results[0].ram)).toBe(true);
  });
});

function disjoint(chunks: [number, number, number][]): boolean {
  const src = chunks.map(([s, , n]) => [s, s + n]), dst = chunks.map(([, d, n]) => [d, d + n]);
  return src.every(([a, b]) => dst.every(([c, d]) => b <= c || d <= a));
}

// --- a copy into translated code ---

const PATCH_PROGRAM = `
    .globl _start
_start:
    li s0, 0
loop:
patch:
    li a0, 1              # becomes li a0, 2 (the word at newinsn)
    addi s0, s0, 1
    li t0, 2
    bne a0, t0, loop
    EXIT 42
    .data
newinsn: .word 0x00200513 # addi a0, zero, 2
`;

/** bootPrograms with the engines `name` over the board's memory, from the first dispatch on. */
function bootWith(name: EngineName, progs: Program[]): Booted {
  const out: number[] = [];
  const board = new Board({ output: (b) => out.push(b) });
  const kernel = new Kernel(board, makeEngines(board.mem, name));
  kernel.boot(progs.map((p) => ({ ...p, elf: buildUser(p.src, `${p.name}.s`) })));
  return { board, kernel, output: () => Buffer.from(out).toString('latin1') };
}

describe('copy into a page of translated code', () => {
  for (const name of engineNames) {
    it(`${name}: drops the translation, and the new code runs`, () => {
      const sym = assemble(USER_PRELUDE + PATCH_PROGRAM, { filename: 'patch.s', base: 0x10000 }).symbols;
      const patchVa = sym.get('patch')!, newVa = sym.get('newinsn')!;
      const { board, kernel } = bootWith(name, [{ name: 'patch', src: PATCH_PROGRAM }]);
      expect(board.run(200_000).kind).toBe('limit');
      const p = kernel.procs.procs[0];
      const leaf = p.space!.lookup(patchVa)!;
      const hp = host(leaf.pa) >>> 12;
      expect(board.jit!.compiledPages).toBeGreaterThan(0);
      expect(board.mem.codePages[hp], 'the loop is translated').toBe(1);
      // Make the text writable for this one copy (the kernel never would), then restore it.
      const pteOff = host(leaf.ptePa) >> 2;
      const old = board.mem.i32[pteOff];
      board.mem.i32[pteOff] = old | PTE.W;
      expect(kernel.copy.name).toBe(name);
      expect(kernel.copy.copy(p.space!.root, newVa, p.space!.root, patchVa, 4)).toBe(COPY_OK);
      board.mem.i32[pteOff] = old;
      expect(board.mem.codePages[hp], 'the translation is gone').toBe(0);
      const compiled = board.jit!.compiledPages;
      board.run(1_000_000);
      expect(board.jit!.compiledPages, 'the page was translated again').toBeGreaterThan(compiled);
      expect(kernel.log).toContain('exit patch 42');
    });
  }
});

// --- context switch ---

describe('save and restore', () => {
  const AREA_A = 0x80300000, AREA_B = 0x80300400;
  const mem = (): PhysMem => memW;
  const twins = (): [string, SwitchEngine][] => [['ts', new TsSwitch(memW)], ['wasm', wasm.switcher]];

  it('round-trip the register file and pc, and agree on the save area', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 33, maxLength: 33 }), (vals) => {
      const m = mem(), regs = m.i32.subarray(REG_OFF >> 2, (REG_OFF >> 2) + 32);
      const areas: Int32Array[] = [];
      for (const [name, s] of twins()) {
        regs.set(vals.slice(0, 32));
        s.save(AREA_A, vals[32]);
        const saved = m.i32.slice(host(AREA_A) >> 2, (host(AREA_A) >> 2) + 33);
        expect(Array.from(saved.subarray(0, 32)), name).toEqual(vals.slice(0, 32));
        expect(saved[SAVE_PC >> 2]).toBe(vals[32]);
        areas.push(saved);
        regs.fill(-1);
        expect(s.restore(AREA_A), name).toBe(vals[32]);
        expect(regs[0], `${name}: x0 stays 0`).toBe(0);
        expect(Array.from(regs.subarray(1)), name).toEqual(vals.slice(1, 32));
      }
      expect(areas[1]).toEqual(areas[0]);
    }), { numRuns: 100 });
  });

  it('switch between two save areas, in either engine', () => {
    const m = mem(), regs = m.i32.subarray(REG_OFF >> 2, (REG_OFF >> 2) + 32);
    const [[, t], [, w]] = twins();
    regs.set(Array.from({ length: 32 }, (_, i) => i * 3 + 1));
    t.save(AREA_A, 0x1000);
    regs.set(Array.from({ length: 32 }, (_, i) => -i));
    w.save(AREA_B, 0x2000);
    expect(w.restore(AREA_A)).toBe(0x1000);
    expect(regs[31]).toBe(94);
    expect(t.restore(AREA_B)).toBe(0x2000);
    expect(regs[31]).toBe(-31);
    expect(regs[0]).toBe(0);
  });

  it('swap saves the outgoing registers and pc, then loads the incoming ones (both engines)', () => {
    const m = mem(), regs = m.i32.subarray(REG_OFF >> 2, (REG_OFF >> 2) + 32);
    for (const [name, s] of twins()) {
      regs.set(Array.from({ length: 32 }, (_, i) => 1000 + i));
      s.save(AREA_B, 0x4444);
      regs.set(Array.from({ length: 32 }, (_, i) => (i === 0 ? 0 : 7 * i)));
      expect(s.swap(AREA_A, 0x3333, AREA_B), name).toBe(0x4444);
      expect(Array.from(regs.subarray(1)), name).toEqual(Array.from({ length: 31 }, (_, i) => 1001 + i));
      expect(regs[0], name).toBe(0);
      expect(m.i32[(host(AREA_A) >> 2) + 5], name).toBe(35);
      expect(m.i32[(host(AREA_A) + SAVE_PC) >> 2], name).toBe(0x3333);
    }
  });
});

// --- the fast path's fused copy and switch ---

describe('ipcSwap: TypeScript and WebAssembly twins', () => {
  /** Save areas where no leaf of a random layout reaches (between the tables and the frames). */
  const FROM = TABLES + 0x100000, TO = FROM + 0x400;
  const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  const arb = fc.record({
    c: caseArb.filter((c) => c.source !== undefined),
    regs: fc.array(int32, { minLength: 32, maxLength: 32 }),
    saved: fc.array(int32, { minLength: 33, maxLength: 33 }),
    pc: int32,
  });

  it('a message written onto a page of translated code is reported, by both twins', () => {
    const table = pte(L0(0), PTE.V);
    const layout: Layout = {
      l1: [[table, 0, 0, 0], [0, 0, 0, 0]],
      l0: [[pte(FRAMES, USER_RW), pte(FRAMES + 0x1000, USER_RW), 0, 0, 0, 0], ...Array.from({ length: NL0 - 1 }, () => [0, 0, 0, 0, 0, 0])],
      code: [FRAMES + 0x1000],
    };
    const src = (VPN1S[0] << 22) | 0x100, dst = (VPN1S[0] << 22) | (1 << 12) | 0x200;
    for (const [m, swap] of [[memT, ipcSwapWith(tsCopy, new TsSwitch(memT), memT)!], [memW, wasm.ipcSwap]] as const) {
      m.u8.set(pristine);
      applyLayout(m, layout);
      const hits = watchCode(m);
      expect(swap(ROOTS[0], src, ROOTS[0], dst, 77, FROM, 0x1000, TO)).toBe(COPY_OK);
      expect([...hits]).toEqual([host(FRAMES + 0x1000) >>> 12]);
      expect(m.i32[host(FRAMES + 0x1200) >> 2]).toBe(77);
    }
  });

  it('copy the message, then swap with the receiver\'s a0 = 0; a refused copy changes no register and no save area', () => {
    fc.assert(fc.property(arb, ({ c, regs, saved, pc }) => {
      for (const m of [memT, memW]) { m.u8.set(pristine); applyLayout(m, c.layout); }
      const judged = new Oracle(memW).judge(c);
      const after: { ram: Buffer; regs: number[]; from: number[]; hits: number[] }[] = [];
      for (const [m, swap] of [[memT, ipcSwapWith(tsCopy, new TsSwitch(memT), memT)!], [memW, wasm.ipcSwap]] as const) {
        const hits = watchCode(m);
        const file = m.i32.subarray(REG_OFF >> 2, (REG_OFF >> 2) + 32);
        file.set(regs);
        file[0] = 0;
        m.i32.set(saved, host(TO) >> 2);
        const fromBefore = Array.from(m.i32.subarray(host(FROM) >> 2, (host(FROM) >> 2) + 33));
        const r = swap(c.srcRoot, c.srcVa, c.dstRoot, c.dstVa, c.source!, FROM, pc, TO);
        expect(r).toBe(judged.code);
        const from = Array.from(m.i32.subarray(host(FROM) >> 2, (host(FROM) >> 2) + 33));
        if (r === COPY_OK) {
          expect(Array.from(file)).toEqual([0, ...saved.slice(1, 10), 0, ...saved.slice(11, 32)]);
          expect(from).toEqual([0, ...regs.slice(1), pc]);
        } else {
          expect(Array.from(file)).toEqual([0, ...regs.slice(1)]);
          expect(from).toEqual(fromBefore);
        }
        after.push({ ram: Buffer.from(ramOf(m)), regs: Array.from(file), from, hits: [...hits].sort() });
      }
      expect(after[1].ram.equals(after[0].ram), 'same memory afterwards').toBe(true);
      expect(after[1].regs).toEqual(after[0].regs);
      // Every code page the message landed on is reported (so its translation goes), by both.
      const codeWritten = new Set<number>();
      if (judged.code === COPY_OK) for (const [, d, n] of judged.chunks) for (let p = d >>> 12; p <= (d + n - 1) >>> 12; p++) if (memW.codePages[p]) codeWritten.add(p);
      expect(after[1].hits).toEqual([...codeWritten].sort());
      expect(after[0].hits).toEqual(after[1].hits);
    }), { numRuns: 300 });
  });
});

// --- a whole kernel run ---

const SERVER = `
    .globl _start
_start:
    la t0, kmsg              # SETGRANT 0: buf, 8 KiB, read+write, to the client
    li t1, 0x607
    sw t1, 4(t0)
    sw zero, 8(t0)
    li t1, ${ep(1)}
    sw t1, 12(t0)
    la t1, buf
    sw t1, 16(t0)
    li t1, 8192
    sw t1, 20(t0)
    li t1, 3
    sw t1, 24(t0)
    li a0, SYSTEM
    la a1, kmsg
    SYSCALL SYS_SENDREC
    bnez a0, fail
1:  li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
    bnez a0, fail
    la t0, msg
    lw t1, 0(t0)             # m_source
    lw t2, 4(t0)             # m_type
    la t3, buf               # buf[(m_type & 1023) * 4] and 4 KiB on = m_type
    andi t4, t2, 1023
    slli t4, t4, 2
    add t3, t3, t4
    sw t2, 0(t3)
    li t5, 4096
    add t3, t3, t5
    sw t2, 0(t3)
    addi t2, t2, 100
    sw t2, 4(t0)
    mv a0, t1
    la a1, msg
    SYSCALL SYS_SEND
    j 1b
fail:
    EXIT 3
    .data
kmsg: .space 64
msg: .space 64
    .balign 4096
buf: .space 8192
`;

const CLIENT = (rounds: number): string => `
    .globl _start
_start:
    li s0, 0
1:  la t0, msg
    sw s0, 4(t0)
    li a0, ${ep(0)}
    la a1, msg
    SYSCALL SYS_SENDREC
    bnez a0, fail
    la t0, msg
    lw t1, 4(t0)
    addi t2, s0, 100
    bne t1, t2, fail
    la t0, kmsg              # SAFECOPYFROM server grant 0, offset (s0 & 1023) * 4, 4100 bytes
    li t1, 0x605
    sw t1, 4(t0)
    li t1, ${ep(0)}
    sw t1, 8(t0)
    sw zero, 12(t0)
    andi t1, s0, 1023
    slli t1, t1, 2
    sw t1, 16(t0)
    la t1, mine
    sw t1, 20(t0)
    li t1, 4100
    sw t1, 24(t0)
    li a0, SYSTEM
    la a1, kmsg
    SYSCALL SYS_SENDREC
    bnez a0, fail
    la t0, kmsg
    lw t1, 4(t0)
    bnez t1, fail
    la a1, mine              # 8 bytes of what came across, on stdout
    li a2, 8
    li a0, 1
    SYSCALL SYS_WRITE
    addi s0, s0, 1
    li t2, ${rounds}
    blt s0, t2, 1b
    li a0, ${ep(0)}          # an unmapped buffer: EFAULT, the server unaffected
    li a1, 0x100
    SYSCALL SYS_SENDREC
    li t0, -14
    bne a0, t0, fail
    EXIT 0
fail:
    EXIT 1
    .data
kmsg: .space 64
msg: .space 64
    .balign 4096
    .space 4000
mine: .space 4100
`;

function runIpc(name: EngineName): { out: string; log: string[]; retired: number; instret: number[] } {
  const { board, kernel, output } = bootWith(name, [
    { name: 'server', src: SERVER, targets: 'any', kcalls: ['setgrant'] },
    { name: 'client', src: CLIENT(300), targets: ['server'], kcalls: ['safecopyfrom'] },
  ]);
  expect(kernel.switcher.name).toBe(name);
  board.run(20_000_000);
  return { out: output(), log: kernel.log, retired: board.hart.retired, instret: kernel.procs.procs.slice(0, 2).map((p) => p.instret) };
}

describe('a kernel run with each engine', () => {
  it('IPC and grant copies give the same output and instruction counts', () => {
    const runs = engineNames.map(runIpc);
    expect(runs[0].log).toContain('exit client 0');
    expect(runs[0].out.length).toBe(300 * 8);
    for (const r of runs.slice(1)) {
      expect(r.log).toEqual(runs[0].log);
      expect(r.out).toBe(runs[0].out);
      expect(r.retired).toBe(runs[0].retired);
      expect(r.instret).toEqual(runs[0].instret);
    }
  });

  it('a message buffer that wraps past 0xffffffff fails with EFAULT', () => {
    for (const name of engineNames) {
      const { board, kernel } = bootWith(name, [
        { name: 'server', src: `
    .globl _start
_start:
    li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
    EXIT 5                   # it must never get a message
    .data
msg: .space 64
` },
        { name: 'client', src: `
    .globl _start
_start:
    li a0, ${ep(0)}
    li a1, -8
    SYSCALL SYS_SENDREC
    li t0, -14
    bne a0, t0, 1f
    EXIT 0
1:  EXIT 1
`, targets: ['server'] },
      ]);
      board.run(1_000_000);
      expect(kernel.log, name).toContain('exit client 0');
      expect(kernel.log, name).not.toContain('exit server 5');
    }
  });

  it('makeEngines refuses an unknown name', () => {
    expect(() => makeEngines(memW, 'js' as EngineName)).toThrow(EngineError);
  });
});

// --- compiling ---

describe('compiling kernel/wasm', () => {
  const sources = ['copy.ts', 'switch.ts', 'fastpath.ts'];
  const withSources = (edit: (name: string, text: string) => string, f: (dir: string) => Promise<void> | void) => async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-kwasm-'));
    try {
      for (const f of sources) writeFileSync(join(dir, f), edit(f, readFileSync(new URL(`../../kernel/wasm/${f}`, import.meta.url), 'utf8')));
      await f(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a compile error is an EngineError with asc\'s diagnostics', withSources(
    (f, t) => (f === 'switch.ts' ? t + '\nexport function broken(): i32 { return undefinedThing; }\n' : t),
    async (dir) => {
      await expect(compileKernelWasm(dir)).rejects.toThrow(EngineError);
      await expect(compileKernelWasm(dir)).rejects.toThrow(/undefinedThing[\s\S]*switch\.ts/);
    }));

  it('the synchronous path (asc in a child process on a cache miss) builds the same exports', withSources(
    (f, t) => `${t}\n// ${f}: an edit, so the cache misses\n`,
    (dir) => {
      const m = compileKernelWasmSync(dir);
      expect(WebAssembly.Module.exports(m).map((e) => e.name).sort())
        .toEqual(['copy', 'copyMessage', 'copyMore', 'init', 'ipcSwap', 'restore', 'save', 'swap', 'walk']);
      expect(WebAssembly.Module.imports(m)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    }), 120_000);
});
