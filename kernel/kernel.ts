// The microkernel, resident on the host (DESIGN.md): after boot the hart
// runs only user code, in U-mode, and every trap from it (ecall, fault,
// timer or device interrupt) comes here through hart.hostTrap. The trap
// handler reads in xv6's usertrap order: system call, then device, else
// fault. It edits the hart's state and returns; the hart resumes wherever
// the kernel left pc, registers and satp.
//
// Scheduling: priority queues (0 highest) with round robin inside a
// priority; the CLINT ticks once per quantum (or earlier, for the next
// alarm), so preemption is the machine's own timer interrupt, and the
// process running at a tick goes to the back of its queue. With nothing
// runnable the hart waits in wfi, which the board fast-forwards to the next
// timer event.
//
// Entry points: Kernel (boot, run, procs, log), BootImage, KernelOptions.

import type { Board, StopReason } from '../vm/board.ts';
import type { Hart } from '../vm/cpu/hart.ts';
import { CAUSE, MIP_MTIP, MIP_MEIP, PRV, IRQ } from '../vm/cpu/bits.ts';
import { RAM_BASE, RAM_OFF } from '../vm/memory.ts';
import { SYS, LAYOUT, KERR, ENDPOINT, NR_PROCS, SIGNAL_MESSAGE, SIG, TRAPS, KCALL, NR_KCALLS, IPC } from './abi.ts';
import { Frames } from './frames.ts';
import { ProcTable, STATE, type Proc, type Privileges } from './proc.ts';
import { loadImage, ImageError } from './loader.ts';
import { COPY_OK, type CopyEngine } from './copy.ts';
import { switchSpace, SAVE_PC, ipcSwapWith, type SwitchEngine, type IpcSwap } from './switch.ts';
import { makeEngines, DEFAULT_ENGINE, type EngineName } from './engines.ts';
import { ipcSend, ipcReceive, ipcNotify, ipcCleanup, ipcDetach, sendKernelMessage, BLOCKED, type IpcResult } from './ipc.ts';
import { kernelCall } from './system.ts';
import { UserMemory } from './usermem.ts';
import { traceExit, type TraceLog } from './trace.ts';

export interface BootImage {
  name: string;
  elf: Uint8Array;
  /** 0 (highest) .. 15; default 7. */
  priority?: number;
  /** Kernel calls it may make (names as in KCALL, lower case), or 'all'. Default none. */
  kcalls?: readonly string[] | 'all';
  /** Processes (by boot name) it may send to, or 'any'. Default: none but replies. */
  targets?: readonly string[] | 'any';
  irqs?: readonly number[];
  mmio?: readonly { base: number; size: number }[];
  /** This process is the process manager: it is told of faults and exits. */
  pm?: boolean;
  system?: boolean;
}

export interface KernelOptions {
  /** The hot paths by name: 'wasm' (kernel/wasm, the default: measured faster) or 'ts' (the plain twins). */
  engine?: EngineName;
  /** Or the engines themselves (tests inject their own). */
  copy?: CopyEngine;
  switcher?: SwitchEngine;
  /** The fast path's fused copy and switch (default: the engines', or composed from copy and switcher). */
  ipcSwap?: IpcSwap;
  /** Take the IPC fast path when it applies (default true; false: every call takes the general path, for tests). */
  fastPath?: boolean;
  /** Quantum in mtime ticks (10 MHz); default 10,000 (1 ms, about 100,000 instructions). */
  quantum?: number;
  /** Where the kernel's own messages and SYS_WRITE to stdout/stderr go. */
  console?: (text: string) => void;
}

const NQ = 16;

export class Kernel {
  readonly h: Hart;
  readonly frames: Frames;
  readonly procs: ProcTable;
  copy: CopyEngine;
  switcher: SwitchEngine;
  /** The IPC fast path's one step (undefined: no fast path, every call takes the general one). */
  ipcSwap: IpcSwap | undefined;
  readonly quantum: number;
  /** IPC calls the fast path completed (fastIpc), for tests and `info ipc`. */
  fastIpcs = 0;
  current: Proc | undefined;
  private readonly queues: number[][] = Array.from({ length: NQ }, () => []);
  /** Bit q set when queue q is not empty. */
  private nonEmpty = 0;
  /** The process manager's endpoint (faults and exits are reported to it). */
  pm: number | undefined;
  /** IRQ line -> owning slot, and pending lines per slot (delivered as HARDWARE notifications). */
  readonly irqOwner = new Map<number, number>();
  readonly irqPending = new Map<number, number>();
  /** Lines claimed at the PLIC and not yet re-enabled by their driver. */
  readonly irqInService = new Set<number>();
  /** User memory as the kernel reaches it (kernel/usermem.ts). */
  readonly user: UserMemory;
  /** The kernel's diagnostic lines (faults, exits), also written to the console. */
  readonly log: string[] = [];
  private readonly console: (text: string) => void;
  private runStart = 0;
  private quantumEnd = 0;
  /** The mtimecmp last programmed. */
  private armed = -1;
  /** The CLINT must be re-armed at the next dispatch (a tick, an alarm change, the end of idling). */
  private timerDirty = true;
  /** The current process's registers are on the hart (not yet saved); it resumes at livePc. */
  private live = false;
  private livePc = 0;
  private alarmCache: number | undefined;
  /** Message logs of traced processes, by endpoint (kernel/trace.ts); a log outlives its process until read out. */
  readonly traces = new Map<number, TraceLog>();
  /** Set by a kernel call (SHUTDOWN): the board finishes with this code. */
  shutdownCode: number | undefined;

  constructor(readonly board: Board, opts: KernelOptions = {}) {
    this.h = board.hart;
    const mem = board.mem;
    // All RAM below the FDT (top 2 MiB-aligned region) is the kernel's to hand out.
    this.frames = new Frames(mem, RAM_BASE, board.fdtAddr);
    this.procs = new ProcTable(this.frames);
    this.user = new UserMemory(this.frames, mem);
    const engines = opts.copy && opts.switcher ? undefined : makeEngines(mem, opts.engine ?? DEFAULT_ENGINE);
    this.copy = opts.copy ?? engines!.copy;
    this.switcher = opts.switcher ?? engines!.switcher;
    this.ipcSwap = opts.fastPath === false ? undefined
      : opts.ipcSwap ?? (engines !== undefined && opts.copy === undefined && opts.switcher === undefined ? engines.ipcSwap : ipcSwapWith(this.copy, this.switcher, mem));
    this.quantum = opts.quantum ?? 10_000;
    this.console = opts.console ?? ((t) => { for (const b of Buffer.from(t, 'latin1')) board.uart.write(0, 1, b); });
  }

  // --- boot ---

  /** Start the boot images as processes (in order: slots 0, 1, ...) and hand the hart over. */
  boot(images: readonly BootImage[]): Proc[] {
    const started: Proc[] = [];
    for (const img of images) {
      const p = this.spawn(img.name, img.elf);
      if (typeof p === 'string') throw new ImageError(p);
      p.priority = Math.max(0, Math.min(NQ - 1, img.priority ?? 7));
      started.push(p);
    }
    images.forEach((img, i) => { started[i].priv = this.privilegesOf(img, started); });
    const pm = images.findIndex((img) => img.pm);
    this.pm = pm >= 0 ? started[pm].endpoint : undefined;
    const h = this.h;
    h.hostTrap = (cause, tval, epc, interrupt) => this.trap(cause, tval, epc, interrupt);
    h.setPriv(PRV.U);
    h.mie = MIP_MTIP | MIP_MEIP;
    // PLIC: every line at priority 1, M context threshold 0; lines are enabled as drivers register.
    for (let line = 1; line < 96; line++) this.board.plic.write(line * 4, 4, 1);
    this.board.plic.write(0x200000, 4, 0);
    for (const p of started) this.ready(p);
    this.dispatch();
    return started;
  }

  private privilegesOf(img: BootImage, started: Proc[]): Privileges {
    const names = new Map(started.map((p) => [p.name, p.slot]));
    const kcalls = img.kcalls === 'all' ? (1 << NR_KCALLS) - 1
      : (img.kcalls ?? []).reduce((m, n) => {
        const num = (KCALL as Record<string, number>)[n.toUpperCase()];
        if (num === undefined) throw new ImageError(`${img.name}: unknown kernel call '${n}'`);
        return m | (1 << (num - KCALL.FORK));
      }, 0);
    const targets = new Set<number>();
    if (img.targets !== 'any') {
      for (const t of img.targets ?? []) {
        const slot = names.get(t);
        if (slot === undefined) throw new ImageError(`${img.name}: no boot process '${t}' to send to`);
        targets.add(slot);
      }
    }
    return {
      anyTarget: img.targets === 'any', targets, kcalls,
      irqs: new Set(img.irqs ?? []), mmio: [...(img.mmio ?? [])], system: img.system ?? false,
    };
  }

  /** A new process running `elf` (stopped; ready() starts it), or an error message. */
  spawn(name: string, elf: Uint8Array): Proc | string {
    const p = this.procs.allocate(name);
    if (p === undefined) return `${name}: the process table is full (${NR_PROCS} slots)`;
    let img;
    try {
      img = loadImage(this.frames, elf, name);
    } catch (e) {
      p.state = STATE.FREE;
      if (e instanceof ImageError) return e.message;
      throw e;
    }
    if (img === undefined) { p.state = STATE.FREE; return `${name}: out of memory`; }
    p.space = img.space;
    p.brk = p.heapStart = img.brk;
    this.frames.zero(p.saveArea, 256);
    this.frames.write32(p.saveArea + 2 * 4, img.sp);       // sp
    this.frames.write32(p.saveArea + SAVE_PC, img.entry);  // pc
    return p;
  }

  // --- scheduling ---

  ready(p: Proc): void {
    p.state = STATE.RUNNABLE;
    if (p.queued) return;
    p.queued = true;
    this.queues[p.priority].push(p.slot);
    this.nonEmpty |= 1 << p.priority;
  }

  private unready(p: Proc): void {
    if (!p.queued) return;
    p.queued = false;
    const q = this.queues[p.priority];
    if (q[0] === p.slot) q.shift();
    else q.splice(q.indexOf(p.slot), 1);
    if (q.length === 0) this.nonEmpty &= ~(1 << p.priority);
  }

  /** Move `p` to priority `prio` (0-15), keeping its place in the run queues if it is runnable. */
  setPriority(p: Proc, prio: number): void {
    if (p.priority === prio) return;
    const queued = p.queued;
    this.unready(p);
    p.priority = prio;
    if (queued) this.ready(p);
  }

  /** Wake a blocked process with `result` in its a0 (a stopped one stays stopped). */
  wake(p: Proc, result: number): void {
    if (p.state === STATE.STOPPED || p.state === STATE.FREE) return;
    this.setSaved(p, 10, result);
    this.ready(p);
  }

  /** Word `i` of `p`'s save area (x0..x31, then pc at 32). Save areas are kernel frames: never code. */
  private setSaved(p: Proc, i: number, v: number): void {
    this.board.mem.i32[((p.saveArea - RAM_BASE + RAM_OFF) >> 2) + i] = v;
  }

  now(): number {
    return this.board.mtime();
  }

  /**
   * Write the running process's registers (live on the hart since the trap)
   * into its save area. The kernel does it only when it switches away, or
   * when a kernel call needs the caller's saved state.
   */
  saveCurrent(): void {
    if (this.live && this.current !== undefined) this.switcher.save(this.current.saveArea, this.livePc);
    this.live = false;
  }

  /** Set a0 of `p` for when it runs next (on the hart if it is the live current process). */
  private setResult(p: Proc, v: number): void {
    if (this.live && p === this.current) this.h.x[10] = v;
    else this.setSaved(p, 10, v);
  }

  /** Put the best runnable process on the hart, or let the hart wait. */
  private dispatch(): void {
    const h = this.h;
    // The highest priority with a runnable process: the lowest set bit of nonEmpty.
    const ne = this.nonEmpty;
    const next = ne === 0 ? undefined : this.procs.procs[this.queues[31 - Math.clz32(ne & -ne)][0]];
    if (next !== undefined && next === this.current && this.live) {
      // The same process goes on: its registers never left the hart.
      h.pc = this.livePc;
      this.live = false;
      if (this.timerDirty) this.rearm();
      return;
    }
    this.account();
    if (next === undefined) {
      this.saveCurrent();
      this.current = undefined;
      h.wfi = true;
      h.jitStop = true;
      this.armTimer(Infinity, this.now());
      this.timerDirty = true; // the quantum tick resumes with the next process
      return;
    }
    h.wfi = false;
    const prev = this.current;
    if (this.live && prev !== undefined) {
      // The common switch: one call saves the outgoing registers and loads the incoming ones.
      h.pc = this.switcher.swap(prev.saveArea, this.livePc, next.saveArea);
    } else {
      h.pc = this.switcher.restore(next.saveArea);
    }
    this.live = false;
    this.current = next;
    switchSpace(h, next.space!);
    this.runStart = h.retired + h.inflight;
    if (this.timerDirty) this.rearm();
  }

  /** Charge the current process for the instructions it retired since it was put on the hart. */
  account(): void {
    if (this.current === undefined) return;
    const now = this.h.retired + this.h.inflight; // a block a trap cut short is not in retired yet
    this.current.instret += now - this.runStart;
    this.runStart = now;
  }

  /**
   * Arm the CLINT for the quantum tick or the next alarm. The quantum is a
   * periodic tick, so a process switch does not restart it: only the tick
   * itself, an alarm change or the end of idling make the timer stale.
   */
  private rearm(): void {
    const now = this.now();
    this.timerDirty = false;
    if (now >= this.quantumEnd) this.quantumEnd = now + this.quantum;
    this.armTimer(this.quantumEnd, now);
  }

  /** The earliest alarm of any process (cached: alarms change only in SETALARM and at the timer). */
  private nextAlarm(): number {
    if (this.alarmCache === undefined) {
      let t = Infinity;
      for (const p of this.procs.procs) if (p.alarm !== undefined && p.state !== STATE.FREE && p.alarm < t) t = p.alarm;
      this.alarmCache = t;
    }
    return this.alarmCache;
  }

  /** Forget the cached earliest alarm (call after changing any process's alarm). */
  alarmsChanged(): void {
    this.alarmCache = undefined;
    this.timerDirty = true;
  }

  /** Program mtimecmp for `deadline` or the earliest alarm, whichever is first. */
  private armTimer(deadline: number, now: number): void {
    let t = Math.min(deadline, this.nextAlarm());
    if (t === Infinity) t = 2 ** 53; // never
    t = Math.max(t, now + 1);
    if (t === this.armed) return;
    this.armed = t;
    this.h.jitStop = true; // the board's budget was computed for the old deadline
    const clint = this.board.clint;
    clint.write(0x4004, 4, 0xffffffff); // high word first, so no spurious match in between
    clint.write(0x4000, 4, t % 0x100000000);
    clint.write(0x4004, 4, Math.floor(t / 0x100000000));
  }

  // --- the trap handler ---

  private trap(cause: number, tval: number, epc: number, interrupt: boolean): void {
    const cur = this.current;
    if (cause === CAUSE.USER_ECALL && !interrupt && cur !== undefined && this.fastIpc(cur, epc)) return;
    if (cur !== undefined) {
      // Its registers stay live on the hart until the kernel switches away (saveCurrent).
      this.live = true;
      this.livePc = epc;
    }
    if (interrupt) this.interrupt(cause);
    else if (cur !== undefined) {
      if (cause === CAUSE.USER_ECALL) this.syscall(cur, epc);
      else this.fault(cur, cause, tval, epc);
    }
    if (this.shutdownCode !== undefined) {
      this.board.finished = { kind: this.shutdownCode === 0 ? 'pass' : 'fail', code: this.shutdownCode };
      this.h.hostTrap = undefined;
      this.h.jitStop = true;
      return;
    }
    this.dispatch();
  }

  /**
   * The IPC fast path (seL4's fastpath, in spirit): a sendrec, or a
   * replyrecv, to a process already waiting for it, when the caller would
   * then block (replyrecv: nothing pending for it) and the receiver is the
   * process the scheduler would pick next. Then the whole call is one
   * ipcSwap (copy the message, save the caller, load the receiver with a0
   * = 0) and the bookkeeping the general path would do, in the same order
   * of effects. Anything else, a failed copy included, returns false
   * having changed nothing, and the general path runs.
   */
  private fastIpc(p: Proc, epc: number): boolean {
    const swap = this.ipcSwap;
    const x = this.h.x, num = x[17];
    const reply = num === SYS.REPLYRECV;
    if ((num !== SYS.SENDREC && !reply) || swap === undefined || p.trace !== undefined) return false;
    const destEp = x[10], msg = x[11];
    if (destEp < 0) return false;
    const dest = this.procs.procs[destEp & 0xff];
    if (dest === undefined || dest.endpoint !== destEp || dest.state !== STATE.RECEIVING || dest.trace !== undefined) return false;
    // Waiting for this caller, or for ANY and the caller may send to it (mayReach).
    const peer = dest.ipc.peer;
    if (peer !== p.endpoint && (peer !== IPC.ANY || !(p.priv.anyTarget || p.priv.targets.has(dest.slot)))) return false;
    if (reply) {
      // The receive half must block: from ANY, nothing queued, its buffer known good.
      const ipc = p.ipc;
      if (x[12] !== IPC.ANY || ipc.kmsgs.length !== 0 || ipc.notify.size !== 0 || ipc.senders.length !== 0 || p.space!.msgOk !== msg >>> 0) return false;
    }
    // With the caller out of the run queues and the receiver in, the receiver must come first.
    let ne = this.nonEmpty;
    if (p.queued && this.queues[p.priority].length === 1) ne &= ~(1 << p.priority);
    if ((ne & ((2 << dest.priority) - 1)) !== 0) return false;
    if (swap(p.space!.root, msg, dest.space!.root, dest.ipc.msg, p.endpoint, p.saveArea, epc + 4, dest.saveArea) !== COPY_OK) return false;
    // The message is delivered and the hart holds the receiver's registers: now the books.
    this.account();
    p.state = STATE.RECEIVING;
    p.ipc.peer = reply ? IPC.ANY : destEp;
    p.ipc.msg = msg;
    p.ipc.sendrec = false;
    p.ipc.replyWait = !reply;
    dest.state = STATE.RUNNABLE;
    const q = this.queues[p.priority];
    if (dest.priority === p.priority && q.length === 1 && q[0] === p.slot) {
      // The caller alone in the receiver's queue: the receiver takes its place.
      q[0] = dest.slot;
      p.queued = false;
      dest.queued = true;
    } else {
      this.unready(p);
      this.ready(dest);
    }
    const h = this.h;
    h.pc = this.board.mem.i32[((dest.saveArea - RAM_BASE + RAM_OFF) >> 2) + (SAVE_PC >> 2)];
    this.live = false;
    this.current = dest;
    switchSpace(h, dest.space!);
    this.runStart = h.retired + h.inflight;
    if (this.timerDirty) this.rearm();
    this.fastIpcs++;
    return true;
  }

  private syscall(p: Proc, epc: number): void {
    const x = this.h.x;
    const num = x[17], a0 = x[10], a1 = x[11], a2 = x[12];
    this.livePc = epc + 4;
    let r: IpcResult;
    switch (num) {
      case SYS.SEND: r = ipcSend(this, p, a0, a1, 'send'); break;
      case SYS.SENDREC: r = ipcSend(this, p, a0, a1, 'sendrec'); break;
      case SYS.SENDNB: r = ipcSend(this, p, a0, a1, 'sendnb'); break;
      case SYS.REPLYRECV:
        // A server's reply (never blocks, as sendnb) and its next receive in one trap.
        r = ipcSend(this, p, a0, a1, 'sendnb');
        if (r === 0) r = ipcReceive(this, p, a2, a1);
        break;
      case SYS.RECEIVE: r = ipcReceive(this, p, a0, a1); break;
      case SYS.NOTIFY: r = ipcNotify(this, p, a0); break;
      case SYS.EXIT: this.exit(p, a0 & 0xff); return;
      case SYS.WRITE: r = this.write(p, a0, a1, a2); break;
      case SYS.BRK: r = this.brk(p, a0); break;
      case SYS.TRAP: {
        // A wasm trap, reported by the program itself: its signal is the one TRAPS[].exit stands for.
        const t = Object.values(TRAPS).find((k) => k.kind === a0);
        this.stop(p, t ? t.exit - 128 : SIG.SIGILL, CAUSE.ILLEGAL_INSTRUCTION, a0, epc, `wasm trap: ${t?.message ?? `kind ${a0}`}`);
        return;
      }
      default: r = -KERR.ENOSYS;
    }
    if (r === BLOCKED) this.unready(p);
    else if (p.state === STATE.RUNNABLE || p.state === STATE.STOPPED) this.setResult(p, r);
  }

  private interrupt(cause: number): void {
    if (cause === IRQ.MTI) this.timer();
    else if (cause === IRQ.MEI) this.external();
  }

  private timer(): void {
    const now = this.now();
    this.timerDirty = true;
    if (this.nextAlarm() <= now) {
      for (const p of this.procs.procs) {
        if (p.alarm !== undefined && p.alarm <= now) {
          p.alarm = undefined;
          ipcNotify(this, ENDPOINT.CLOCK, p.endpoint);
        }
      }
      this.alarmsChanged();
    }
    const cur = this.current;
    if (now >= this.quantumEnd) {
      this.quantumEnd = now + this.quantum;
      if (cur !== undefined && cur.state === STATE.RUNNABLE) {
        // Running when the quantum tick came: to the back of its queue.
        this.unready(cur);
        this.ready(cur);
      }
    }
  }

  /** A PLIC interrupt: claim it, keep the line in service (masked) and notify its driver. */
  private external(): void {
    const plic = this.board.plic;
    for (;;) {
      const line = plic.read(0x200004, 4);
      if (line === 0) return;
      const owner = this.irqOwner.get(line);
      const p = owner === undefined ? undefined : this.procs.procs[owner];
      if (p === undefined || p.state === STATE.FREE) { plic.write(0x200004, 4, line); continue; }
      this.irqInService.add(line);
      this.irqPending.set(p.slot, (this.irqPending.get(p.slot) ?? 0) | (1 << (line & 31)));
      ipcNotify(this, ENDPOINT.HARDWARE, p.endpoint);
    }
  }

  /** Payload word 0 of a notification from `src` to `p` (the IRQ lines for HARDWARE); `consume` clears them. */
  notifyPayload(p: Proc, src: number, consume: boolean): number {
    if (src !== ENDPOINT.HARDWARE) return 0;
    const bits = this.irqPending.get(p.slot) ?? 0;
    if (consume) this.irqPending.delete(p.slot);
    return bits;
  }

  // --- faults and exits ---

  private fault(p: Proc, cause: number, tval: number, epc: number): void {
    if ((cause === CAUSE.LOAD_PAGE_FAULT || cause === CAUSE.STORE_PAGE_FAULT) && this.user.demandPage(p, tval)) return;
    const sig = cause === CAUSE.ILLEGAL_INSTRUCTION ? SIG.SIGILL : cause === CAUSE.BREAKPOINT ? SIG.SIGTRAP
      : cause === CAUSE.MISALIGNED_FETCH || cause === CAUSE.MISALIGNED_LOAD || cause === CAUSE.MISALIGNED_STORE ? SIG.SIGBUS : SIG.SIGSEGV;
    this.stop(p, sig, cause, tval, epc, undefined);
  }

  /** Stop `p` (a fault or a kill) and tell PM, or, with no PM, log it and end it. */
  stop(p: Proc, sig: number, cause: number, tval: number, pc: number, what: string | undefined): void {
    if (p === this.current) this.saveCurrent();
    this.unready(p);
    ipcDetach(this, p);
    p.state = STATE.STOPPED;
    p.fault = { cause, tval, pc };
    const line = `kernel: ${p.name} (endpoint ${p.endpoint}) stopped: ${what ?? causeText(cause)} at pc 0x${(pc >>> 0).toString(16)}` +
      (what ? '' : `, tval 0x${(tval >>> 0).toString(16)}`);
    this.say(line);
    const pm = this.pm === undefined ? undefined : this.procs.lookup(this.pm);
    if (pm === undefined || pm === p) { this.exit(p, 128 + sig, false); return; }
    sendKernelMessage(this, pm, Int32Array.of(0, SIGNAL_MESSAGE, p.endpoint, sig, cause, tval, pc, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  }

  /** End `p`: free its memory and slot, undo its IPC; PM hears of it. */
  exit(p: Proc, status: number, tellPm = true): void {
    this.unready(p);
    if (this.current === p) { this.current = undefined; this.live = false; }
    ipcCleanup(this, p);
    traceExit(this, p);
    for (const [line, owner] of this.irqOwner) {
      if (owner === p.slot) {
        this.irqOwner.delete(line);
        this.board.plic.write(0x2000 + (line >> 5) * 4, 4, this.board.plic.read(0x2000 + (line >> 5) * 4, 4) & ~(1 << (line & 31)));
        if (this.irqInService.delete(line)) this.board.plic.write(0x200004, 4, line);
      }
    }
    if (p.space?.tlbSet) this.h.mmu.dropSet(p.space.tlbSet);
    p.space?.destroy();
    p.space = undefined;
    p.state = STATE.FREE;
    p.alarm = undefined;
    this.alarmsChanged();
    this.irqPending.delete(p.slot);
    this.log.push(`exit ${p.name} ${status}`);
    const pm = this.pm === undefined ? undefined : this.procs.lookup(this.pm);
    if (tellPm && pm !== undefined && pm !== p) {
      sendKernelMessage(this, pm, Int32Array.of(0, SIGNAL_MESSAGE, p.endpoint, 0, -1, status, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
    if (this.procs.living().length === 0) this.shutdownCode = status;
  }

  say(line: string): void {
    this.log.push(line);
    this.console(line + '\n');
  }

  // --- simple system calls ---

  private write(p: Proc, fd: number, buf: number, len: number): number {
    if (fd !== 1 && fd !== 2) return -KERR.EPERM;
    if (len < 0 || len > 0x100000) return -KERR.EINVAL;
    const bytes = this.user.read(p, buf, len);
    if (bytes === undefined) return -KERR.EFAULT;
    this.console(Buffer.from(bytes).toString('latin1'));
    return len;
  }

  private brk(p: Proc, want: number): number {
    if (want === 0) return p.brk;
    const w = want >>> 0;
    if (w < p.heapStart || w > LAYOUT.stackTop - LAYOUT.stackSize - LAYOUT.stackGuard) return -KERR.ENOMEM;
    // Shrinking unmaps whole pages above the new break; growing maps on first touch.
    for (let va = Math.ceil(w / 4096) * 4096; va < p.brk; va += 4096) p.space!.unmap(va);
    p.brk = w;
    return w;
  }

  /** May `from` send to `to`? Replies to a process waiting on `from` are always allowed. */
  mayReach(from: Proc, to: Proc): boolean {
    if (from.priv.anyTarget || from.priv.targets.has(to.slot)) return true;
    return to.state === STATE.RECEIVING && to.ipc.peer === from.endpoint && to.ipc.peer !== IPC.ANY;
  }

  kernelCall(caller: Proc, msg: number): IpcResult {
    return kernelCall(this, caller, msg);
  }

  /** Run the system: the board's run loop, with this kernel taking the traps. */
  run(maxInsns = Infinity): StopReason {
    return this.board.run(maxInsns);
  }
}

function causeText(cause: number): string {
  const names: Record<number, string> = {
    0: 'misaligned fetch', 1: 'fetch access fault', 2: 'illegal instruction', 3: 'breakpoint',
    4: 'misaligned load', 5: 'load access fault', 6: 'misaligned store', 7: 'store access fault',
    12: 'fetch page fault', 13: 'load page fault', 15: 'store page fault',
  };
  return names[cause] ?? `cause ${cause}`;
}
