// The translator: guest code pages compiled to JavaScript functions, a
// guarded fast path over the interpreter (STYLE.md 6).
//
// A page starts cold: the interpreter runs it a block at a time, noting the
// offsets execution arrives at (block starts, by jumps, fallthroughs or
// entries from elsewhere). The page is compiled, with a block at each of
// those offsets and nothing else, once the interpreter has run HOT_AFTER
// instructions on it per instruction that compiling would translate: V8
// compiling and optimizing a page function costs as much as interpreting its
// code some thousands of times over, and most code (a boot's, a server's
// start-up) runs far less than that. Code never run is never translated.
// Arriving where the page function has no block (code first reached after
// the compile) is the interpreter's again; once it has run enough on the
// page by the same measure, the page is recompiled with the new offsets; a
// page recompiled too often is left to the interpreter. A page once
// compiled compiles again on its next entry after its code is written.
// Pages are keyed by host page (so by physical address); the page function
// gets the virtual page base, so one translation serves every mapping.
//
// What stays exact: instret (counted per block; made exact before every
// slow-path call), traps (pc and count of the faulting instruction),
// interrupts and timers (a block never runs past the budget, which the board
// sets to the next timer event), and self-modifying code (a translated page
// is never in the store TLB, so the first write to it takes the slow path,
// which drops the translation and ends the block).
//
// Entry points: Jit (run, reset, hotAfter, stats), HOT_AFTER.

import type { Hart } from './hart.ts';
import { execute } from './interp.ts';
import { TRAP, raiseException } from './trap.ts';
import { ACCESS, CAUSE, PRV } from './bits.ts';
import { TLB_MASK } from '../mmu/mmu.ts';
import { mulh, mulhsu, mulhu, div, divu, rem, remu } from './alu.ts';
import { genPage, translatable, endsBlock, type Block } from './jit_codegen.ts';

type PageFn = (h: Hart, base: number, off: number, budget: number) => number;
type Factory = (...deps: unknown[]) => PageFn;

interface PageCode {
  fn: PageFn | undefined;
  entries: Set<number>;
  /** Instructions the interpreter ran on the page since it was last compiled. */
  cold: number;
  /** Instructions in the blocks at `entries` (what compiling would translate, about). */
  size: number;
  /** Instructions from an offset to the end of its block (the interpreter's step on a cold page), 0 if not known yet. */
  spans: Uint8Array;
  /** fn's entries as a bitmap by offset >> 2 (the lookup on every entry into the page). */
  entryMap: Uint8Array;
  compiles: number;
  /** Too many recompiles: interpret this page. */
  interpretOnly: boolean;
}

/** Blocks longer than this are split (keeps the budget check fine-grained). */
const MAX_BLOCK = 64;
/**
 * A page is compiled when the interpreter has run this many instructions on
 * it (since its last compile) per instruction to translate. Measured on the
 * default image's boot and file reads: V8 takes tens of milliseconds to
 * optimize a page function of a few hundred instructions, and a function
 * recompiled with a few more blocks is optimized again from scratch.
 * TESSERA_JIT_HOT (read as a Jit is made) overrides it; 0 compiles a page
 * on its first entry.
 */
export const HOT_AFTER = 1000;
/** A page recompiled this many times is left to the interpreter. */
const MAX_COMPILES = 32;

/** Compiled factories by source, shared by every board (a factory holds no machine state). */
const factoryCache = new Map<string, Factory>();

/** TESSERA_JIT_DUMP=1 prints every generated page function to stderr. */
const DUMP = typeof process !== 'undefined' && process.env.TESSERA_JIT_DUMP === '1';

function hotAfterSetting(): number {
  const v = typeof process !== 'undefined' ? process.env.TESSERA_JIT_HOT : undefined;
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : HOT_AFTER;
}

/**
 * ecall from translated code: to a resident kernel directly (it sets pc),
 * else the architectural trap (unwinds).
 */
function ecall(h: Hart, pc: number): void {
  if (h.hostTrap !== undefined && h.priv === PRV.U) h.userEcall(pc);
  else raiseException(h, CAUSE.USER_ECALL + h.priv, 0);
}

/** Translate `pc` for fetching and enter it in the fetch TLB; page faults raise. */
function fillFetch(h: Hart, pc: number): void {
  const pa = h.mmu.translate(pc, ACCESS.FETCH);
  h.mmu.fill(ACCESS.FETCH, pc, pa);
}

function jumpFault(h: Hart, target: number): never {
  return raiseException(h, CAUSE.MISALIGNED_FETCH, target);
}

export class Jit {
  private pages: (PageCode | undefined)[] = [];
  /** Host pages compiled before, by host page (kept when their code is written): compiled again on the next entry. */
  private readonly hot: Uint8Array;
  /**
   * The pc the interpreter last stopped at inside a block (its budget ran
   * out there), or -1: arriving there is not arriving at a block start.
   */
  private fall = -1;
  /** Instructions the interpreter runs on a page per instruction to translate before compiling it (HOT_AFTER). */
  hotAfter = hotAfterSetting();
  compiledPages = 0;
  compiledBlocks = 0;
  /** Guest instructions in the blocks compiled, summed over every compile. */
  compiledInsns = 0;

  constructor(private readonly h: Hart) {
    h.mem.onCodeWrite = (hp) => this.invalidate(hp);
    this.hot = new Uint8Array(h.mem.codePages.length);
  }

  /** Drop every translation (program load, reset). */
  reset(): void {
    const codes = this.h.mem.codePages;
    this.pages.forEach((p, i) => { if (p) codes[i] = 0; });
    this.pages = [];
    this.hot.fill(0);
    this.fall = -1;
  }

  private invalidate(hp: number): void {
    this.pages[hp] = undefined;
    this.h.mem.codePages[hp] = 0;
    this.h.jitStop = true;
  }

  /**
   * Run about `budget` instructions; returns how many retired. With `exact`
   * (a timer deadline or an instruction limit) never more than `budget`;
   * otherwise the last block may run up to MAX_BLOCK past it, so runs end on
   * block boundaries. Stops early where the interpreter would.
   */
  run(budget: number, exact = true): number {
    const h = this.h;
    const limit = exact ? budget : budget + MAX_BLOCK;
    let done = 0;
    h.jitStop = false;
    while (done < budget) {
      const pc = h.pc;
      const i = (pc >>> 12) & TLB_MASK;
      const ftag = h.mmu.tag[ACCESS.FETCH]; // re-read: a kernel may have switched TLB sets
      if (ftag[i] !== (pc & -4096)) {       // fill the fetch TLB (a fault is taken as a trap)
        try {
          fillFetch(h, pc);
        } catch (e) {
          if (e !== TRAP) throw e;
          return done;
        }
        if (ftag[i] !== (pc & -4096)) {     // not RAM or ROM: the interpreter raises the access fault
          done += execute(h, 1);
          return done;
        }
      }
      if (h.bpPages !== undefined && h.bpPages.has(pc >>> 12)) { h.debugBreak = true; return done; }
      const hp = ((pc + h.mmu.off[ACCESS.FETCH][i]) | 0) >>> 12;
      const off = pc & 4095;
      const p = this.pages[hp] ?? this.newPage(hp);
      const page = this.pageFor(p, hp, off, pc !== this.fall);
      if (page === undefined) {
        // The interpreter runs to the end of the block (or of the budget); back
        // to the board only if it may have changed state.
        const span = this.span(p, hp, off);
        const want = Math.min(span, limit - done);
        const k = execute(h, want);
        done += k;
        p.cold += k;
        this.fall = k === want && want < span ? h.pc : -1;
        // Stopped short (a trap, an ecall, a debugger's stop) or changed state.
        if (k < want || h.wfi || h.jitStop) return done;
        continue;
      }
      this.fall = -1;
      h.jitMiss = false;
      const traps = h.traps;
      let k: number;
      try {
        k = page(h, pc & -4096, off, limit - done);
      } catch (e) {
        if (e !== TRAP) throw e;
        k = h.inflight;
        h.retired += k;
        h.inflight = 0;
        return done + k;
      }
      h.retired += k;
      h.inflight = 0;
      done += k;
      if (h.jitRedo) {
        // A load or store the translated code left to the interpreter (it may trap, or it is a device's).
        h.jitRedo = false;
        if (h.jitStop) return done;
        const at = h.pc;
        const j = execute(h, 1);
        done += j;
        if (j === 0 || h.wfi || h.jitStop) return done;
        this.fall = (at + 4) | 0; // within the block
        continue;
      }
      if (h.jitStop) return done;
      if (k === 0 && h.traps === traps) {
        // Entered at an instruction the translator leaves to the interpreter,
        // or the next block does not fit in what is left of the budget.
        const want = h.jitMiss ? 1 : budget - done;
        const j = execute(h, want);
        if (j === want) this.fall = h.pc;
        return done + j;
      }
    }
    return done;
  }

  private newPage(hp: number): PageCode {
    const p: PageCode = {
      // A page compiled before its code was written compiles again on its first entry.
      fn: undefined, entries: new Set(), cold: this.hot[hp] !== 0 ? Infinity : 0, size: 0, spans: new Uint8Array(1024), entryMap: new Uint8Array(1024),
      compiles: 0, interpretOnly: false,
    };
    this.pages[hp] = p;
    return p;
  }

  /**
   * Instructions from page offset `off` to the end of its block: a jump or
   * branch, an instruction the translator leaves to the interpreter, the
   * page's end, or MAX_BLOCK. Cached per page: a page with no translation
   * may be written without dropping the cache, but a stale span only
   * changes how many instructions one call of the interpreter runs.
   */
  private span(p: PageCode, hp: number, off: number): number {
    let n = p.spans[off >> 2];
    if (n !== 0) return n;
    const words = this.h.mem.i32, base = (hp << 12) >> 2;
    for (let o = off; o < 4096 && n < MAX_BLOCK; o += 4) {
      const w = words[base + (o >> 2)];
      n++;
      if (!translatable(w) || endsBlock(w)) break;
    }
    p.spans[off >> 2] = n;
    return n;
  }

  /**
   * The compiled function for page `p` (host page `hp`) with a block at
   * `off`, or undefined to interpret. `arrival`: execution arrived at `off`
   * (a jump, a fallthrough into it, an entry from elsewhere), rather than
   * stopping there inside a block.
   */
  private pageFor(p: PageCode, hp: number, off: number, arrival: boolean): PageFn | undefined {
    if (p.entryMap[off >> 2] !== 0 && p.fn !== undefined) return p.fn;
    if (!arrival || p.interpretOnly) return undefined;
    if (!p.entries.has(off)) {
      p.entries.add(off);
      p.size += this.span(p, hp, off);
    }
    if (p.cold < this.hotAfter * p.size) return undefined;
    if (!translatable(this.h.mem.i32[((hp << 12) + off) >> 2])) return undefined;
    if (++p.compiles > MAX_COMPILES) {
      p.interpretOnly = true;
      p.fn = undefined;
      return undefined;
    }
    this.compile(p, hp);
    p.cold = 0;
    return p.fn;
  }

  /** Compile page `p` (host page `hp`) with a block at each of its entries. */
  private compile(p: PageCode, hp: number): void {
    const blocks = this.discover(hp, p.entries);
    const src = genPage(blocks);
    if (DUMP) process.stderr.write(`// host page ${hp}\n${src}\n`);
    let factory = factoryCache.get(src);
    if (factory === undefined) {
      factory = new Function('x', 'i8', 'u8', 'i16', 'u16', 'i32',
        'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'jumpFault', 'ecall', src) as Factory;
      if (factoryCache.size > 256) factoryCache.clear();
      factoryCache.set(src, factory);
    }
    const h = this.h, m = h.mem, mmu = h.mmu;
    const fn = factory(h.x, m.i8, m.u8, m.i16, m.u16, m.i32,
      mulh, mulhsu, mulhu, div, divu, rem, remu, jumpFault, ecall);
    if (m.codePages[hp] === 0) {
      m.codePages[hp] = 1;
      mmu.flushStores();
    }
    p.fn = fn;
    for (const b of blocks) p.entryMap[b.start >> 2] = 1;
    this.hot[hp] = 1;
    this.compiledPages++;
    this.compiledBlocks += blocks.length;
    for (const b of blocks) this.compiledInsns += b.insns.length;
  }

  /**
   * The blocks starting at `entries` (which it extends with the blocks that
   * long straight-line code is split into), but none where the translator
   * has nothing to run (an instruction it leaves to the interpreter).
   */
  private discover(hp: number, entries: Set<number>): Block[] {
    const words = this.h.mem.i32;
    const base = (hp << 12) >> 2;
    const work = [...entries];
    const blocks: Block[] = [];
    const seen = new Set<number>();
    while (work.length) {
      const start = work.pop()!;
      if (seen.has(start)) continue;
      seen.add(start);
      const b: Block = { start, insns: [], next: start, toInterp: false };
      for (let off = start; ; off += 4) {
        if (off >= 4096) { b.next = 4096; break; }
        if (off !== start && entries.has(off)) { b.next = off; break; }
        const w = words[base + (off >> 2)];
        if (!translatable(w)) { b.next = off; b.toInterp = true; break; }
        b.insns.push(w);
        if (endsBlock(w)) break;
        if (b.insns.length >= MAX_BLOCK) {
          b.next = off + 4;
          if (off + 4 < 4096 && !entries.has(off + 4)) { entries.add(off + 4); work.push(off + 4); }
          break;
        }
      }
      if (b.insns.length > 0) blocks.push(b);
    }
    return blocks.sort((a, c) => a.start - c.start);
  }
}
