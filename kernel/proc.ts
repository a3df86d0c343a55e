// The process table: a fixed array of slots, each a process or free; a
// process's endpoint, privileges, IPC state, scheduling state, grants and
// accounting. Saved registers live in guest RAM (a kernel frame the user can
// never map), so the wasm context switch reads and writes them where the
// hart's own register file is.
//
// Entry points: Proc, ProcTable, Privileges, IpcState, STATE.

import { NR_PROCS, makeEndpoint, endpointSlot, endpointGen, NR_GRANTS } from './abi.ts';
import type { AddressSpace } from './space.ts';
import type { Frames } from './frames.ts';
import type { TraceLog } from './trace.ts';

/** Scheduling state (MINIX's RTS flags, reduced to what this kernel needs). */
export const STATE = {
  FREE: 0,
  RUNNABLE: 1,
  /** Blocked in send (or the send half of sendrec) until the destination receives. */
  SENDING: 2,
  /** Blocked in receive (or the receive half of sendrec). */
  RECEIVING: 3,
  /** Stopped after a fault or a kill; PM decides what happens next. */
  STOPPED: 4,
} as const;

export const STATE_NAMES = ['free', 'runnable', 'sending', 'receiving', 'stopped'] as const;

export interface Privileges {
  /** May send to any endpoint. */
  anyTarget: boolean;
  /** Slots it may send to (when not anyTarget); the kernel's own tasks are always reachable by notify replies. */
  targets: Set<number>;
  /** Bit i: kernel call KCALL_BASE + i allowed. */
  kcalls: number;
  /** PLIC lines it may own. */
  irqs: Set<number>;
  /** Physical MMIO ranges it may map with devmap. */
  mmio: { base: number; size: number }[];
  /** A system service (RS restarts it; issue 6). */
  system: boolean;
}

export function userPrivileges(): Privileges {
  return { anyTarget: false, targets: new Set(), kcalls: 0, irqs: new Set(), mmio: [], system: false };
}

export interface Grant { grantee: number; base: number; len: number; access: number }

export interface IpcState {
  /** Endpoint the process is sending to (SENDING) or receiving from (RECEIVING; ANY allowed). */
  peer: number;
  /** User address of its message buffer while blocked. */
  msg: number;
  /** The send half of a sendrec: after delivery it waits for the reply from peer. */
  sendrec: boolean;
  /**
   * Receiving the reply of a sendrec (or of a fork, for the child): no
   * notification is delivered meanwhile, even from the peer (MINIX's
   * MF_REPLY_PEND), so one can never be taken for the reply.
   */
  replyWait: boolean;
  /** Processes blocked sending to this one, in arrival order (slots). */
  senders: number[];
  /** Pending notifications, by source: slot for processes, or the kernel task endpoints. */
  notify: Set<number>;
  /** Messages from the kernel waiting for receive (signals for PM), oldest first. */
  kmsgs: Int32Array[];
}

export class Proc {
  state: number = STATE.FREE;
  /** In a run queue (the scheduler's bookkeeping). */
  queued = false;
  gen = 0;
  endpoint = 0;
  name = '';
  space: AddressSpace | undefined;
  priv: Privileges = userPrivileges();
  priority = 7;
  /** Instructions left in the current quantum. */
  quantumLeft = 0;
  ipc: IpcState = { peer: 0, msg: 0, sendrec: false, replyWait: false, senders: [], notify: new Set(), kmsgs: [] };
  grants: (Grant | undefined)[] = new Array(NR_GRANTS);
  /** Absolute mtime of its alarm, or undefined. */
  alarm: number | undefined;
  /** Retired instructions while it ran. */
  instret = 0;
  /** The program break (brk), and the heap's first page. */
  brk = 0;
  heapStart = 0;
  /** IRQ lines it registered (IRQCTL SETPOLICY). */
  irqs = new Set<number>();
  /** Why it stopped: cause, tval, pc. */
  fault: { cause: number; tval: number; pc: number } | undefined;
  /** Its message log while it is traced (kernel/trace.ts). */
  trace: TraceLog | undefined;
  /** Where its registers (x0..x31, pc at +128) are saved while it is not on the hart. */
  constructor(readonly slot: number, readonly saveArea: number) {}
}

export class ProcTable {
  readonly procs: Proc[] = [];

  constructor(frames: Frames) {
    // 16 save areas of 256 bytes per kernel frame.
    let frame = 0;
    for (let s = 0; s < NR_PROCS; s++) {
      if ((s & 15) === 0) {
        const f = frames.alloc();
        if (f === undefined) throw new Error('kernel: no memory for the process table');
        frame = f;
      }
      this.procs.push(new Proc(s, frame + (s & 15) * 256));
    }
  }

  /** A free slot made into a new process (state RUNNABLE is up to the caller), or undefined if full. */
  allocate(name: string): Proc | undefined {
    const p = this.procs.find((q) => q.state === STATE.FREE);
    if (p === undefined) return undefined;
    p.gen++;
    p.endpoint = makeEndpoint(p.slot, p.gen);
    p.name = name.slice(0, 15);
    p.state = STATE.STOPPED;
    p.queued = false;
    p.priv = userPrivileges();
    p.priority = 7;
    p.ipc = { peer: 0, msg: 0, sendrec: false, replyWait: false, senders: [], notify: new Set(), kmsgs: [] };
    p.grants = new Array(NR_GRANTS);
    p.alarm = undefined;
    p.instret = 0;
    p.brk = p.heapStart = 0;
    p.irqs = new Set();
    p.fault = undefined;
    p.trace = undefined;
    return p;
  }

  /** The living process an endpoint names, or undefined (free slot, or an older generation). */
  lookup(ep: number): Proc | undefined {
    const slot = endpointSlot(ep);
    if (ep < 0 || slot >= NR_PROCS) return undefined;
    const p = this.procs[slot];
    return p.state !== STATE.FREE && p.gen === endpointGen(ep) ? p : undefined;
  }

  byName(name: string): Proc | undefined {
    return this.procs.find((p) => p.state !== STATE.FREE && p.name === name);
  }

  living(): Proc[] {
    return this.procs.filter((p) => p.state !== STATE.FREE);
  }
}
