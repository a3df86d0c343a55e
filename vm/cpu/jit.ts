// The translator: guest code pages compiled to JavaScript functions, a
// guarded fast path over the interpreter (STYLE.md 6).
//
// A page is compiled the first time execution enters it, with every block
// reachable inside the page from the entries seen so far (branch targets,
// fallthroughs, return points after calls). Entering at an offset with no
// block recompiles the page with that entry added; a page recompiled too
// often is left to the interpreter. Pages are keyed by host page (so by
// physical address); the page function gets the virtual page base, so one
// translation serves every mapping of the page.
//
// What stays exact: instret (counted per block; made exact before every
// slow-path call), traps (pc and count of the faulting instruction),
// interrupts and timers (a block never runs past the budget, which the board
// sets to the next timer event), and self-modifying code (a translated page
// is never in the store TLB, so the first write to it takes the slow path,
// which drops the translation and ends the block).
//
// Entry points: Jit (run, reset, stats).

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
  /** fn's entries as a bitmap by offset >> 2 (the lookup on every entry into the page). */
  entryMap: Uint8Array;
  /** Times execution arrived at an offset with no block; past MISS_LIMIT it becomes an entry. */
  misses: Map<number, number>;
  compiles: number;
  /** Too many recompiles: interpret this page. */
  interpretOnly: boolean;
}

/** Blocks longer than this are split (keeps the budget check fine-grained). */
const MAX_BLOCK = 64;
/** A page recompiled this many times is left to the interpreter. */
const MAX_COMPILES = 32;
/**
 * Arrivals at an offset with no block before it gets one. Most such arrivals
 * are the interpreter finishing a budget mid-block; real entries (computed
 * jumps into the page) repeat and pass the limit quickly.
 */
const MISS_LIMIT = 16;

/** Compiled factories by source, shared by every board (a factory holds no machine state). */
const factoryCache = new Map<string, Factory>();

/** TESSERA_JIT_DUMP=1 prints every generated page function to stderr. */
const DUMP = typeof process !== 'undefined' && process.env.TESSERA_JIT_DUMP === '1';

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
  compiledPages = 0;
  compiledBlocks = 0;

  constructor(private readonly h: Hart) {
    h.mem.onCodeWrite = (hp) => this.invalidate(hp);
  }

  /** Drop every translation (program load, reset). */
  reset(): void {
    const codes = this.h.mem.codePages;
    this.pages.forEach((p, i) => { if (p) codes[i] = 0; });
    this.pages = [];
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
    // After an instruction the interpreter ran, the pc it fell through to (a
    // mid-block pc: not counted as a miss), or -1. A pc reached any other way
    // (a jump or a trap while stepping, as after a call through jalr) counts
    // towards becoming an entry, so stepping never goes on for good.
    let fall = -1;
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
      const page = this.pageFor(hp, pc & 4095, pc !== fall);
      if (page === undefined) {
        // The interpreter runs this one; back to the board only if it may have changed state.
        const k = execute(h, 1);
        done += k;
        if (k === 0 || h.wfi || h.jitStop) return done;
        fall = (pc + 4) | 0;
        continue;
      }
      fall = -1;
      h.jitMiss = false;
      const traps = h.traps;
      let k: number;
      try {
        k = page(h, pc & -4096, pc & 4095, limit - done);
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
        fall = (at + 4) | 0;
        continue;
      }
      if (h.jitStop) return done;
      if (k === 0 && h.traps === traps) {
        // Entered at an instruction the translator leaves to the interpreter,
        // or the next block does not fit in what is left of the budget.
        return done + execute(h, h.jitMiss ? 1 : budget - done);
      }
    }
    return done;
  }

  /** The compiled function for host page `hp` with a block at `off`, or undefined to interpret. */
  private pageFor(hp: number, off: number, countMiss: boolean): PageFn | undefined {
    let p = this.pages[hp];
    if (p === undefined) {
      p = { fn: undefined, entries: new Set(), entryMap: new Uint8Array(1024), misses: new Map(), compiles: 0, interpretOnly: false };
      this.pages[hp] = p;
    }
    if (p.interpretOnly) return undefined;
    if (p.fn !== undefined) {
      if (p.entryMap[off >> 2] !== 0) return p.fn;
      if (!countMiss) return undefined;
      const m = (p.misses.get(off) ?? 0) + 1;
      p.misses.set(off, m);
      if (m < MISS_LIMIT) return undefined;
    }
    const insn = this.h.mem.i32[((hp << 12) + off) >> 2];
    if (!translatable(insn)) return undefined;
    p.entries.add(off);
    if (++p.compiles > MAX_COMPILES) {
      p.interpretOnly = true;
      p.fn = undefined;
      return undefined;
    }
    p.fn = this.compile(hp, p.entries);
    for (const e of p.entries) p.entryMap[e >> 2] = 1;
    return p.fn;
  }

  private compile(hp: number, entries: Set<number>): PageFn {
    const blocks = this.discover(hp, entries);
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
    this.compiledPages++;
    this.compiledBlocks += blocks.length;
    return fn;
  }

  /** Blocks reachable within the page from `entries` (which it extends with what it finds). */
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
        if (endsBlock(w)) {
          this.addTargets(w, off, entries, work);
          break;
        }
        if (b.insns.length >= MAX_BLOCK) { b.next = off + 4; this.addEntry(off + 4, entries, work); break; }
      }
      if (b.insns.length > 0) blocks.push(b);
    }
    return blocks.sort((a, c) => a.start - c.start);
  }

  private addEntry(off: number, entries: Set<number>, work: number[]): void {
    if (off < 0 || off >= 4096 || (off & 3) !== 0 || entries.has(off)) return;
    entries.add(off);
    work.push(off);
  }

  private addTargets(w: number, off: number, entries: Set<number>, work: number[]): void {
    const opcode = w & 0x7f;
    this.addEntry(off + 4, entries, work); // fallthrough, or the return point after a call
    if (opcode === 0x63) {
      const imm = ((w >> 19) & ~0xfff) | ((w << 4) & 0x800) | ((w >>> 20) & 0x7e0) | ((w >>> 7) & 0x1e);
      this.addEntry(off + imm, entries, work);
    } else if (opcode === 0x6f) {
      const imm = ((w >> 11) & ~0xfffff) | (w & 0xff000) | ((w >>> 9) & 0x800) | ((w >>> 20) & 0x7fe);
      this.addEntry(off + imm, entries, work);
    }
  }
}
