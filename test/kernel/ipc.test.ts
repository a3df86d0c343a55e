// The IPC semantics table of docs/kernel.md ("IPC"), one case per test:
// rendezvous in both orders, receive from ANY and from one source, sendrec
// (no window between its halves), notify (never blocks, coalesces, comes
// before senders), sendnb, dead and recycled endpoints, deadlock cycles,
// allow-lists, bad message buffers (unmapped, read-only, straddling pages,
// on a not-yet-touched stack page) and the 64-byte message size.
//
// Sequencing comes from priorities (0 highest): the contract says the best
// runnable process runs, so a test orders its programs by priority rather
// than by counting instructions. Results are read from each process's
// memory after the machine goes idle (every process parked).

import { describe, it, expect } from 'vitest';
import { engineNames } from '../../kernel/engines.ts';
import { boot as bootWith, buildProgram, kcallProgram, recorder, ep } from './util.ts';
import { STATE } from '../../kernel/proc.ts';
import { MESSAGE, KERR, ENDPOINT, NOTIFY_MESSAGE } from '../../kernel/abi.ts';

const E = (name: keyof typeof KERR): number => -KERR[name];

/** A program that fills `msg` (type `type`, payload p_i = base + i, a forged m_source) and calls `call` to `dest`, saving the result in `res`. */
function sender(call: string, dest: number | string, type: number, base = 0x1000, extra = ''): string {
  return `
    .globl _start
_start:
    la t0, msg
    li t1, 0x0bad0bad
    sw t1, 0(t0)
    li t1, ${type}
    sw t1, 4(t0)
    li t2, 0
    li t3, ${base}
1:  addi t4, t2, 2
    slli t4, t4, 2
    add t4, t4, t0
    add t5, t3, t2
    sw t5, 0(t4)
    addi t2, t2, 1
    li t6, 14
    blt t2, t6, 1b
    li a0, ${dest}
    la a1, msg
    SYSCALL ${call}
    SAVE res
${extra}
    PARK
    .data
res: .word 0x7777
msg: .space 64
`;
}

const payload = (base: number): number[] => Array.from({ length: 14 }, (_, i) => base + i);

// Each case runs on both hot-path engines (kernel/engines.ts): the message and
// grant copies go through the TypeScript twin and through the wasm module.
describe.each(engineNames)('%s engine', (engine) => {
  const boot: typeof bootWith = (progs, opts = {}) => bootWith(progs, { engine, ...opts });

  describe('IPC: rendezvous', () => {
    it('receiver first: the message arrives whole, m_source written by the kernel', () => {
      const s = boot([
        { name: 'recv', src: recorder(1), priority: 1 },
        { name: 'send', src: sender('SYS_SEND', ep(0), 0x42), priority: 2, targets: ['recv'] },
      ]);
      expect(s.run().kind).toBe('idle');
      const m = s.msg('recv', 'records');
      expect(m.ret).toBe(0);
      expect(m.source).toBe(ep(1)); // not the forged 0x0bad0bad
      expect(m.type).toBe(0x42);
      expect(m.p).toEqual(payload(0x1000));
      expect(s.word('send', 'res')).toBe(0);
    });

    it('sender first: send blocks until the destination receives', () => {
      const recvSrc = `
      .globl _start
  _start:
      li t0, 2000
  1:  addi t0, t0, -1
      bnez t0, 1b
      li a0, ANY
      la a1, records
      SYSCALL SYS_RECEIVE
      SAVE rets
      PARK
      .data
  records: .space 64
  rets: .word 0x7777
  `;
      const s = boot([
        { name: 'send', src: sender('SYS_SEND', ep(1), 0x43), priority: 1, targets: ['recv'] },
        { name: 'recv', src: recvSrc, priority: 2 },
      ]);
      // The sender ran first and is blocked while the receiver is still counting down.
      expect(s.run(1000).kind).toBe('limit');
      expect(s.proc('send').state).toBe(STATE.SENDING);
      expect(s.word('send', 'res')).toBe(0x7777);
      expect(s.run().kind).toBe('idle');
      expect(s.word('send', 'res')).toBe(0);
      const m = s.msg('recv', 'records');
      expect(m.ret).toBe(0);
      expect(m.source).toBe(ep(0));
      expect(m.type).toBe(0x43);
      expect(m.p).toEqual(payload(0x1000));
    });
  });

  describe('IPC: receive', () => {
    it('receive(ANY) takes senders oldest first and names each', () => {
      const s = boot([
        { name: 'a', src: sender('SYS_SEND', ep(2), 0xa, 0xa00), priority: 1, targets: ['r'] },
        { name: 'b', src: sender('SYS_SEND', ep(2), 0xb, 0xb00), priority: 2, targets: ['r'] },
        { name: 'r', src: recorder(2), priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      const [m0, m1] = [s.msg('r', 'records', 0), s.msg('r', 'records', 1)];
      expect([m0.ret, m0.source, m0.type, m0.p[0]]).toEqual([0, ep(0), 0xa, 0xa00]);
      expect([m1.ret, m1.source, m1.type, m1.p[0]]).toEqual([0, ep(1), 0xb, 0xb00]);
      expect(s.word('a', 'res')).toBe(0);
      expect(s.word('b', 'res')).toBe(0);
    });

    it('receive(src) takes that sender even when another one waited longer', () => {
      const r = `
      .globl _start
  _start:
      li a0, ${ep(1)}
      la a1, records
      SYSCALL SYS_RECEIVE
      SAVE rets
      li a0, ANY
      la a1, records + 64
      SYSCALL SYS_RECEIVE
      la t0, rets
      sw a0, 4(t0)
      PARK
      .data
  records: .space 128
  rets: .space 8
  `;
      const s = boot([
        { name: 'a', src: sender('SYS_SEND', ep(2), 0xa), priority: 1, targets: ['r'] },
        { name: 'b', src: sender('SYS_SEND', ep(2), 0xb), priority: 2, targets: ['r'] },
        { name: 'r', src: r, priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([s.msg('r', 'records', 0).source, s.msg('r', 'records', 0).type]).toEqual([ep(1), 0xb]);
      expect([s.msg('r', 'records', 1).source, s.msg('r', 'records', 1).type]).toEqual([ep(0), 0xa]);
      expect([s.word('r', 'rets', 0), s.word('r', 'rets', 1)]).toEqual([0, 0]);
    });
  });

  describe('IPC: sendrec', () => {
    // The server has no allow-list at all: its replies are allowed because the
    // client waits in sendrec for it. It replies with sendnb, which fails
    // unless the client is already receiving: sendrec leaves no window.
    const server = `
      .globl _start
  _start:
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      SAVE rres
      la t0, msg
      lw t1, 4(t0)
      addi t1, t1, 1
      sw t1, 4(t0)
      li t1, 0x5e5e
      sw t1, 8(t0)
      lw a0, 0(t0)
      la a1, msg
      SYSCALL SYS_SENDNB
      SAVE res
      PARK
      .data
  rres: .word 0x7777
  res: .word 0x7777
  msg: .space 64
  `;
    const client = (serverSlot: number): string => `
      .globl _start
  _start:
      SETW msg, M_TYPE, 5
      SETW msg, P0, 0x1234
      li a0, ${ep(serverSlot)}
      la a1, msg
      SYSCALL SYS_SENDREC
      SAVE res
      li a0, ANY
      la a1, later
      SYSCALL SYS_RECEIVE
      SAVE res2
      PARK
      .data
  res: .word 0x7777
  res2: .word 0x7777
  msg: .space 64
  later: .space 64
  `;

    it('the reply comes back in the same buffer; a reply by sendnb always finds the client receiving', () => {
      const s = boot([
        { name: 'client', src: client(1), priority: 1, targets: ['server'] },
        { name: 'server', src: server, priority: 2 },
      ]);
      s.run();
      expect(s.word('server', 'rres')).toBe(0);
      expect(s.word('server', 'res')).toBe(0);
      expect(s.word('client', 'res')).toBe(0);
      const m = s.msg('client', 'msg');
      expect([m.source, m.type, m.p[0]]).toEqual([ep(1), 6, 0x5e5e]);
    });

    it('while waiting for the reply the client takes nothing from anyone else', () => {
      const s = boot([
        { name: 'client', src: client(2), priority: 1, targets: ['server'] },
        { name: 'other', src: sender('SYS_SEND', ep(0), 0x99), priority: 2, targets: ['client'] },
        { name: 'server', src: server, priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('client', 'msg').type).toBe(6); // the server's reply, not other's message
      expect(s.msg('client', 'msg').source).toBe(ep(2));
      expect(s.word('client', 'res2')).toBe(0);
      expect([s.msg('client', 'later').source, s.msg('client', 'later').type]).toEqual([ep(1), 0x99]);
      expect(s.word('other', 'res')).toBe(0);
    });
  });

  describe('IPC: notify', () => {
    it('never blocks, and repeats coalesce into one pending notification', () => {
      const notifier = `
      .globl _start
  _start:
      li s0, 0
      li s1, 3
  1:  li a0, ${ep(1)}
      SYSCALL SYS_NOTIFY
      la t0, res
      slli t1, s0, 2
      add t0, t0, t1
      sw a0, 0(t0)
      addi s0, s0, 1
      blt s0, s1, 1b
      PARK
      .data
  res: .word 7, 7, 7
  `;
      const s = boot([
        { name: 'notifier', src: notifier, priority: 1, targets: ['r'] },
        { name: 'r', src: recorder(2), priority: 2 },
        { name: 'late', src: sender('SYS_SEND', ep(1), 77), priority: 3, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2].map((i) => s.word('notifier', 'res', i))).toEqual([0, 0, 0]);
      const n = s.msg('r', 'records', 0);
      expect([n.ret, n.source, n.type]).toEqual([0, ep(0), NOTIFY_MESSAGE]);
      expect(n.p[1]).toBeGreaterThanOrEqual(0); // p1: the time, no later than now
      expect(n.p[1]).toBeLessThanOrEqual(s.board.mtime());
      // The second receive got the later message: the three notifies made one.
      const m = s.msg('r', 'records', 1);
      expect([m.ret, m.source, m.type]).toEqual([0, ep(2), 77]);
    });

    it('a pending notification is taken before an older blocked sender', () => {
      const notifier = `
      .globl _start
  _start:
      li a0, ${ep(2)}
      SYSCALL SYS_NOTIFY
      SAVE res
      PARK
      .data
  res: .word 7
  `;
      const s = boot([
        { name: 'sender', src: sender('SYS_SEND', ep(2), 0x55), priority: 1, targets: ['r'] },
        { name: 'notifier', src: notifier, priority: 2, targets: ['r'] },
        { name: 'r', src: recorder(2), priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([s.msg('r', 'records', 0).source, s.msg('r', 'records', 0).type]).toEqual([ep(1), NOTIFY_MESSAGE]);
      expect([s.msg('r', 'records', 1).source, s.msg('r', 'records', 1).type]).toEqual([ep(0), 0x55]);
      expect(s.word('notifier', 'res')).toBe(0);
    });

    it('a notification wakes a process receiving from that notifier at once', () => {
      const notifier = `
      .globl _start
  _start:
      li a0, ${ep(0)}
      SYSCALL SYS_NOTIFY
      SAVE res
      PARK
      .data
  res: .word 7
  `;
      const s = boot([
        { name: 'r', src: recorder(1, String(ep(1))), priority: 1 },
        { name: 'notifier', src: notifier, priority: 2, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      const n = s.msg('r', 'records');
      expect([n.ret, n.source, n.type]).toEqual([0, ep(1), NOTIFY_MESSAGE]);
    });
  });

  describe('IPC: sendnb', () => {
    it('fails with ENOTREADY when the destination is not receiving, and queues nothing', () => {
      const busy = `
      .globl _start
  _start:
      li t0, 1000
  1:  addi t0, t0, -1
      bnez t0, 1b
      j recv
  ` + recorder(1).replace('_start:', 'recv:').replace('.globl _start', '');
      const s = boot([
        { name: 'a', src: sender('SYS_SENDNB', ep(1), 0x11, 0x1000, `
      li a0, ${ep(1)}
      la a1, msg
      li t1, 0x22
      sw t1, 4(a1)
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 4(t0)`), priority: 1, targets: ['b'] },
        { name: 'b', src: busy, priority: 2 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('a', 'res', 0)).toBe(E('ENOTREADY'));
      expect(s.word('a', 'res', 1)).toBe(0);
      const m = s.msg('b', 'records');
      expect([m.ret, m.source, m.type]).toEqual([0, ep(0), 0x22]);
    });
  });

  describe('IPC: dead and recycled endpoints', () => {
    it('send, sendnb, notify and receive naming a dead process fail with EDEADSRCDST', () => {
      const prober = `
      .globl _start
  _start:
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE res
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_SENDNB
      la t0, res
      sw a0, 4(t0)
      li a0, ${ep(0)}
      SYSCALL SYS_NOTIFY
      la t0, res
      sw a0, 8(t0)
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 12(t0)
      PARK
      .data
  res: .word 7, 7, 7, 7
  msg: .space 64
  `;
      const s = boot([
        { name: 'dies', src: '.globl _start\n_start: EXIT 0\n', priority: 1 },
        { name: 'prober', src: prober, priority: 2, targets: 'any' },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2, 3].map((i) => s.word('prober', 'res', i))).toEqual(Array(4).fill(E('EDEADSRCDST')));
    });

    it('a sender blocked on a process that then dies gets EDEADSRCDST', () => {
      const s = boot([
        { name: 'sender', src: sender('SYS_SEND', ep(1), 1), priority: 1, targets: ['dies'] },
        { name: 'dies', src: '.globl _start\n_start: EXIT 0\n', priority: 2 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('sender', 'res')).toBe(E('EDEADSRCDST'));
    });

    it('a recycled slot gets a new generation: the old endpoint fails, the new one works', () => {
      // u sendrecs to pm; pm forks u; the child takes the first free slot,
      // slot 0, freed by 'dies'. The prober then names both endpoints.
      const pm = `
      .globl _start
  _start:
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      la t0, msg
      lw t1, 0(t0)
      la t0, kmsg
      sw t1, P0(t0)
      li t1, K_FORK
      sw t1, M_TYPE(t0)
      KCALL kmsg
      SAVE res
      PARK
      .data
  res: .word 7
  msg: .space 64
  kmsg: .space 64
  `;
      const prober = `
      .globl _start
  _start:
      li a0, ${ep(0, 1)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE res
      li a0, ${ep(0, 2)}
      SYSCALL SYS_NOTIFY
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  msg: .space 64
  `;
      const s = boot([
        { name: 'dies', src: '.globl _start\n_start: EXIT 0\n', priority: 0 },
        { name: 'u', src: sender('SYS_SENDREC', ep(2), 1), priority: 1, targets: ['pm'] },
        { name: 'pm', src: pm, priority: 2, kcalls: ['fork'], targets: 'any' },
        { name: 'prober', src: prober, priority: 3, targets: 'any' },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('pm', 'res')).toBe(0);
      expect(s.word('pm', 'kmsg', 2)).toBe(ep(0, 2)); // FORK's p0: the child, in slot 0, generation 2
      expect(s.kernel.procs.procs[0].endpoint).toBe(ep(0, 2));
      expect(s.word('prober', 'res', 0)).toBe(E('EDEADSRCDST'));
      expect(s.word('prober', 'res', 1)).toBe(0);
      // The notification for the new endpoint waits at the child; nothing came from the old one.
      expect(s.kernel.procs.procs[0].ipc.notify.size).toBe(1);
    });
  });

  describe('IPC: deadlock', () => {
    it('a send that closes a two-process cycle fails with EDEADLK; the other send still completes', () => {
      const b = `
      .globl _start
  _start:
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE res
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  msg: .space 64
  `;
      const s = boot([
        { name: 'a', src: sender('SYS_SEND', ep(1), 0xa), priority: 1, targets: ['b'] },
        { name: 'b', src: b, priority: 2, targets: ['a'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('b', 'res', 0)).toBe(E('EDEADLK'));
      expect(s.word('b', 'res', 1)).toBe(0);
      expect(s.msg('b', 'msg').type).toBe(0xa);
      expect(s.word('a', 'res')).toBe(0);
    });

    it('a three-process cycle of sendrecs is refused to the one that would close it', () => {
      const s = boot([
        { name: 'a', src: sender('SYS_SENDREC', ep(1), 1), priority: 1, targets: ['b'] },
        { name: 'b', src: sender('SYS_SENDREC', ep(2), 2), priority: 2, targets: ['c'] },
        { name: 'c', src: sender('SYS_SENDREC', ep(0), 3), priority: 3, targets: ['a'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('c', 'res')).toBe(E('EDEADLK'));
      expect(s.proc('a').state).toBe(STATE.SENDING);
      expect(s.proc('b').state).toBe(STATE.SENDING);
    });

    it('a chain that is not a cycle just blocks', () => {
      const s = boot([
        { name: 'a', src: sender('SYS_SEND', ep(1), 1), priority: 1, targets: ['b'] },
        { name: 'b', src: sender('SYS_SEND', ep(2), 2), priority: 2, targets: ['c'] },
        { name: 'c', src: recorder(1, String(ep(1))), priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('b', 'res')).toBe(0);
      expect(s.msg('c', 'records').type).toBe(2);
      expect(s.proc('a').state).toBe(STATE.SENDING);
    });
  });

  describe('IPC: allow-lists', () => {
    it('send, sendnb, sendrec and notify outside the allow-list fail with ECALLDENIED; nothing arrives', () => {
      const a = `
      .globl _start
  _start:
      la s0, res
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SEND
      sw a0, 0(s0)
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDNB
      sw a0, 4(s0)
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDREC
      sw a0, 8(s0)
      li a0, ${ep(1)}
      SYSCALL SYS_NOTIFY
      sw a0, 12(s0)
      PARK
      .data
  res: .word 7, 7, 7, 7
  msg: .space 64
  `;
      const s = boot([
        { name: 'a', src: a, priority: 2, targets: ['c'] },
        { name: 'b', src: recorder(1), priority: 1 },
        { name: 'c', src: recorder(1), priority: 1 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2, 3].map((i) => s.word('a', 'res', i))).toEqual(Array(4).fill(E('ECALLDENIED')));
      expect(s.word('b', 'count')).toBe(0);
    });

    it('a reply to a client waiting in sendrec is allowed; once it stopped waiting, it is not', () => {
      const server = `
      .globl _start
  _start:
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      la t0, msg
      lw s0, 0(t0)
      mv a0, s0
      la a1, msg
      SYSCALL SYS_SEND
      SAVE res
      mv a0, s0
      la a1, msg
      SYSCALL SYS_SENDNB
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  msg: .space 64
  `;
      const s = boot([
        { name: 'client', src: sender('SYS_SENDREC', ep(1), 3), priority: 1, targets: ['server'] },
        { name: 'server', src: server, priority: 2 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('server', 'res', 0)).toBe(0);
      expect(s.word('client', 'res')).toBe(0);
      expect(s.word('server', 'res', 1)).toBe(E('ECALLDENIED'));
    });
  });

  describe('IPC: replyrecv (reply, then receive, in one call)', () => {
    // The server takes a request, then loops on replyrecv: each call replies
    // to the last client (non-blocking, as sendnb) and receives the next
    // request into the same buffer. Results and the sources it served are
    // recorded per round.
    const server = (rounds: number, src = 'ANY'): string => `
      .globl _start
  _start:
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      li s1, 0
  1:  la t0, msg
      lw s0, 0(t0)
      la t2, served
      slli t3, s1, 2
      add t2, t2, t3
      sw s0, 0(t2)
      lw t1, 8(t0)
      addi t1, t1, 1
      sw t1, 8(t0)
      li t1, 0x77
      sw t1, 4(t0)
      mv a0, s0
      la a1, msg
      li a2, ${src}
      SYSCALL SYS_REPLYRECV
      la t2, rets
      slli t3, s1, 2
      add t2, t2, t3
      sw a0, 0(t2)
      addi s1, s1, 1
      li t1, ${rounds}
      blt s1, t1, 1b
      PARK
      .data
  served: .word 7, 7, 7, 7
  rets: .word 7, 7, 7, 7
  msg: .space 64
  `;
    const client = (serverSlot: number, value: number): string => `
      .globl _start
  _start:
      SETW msg, M_TYPE, 5
      SETW msg, P0, ${value}
      li a0, ${ep(serverSlot)}
      la a1, msg
      SYSCALL SYS_SENDREC
      SAVE res
      PARK
      .data
  res: .word 0x7777
  msg: .space 64
  `;

    it('replies to one client and takes the next waiting request in the same call', () => {
      const s = boot([
        { name: 'c1', src: client(2, 100), priority: 1, targets: ['server'] },
        { name: 'c2', src: client(2, 200), priority: 2, targets: ['server'] },
        { name: 'server', src: server(3), priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      for (const [c, v] of [['c1', 101], ['c2', 201]] as const) {
        expect(s.word(c, 'res')).toBe(0);
        const m = s.msg(c, 'msg');
        expect([m.source, m.type, m.p[0]]).toEqual([ep(2), 0x77, v]);
      }
      // Round 0 replied to c1 and received c2's request; round 1 replied to c2
      // and is still waiting for a third request (its result not yet written).
      expect([0, 1].map((i) => s.word('server', 'served', i))).toEqual([ep(0), ep(1)]);
      expect(s.word('server', 'rets', 0)).toBe(0);
      expect(s.word('server', 'rets', 1)).toBe(7);
      expect(s.proc('server').state).toBe(STATE.RECEIVING);
    });

    it('a reply to a process not waiting for it fails with ENOTREADY and receives nothing', () => {
      // c1 sends with plain send (it is not waiting for a reply); the server's
      // replyrecv must not block or take c2's waiting request.
      const c1 = sender('SYS_SEND', ep(2), 9);
      const s = boot([
        { name: 'c1', src: c1, priority: 1, targets: ['server'] },
        { name: 'c2', src: client(2, 300), priority: 2, targets: ['server'] },
        { name: 'server', src: server(2), priority: 3, targets: ['c1'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('server', 'rets', 0)).toBe(E('ENOTREADY'));
      // The next round served c1 again (its buffer: a reply attempt to c1, not c2),
      // so c2's request was never taken: c2 still waits in sendrec.
      expect(s.word('server', 'served', 1)).toBe(ep(0));
      expect(s.word('c2', 'res')).toBe(0x7777);
      expect(s.proc('c2').state).toBe(STATE.SENDING);
    });

    it('a reply to a dead endpoint fails with EDEADSRCDST and receives nothing', () => {
      const s = boot([
        { name: 'c2', src: client(1, 1), priority: 2, targets: ['server'] },
        { name: 'server', src: `
      .globl _start
  _start:
      li a0, ${ep(5, 3)}
      la a1, msg
      li a2, ANY
      SYSCALL SYS_REPLYRECV
      SAVE res
      PARK
      .data
  res: .word 7
  msg: .space 64
  `, priority: 1 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('server', 'res')).toBe(E('EDEADSRCDST'));
      expect(s.proc('c2').state).toBe(STATE.SENDING);
    });

    it('receives only from the source it names', () => {
      const s = boot([
        { name: 'c1', src: client(3, 10), priority: 1, targets: ['server'] },
        { name: 'c2', src: client(3, 20), priority: 2, targets: ['server'] },
        { name: 'c3', src: client(3, 30), priority: 2, targets: ['server'] },
        { name: 'server', src: server(2, String(ep(2))), priority: 4 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([0, 1].map((i) => s.word('server', 'served', i))).toEqual([ep(0), ep(2)]);
      expect(s.word('c2', 'res')).toBe(0x7777);
      expect(s.word('c3', 'res')).toBe(0);
    });
  });

  describe('IPC: message buffers', () => {
    it('a send from an unmapped page (page 0, or never mapped) fails with EFAULT; the receiver is unaffected', () => {
      const a = `
      .globl _start
  _start:
      li a0, ${ep(1)}
      li a1, 0
      SYSCALL SYS_SEND
      SAVE res
      li a0, ${ep(1)}
      li a1, 0x40000000
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 4(t0)
      li a0, ${ep(1)}
      li a1, 0x40000000
      SYSCALL SYS_SENDREC
      la t0, res
      sw a0, 8(t0)
      li a0, ${ep(1)}
      la a1, good
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 12(t0)
      PARK
      .data
  res: .word 7, 7, 7, 7
  good: .word 0, 0x600d
      .space 56
  `;
      const s = boot([
        { name: 'a', src: a, priority: 2, targets: ['r'] },
        { name: 'r', src: recorder(1), priority: 1 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2].map((i) => s.word('a', 'res', i))).toEqual(Array(3).fill(E('EFAULT')));
      expect(s.word('a', 'res', 3)).toBe(0);
      const m = s.msg('r', 'records');
      expect([m.ret, m.source, m.type]).toEqual([0, ep(0), 0x600d]);
      expect(s.word('r', 'count')).toBe(1);
    });

    it('a receive into an unmapped or read-only buffer fails with EFAULT; the waiting sender is unaffected', () => {
      const r = `
      .globl _start
  _start:
      li a0, ANY
      li a1, 0x40000000
      SYSCALL SYS_RECEIVE
      SAVE res
      li a0, ANY
      la a1, _start
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 4(t0)
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 8(t0)
      PARK
      .data
  res: .word 7, 7, 7
  msg: .space 64
  `;
      const s = boot([
        { name: 's', src: sender('SYS_SEND', ep(1), 0x31), priority: 1, targets: ['r'] },
        { name: 'r', src: r, priority: 2 },
      ]);
      const text = s.peek('r', '_start', 64)!;
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2].map((i) => s.word('r', 'res', i))).toEqual([E('EFAULT'), E('EFAULT'), 0]);
      expect(s.peek('r', '_start', 64)).toEqual(text);
      expect([s.msg('r', 'msg').source, s.msg('r', 'msg').type]).toEqual([ep(0), 0x31]);
      expect(s.word('s', 'res')).toBe(0);
    });

    it('a send from read-only text is allowed: the sender can read it', () => {
      const a = `
      .globl _start
  _start:
      li a0, ${ep(1)}
      la a1, ro
      SYSCALL SYS_SEND
      SAVE res
      PARK
      .balign 4
  ro: .word 0, 0x7e7e, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
      .data
  res: .word 7
  `;
      const s = boot([
        { name: 'a', src: a, priority: 2, targets: ['r'] },
        { name: 'r', src: recorder(1), priority: 1 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('a', 'res')).toBe(0);
      const m = s.msg('r', 'records');
      expect([m.source, m.type, m.p[0], m.p[13]]).toEqual([ep(0), 0x7e7e, 1, 14]);
    });

    it('a buffer spanning two mapped pages works both ways', () => {
      const a = `
      .globl _start
  _start:
      SETW span, M_TYPE, 0x5a
      SETW span, P13, 0xe0e0
      li a0, ${ep(1)}
      la a1, span
      SYSCALL SYS_SEND
      SAVE res
      PARK
      .data
  res: .word 7
      .balign 4096
      .space 4096 - 32
  span: .space 64
      .space 64
  `;
      const r = `
      .globl _start
  _start:
      li a0, ANY
      la a1, span
      SYSCALL SYS_RECEIVE
      SAVE res
      PARK
      .data
  res: .word 7
      .balign 4096
      .space 4096 - 20
  span: .space 64
      .space 64
  `;
      const s = boot([
        { name: 'a', src: a, priority: 2, targets: ['r'] },
        { name: 'r', src: r, priority: 1 },
      ]);
      expect((s.sym('a', 'span') + 32) % 4096).toBe(0);
      expect((s.sym('r', 'span') + 20) % 4096).toBe(0);
      expect(s.run().kind).toBe('idle');
      expect(s.word('a', 'res')).toBe(0);
      expect(s.word('r', 'res')).toBe(0);
      const m = s.msg('r', 'span');
      expect([m.source, m.type, m.p[13]]).toEqual([ep(0), 0x5a, 0xe0e0]);
    });

    it('a buffer running off the end of mapped memory fails with EFAULT and writes nothing', () => {
      const a = `
      .globl _start
  _start:
      li a0, ${ep(1)}
      la a1, tail
      SYSCALL SYS_SEND
      SAVE res
      li a0, ${ep(1)}
      la a1, good
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  good: .word 0, 0x600d
      .space 56
      .balign 4096
      .space 4096 - 32
  tail: .space 32
  `;
      const r = `
      .globl _start
  _start:
      li a0, ANY
      la a1, tail
      SYSCALL SYS_RECEIVE
      SAVE res
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  msg: .space 64
      .balign 4096
      .space 4096 - 32
  tail: .fill 32, 1, 0xcc
  `;
      const s = boot([
        { name: 'a', src: a, priority: 1, targets: ['r'] },
        { name: 'r', src: r, priority: 2 },
      ]);
      // Nothing is mapped after either program's last data page.
      expect(s.peek('a', s.sym('a', 'tail') + 32, 1)).toBeUndefined();
      expect(s.peek('r', s.sym('r', 'tail') + 32, 1)).toBeUndefined();
      expect(s.run().kind).toBe('idle');
      expect(s.word('a', 'res', 0)).toBe(E('EFAULT'));
      expect(s.word('a', 'res', 1)).toBe(0);
      expect(s.word('r', 'res', 0)).toBe(E('EFAULT'));
      expect(s.word('r', 'res', 1)).toBe(0);
      expect([...s.peek('r', 'tail', 32)!]).toEqual(Array(32).fill(0xcc));
      expect(s.msg('r', 'msg').type).toBe(0x600d);
    });

    // A buffer at 0xfffffffc..0x3b spans the top page and page 0, neither of
    // them mapped: EFAULT. (The send path once handed the signed register
    // value -4 to TsCopy.check, whose range test let it through and the
    // receiver got its own stale buffer with a 0 result.)
    it('a send buffer wrapping from the top of the address space to page 0 fails with EFAULT', () => {
      const a = `
      .globl _start
  _start:
      li a0, ${ep(1)}
      li a1, -4
      SYSCALL SYS_SEND
      SAVE res
      li a0, ${ep(1)}
      la a1, good
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  good: .word 0, 0x600d
      .space 56
  `;
      const s = boot([
        { name: 'a', src: a, priority: 2, targets: ['r'] },
        { name: 'r', src: recorder(1), priority: 1 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('a', 'res', 0)).toBe(E('EFAULT'));
      expect(s.word('a', 'res', 1)).toBe(0);
      expect(s.msg('r', 'records').type).toBe(0x600d);
    });

    // docs/kernel.md: the stack is mapped on first touch, and only a buffer
    // "the process could not read (send) or write (receive) itself" fails with
    // EFAULT. A process can write its own untouched stack page, so a message
    // there must work.
    // (A regression test: the kernel once got this wrong.)
    it('a message on a stack page not yet touched is received (the stack is mapped on first touch)', () => {
      const r = `
      .globl _start
  _start:
      li sp, 0x80000000 - 64
      li a0, ANY
      mv a1, sp
      SYSCALL SYS_RECEIVE
      SAVE res
      PARK
      .data
  res: .word 7
  `;
      const s = boot([
        { name: 'r', src: r, priority: 1 },
        { name: 'a', src: sender('SYS_SEND', ep(0), 0x57), priority: 2, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('r', 'res')).toBe(0);
      expect(s.word('r', 0x80000000 - 64 + 4)).toBe(0x57);
      expect(s.word('a', 'res')).toBe(0);
    });

    // A sender's buffer that disappears while it waits (another process's
    // VMCTL unmapped it) is the sender's problem: it gets EFAULT and the
    // receiver "is unaffected".
    // (A regression test: the kernel once got this wrong.)
    it('a queued sender whose buffer was unmapped gets EFAULT; the receiver gets the next real message', () => {
      const s0 = `
      .globl _start
  _start:
      SETW smsg, M_TYPE, 0x66
      li a0, ${ep(2)}
      la a1, smsg
      SYSCALL SYS_SEND
      SAVE res
      PARK
      .data
  res: .word 7
      .balign 4096
  smsg: .space 64
  `;
      const vm = `
      .globl _start
  _start:
      SETW km, M_TYPE, K_VMCTL
      SETW km, P0, 2
      SETW km, P1, ${ep(0)}
      la t0, km
      li t1, %SMSG%
      sw t1, P2(t0)
      SETW km, P3, 4096
      KCALL km
      SAVE res
      PARK
      .data
  res: .word 7
  km: .space 64
  `;
      const smsg = buildProgram(s0, 's').symbols.get('smsg')!;
      const s = boot([
        { name: 's', src: s0, priority: 1, targets: ['r'] },
        { name: 'vm', src: vm.replace('%SMSG%', String(smsg)), priority: 2, kcalls: ['vmctl'] },
        { name: 'r', src: recorder(1), priority: 3 },
        { name: 'g', src: sender('SYS_SEND', ep(2), 0x99), priority: 4, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('vm', 'res')).toBe(0);
      expect(s.word('vm', 'km', 1)).toBe(0);
      expect(s.word('s', 'res')).toBe(E('EFAULT'));
      const m = s.msg('r', 'records');
      expect([m.ret, m.source, m.type]).toEqual([0, ep(3), 0x99]);
    });
  });

  describe('IPC: a receive buffer that vanished while its owner waited', () => {
    // r waits in receive(ANY) with its buffer on a page of its own; vm (VMCTL)
    // unmaps that page; then something arrives for r. r's buffer is bad, so r
    // gets EFAULT; "the other side is unaffected": the message, or the
    // notification, must still be there for r's next receive into a good buffer.
    const r = `
      .globl _start
  _start:
      li a0, ANY
      la a1, gone
      SYSCALL SYS_RECEIVE
      SAVE res
      li a0, ANY
      la a1, good
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  good: .space 64
      .balign 4096
  gone: .space 64
  `;
    const gone = buildProgram(r, 'r').symbols.get('gone')!;
    const vm = kcallProgram([{ type: 'K_VMCTL', args: [2, ep(0), gone, 4096, 0] }]);
    const notifier = `
      .globl _start
  _start:
      li a0, ${ep(0)}
      SYSCALL SYS_NOTIFY
      SAVE res
      PARK
      .data
  res: .word 7
  `;

    it('a message waits for the next receive', () => {
      const s = boot([
        { name: 'r', src: r, priority: 1 },
        { name: 'vm', src: vm, priority: 2, kcalls: ['vmctl'] },
        { name: 's', src: sender('SYS_SEND', ep(0), 0x77), priority: 3, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('vm', 'kmsg').type).toBe(0);
      expect([s.word('r', 'res', 0), s.word('r', 'res', 1)]).toEqual([E('EFAULT'), 0]);
      expect([s.msg('r', 'good').source, s.msg('r', 'good').type]).toEqual([ep(2), 0x77]);
      expect(s.word('s', 'res')).toBe(0);
    });

    // (A regression test: the kernel once got this wrong.)
    it('a notification stays pending for the next receive', () => {
      const s = boot([
        { name: 'r', src: r, priority: 1 },
        { name: 'vm', src: vm, priority: 2, kcalls: ['vmctl'] },
        { name: 'n', src: notifier, priority: 3, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('vm', 'kmsg').type).toBe(0);
      expect(s.word('n', 'res')).toBe(0);
      expect(s.word('r', 'res', 0)).toBe(E('EFAULT'));
      expect(s.word('r', 'res', 1)).toBe(0);
      expect([s.msg('r', 'good').source, s.msg('r', 'good').type]).toEqual([ep(2), NOTIFY_MESSAGE]);
    });
  });

  describe('IPC: what PM receives first', () => {
    it('a kernel message (a signal) comes before a pending notification and an older sender', () => {
      const notifier = `
      .globl _start
  _start:
      li a0, ${ep(0)}
      SYSCALL SYS_NOTIFY
      PARK
  `;
      const s = boot([
        { name: 'pm', src: `    .globl _start\n_start:\n    li t0, 3000\n1:  addi t0, t0, -1\n    bnez t0, 1b\n` +
          recorder(3).replace('.globl _start', '').replace('_start:', ''), pm: true, priority: 3 },
        { name: 'sender', src: sender('SYS_SEND', ep(0), 0x51), priority: 0, targets: ['pm'] },
        { name: 'notifier', src: notifier, priority: 1, targets: ['pm'] },
        { name: 'culprit', src: '    .globl _start\n_start:\n    ebreak\n', priority: 2 },
      ]);
      expect(s.run().kind).toBe('idle');
      const got = [0, 1, 2].map((i) => s.msg('pm', 'records', i)).map((m) => [m.source, m.type]);
      expect(got).toEqual([[ENDPOINT.KERNEL, 0x1001], [ep(2), NOTIFY_MESSAGE], [ep(1), 0x51]]);
    });
  });

  describe('IPC: the 64-byte message', () => {
    it('the layout constants: m_source at 0, m_type at 4, 56 bytes of payload', () => {
      expect(MESSAGE).toMatchObject({ size: 64, m_source: 0, m_type: 4, payload: 8, payloadSize: 56 });
      expect(ENDPOINT).toMatchObject({ SYSTEM: -2, CLOCK: -3, HARDWARE: -4, KERNEL: -5 });
    });

    it('exactly 64 bytes move: all of them arrive, the bytes after the buffer stay as they were', () => {
      // The sender's message is the last 64 bytes of its mapped memory, so a
      // 65th byte could not be read; the receiver's buffer has a sentinel after it.
      const a = `
      .globl _start
  _start:
      la t0, last
      li t1, 0
  1:  add t2, t0, t1
      addi t3, t1, 0x40
      sb t3, 0(t2)
      addi t1, t1, 1
      li t4, 64
      blt t1, t4, 1b
      li a0, ${ep(1)}
      la a1, last
      SYSCALL SYS_SEND
      SAVE res
      PARK
      .data
  res: .word 7
      .balign 4096
      .space 4096 - 64
  last: .space 64
  `;
      const r = `
      .globl _start
  _start:
      li a0, ANY
      la a1, buf
      SYSCALL SYS_RECEIVE
      SAVE res
      PARK
      .data
  res: .word 7
  buf: .space 64
  after: .fill 64, 1, 0xcc
  `;
      const s = boot([
        { name: 'a', src: a, priority: 2, targets: ['r'] },
        { name: 'r', src: r, priority: 1 },
      ]);
      expect(s.peek('a', s.sym('a', 'last') + 64, 1)).toBeUndefined();
      expect(s.run().kind).toBe('idle');
      expect(s.word('a', 'res')).toBe(0);
      expect(s.word('r', 'res')).toBe(0);
      const got = s.peek('r', 'buf', 128)!;
      const want = Array.from({ length: 64 }, (_, i) => 0x40 + i);
      want.splice(0, 4, ...new Uint8Array(Int32Array.of(ep(0)).buffer)); // m_source, written by the kernel
      expect([...got.subarray(0, 64)]).toEqual(want);
      expect([...got.subarray(64)]).toEqual(Array(64).fill(0xcc));
    });

    it('a receive buffer that is the last 64 bytes of mapped memory works', () => {
      const r = `
      .globl _start
  _start:
      li a0, ANY
      la a1, last
      SYSCALL SYS_RECEIVE
      SAVE res
      PARK
      .data
  res: .word 7
      .balign 4096
      .space 4096 - 64
  last: .space 64
  `;
      const s = boot([
        { name: 'r', src: r, priority: 1 },
        { name: 'a', src: sender('SYS_SEND', ep(0), 0x64, 0x2000), priority: 2, targets: ['r'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('r', 'res')).toBe(0);
      const m = s.msg('r', 'last');
      expect([m.source, m.type]).toEqual([ep(1), 0x64]);
      expect(m.p).toEqual(payload(0x2000));
    });
  });
});
