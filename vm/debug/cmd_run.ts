// The commands that run the machine (stepi, nexti, continue, finish, until)
// and the gdb-style report of why it stopped.
//
// Running happens in slices of about 15 ms between event-loop turns, so a
// front end stays responsive and Ctrl-C (Debugger.interrupt) stops a machine
// that runs forever. The core's next()/until() run their first slice with a
// fixed 2 M-instruction budget, which on a page holding a breakpoint means
// seconds of single-stepping without a turn of the event loop; these
// commands therefore drive the same primitives (internal temporary
// breakpoints, resume(budget)) with budgets sized by the clock.
//
// Entry points: cmdStep, cmdNext, cmdContinue, cmdFinish, cmdUntil,
// describeStop, userBreakpointAt.

import { isCall, causeName, type Debugger, type StopEvent, type Breakpoint, type Watchpoint } from './debugger.ts';
import { evaluateTree } from './expr.ts';
import {
  CmdError, evalExpr, hex, hex8, insnLine, where, session, symTag, fetchWord, readMemory,
  type CommandContext, type CommandResult,
} from './cmd_util.ts';
import { pointWhat } from './cmd_points.ts';

/** Milliseconds of machine time between event-loop turns. */
const SLICE_MS = 15;

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A gdb-like stop report: why, then where (with the current instruction). */
export function describeStop(dbg: Debugger, ev: StopEvent): string {
  const lines: string[] = [];
  switch (ev.reason) {
    case 'breakpoint':
      lines.push(`${ev.bp.temp ? 'Temporary breakpoint' : 'Breakpoint'} ${ev.bp.id}, ${where(dbg)}`);
      break;
    case 'watchpoint': {
      const wp = ev.wp;
      const kind = wp.type === 'watch' ? 'Hardware watchpoint' : wp.type === 'rwatch' ? 'Hardware read watchpoint' : 'Hardware access (read/write) watchpoint';
      lines.push('', `${kind} ${wp.id}: ${pointWhat(dbg, wp)}`, '');
      const at = ev.addr >>> 0 !== wp.addr >>> 0 ? ` (${ev.access} at ${wp.phys ? 'p:' : ''}${hex(ev.addr)})` : '';
      if (ev.access === 'write') lines.push(`Old value = ${hex(ev.old)}`, `New value = ${hex(ev.value)}${at}`);
      else lines.push(`Value = ${hex(watchedNow(dbg, wp) ?? ev.value)}${at}`);
      lines.push(where(dbg));
      break;
    }
    case 'catch':
      lines.push(`Catchpoint ${ev.cp.id} (${ev.cp.text}), ${causeName(ev.cause)} at ${hex8(ev.epc)}${symTag(dbg, ev.epc)}, tval ${hex(ev.tval)}`,
        `${where(dbg)} (the trap handler)`);
      break;
    case 'exited':
      return ev.kind === 'pass' && ev.code === 0 ? '[Inferior 1 (process 1) exited normally]' : `[Inferior 1 (process 1) exited with code ${ev.code}]`;
    case 'interrupted':
      lines.push('', 'Program received signal SIGINT, Interrupt.', where(dbg));
      break;
    case 'idle':
      lines.push('The hart is idle: it waits in wfi with no timer armed, so only UART input (`input TEXT`) can wake it.', where(dbg));
      break;
    case 'limit':
      lines.push(`Stopped at the instruction limit, ${where(dbg)}`);
      break;
    case 'step':
      lines.push(where(dbg));
      break;
  }
  lines.push(insnLine(dbg, dbg.board.hart.pc));
  return lines.join('\n');
}

/**
 * The watched bytes now (up to 4, little-endian): what a read just read. The
 * core's event carries the value the watchpoint last saw, which is stale
 * when the memory changed through an access it does not watch.
 */
function watchedNow(dbg: Debugger, wp: Watchpoint): number | undefined {
  const r = readMemory(dbg, wp.addr, Math.min(4, wp.len), wp.phys);
  return r.ok ? r.bytes.reduceRight((v, b) => v * 256 + b, 0) : undefined;
}

/** The enabled user breakpoint that would stop at the current pc (mode, satp and condition checked), if any. */
export function userBreakpointAt(dbg: Debugger): Breakpoint | undefined {
  const h = dbg.board.hart;
  for (const p of dbg.list()) {
    if (p.type !== 'break' || !p.enabled || p.addr !== h.pc >>> 0) continue;
    if (p.priv !== undefined && p.priv !== h.priv) continue;
    if (p.satp !== undefined && p.satp >>> 0 !== h.satp >>> 0) continue;
    if (p.cond) {
      try {
        if (evaluateTree(p.cond.tree, dbg.env()) === 0) continue;
      } catch {
        // An error in a condition stops, as gdb does.
      }
    }
    return p;
  }
  return undefined;
}

function hitAt(dbg: Debugger, bp: Breakpoint): StopEvent {
  bp.hits++;
  if (bp.temp) dbg.delete(bp.id);
  return { reason: 'breakpoint', bp };
}

/** Refuse to run from gdb's monitor or after the guest has finished. */
function checkCanRun(ctx: CommandContext): void {
  if (!ctx.canRun) throw new CmdError('running commands are not available here (use gdb\'s own stepi, continue, finish)');
  if (ctx.dbg.board.finished) throw new CmdError('The program is not being run.');
}

/**
 * Call `slice(budget)` until it returns an event, yielding to the event loop
 * about every SLICE_MS. An idle hart waits for input when the front end can
 * give it; breakpoints with an ignore count are passed silently.
 */
async function drive(ctx: CommandContext, slice: (budget: number) => StopEvent | undefined): Promise<StopEvent> {
  const ignore = session(ctx.dbg).ignore;
  let budget = 20_000;
  let lastYield = performance.now();
  ctx.onRun?.(true);
  try {
    for (;;) {
      const t0 = performance.now();
      const ev = slice(budget);
      const dt = performance.now() - t0;
      budget = Math.max(1000, Math.min(50_000_000, Math.round(budget * (dt > 0.5 ? SLICE_MS / dt : 4))));
      if (ev?.reason === 'idle' && ctx.waitForInput) { await ctx.waitForInput(); lastYield = performance.now(); continue; }
      if (ev?.reason === 'breakpoint' && !ev.bp.internal && (ignore.get(ev.bp.id) ?? 0) > 0) {
        ignore.set(ev.bp.id, ignore.get(ev.bp.id)! - 1);
        continue;
      }
      if (ev) return ev;
      if (performance.now() - lastYield > SLICE_MS / 2) { await yieldToLoop(); lastYield = performance.now(); }
    }
  } finally {
    // A Ctrl-C that came after the stop found nothing to stop: it must not stop the next command.
    ctx.dbg.clearInterrupt();
    ctx.onRun?.(false);
  }
}

/** A count argument: empty = 1. */
function countArg(dbg: Debugger, args: string): number {
  if (args.trim() === '') return 1;
  const n = evalExpr(dbg, args);
  if (n < 1 || n > 0x7fffffff) throw new CmdError(`the count must be 1..2147483647 (got ${n | 0})`);
  return n;
}

function report(ctx: CommandContext, ev: StopEvent): CommandResult {
  session(ctx.dbg).lastStop = ev;
  ctx.out(describeStop(ctx.dbg, ev));
  return { stop: ev };
}

/** `stepi [N]`: N instructions, one at a time (each recorded in the trace), stopping early at an event. */
export async function cmdStep(ctx: CommandContext, args: string): Promise<CommandResult> {
  const dbg = ctx.dbg;
  const n = countArg(dbg, args);
  checkCanRun(ctx);
  let left = n;
  let first = true;
  const saved = dbg.record;
  const ev = await drive(ctx, (budget) => {
    if (first) {
      first = false;
      left--;
      return dbg.stepOne() ?? (left === 0 ? { reason: 'step' } : undefined);
    }
    const k = Math.min(left, budget);
    dbg.record = true; // resume() then single-steps, checking breakpoints and recording
    try {
      const e = dbg.resume(k);
      left -= k;
      return e ?? (left === 0 ? { reason: 'step' } : undefined);
    } finally {
      dbg.record = saved;
    }
  });
  return report(ctx, ev);
}

/** Run to the internal temporary breakpoint just planted (next, until); other events win. */
async function runToInternal(ctx: CommandContext, firstStep: boolean): Promise<StopEvent> {
  const dbg = ctx.dbg;
  let first = firstStep;
  try {
    const ev = await drive(ctx, (budget) => {
      if (first) { first = false; return dbg.stepOne(); }
      return dbg.resume(budget);
    });
    return ev.reason === 'breakpoint' && ev.bp.internal ? { reason: 'step' } : ev;
  } finally {
    dbg.clearInternal();
  }
}

/** `nexti [N]`: like stepi, but a call (jal/jalr linking ra or t0) runs to its return. */
export async function cmdNext(ctx: CommandContext, args: string): Promise<CommandResult> {
  const dbg = ctx.dbg, h = dbg.board.hart;
  const n = countArg(dbg, args);
  checkCanRun(ctx);
  let ev: StopEvent = { reason: 'step' };
  for (let i = 0; i < n && ev.reason === 'step'; i++) {
    const insn = fetchWord(dbg, h.pc) ?? 0;
    if (!isCall(insn)) {
      ev = dbg.stepOne() ?? { reason: 'step' };
      continue;
    }
    // Stop at the return address only in this frame (not in a recursive call's).
    dbg.addBreakpoint((h.pc + 4) >>> 0, { temp: true, internal: true, cond: `$sp >= ${h.x[2] >>> 0}` });
    ev = await runToInternal(ctx, true);
  }
  return report(ctx, ev);
}

/** `until ADDR` / `advance ADDR`: run until pc reaches ADDR (or an earlier event). */
export async function cmdUntil(ctx: CommandContext, args: string): Promise<CommandResult> {
  const dbg = ctx.dbg;
  if (args.trim() === '') return cmdNext(ctx, '');
  const addr = evalExpr(dbg, args.replace(/^\s*\*/, ''));
  checkCanRun(ctx);
  dbg.addBreakpoint(addr, { temp: true, internal: true });
  // Already there: run until it comes round again, as gdb's advance does.
  const ev = await runToInternal(ctx, addr === dbg.board.hart.pc >>> 0);
  return report(ctx, ev);
}

/** `continue [N]`: run until an event; N ignores the breakpoint just hit N-1 more times. */
export async function cmdContinue(ctx: CommandContext, args: string): Promise<CommandResult> {
  const dbg = ctx.dbg, h = dbg.board.hart;
  const last = session(dbg).lastStop;
  if (args.trim() !== '') {
    const n = countArg(dbg, args);
    if (last?.reason !== 'breakpoint') throw new CmdError('Not stopped at a breakpoint; "continue N" needs one to ignore.');
    session(dbg).ignore.set(last.bp.id, n - 1);
    ctx.out(`Will ignore next ${n - 1} crossings of breakpoint ${last.bp.id}.  Continuing.`);
  }
  checkCanRun(ctx);
  // Never stop again at the breakpoint the hart sits on: step over it first.
  let first = dbg.list().some((p) => p.type === 'break' && p.enabled && p.addr === h.pc >>> 0);
  const ev = await drive(ctx, (budget) => {
    if (first) { first = false; return dbg.stepOne(); }
    return dbg.resume(budget);
  });
  return report(ctx, ev);
}

/** `finish`: run until the current function returns (calls and returns in between are counted). */
export async function cmdFinish(ctx: CommandContext): Promise<CommandResult> {
  const dbg = ctx.dbg, h = dbg.board.hart;
  checkCanRun(ctx);
  ctx.out(`Run till exit from ${where(dbg)}`);
  const state = { depth: 0 };
  let calls = 0;
  const ev = await drive(ctx, (budget) => {
    // finish() skips the breakpoint check on the first instruction of a later
    // slice when depth is 0; check it here so no breakpoint is missed.
    if (calls++ > 0 && state.depth === 0) {
      const bp = userBreakpointAt(dbg);
      if (bp) return hitAt(dbg, bp);
    }
    return dbg.finish(state, budget);
  });
  const res = report(ctx, ev);
  if (ev.reason === 'step') {
    const hist = session(dbg).history;
    hist.push(h.x[10] >>> 0);
    ctx.out(`Value returned is $${hist.length} = ${h.x[10]} (a0 = ${hex8(h.x[10])})`);
  }
  return res;
}
