// The IPC fast path (kernel.ts fastIpc) must be invisible: the same system
// run with it and without it (KernelOptions.fastPath false) ends in the same
// state, instruction for instruction: every process's memory, its retired
// instructions, the kernel's log and the clock. The mixes below make the
// fast path apply to some calls and refuse others (a receiver at a lower
// priority than someone runnable, a server with a notification or a second
// client waiting, a receive buffer the kernel has not seen yet), so both
// paths and the hand-over between them are exercised. Then the cases where
// it must stand aside, one by one, with the fast-path counter as witness.

import { describe, it, expect } from 'vitest';
import { engineNames } from '../../kernel/engines.ts';
import { boot, ep, type System } from './util.ts';
import type { Program } from './harness.ts';

/** Slot 0: replyrecv server; each reply carries a serial number (so the order of service shows in the clients' logs). */
const server = (prio: number): Program => ({ name: 'server', priority: prio, targets: 'any', src: `
    .globl _start
_start:
    li s0, 0
    li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
1:  la t0, msg
    lw t1, 0(t0)            # m_source
    lw t2, 4(t0)
    li t3, NOTIFY_MESSAGE
    beq t2, t3, 2f          # a notification: count it, no reply
    addi s0, s0, 1
    sw s0, 8(t0)
    mv a0, t1
    la a1, msg
    li a2, ANY
    SYSCALL SYS_REPLYRECV
    j 1b
2:  la t4, notes
    lw t5, 0(t4)
    addi t5, t5, 1
    sw t5, 0(t4)
    li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
    j 1b
    .data
    .balign 64
msg: .space 64
notes: .word 0
` });

/** A client: `rounds` sendrecs to the server, logging each reply's serial; every `every` rounds it notifies the server and spins a while. */
const client = (name: string, prio: number, rounds: number, every: number): Program => ({ name, priority: prio, targets: ['server'], src: `
    .globl _start
_start:
    li s0, 0
    li s1, ${rounds}
1:  la t0, msg
    sw s0, 4(t0)
    li a0, ${ep(0)}
    la a1, msg
    SYSCALL SYS_SENDREC
    bnez a0, 9f
    la t0, msg
    lw t1, 8(t0)
    la t2, log
    slli t3, s0, 2
    add t2, t2, t3
    sw t1, 0(t2)
    addi s0, s0, 1
    li t4, ${every}
    rem t5, s0, t4
    bnez t5, 3f
    li a0, ${ep(0)}
    SYSCALL SYS_NOTIFY
    li t6, 300
2:  addi t6, t6, -1
    bnez t6, 2b
3:  blt s0, s1, 1b
    EXIT 0
9:  EXIT 1
    .data
    .balign 64
msg: .space 64
log: .space ${4 * rounds}
` });

interface Outcome { log: string[]; instret: Record<string, number>; mtime: number; notes: number; logs: Record<string, number[]>; fast: number }

function outcome(s: System, names: string[], rounds: number): Outcome {
  const instret: Record<string, number> = {};
  for (const p of s.kernel.procs.procs) if (p.name) instret[`${p.slot}:${p.name}`] = p.instret;
  const logs: Record<string, number[]> = {};
  for (const n of names) {
    try { logs[n] = Array.from({ length: rounds }, (_, i) => s.word(n, 'log', i)); } catch { logs[n] = []; }
  }
  return { log: [...s.kernel.log], instret, mtime: s.board.mtime(), notes: s.word('server', 'notes'), logs, fast: s.kernel.fastIpcs };
}

describe.each(engineNames)('%s engine', (engine) => {
  const mixes: [string, Program[], string[]][] = [
    ['one client, preempted often', [server(5), client('a', 5, 80, 9)], ['a']],
    ['server above its clients', [server(3), client('a', 5, 60, 7), client('b', 5, 60, 11)], ['a', 'b']],
    ['server below its clients', [server(6), client('a', 4, 60, 5), client('b', 5, 60, 9)], ['a', 'b']],
    ['all at one priority', [server(5), client('a', 5, 80, 13), client('b', 5, 80, 3), client('c', 5, 40, 17)], ['a', 'b', 'c']],
  ];

  for (const [what, progs, clients] of mixes) {
    it(`${what}: the same end state with the fast path and without`, () => {
      const run = (fastPath: boolean): Outcome => {
        const s = boot(progs, { engine, fastPath, quantum: 2_000 });
        const r = s.run(5_000_000);
        expect(r.kind).toBe('idle'); // the server waits for good once the clients have exited
        return outcome(s, clients, 80);
      };
      const slow = run(false), fast = run(true);
      expect(slow.fast).toBe(0);
      expect(fast.fast, 'the fast path took some calls').toBeGreaterThan(0);
      for (const c of clients) expect(fast.log).toContain(`exit ${c} 0`);
      expect(fast.notes).toBeGreaterThan(0);
      expect({ ...fast, fast: 0 }).toEqual({ ...slow, fast: 0 });
    });
  }

  /** One sendrec from 'c' to a server waiting in receive: did the fast path take it? */
  const oneCall = (progs: Program[]): { fast: number; s: System } => {
    const s = boot(progs, { engine });
    s.run(200_000);
    return { fast: s.kernel.fastIpcs, s };
  };
  const waiter = `
    .globl _start
_start:
    li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
    PARK
    .data
msg: .space 64
`;
  const caller = (extra = '') => `
    .globl _start
_start:
${extra}
    li a0, ${ep(0)}
    la a1, msg
    SYSCALL SYS_SENDREC
    PARK
    .data
msg: .space 64
`;

  it('takes a sendrec to a waiting receiver of the same priority', () => {
    expect(oneCall([{ name: 'w', priority: 5, src: waiter }, { name: 'c', priority: 5, targets: ['w'], src: caller() }]).fast).toBe(1);
  });

  it('stands aside when another process would run before the receiver', () => {
    const spinner = { name: 'spin', priority: 5, src: 'li t0, 20000\n1: addi t0, t0, -1\n bnez t0, 1b\n PARK' };
    const r = oneCall([{ name: 'w', priority: 6, src: waiter }, { name: 'c', priority: 5, targets: ['w'], src: caller() }, spinner]);
    expect(r.fast).toBe(0);
    expect(r.s.proc('w').instret, 'the receiver still got its message').toBeGreaterThan(0);
  });

  it('stands aside when the caller may not send to the receiver (and the general path refuses it)', () => {
    const r = oneCall([{ name: 'w', priority: 5, src: waiter }, { name: 'c', priority: 5, src: caller() }]);
    expect(r.fast).toBe(0);
  });

  it('stands aside when the message cannot be read, and the general path reports EFAULT', () => {
    const bad = `
    .globl _start
_start:
    li a0, ${ep(0)}
    li a1, 0x40000000
    SYSCALL SYS_SENDREC
    la t0, res
    sw a0, 0(t0)
    PARK
    .data
res: .word 7
`;
    const r = oneCall([{ name: 'w', priority: 5, src: waiter }, { name: 'c', priority: 5, targets: ['w'], src: bad }]);
    expect(r.fast).toBe(0);
    expect(r.s.word('c', 'res')).toBe(-14);
  });
});
