// Scheduling (docs/kernel.md, "Scheduling"): round robin within a
// priority, preemption at the end of a quantum by the CLINT's own timer
// interrupt (a busy loop never traps, so nothing else could take the hart
// back), a higher priority running as soon as it is runnable, alarms that
// fire on time as CLOCK notifications, and an idle machine that
// fast-forwards to the next timer event instead of executing anything.

import { describe, it, expect } from 'vitest';
import { boot, kcallProgram, recorder, ep } from './util.ts';
import { NOTIFY_MESSAGE, ENDPOINT } from '../../kernel/abi.ts';

const SELF = 0x8ace;

/** A busy loop that counts in `counter` and never traps. */
const counter = `
    .globl _start
_start:
    la t0, counter
1:  lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
    j 1b
    .data
counter: .word 0
`;

/** Receive CLOCK's notification into `note` after setting an alarm `ticks` ahead; then `then`. */
const alarmed = (ticks: number, then = ''): string => kcallProgram([
  { type: 'K_TIMES', args: [SELF] },
  { type: 'K_SETALARM', args: [ticks], after: '    li a0, CLOCK\n    la a1, note\n    SYSCALL SYS_RECEIVE\n    SAVE nret' },
  { type: 'K_TIMES', args: [SELF], after: then },
], { data: 'note: .space 64\nnret: .word 7' });

describe('scheduling', () => {
  it('a busy loop cannot starve another process of its priority', () => {
    const worker = `
    .globl _start
_start:
    li t0, 50000
1:  addi t0, t0, -1
    bnez t0, 1b
    SETW done, 0, 1
    PARK
    .data
done: .word 0
`;
    const s = boot([
      { name: 'hog', src: counter },
      { name: 'worker', src: worker },
    ]);
    expect(s.run(2_000_000).kind).toBe('limit');
    expect(s.word('worker', 'done')).toBe(1);
    expect(s.word('hog', 'counter')).toBeGreaterThan(0);
  });

  it('two busy loops of one priority share the hart evenly (round robin)', () => {
    const s = boot([{ name: 'a', src: counter }, { name: 'b', src: counter }]);
    s.run(4_000_000);
    const a = s.word('a', 'counter'), b = s.word('b', 'counter');
    expect(a + b).toBeGreaterThan(900_000); // 4 instructions an iteration: the kernel costs little
    expect(a / b).toBeGreaterThan(0.8);
    expect(a / b).toBeLessThan(1.25);
  });

  it('the quantum is 10,000 ticks (about 100,000 instructions) unless the kernel is told otherwise', () => {
    const two = [{ name: 'a', src: counter }, { name: 'b', src: counter }];
    const d = boot(two);
    d.run(60_000);
    expect(d.word('a', 'counter')).toBeGreaterThan(0);
    expect(d.word('b', 'counter')).toBe(0); // a's first quantum is not over
    d.run(100_000);
    expect(d.word('b', 'counter')).toBeGreaterThan(0);
    const q = boot(two, { quantum: 1000 }); // 0.1 ms, about 10,000 instructions
    q.run(60_000);
    expect(q.word('a', 'counter')).toBeGreaterThan(0);
    expect(q.word('b', 'counter')).toBeGreaterThan(0);
  });

  it('a process of higher priority runs as soon as its alarm makes it runnable, busy loop or not', () => {
    const s = boot([
      { name: 'hog', src: counter, priority: 7 },
      { name: 'waiter', src: alarmed(30_000), priority: 2, kcalls: ['setalarm', 'times'] },
    ]);
    s.run(2_000_000);
    const t0 = s.msg('waiter', 'kmsg', 0).p[2];
    const note = s.msg('waiter', 'note');
    expect([s.word('waiter', 'nret'), note.source, note.type]).toEqual([0, ENDPOINT.CLOCK, NOTIFY_MESSAGE]);
    const woke = s.msg('waiter', 'kmsg', 2).p[2];
    expect(woke).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(woke - (t0 + 30_000)).toBeLessThan(50); // not a quantum (10,000 ticks) late
    expect(s.word('hog', 'counter')).toBeGreaterThan(0);
  });

  it('alarms fire in deadline order, each no earlier than set, while the hart is busy', () => {
    const report = (tag: number): string => `
    SETW rep, M_TYPE, ${tag}
    li a0, ${ep(0)}
    la a1, rep
    SYSCALL SYS_SEND
    PARK
    .data
rep: .space 64
    .text`;
    const k = ['setalarm', 'times'];
    const s = boot([
      { name: 'log', src: recorder(3), priority: 0 },
      { name: 'a', src: alarmed(10_000, report(0xa)), priority: 3, kcalls: k, targets: ['log'] },
      { name: 'b', src: alarmed(30_000, report(0xb)), priority: 3, kcalls: k, targets: ['log'] },
      { name: 'c', src: alarmed(20_000, report(0xc)), priority: 3, kcalls: k, targets: ['log'] },
      { name: 'hog', src: counter, priority: 5 },
    ]);
    s.run(1_000_000);
    expect([0, 1, 2].map((i) => s.msg('log', 'records', i).type)).toEqual([0xa, 0xc, 0xb]);
    for (const [name, ticks] of [['a', 10_000], ['b', 30_000], ['c', 20_000]] as const) {
      const t0 = s.msg(name, 'kmsg', 0).p[2];
      const fired = s.msg(name, 'note').p[1];
      expect(fired).toBeGreaterThanOrEqual(t0 + ticks);
      expect(fired - (t0 + ticks)).toBeLessThan(50);
    }
  });

  it('an idle system fast-forwards to the next alarm instead of executing', () => {
    const s = boot([{ name: 'sleeper', src: alarmed(10_000_000), kcalls: ['setalarm', 'times'] }]);
    const r = s.run(1_000_000); // far fewer instructions than a second of machine time
    expect(r.kind).toBe('idle');
    expect(s.msg('sleeper', 'note').type).toBe(NOTIFY_MESSAGE);
    expect(s.board.mtime()).toBeGreaterThanOrEqual(10_000_000);
    expect(s.board.hart.retired).toBeLessThan(1000);
  });

  it('with nothing runnable and no alarm the machine is idle at once', () => {
    const s = boot([{ name: 'a', src: recorder(1) }, { name: 'b', src: recorder(1) }]);
    expect(s.run(1_000_000).kind).toBe('idle');
    expect(s.board.hart.retired).toBeLessThan(100);
  });
});
