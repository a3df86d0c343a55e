// Structured control flow for the code generator (codegen.ts): blocks,
// loops and ifs, their results, and the branches between them.
//
// The stack below a block stays where the block found it until the block
// ends, so every path into a label sees the same state (FuncGen.normalize at
// entry). A block's result goes to a register reserved for it (or a frame
// slot when registers are short, or straight into the local it is stored to
// next). Two rewrites make common shapes cheap: loop rotation (a loop that
// starts with a simple test repeats the test at its back edges instead of
// jumping to the head) and short-circuit fusion (an if-expression that is
// only tested, `a && b`, branches to where the test goes instead of making
// a 0/1).
//
// Entry points: Control (begin, the do* handlers, skipDead, innermostBase,
// resultRegFor), MIN_FREE_IN_BLOCK.

import { Label, REG, type Branch } from './emit.ts';
import type { Insn, ValType } from './reader.ts';
import { OP } from './opcodes.ts';
import { K, CONST0, reg, i32Entry, i64Entry, notCond, type V } from './values.ts';
import { TranslateError, type FuncGen } from './codegen.ts';

const { T5, T6, SP, ZERO } = { T5: REG.t5, T6: REG.t6, SP: REG.sp, ZERO: REG.zero };

/**
 * Free temporaries every block body starts with, counting values above the
 * block as spillable: enough for any one instruction (an i64 op holds six).
 */
export const MIN_FREE_IN_BLOCK = 6;

interface Ctl {
  op: number;
  base: number;
  type: ValType | null;
  /** Where the result goes (block/if): reserved registers, or frame slots when registers are short. */
  res: V[];
  /** Where a branch to this construct goes (loop head or end). */
  target: Label;
  end: Label;
  els?: Label;
  reached: boolean;
  hasElse: boolean;
  /** Opened inside unreachable code: skipped. */
  deadEntry: boolean;
  /** A loop whose head test is repeated at its back edges (loop rotation). */
  rot?: Rotation;
  /** An if-expression whose value is a condition for the next instruction (short-circuit fusion). */
  fuse?: Fuse;
}

/**
 * An `if (result i32)` whose value is only tested, by the `if` or `br_if`
 * right after it (maybe through `i32.eqz`): `a && b`, `a || b`. Each arm
 * branches on its value straight to where the test would go (onTrue /
 * onFalse) instead of making a 0/1 for it; an arm that is a constant is
 * folded into the if's own test. `fall` is the target the code after the
 * if-expression falls into.
 */
interface Fuse {
  onTrue: Label;
  onFalse: Label;
  fall: Label;
  /** The consuming if/br_if, and the eqz between (or -1). */
  consumer: number;
  eqz: number;
  /** The arm that is a constant, and its value. */
  constArm?: { then: boolean; value: number };
  /** Some arm was translated: the code at the consumer is reachable. */
  used: boolean;
}

/**
 * A loop that starts with a side-effect-free test: `loop; test; br_if out`
 * (exit) or `loop; test; if ... end; end` (enter). A back edge evaluates the
 * test again and branches straight to `after` (the code past the test)
 * instead of jumping to the head, saving a jump per iteration.
 */
interface Rotation { exit: boolean; from: number; at: number; after: Label }

/** Instructions a loop's head test may consist of: no side effects, no calls, no control flow. */
const PURE = new Set<number>([
  OP.local_get, OP.global_get, OP.i32_const, OP.i64_const,
  0x28, 0x29, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, // loads
  0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, // i32 comparisons
  0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, // i64 comparisons
  0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x7c, 0x7d, 0x83, 0x84, 0x85,
  0xa7, 0xac, 0xad, 0xc0, 0xc1,
]);
const MAX_TEST = 16;
const backLabel = (): Label => Object.assign(new Label(), { back: true });

export class Control {
  readonly ctls: Ctl[] = [];
  /** Fused if-expressions by the pc of their consumer (and eqz). */
  readonly fusions = new Map<number, Fuse>();

  constructor(private readonly g: FuncGen) {}

  /** The function's own block: branching to it returns. */
  begin(): void {
    const g = this.g;
    const ft = g.ctx.m.types[g.f.type];
    this.ctls.push({
      op: OP.block, base: 0, type: ft.results[0] ?? null, res: [], target: g.epilogue, end: g.epilogue,
      reached: false, hasElse: false, deadEntry: false,
    });
  }

  innermostBase(): number {
    return this.ctls.length ? this.ctls[this.ctls.length - 1].base : 0;
  }

  /**
   * When `next` ends a block or branches out of one with the value just
   * computed (end, else, br), the register that block's result lives in, so
   * the value needs no move.
   */
  resultRegFor(next: Insn | undefined): number | undefined {
    if (!next || (next.op !== OP.end && next.op !== OP.else && next.op !== OP.br)) return undefined;
    const depth = next.op === OP.br ? next.a : 0;
    if (depth >= this.ctls.length - 1) return undefined;
    const ctl = this.ctls[this.ctls.length - 1 - depth];
    const r = ctl.res[0];
    if (ctl.op === OP.loop || ctl.type !== 'i32' || !r || r.k === K.SPILL) return undefined;
    return r.n;
  }

  blockType(ins: Insn): ValType | null {
    const bt = ins.bt!;
    if (bt.kind === 'empty') return null;
    if (bt.kind === 'value') return bt.type;
    throw new TranslateError(`function ${this.g.name}: multi-value blocks are not supported`);
  }

  /**
   * Enter a block: the values below it stay put until it ends (in the frame
   * if a call inside could clobber them, or if registers are short, since
   * nothing below a block can be spilled from inside it). Its result gets
   * registers, or frame slots if that would leave fewer than
   * MIN_FREE_IN_BLOCK free (each block level keeps that many).
   */
  open(ins: Insn, keep: number, fuse?: Fuse, consumer = false): Ctl {
    const type = this.blockType(ins);
    const wordsOf = (t: ValType | null): number => (!t ? 0 : t === 'i64' ? 2 : 1);
    const resWords = ins.op === OP.loop || fuse ? 0 : wordsOf(type);
    if (!consumer) {
      // A fused if-expression's consumer must emit no code where it stands (only
      // one of the paths to it runs that): what its body needs is arranged here.
      const cons = fuse && this.g.body[fuse.consumer].op === OP.if ? fuse.consumer : -1;
      const calls = this.g.an.containsCall[this.g.pc] === 1 || (cons >= 0 && this.g.an.containsCall[cons] === 1);
      const need = MIN_FREE_IN_BLOCK + resWords + (cons >= 0 ? wordsOf(this.blockType(this.g.body[cons])) : 0);
      this.g.normalize(keep, calls ? 'caller' : 'none', false);
      if (this.g.freeTemps() < need) this.g.normalize(keep, 'all', false);
    }
    const inRegs = this.g.freeTemps() >= MIN_FREE_IN_BLOCK + resWords;
    const res: V[] = [];
    const home = type === 'i32' && ins.op !== OP.loop && !fuse ? this.localAfter(this.g.pc) : undefined;
    if (home !== undefined) res.push(reg(K.LREG, home));
    else for (let w = 0; w < resWords; w++) res.push(inRegs ? reg(K.TEMP, this.g.allocReg()) : { k: K.SPILL, n: this.g.newSlot() });
    const end = new Label();
    const ctl: Ctl = {
      op: ins.op, base: this.g.stack.length - keep, type, res, target: end, end, reached: false, hasElse: false, deadEntry: false, fuse,
    };
    this.ctls.push(ctl);
    return ctl;
  }

  /** True if some br_if or br_table inside the block at `pc` targets it. */
  conditionallyLeft(pc: number): boolean {
    let level = 0;
    for (let i = pc + 1; i < this.g.an.endOf[pc]; i++) {
      const ins = this.g.body[i];
      if (ins.op === OP.block || ins.op === OP.loop || ins.op === OP.if) level++;
      else if (ins.op === OP.end) level--;
      else if ((ins.op === OP.br_if && ins.a === level) || (ins.op === OP.br_table && ins.targets!.includes(level))) return true;
      else if (ins.op === OP.br && ins.a === level) return true;
    }
    return false;
  }

  /**
   * The fusion of the if-expression at `pc` with the test after it, if any
   * (Fuse). Only plain if-else expressions: nothing inside branches to them.
   */
  fusionOf(pc: number): Fuse | undefined {
    const ins = this.g.body[pc], end = this.g.an.endOf[pc], els = this.g.an.elseOf[pc];
    if (ins.bt?.kind !== 'value' || ins.bt.type !== 'i32' || els < 0 || this.conditionallyLeft(pc)) return undefined;
    let c = end + 1;
    const eqz = this.g.body[c]?.op === 0x45 ? c++ : -1;
    const cons = this.g.body[c];
    let yes: Label, no: Label, fall: Label;
    if (cons?.op === OP.if) {
      yes = fall = new Label();
      no = new Label();
    } else if (cons?.op === OP.br_if) {
      const depth = cons.a; // from the level the if-expression sits at
      if (depth >= this.ctls.length - 1) {
        if (this.results().length > 0) return undefined;
        yes = this.g.epilogue;
      } else {
        const t = this.ctls[this.ctls.length - 1 - depth];
        if (t.op !== OP.loop && t.type !== null) return undefined;
        yes = t.target;
        if (t.op !== OP.loop) t.reached = true;
      }
      no = fall = new Label();
    } else return undefined;
    const fuse: Fuse = eqz >= 0 ? { onTrue: no, onFalse: yes, fall, consumer: c, eqz, used: false }
      : { onTrue: yes, onFalse: no, fall, consumer: c, eqz, used: false };
    const constant = (i: number, next: number): boolean => this.g.body[i].op === OP.i32_const && i + 1 === next;
    if (constant(pc + 1, els)) fuse.constArm = { then: true, value: this.g.body[pc + 1].a };
    else if (constant(els + 1, end)) fuse.constArm = { then: false, value: this.g.body[els + 1].a };
    this.fusions.set(c, fuse);
    if (eqz >= 0) this.fusions.set(eqz, fuse);
    return fuse;
  }

  /** The end of an arm of a fused if-expression: branch on its value. With `last`, fall into `fuse.fall`. */
  fuseArm(fuse: Fuse, last: boolean): void {
    const e = this.g.pop();
    fuse.used = true;
    if (!e.cond && e.lo.k === K.CONST) {
      const to = e.lo.n !== 0 ? fuse.onTrue : fuse.onFalse;
      if (!(last && to === fuse.fall)) this.g.code.j(to);
      return;
    }
    const c = e.cond ?? { op: 'bne' as Branch, a: e.lo, b: CONST0 };
    if (last && fuse.fall === fuse.onTrue) this.g.branchCond(notCond(c), fuse.onFalse);
    else if (last) this.g.branchCond(c, fuse.onTrue);
    else { this.g.branchCond(c, fuse.onTrue); this.g.code.j(fuse.onFalse); }
  }

  /** The if or br_if (or eqz) consuming a fused if-expression: its branches are already made. */
  doFusedConsumer(ins: Insn, fuse: Fuse): void {
    if (this.g.pc === fuse.eqz) return;
    this.fusions.delete(fuse.consumer);
    if (ins.op === OP.br_if) { this.g.code.label(fuse.fall); return; }
    const ctl = this.open(ins, 0, undefined, true);
    ctl.els = fuse.fall === fuse.onTrue ? fuse.onFalse : fuse.onTrue;
    this.g.code.label(fuse.fall);
  }

  /**
   * The register of the local a block's i32 result is stored to right after
   * it (`block ... end; local.set x`): the block can put its result there
   * directly. Only when every exit is unconditional (a br_if would write it
   * while the block goes on), so the write is the last thing on its path.
   */
  localAfter(pc: number): number | undefined {
    const end = this.g.an.endOf[pc];
    const after = this.g.body[end + 1];
    if (!after || (after.op !== OP.local_set && after.op !== OP.local_tee) || this.g.an.types[after.a] !== 'i32') return undefined;
    const h = this.g.alloc.homes[after.a][0];
    if (!h || !('reg' in h)) return undefined;
    let level = 0;
    for (let i = pc + 1; i < end; i++) {
      const ins = this.g.body[i];
      if (ins.op === OP.block || ins.op === OP.loop || ins.op === OP.if) level++;
      else if (ins.op === OP.end) level--;
      else if ((ins.op === OP.br_if && ins.a === level) || (ins.op === OP.br_table && ins.targets!.includes(level))) return undefined;
    }
    return h.reg;
  }

  doBlock(ins: Insn): void {
    this.open(ins, 0);
  }

  doLoop(ins: Insn): void {
    const ctl = this.open(ins, 0);
    ctl.target = new Label();
    ctl.target.back = true;
    this.g.code.label(ctl.target);
    ctl.rot = this.rotationOf(this.g.pc);
  }

  /** The rotation of the loop at `pc`, if its head is a simple test (Rotation). */
  rotationOf(pc: number): Rotation | undefined {
    const body = this.g.body;
    let i = pc + 1;
    while (i < body.length && i <= pc + MAX_TEST && PURE.has(body[i].op)) i++;
    if (i === pc + 1 || i >= body.length) return undefined;
    const t = body[i];
    if (t.op === OP.br_if && t.a >= 1) {
      const depth = t.a - 1; // from outside the loop
      const target = depth >= this.ctls.length - 1 ? undefined : this.ctls[this.ctls.length - 2 - depth];
      const carries = target ? target.op !== OP.loop && target.type !== null : this.results().length > 0;
      return carries ? undefined : { exit: true, from: pc + 1, at: i, after: backLabel() };
    }
    if (t.op === OP.if && t.bt?.kind === 'empty' && this.g.an.endOf[pc] === this.g.an.endOf[i] + 1) {
      return { exit: false, from: pc + 1, at: i, after: backLabel() };
    }
    return undefined;
  }

  /** The rotation of the innermost loop whose head test ends at the current instruction. */
  rotationAt(): Rotation | undefined {
    for (let k = this.ctls.length - 1; k >= 0; k--) {
      const r = this.ctls[k].rot;
      if (r && r.at === this.g.pc) return r;
      if (this.ctls[k].op === OP.loop) return undefined;
    }
    return undefined;
  }

  /**
   * A back edge of a rotated loop: evaluate its head test here and go on to
   * the code after it; only the exit path jumps.
   */
  rotatedBackEdge(loopIndex: number): void {
    const rot = this.ctls[loopIndex].rot!;
    const here = this.g.pc;
    for (this.g.pc = rot.from; this.g.pc < rot.at; this.g.pc++) {
      this.g.code.mark(this.g.body[this.g.pc].off);
      this.g.step(this.g.body[this.g.pc]);
    }
    this.g.pc = rot.at;
    const c = this.g.popCond();
    if (rot.exit) {
      this.g.branchCond(notCond(c), rot.after);
      this.branchTo(this.g.body[rot.at].a + (this.ctls.length - 1 - loopIndex));
    } else {
      this.g.branchCond(c, rot.after);
      this.g.code.j(this.ctls[loopIndex + 1].els!);
    }
    this.g.pc = here;
  }

  doIf(ins: Insn): void {
    const rot = this.rotationAt();
    const fuse = this.fusionOf(this.g.pc);
    const ctl = this.open(ins, 1, fuse);
    ctl.base = this.g.stack.length - 1;
    const c = this.g.popCond();
    ctl.els = new Label();
    const k = fuse?.constArm;
    if (k) {
      // The constant arm's outcome is known: the test goes straight to its target.
      fuse!.used = true;
      const to = k.value !== 0 ? fuse!.onTrue : fuse!.onFalse;
      this.g.branchCond(k.then ? c : notCond(c), to);
      if (k.then) this.g.dead = true; // skip the constant then-arm
    } else this.g.branchCond(notCond(c), ctl.els);
    if (rot) this.g.code.label(rot.after);
  }

  /** Move the top of the stack into the block's result location; with `keep` it also stays on the stack. */
  moveResult(ctl: Ctl, keep: boolean): void {
    if (!ctl.type) return;
    if (keep) this.concretizeTop();
    const e = keep ? this.g.stack[this.g.stack.length - 1] : this.g.pop();
    if (e.cond) {
      if (ctl.res[0].k !== K.SPILL) this.g.condToReg(e.cond, ctl.res[0].n);
      else {
        const v = this.g.condToReg(e.cond);
        this.g.code.store('sw', v.n, SP, ctl.res[0].n);
        this.g.release(v);
      }
      return;
    }
    const words = ctl.type === 'i64' ? [e.lo, e.hi] : [e.lo];
    // Slots first: their sources are read before any result register is written.
    words.forEach((src, w) => {
      const d = ctl.res[w];
      if (d.k === K.SPILL && !(src.k === K.SPILL && src.n === d.n)) this.g.code.store('sw', this.g.regOf(src, T6), SP, d.n);
    });
    this.g.parallelMove(words.map((src, w) => ({ dst: ctl.res[w].n, src, slot: ctl.res[w].k === K.SPILL }))
      .filter((m) => !m.slot).map(({ dst, src }) => ({ dst, src })));
    if (keep) return;
    // Release the value, but not the result locations it may already occupy.
    for (const v of words) if (v.c || !ctl.res.some((r) => r.k === v.k && r.n === v.n)) this.g.release(v);
  }

  /** Result locations of a block are reserved while it runs. */
  reserve(res: V[], on: boolean): void {
    for (const v of res) if (v.k === K.TEMP) this.g.setBusy(v.n, on);
  }

  truncate(height: number): void {
    while (this.g.stack.length > height) this.g.releaseEntry(this.g.stack.pop()!);
  }

  doElse(): void {
    const ctl = this.ctls[this.ctls.length - 1];
    const skipElse = ctl.fuse?.constArm?.then === false;
    if (!this.g.dead) {
      if (ctl.fuse) this.fuseArm(ctl.fuse, skipElse);
      else {
        this.moveResult(ctl, false);
        this.g.code.j(ctl.end);
        ctl.reached = true;
      }
    }
    this.truncate(ctl.base);
    this.g.code.label(ctl.els!);
    ctl.hasElse = true;
    this.g.dead = skipElse; // a constant else-arm was folded into the test
  }

  doEnd(): void {
    const ctl = this.ctls.pop()!;
    if (this.ctls.length === 0) { // the function's own end
      if (!this.g.dead) this.moveReturn();
      this.truncate(0);
      return;
    }
    if (ctl.op === OP.loop) return; // its result, if any, is already on top
    if (ctl.fuse) {
      if (!this.g.dead) this.fuseArm(ctl.fuse, true);
      this.truncate(ctl.base);
      this.g.dead = !ctl.fuse.used;
      return;
    }
    if (!this.g.dead) this.moveResult(ctl, false);
    if (ctl.els && !ctl.hasElse) this.g.code.label(ctl.els);
    const reachable = !this.g.dead || ctl.reached || (ctl.op === OP.if && !ctl.hasElse);
    this.g.code.label(ctl.end);
    this.truncate(ctl.base);
    this.reserve(ctl.res, true); // releasing a result entry that sat in them cleared the bits
    if (ctl.type && reachable) this.g.push(ctl.type === 'i64' ? i64Entry(ctl.res[0], ctl.res[1]) : i32Entry(ctl.res[0]));
    else for (const v of ctl.res) this.g.release(v);
    this.g.dead = !reachable;
  }

  results(): ValType[] {
    return this.g.ctx.m.types[this.g.f.type].results;
  }

  /** Move the function's result (top of stack) into a0/a1; with `keep` it stays on the stack. */
  moveReturn(keep = false): void {
    const rs = this.results();
    if (rs.length === 0) return;
    if (keep) this.concretizeTop();
    const e = keep ? this.g.stack[this.g.stack.length - 1] : this.g.pop();
    if (e.cond) { this.g.condToReg(e.cond, REG.a0); return; }
    const moves: { dst: number; src: V }[] = [{ dst: REG.a0, src: e.lo }];
    if (rs[0] === 'i64') moves.push({ dst: REG.a1, src: e.hi });
    this.g.parallelMove(moves);
    if (!keep) this.g.releaseEntry(e);
  }

  /** Evaluate a pending comparison on top of the stack. */
  concretizeTop(): void {
    const top = this.g.stack[this.g.stack.length - 1];
    if (top?.cond) this.g.stack[this.g.stack.length - 1] = i32Entry(this.g.condToReg(top.cond));
  }

  /** An unconditional branch to label depth `depth`. */
  branchTo(depth: number): void {
    if (depth >= this.ctls.length - 1) {
      this.moveReturn();
      this.g.code.j(this.g.epilogue);
      return;
    }
    const ctl = this.ctls[this.ctls.length - 1 - depth];
    if (ctl.op !== OP.loop) { this.moveResult(ctl, false); ctl.reached = true; }
    this.g.code.j(ctl.target);
  }

  doBr(ins: Insn): void {
    const k = this.ctls.length - 1 - ins.a;
    if (k > 0 && this.ctls[k].op === OP.loop && this.ctls[k].rot) this.rotatedBackEdge(k);
    else this.branchTo(ins.a);
    this.g.dead = true;
  }

  doBrIf(ins: Insn): void {
    const c = this.g.popCond();
    const depth = ins.a;
    if (depth >= this.ctls.length - 1) {
      // A conditional return: the result moves into a0 only when taken.
      if (this.results().length) this.concretizeTop();
      const skip = new Label();
      this.g.branchCond(notCond(c), skip);
      this.moveReturn(true);
      this.g.code.j(this.g.epilogue);
      this.g.code.label(skip);
      return;
    }
    const ctl = this.ctls[this.ctls.length - 1 - depth];
    if (ctl.op !== OP.loop) { this.moveResult(ctl, true); ctl.reached = true; }
    const rot = this.rotationAt();
    this.g.branchCond(c, ctl.target);
    if (rot) this.g.code.label(rot.after);
  }

  doBrTable(ins: Insn): void {
    const idx = this.g.popV();
    const targets = ins.targets!;
    const d0 = targets[0];
    const carries = d0 >= this.ctls.length - 1 ? this.results().length > 0
      : this.ctls[this.ctls.length - 1 - d0].op !== OP.loop && this.ctls[this.ctls.length - 1 - d0].type !== null;
    if (carries) this.concretizeTop();
    const uniq = [...new Set(targets)];
    const labels = new Map<number, Label>();
    const stubs: { l: Label; depth: number }[] = [];
    for (const d of uniq) {
      if (d >= this.ctls.length - 1) {
        const l = new Label();
        stubs.push({ l, depth: d });
        labels.set(d, l);
        continue;
      }
      const ctl = this.ctls[this.ctls.length - 1 - d];
      if (ctl.op !== OP.loop) { this.moveResult(ctl, true); ctl.reached = true; }
      labels.set(d, ctl.target);
    }
    const n = targets.length - 1;
    const r = this.g.regOf(idx, T5);
    const code = this.g.code;
    if (n <= 3) {
      for (let k = 0; k < n; k++) {
        if (k === 0) code.branch('beq', r, ZERO, labels.get(targets[k])!);
        else { code.li(T6, k); code.branch('beq', r, T6, labels.get(targets[k])!); }
      }
      code.j(labels.get(targets[n])!);
    } else {
      code.li(T6, n);
      code.branch('bgeu', r, T6, labels.get(targets[n])!);
      const table = targets.slice(0, n).map((d) => labels.get(d)!);
      for (const l of table) l.refs++;
      code.la(T6, this.g.ctx.jumpTable(table));
      code.i('slli', T5, r, 2);
      code.r('add', T6, T6, T5);
      code.load('lw', T6, T6, 0);
      code.jr(T6);
    }
    this.g.release(idx);
    for (const s of stubs) {
      code.label(s.l);
      this.moveReturn(true);
      code.j(this.g.epilogue);
    }
    this.g.dead = true;
  }

  skipDead(ins: Insn): void {
    const top = this.ctls[this.ctls.length - 1];
    if (ins.op === OP.block || ins.op === OP.loop || ins.op === OP.if) {
      this.ctls.push({ ...top, op: ins.op, deadEntry: true, res: [] });
    } else if (ins.op === OP.else && !top.deadEntry) {
      this.g.code.mark(ins.off);
      this.doElse();
    } else if (ins.op === OP.end) {
      if (top.deadEntry) this.ctls.pop();
      else { this.g.code.mark(ins.off); this.doEnd(); }
    }
  }
}
