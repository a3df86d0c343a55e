// One wasm function to RV32 code, in a single pass over its instructions.
//
// The operand stack lives in registers (values.ts): constants, local.get and
// `x + constant` stay lazy until an instruction consumes them, so `local.get;
// i32.const; i32.add; local.set` becomes one addi into the local's register,
// a comparison followed by br_if/if one branch, and `p + 8` a load's offset.
// Locals have fixed homes (regalloc.ts); hot constants have registers too.
// A value computed again on the same path comes from the register still
// holding it (cache.ts). This file holds the machinery; the operators are in
// ops32.ts/ops64.ts, blocks and branches in control.ts, calls in calls.ts.
//
// gp points at the wasm globals, t5/t6 are scratch; the calling convention
// is in calls.ts.
//
// Entry points: FuncGen (run, finish), ModuleCtx, TranslateError, HelperName.

import { Code, Label, REG, type Branch } from './emit.ts';
import type { Func, Insn, ValType, WasmModule } from './reader.ts';
import { OP } from './opcodes.ts';
import { analyzeFunction, type Analysis } from './analyze.ts';
import { allocateLocals, paramRegisters, CALLEE_SAVED, type Allocation, type Home } from './regalloc.ts';
import { K, CONST0, konst, reg, i32Entry, i64Entry, vreads, type V, type Entry, type Cond } from './values.ts';
import { SYS, TRAPS, type TrapInfo } from './abi.ts';
import { OPS32 } from './ops32.ts';
import { OPS64 } from './ops64.ts';
import { Control } from './control.ts';
import { ValueCache } from './cache.ts';
import { callN, doCall, doCallIndirect } from './calls.ts';

export class TranslateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranslateError';
  }
}

export type HelperName =
  | 'memory_grow' | 'memory_copy' | 'memory_fill' | 'popcnt32'
  | 'clz64' | 'ctz64' | 'popcnt64' | 'divs64' | 'divu64' | 'rems64' | 'remu64'
  | 'shl64' | 'shrs64' | 'shru64' | 'rotl64' | 'rotr64';

/** A wasm global: folded constant, or words in the gp area. */
export type GlobalHome = { kind: 'const'; lo: number; hi: number } | { kind: 'gp'; off: number };

/** What a function's code needs from the module around it. */
export interface ModuleCtx {
  m: WasmModule;
  /** Code label of each function by index (undefined for imports). */
  funcLabels: (Label | undefined)[];
  /** For an imported function tessera.syscallN: N. */
  syscallArgs: (number | undefined)[];
  globals: GlobalHome[];
  /** gp offset of the current memory size in pages. */
  memPagesOff: number;
  helper: (name: HelperName) => Label;
  table?: { label: Label; size: number };
  /** Canonical signature id per type index (equal types, equal ids; 0 means none). */
  sigIds: number[];
  /** A read-only table of code addresses; returns its label. */
  jumpTable: (targets: Label[]) => Label;
  /** The function's display name for error messages. */
  funcName: (index: number) => string;
}

const { T5, T6, SP, GP, ZERO } = { T5: REG.t5, T6: REG.t6, SP: REG.sp, GP: REG.gp, ZERO: REG.zero };
const MAX_OFF = 2047;
const CALLEE_MASK = CALLEE_SAVED.reduce((m, r) => m | (1 << r), 0);
const bit = (r: number): number => 1 << r;
const has = (mask: number, r: number): boolean => ((mask >>> r) & 1) !== 0;

export class FuncGen {
  readonly code = new Code();
  private readonly stubs: { l: Label; trap: TrapInfo; off: number }[] = [];
  readonly an: Analysis;
  readonly alloc: Allocation;
  readonly body: Insn[];
  stack: Entry[] = [];
  readonly ctl: Control;
  dead = false;
  private busy = 0;
  private tempMask = 0;
  private calleeTemps = 0;
  private freeSlots: number[] = [];
  private spillSlots = 0;
  private readonly slotBase: number;
  private madeCall = false;
  readonly epilogue = new Label();
  /** Index of the instruction being translated. */
  pc = 0;
  /** Set when an op wrote its result straight into the local of the following local.set/tee. */
  private fused = false;
  /** Temporaries still holding values computed earlier on this path (cache.ts). */
  readonly cache: ValueCache;

  constructor(readonly ctx: ModuleCtx, readonly f: Func, readonly label: Label) {
    this.body = f.body;
    this.an = analyzeFunction(ctx.m, f);
    const reads = this.an.types.map(() => 0);
    for (const ins of f.body) if (ins.op === OP.local_get) reads[ins.a]++;
    this.alloc = allocateLocals(this.an, reads);
    for (const r of this.alloc.temps) this.tempMask |= bit(r);
    this.cache = new ValueCache(this.an.types.length, CALLEE_MASK);
    this.ctl = new Control(this);
    this.code.onWrite = (rd) => (rd < 0 ? this.cache.call() : this.cache.forget(rd));
    this.code.onLabel = (l) => { if (l.refs > 0 || l.back) this.cache.forgetAll(); };
    this.slotBase = 4 * (this.an.outArgWords + this.alloc.localSlots);
  }

  get name(): string {
    return this.ctx.funcName(this.f.index);
  }

  // --- registers and slots ---------------------------------------------

  /** A free temporary register (spilling a stack value if none is free). */
  allocReg(avoid = 0): number {
    for (;;) {
      // Registers holding nothing the cache knows of first, so cached values live longer.
      let pick = -1;
      for (const r of this.alloc.temps) {
        if (has(this.busy | avoid, r)) continue;
        if (!this.cache.holds(r)) { pick = r; break; }
        if (pick < 0) pick = r;
      }
      if (pick >= 0) {
        this.cache.forget(pick);
        this.busy |= bit(pick);
        if (has(CALLEE_MASK, pick)) this.calleeTemps |= bit(pick);
        return pick;
      }
      this.spillOne();
    }
  }

  // --- the value cache --------------------------------------------------------

  /** A free temporary that already holds `key`'s value, claimed for a new entry. */
  cached(key: string | undefined): number | undefined {
    if (key === undefined || this.fixedDest()) return undefined;
    const r = this.cache.holder(key);
    if (r === undefined || has(this.busy, r)) return undefined;
    this.busy |= bit(r);
    return r;
  }

  /** Note that `r` now holds `key`'s value (temporaries only: other registers are rewritten behind the cache's back). */
  remember(r: number, key: string | undefined): void {
    if (key !== undefined && has(this.tempMask, r)) this.cache.remember(r, key);
  }

  newSlot(): number {
    const off = this.freeSlots.pop() ?? this.slotBase + 4 * this.spillSlots++;
    if (off > MAX_OFF) throw new TranslateError(`function ${this.name}: too many values live at once (frame over 2 KiB)`);
    return off;
  }

  /** Mark a reserved register (a block's result) busy or free. */
  setBusy(r: number, on: boolean): void {
    this.busy = on ? this.busy | bit(r) : this.busy & ~bit(r);
  }

  release(v: V): void {
    if (v.k === K.TEMP) this.busy &= ~bit(v.n);
    else if (v.k === K.SPILL) this.freeSlots.push(v.n);
  }

  releaseEntry(e: Entry): void {
    for (const v of vreads(e)) this.release(v);
  }

  /** Move one stack value into the frame (it stays where it is until consumed). */
  private toSlot(v: V): V {
    if (v.k === K.CONST || v.k === K.SPILL) return v;
    const off = this.newSlot();
    const r = v.k === K.LSLOT ? (this.code.load('lw', T6, SP, v.n), T6) : v.c ? (this.code.i('addi', T6, v.n, v.c), T6) : v.n;
    this.code.store('sw', r, SP, off);
    this.release(v);
    return { k: K.SPILL, n: off };
  }

  /**
   * Free a register by moving the oldest value above the innermost block into
   * the frame (values below it must stay where the block found them).
   */
  private spillOne(): void {
    for (let i = this.ctl.innermostBase(); i < this.stack.length; i++) {
      const e = this.stack[i];
      if (e.cond) {
        if (e.cond.a.k !== K.TEMP && e.cond.b.k !== K.TEMP) continue;
        e.cond.a = this.toSlot(e.cond.a);
        e.cond.b = this.toSlot(e.cond.b);
        return;
      }
      if (e.lo.k !== K.TEMP && e.hi.k !== K.TEMP) continue;
      e.lo = this.toSlot(e.lo);
      if (e.t === 'i64') e.hi = this.toSlot(e.hi);
      return;
    }
    throw new TranslateError(`function ${this.name}: expression too deep for the registers (internal limit)`);
  }

  /** Temporaries not in use. */
  freeTemps(): number {
    let n = 0;
    for (const r of this.alloc.temps) if (!has(this.busy, r)) n++;
    return n;
  }

  /** A copy of `v` in a register of its own. */
  materialize(v: V, avoid = 0): V {
    if (v.k === K.TEMP && v.c) {
      this.code.i('addi', v.n, v.n, v.c); // the entry owns the register: add in place
      return reg(K.TEMP, v.n);
    }
    if (v.k === K.TEMP) return v;
    const r = this.allocReg(avoid);
    this.moveTo(r, v);
    this.release(v);
    return reg(K.TEMP, r);
  }

  /** The register holding constant `c` for the whole function, if it has one. */
  constReg(c: number): number | undefined {
    return this.alloc.constRegs.get(c | 0);
  }

  /** Load `v` into register `r`. */
  moveTo(r: number, v: V, code = this.code): void {
    switch (v.k) {
      case K.CONST: {
        const cr = this.constReg(v.n);
        if (cr !== undefined) code.mv(r, cr);
        else code.li(r, v.n);
        break;
      }
      case K.TEMP: case K.LREG:
        if (v.c) code.i('addi', r, v.n, v.c);
        else code.mv(r, v.n);
        break;
      default: code.load('lw', r, SP, v.n);
    }
  }

  /** A register holding `v` for reading now: x0, its own, or `scratch` loaded with it. */
  regOf(v: V, scratch: number): number {
    if (v.k === K.CONST) {
      if (v.n === 0) return ZERO;
      const cr = this.constReg(v.n);
      if (cr !== undefined) return cr;
      this.code.li(scratch, v.n);
      return scratch;
    }
    if (v.k === K.TEMP || v.k === K.LREG) {
      if (!v.c) return v.n;
      this.code.i('addi', scratch, v.n, v.c);
      return scratch;
    }
    this.code.load('lw', scratch, SP, v.n);
    return scratch;
  }

  /** Like regOf but never a scratch register: constants and slots get a temporary (for multi-instruction ops). */
  pin(v: V, avoid = 0): V {
    if (((v.k === K.TEMP || v.k === K.LREG) && !v.c) || (v.k === K.CONST && v.n === 0)) return v;
    const cr = v.k === K.CONST ? this.constReg(v.n) : undefined;
    if (cr !== undefined) return reg(K.LREG, cr); // never written: as good as a local's register
    return this.materialize(v, avoid);
  }

  /** The value of a comparison as 0/1 in a register (`dest`, or a new temporary). */
  condToReg(c: Cond, dest?: number): V {
    const d = dest ?? this.allocReg();
    const code = this.code;
    const { op, a, b } = c;
    if (op === 'beq' || op === 'bne') {
      const ra = this.regOf(a, T5);
      if (b.k === K.CONST && b.n >= -2047 && b.n <= 2048) code.i('addi', d, ra, -b.n);
      else code.r('xor', d, ra, this.regOf(b, T6));
      if (op === 'beq') code.i('sltiu', d, d, 1);
      else code.r('sltu', d, ZERO, d);
    } else {
      const lt = op === 'blt' || op === 'bge' ? 'slt' : 'sltu';
      const ra = this.regOf(a, T5);
      if (b.k === K.CONST && b.n >= -2048 && b.n <= 2047) code.i(lt === 'slt' ? 'slti' : 'sltiu', d, ra, b.n);
      else code.r(lt, d, ra, this.regOf(b, T6));
      if (op === 'bge' || op === 'bgeu') code.i('xori', d, d, 1);
    }
    this.release(a);
    this.release(b);
    return reg(K.TEMP, d);
  }

  /** Branch to `to` when the condition holds. Releases its operands. */
  branchCond(c: Cond, to: Label): void {
    const ra = this.regOf(c.a, T5), rb = this.regOf(c.b, T6);
    this.code.branch(c.op, ra, rb, to);
    this.release(c.a);
    this.release(c.b);
  }

  /** Make every lazy reference to register `r` or slot `slot` concrete (the local is about to change). */
  invalidate(r: number, slot = -1): void {
    const stale = (v: V): boolean => (v.k === K.LREG && v.n === r) || (v.k === K.LSLOT && v.n === slot);
    for (const e of this.stack) {
      if (e.cond) {
        if (stale(e.cond.a)) e.cond.a = this.materialize(e.cond.a);
        if (stale(e.cond.b)) e.cond.b = this.materialize(e.cond.b);
      } else {
        if (stale(e.lo)) e.lo = this.materialize(e.lo);
        if (e.t === 'i64' && stale(e.hi)) e.hi = this.materialize(e.hi);
      }
    }
  }

  /**
   * Make the stack below the top `keep` entries concrete before a block or a
   * call: conditions evaluated, lazy locals copied; with `spill` 'caller',
   * whatever a call would clobber moved to the frame (for a call, locals in
   * callee-saved registers may stay lazy); with 'all', every register value.
   */
  normalize(keep: number, spill: 'none' | 'caller' | 'all', forCall: boolean): void {
    // Values below the innermost block were made concrete (and spilled, if it
    // contains a call) when it opened, and must not move until it ends.
    for (let i = this.ctl.innermostBase(); i < this.stack.length - keep; i++) {
      const e = this.stack[i];
      if (e.cond) this.stack[i] = i32Entry(this.condToReg(e.cond));
      const n = this.stack[i];
      const fix = (v: V): V => {
        if (v.k === K.LREG && forCall && has(CALLEE_MASK, v.n)) return v;
        if (v.k === K.LREG || v.k === K.LSLOT) return spill !== 'none' ? this.toSlot(v) : this.materialize(v);
        if (v.k === K.TEMP && (spill === 'all' || (spill === 'caller' && !has(CALLEE_MASK, v.n)))) return this.toSlot(v);
        return v;
      };
      n.lo = fix(n.lo);
      if (n.t === 'i64') n.hi = fix(n.hi);
    }
  }

  // --- stack --------------------------------------------------------------

  push(e: Entry): void { this.stack.push(e); }
  pop(): Entry {
    const e = this.stack.pop();
    if (!e) throw new TranslateError(`function ${this.name}: operand stack underflow at offset 0x${this.body[this.pc].off.toString(16)}`);
    return e;
  }
  /** Pop an i32 as a plain value (a pending comparison is evaluated). */
  popV(): V {
    const e = this.pop();
    return e.cond ? this.condToReg(e.cond) : e.lo;
  }
  /** Pop an i32 as a condition (a plain value x becomes x != 0). */
  popCond(): Cond {
    const e = this.pop();
    return e.cond ?? { op: 'bne', a: e.lo, b: CONST0 };
  }

  /**
   * The register an op should write its i32 result to: the local of a
   * following local.set/tee when possible (the op's result then needs no
   * move), else a temporary. `inputs` are the op's operand registers; with
   * `aliasOk` false the result must not share a register with them.
   */
  dest(inputs: V[], aliasOk = true): number {
    const next = this.body[this.pc + 1];
    if (next && (next.op === OP.local_set || next.op === OP.local_tee) && this.an.types[next.a] === 'i32') {
      const h = this.alloc.homes[next.a][0];
      if (h && 'reg' in h && (aliasOk || !inputs.some((v) => (v.k === K.TEMP || v.k === K.LREG) && v.n === h.reg))) {
        this.invalidate(h.reg);
        this.fused = true;
        return h.reg;
      }
    }
    const res = this.ctl.resultRegFor(next);
    if (res !== undefined && (aliasOk || !inputs.some((v) => (v.k === K.TEMP || v.k === K.LREG) && v.n === res))) return res;
    // With aliasOk an input's temporary may be reused: result() releases the others.
    let avoid = 0, reusable = 0;
    for (const v of inputs) {
      if (v.k === K.TEMP || v.k === K.LREG) avoid |= bit(v.n);
      if (aliasOk && v.k === K.TEMP) reusable |= bit(v.n);
    }
    this.busy &= ~reusable;
    const d = this.allocReg(aliasOk ? 0 : avoid);
    this.busy |= reusable;
    return d;
  }

  /**
   * Whether the next instruction takes this one's result into a fixed
   * register (a local.set, a block's end), which needs the finished value:
   * no pending addend.
   */
  fixedDest(): boolean {
    const next = this.body[this.pc + 1];
    if (next && (next.op === OP.local_set || next.op === OP.local_tee) && this.an.types[next.a] === 'i32') {
      const h = this.alloc.homes[next.a][0];
      if (h && 'reg' in h) return true;
    }
    return this.ctl.resultRegFor(next) !== undefined;
  }

  /**
   * Push the result an op wrote to `d` (from dest()) and release its inputs;
   * `c` is a pending addend, `key` what d now holds (for the value cache).
   */
  result(d: number, inputs: V[], c = 0, key?: string): void {
    for (const v of inputs) if (!(v.k === K.TEMP && v.n === d)) this.release(v);
    if (this.fused) {
      this.fused = false;
      const next = this.body[++this.pc];
      this.cache.localWritten(next.a); // the local got a new value without passing through localSet
      if (next.op === OP.local_tee) this.push(i32Entry(reg(K.LREG, d)));
      return;
    }
    // A block's result register is rewritten on other paths: not worth remembering.
    const cacheable = this.ctl.resultRegFor(this.body[this.pc + 1]) === undefined ? key : undefined;
    this.remember(d, cacheable);
    this.push(i32Entry({ k: K.TEMP, n: d, c: c || undefined, key: cacheable }));
  }

  // --- traps --------------------------------------------------------------

  /** A label that raises `trap` (a cold stub after the function, mapped to the current line). */
  trapLabel(trap: TrapInfo): Label {
    const l = new Label();
    this.stubs.push({ l, trap, off: this.body[this.pc].off });
    return l;
  }

  // --- calls --------------------------------------------------------------

  /** After a call: its results (in a0/a1) on the stack. */
  pushCallResults(results: ValType[]): void {
    this.madeCall = true;
    if (results.length === 0) return;
    const want = results[0] === 'i64' ? [REG.a0, REG.a1] : [REG.a0];
    const avoid = want.reduce((m, r) => m | bit(r), 0);
    const got = want.map((r) => {
      if (has(this.tempMask, r) && !has(this.busy, r)) { this.busy |= bit(r); return r; }
      const t = this.allocReg(avoid);
      this.code.mv(t, r);
      return t;
    });
    this.push(results[0] === 'i64' ? i64Entry(reg(K.TEMP, got[0]), reg(K.TEMP, got[1])) : i32Entry(reg(K.TEMP, got[0])));
  }

  /** Call a runtime helper with the top `n` stack entries as arguments. */
  callHelper(name: HelperName, n: number, results: ValType[]): void {
    const l = this.ctx.helper(name);
    callN(this, n, results, () => this.code.call(l));
  }

  /** Set registers from values all at once (sources may be destinations of other moves). */
  parallelMove(moves: { dst: number; src: V }[], code = this.code): void {
    const reads = (v: V, r: number): boolean => (v.k === K.TEMP || v.k === K.LREG) && v.n === r;
    // A move from a register to itself is nothing, unless an addend is pending (then it is an addi in place).
    let pending = moves.filter((m) => !(reads(m.src, m.dst) && !m.src.c));
    while (pending.length > 0) {
      const ready = pending.find((m) => !pending.some((o) => o !== m && reads(o.src, m.dst)));
      if (ready) {
        this.moveTo(ready.dst, ready.src, code);
        pending = pending.filter((m) => m !== ready);
        continue;
      }
      const m = pending[0];
      code.mv(T6, m.dst);
      pending = pending.map((o) => (o !== m && reads(o.src, m.dst) ? { dst: o.dst, src: reg(K.TEMP, T6) } : o));
    }
  }

  // --- locals and globals -------------------------------------------------

  homeV(h: Home): V {
    return 'reg' in h ? reg(K.LREG, h.reg) : { k: K.LSLOT, n: 4 * (this.an.outArgWords + h.slot) };
  }

  private localGet(x: number): void {
    const hs = this.alloc.homes[x];
    const lo = hs[0] ? this.homeV(hs[0]) : CONST0;
    if (lo.k === K.LREG && this.an.types[x] === 'i32') lo.key = this.cache.localKey(x);
    if (this.an.types[x] === 'i64') this.push(i64Entry(lo, hs[1] ? this.homeV(hs[1]) : CONST0));
    else this.push(i32Entry(lo));
  }

  /** Store one word into a home. */
  private setHome(h: Home, v: V, cond: Cond | null): void {
    const hv = this.homeV(h);
    if ('reg' in h) {
      this.invalidate(h.reg);
      if (cond) this.condToReg(cond, h.reg);
      else { this.moveTo(h.reg, v); this.release(v); }
      return;
    }
    this.invalidate(-1, hv.n);
    const r = cond ? this.condToReg(cond).n : this.regOf(v, T5);
    this.code.store('sw', r, SP, hv.n);
    if (cond) this.busy &= ~bit(r);
    else this.release(v);
  }

  private localSet(x: number, tee: boolean): void {
    const e = this.pop();
    const hs = this.alloc.homes[x];
    this.cache.localWritten(x);
    if (!hs[0]) {
      if (tee) this.push(e);
      else this.releaseEntry(e);
      return;
    }
    if (e.t === 'i32') this.setHome(hs[0], e.lo, e.cond);
    else this.setHomes64(hs, e);
    if (tee) this.localGet(x);
  }

  /**
   * Both words of an i64 into their homes at once: the two locals involved
   * may share registers crosswise (a dead source's register can be the
   * destination's), so slot stores go first and register moves in parallel.
   */
  private setHomes64(hs: (Home | null)[], e: Entry): void {
    const words = [e.lo, e.hi];
    const moves: { dst: number; src: V }[] = [];
    hs.forEach((h, w) => {
      if (!h) return;
      if ('reg' in h) { this.invalidate(h.reg); moves.push({ dst: h.reg, src: words[w] }); return; }
      const off = this.homeV(h).n;
      this.invalidate(-1, off);
      this.code.store('sw', this.regOf(words[w], T6), SP, off);
    });
    this.parallelMove(moves);
    this.releaseEntry(e);
  }

  private globalGet(g: number): void {
    const home = this.ctx.globals[g];
    const is64 = this.ctx.m.globals[g].type === 'i64';
    if (home.kind === 'const') {
      this.push(is64 ? i64Entry(konst(home.lo), konst(home.hi)) : i32Entry(konst(home.lo)));
      return;
    }
    if (is64) {
      const lo = this.allocReg(), hi = this.allocReg();
      this.code.load('lw', lo, GP, home.off);
      this.code.load('lw', hi, GP, home.off + 4);
      this.push(i64Entry(reg(K.TEMP, lo), reg(K.TEMP, hi)));
      return;
    }
    const key = this.cache.globalKey(g);
    const hit = this.cached(key);
    if (hit !== undefined) { this.push(i32Entry({ k: K.TEMP, n: hit, key })); return; }
    const d = this.dest([]);
    this.code.load('lw', d, GP, home.off);
    this.result(d, [], 0, key);
  }

  private globalSet(g: number): void {
    const home = this.ctx.globals[g];
    const e = this.pop();
    this.cache.globalWritten();
    if (home.kind !== 'gp') throw new TranslateError(`function ${this.name}: global.set of immutable global ${g}`);
    const lo = e.cond ? this.condToReg(e.cond) : e.lo;
    this.code.store('sw', this.regOf(lo, T5), GP, home.off);
    if (e.t === 'i64') this.code.store('sw', this.regOf(e.hi, T6), GP, home.off + 4);
    this.release(lo);
    if (e.t === 'i64') this.release(e.hi);
  }

  // --- control flow -------------------------------------------------------

  // --- the translation loop -------------------------------------------------

  /** Translate the body. */
  run(): void {
    this.ctl.begin();
    for (this.pc = 0; this.pc < this.body.length; this.pc++) {
      const ins = this.body[this.pc];
      if (this.dead) { this.ctl.skipDead(ins); continue; }
      this.code.mark(ins.off);
      this.step(ins);
    }
  }

  /** Translate one instruction (also used to replay a loop's head test at its back edges). */
  step(ins: Insn): void {
    const c = this.ctl;
    const fuse = c.fusions.get(this.pc);
    if (fuse) return c.doFusedConsumer(ins, fuse);
    switch (ins.op) {
      case OP.nop: return;
      case OP.unreachable: this.code.j(this.trapLabel(TRAPS.UNREACHABLE)); this.dead = true; return;
      case OP.block: return c.doBlock(ins);
      case OP.loop: return c.doLoop(ins);
      case OP.if: return c.doIf(ins);
      case OP.else: return c.doElse();
      case OP.end: return c.doEnd();
      case OP.br: return c.doBr(ins);
      case OP.br_if: return c.doBrIf(ins);
      case OP.br_table: return c.doBrTable(ins);
      case OP.return: c.branchTo(c.ctls.length - 1); this.dead = true; return;
      case OP.call: return doCall(this, ins);
      case OP.call_indirect: return doCallIndirect(this, ins);
      case OP.drop: this.releaseEntry(this.pop()); return;
      case OP.local_get: return this.localGet(ins.a);
      case OP.local_set: return this.localSet(ins.a, false);
      case OP.local_tee: return this.localSet(ins.a, true);
      case OP.global_get: return this.globalGet(ins.a);
      case OP.global_set: return this.globalSet(ins.a);
    }
    const h = OPS32.get(ins.op) ?? OPS64.get(ins.op);
    if (!h) throw new TranslateError(`function ${this.name}: unsupported instruction at offset 0x${ins.off.toString(16)}`);
    h(this, ins);
  }

  // --- prologue and epilogue --------------------------------------------------

  /** The whole function: prologue, body, epilogue, trap stubs. */
  finish(): Code {
    const saves: number[] = [];
    if (this.madeCall) saves.push(REG.ra);
    saves.push(...this.alloc.calleeUsed);
    for (const r of CALLEE_SAVED) if (has(this.calleeTemps, r) && !saves.includes(r)) saves.push(r);
    const saveBase = this.slotBase + 4 * this.spillSlots;
    const frame = (saveBase + 4 * saves.length + 15) & ~15;
    if (frame > MAX_OFF + 1 || saveBase + 4 * saves.length > MAX_OFF) {
      throw new TranslateError(`function ${this.name}: frame of ${frame} bytes is over the 2 KiB this translator supports`);
    }
    const out = new Code();
    out.label(this.label);
    if (this.body.length) out.mark(this.body[0].off);
    if (frame) out.i('addi', SP, SP, -frame);
    saves.forEach((r, k) => out.store('sw', r, SP, saveBase + 4 * k));
    this.prologueParams(out, frame);
    out.append(this.code);
    out.label(this.epilogue);
    saves.forEach((r, k) => out.load('lw', r, SP, saveBase + 4 * k));
    if (frame) out.i('addi', SP, SP, frame);
    out.ret();
    for (const s of this.stubs) {
      out.label(s.l);
      out.mark(s.off);
      out.li(REG.a0, s.trap.kind);
      out.li(REG.a7, SYS.TRAP);
      out.ecall();
    }
    return out;
  }

  /** Parameters from a0-a7 and the caller's stack to their homes; zero the locals read before written. */
  private prologueParams(out: Code, frame: number): void {
    const argRegs = paramRegisters(this.an);
    const moves: { dst: number; src: V }[] = [];
    const loads: { h: Home; off: number }[] = [];
    let stackWord = 0;
    const homeOff = (h: Home): number => 4 * (this.an.outArgWords + (h as { slot: number }).slot);
    for (let p = 0; p < this.an.nparams; p++) {
      argRegs[p].forEach((ar, half) => {
        const h = this.alloc.homes[p][half];
        const incoming = ar === undefined ? frame + 4 * stackWord++ : -1;
        if (!h) return;
        if (ar === undefined) loads.push({ h, off: incoming });
        else if ('reg' in h) moves.push({ dst: h.reg, src: reg(K.TEMP, ar) });
        else out.store('sw', ar, SP, homeOff(h));
      });
    }
    this.parallelMove(moves, out);
    for (const { h, off } of loads) {
      if (off > MAX_OFF) throw new TranslateError(`function ${this.name}: stack parameters beyond the 2 KiB frame limit`);
      if ('reg' in h) out.load('lw', h.reg, SP, off);
      else { out.load('lw', T6, SP, off); out.store('sw', T6, SP, homeOff(h)); }
    }
    for (const [value, r] of this.alloc.constRegs) out.li(r, value);
    for (let x = this.an.nparams; x < this.an.types.length; x++) {
      if (!this.an.liveAtEntry[x]) continue;
      for (const h of this.alloc.homes[x]) {
        if (!h) continue;
        if ('reg' in h) out.li(h.reg, 0);
        else out.store('sw', ZERO, SP, homeOff(h));
      }
    }
  }
}

export type { Branch };
