// Faults (docs/kernel.md, "Faults"): each kind of fault a user program can
// cause (illegal instruction, breakpoint, page faults on load, store and
// fetch, misaligned fetch and atomics, running off the stack, touching the
// heap above the break, an access fault on a device hole, a wasm trap
// reported by SYS_TRAP) stops the culprit, is reported to PM as a
// SIGNAL_MESSAGE from KERNEL (p0 process, p1 signal, p2 cause, p3 tval,
// p4 pc) and logged, and every other process keeps running. Without a PM
// the culprit is ended. Hostile arguments to every call never make the
// kernel throw.

import { describe, it, expect } from 'vitest';
import { boot, kcallProgram, recorder, ep } from './util.ts';
import { STATE } from '../../kernel/proc.ts';
import { SIGNAL_MESSAGE, ENDPOINT, SIG, KCALL, LAYOUT } from '../../kernel/abi.ts';

/** A culprit: `code` with the faulting instruction at `hit`; `survived` is set if it ever gets past it. */
const culprit = (code: string, data = ''): string => `
    .globl _start
_start:
${code}
    SETW survived, 0, 1
    PARK
    .balign 4
target: nop
    .data
survived: .word 0
word: .word 0x01020304, 0x05060708
${data}
`;

/** The bystander counts forever at a lower priority than everyone else. */
const bystander = `
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

interface Kind { name: string; code: string; sig: number | number[]; cause: number; tval?: (at: (l: string) => number) => number; pc?: (at: (l: string) => number) => number; extra?: object }

const HOLE = 0x20000000; // no device decodes it

const KINDS: Kind[] = [
  { name: 'illegal', code: 'hit: csrw cycle, zero', sig: SIG.SIGILL, cause: 2 },
  { name: 'ebreak', code: 'hit: ebreak', sig: SIG.SIGTRAP, cause: 3 },
  { name: 'load', code: '    li t0, 0x40000000\nhit: lw t1, 0(t0)', sig: SIG.SIGSEGV, cause: 13, tval: () => 0x40000000 },
  { name: 'nullptr', code: 'hit: lw t1, 8(zero)', sig: SIG.SIGSEGV, cause: 13, tval: () => 8 },
  { name: 'store-text', code: '    la t0, target\nhit: sw zero, 0(t0)', sig: SIG.SIGSEGV, cause: 15, tval: (at) => at('target') },
  { name: 'fetch', code: '    li t0, 0x40000000\nhit: jr t0', sig: SIG.SIGSEGV, cause: 12, tval: () => 0x40000000, pc: () => 0x40000000 },
  { name: 'fetch-data', code: '    la t0, word\nhit: jr t0', sig: SIG.SIGSEGV, cause: 12, tval: (at) => at('word'), pc: (at) => at('word') },
  { name: 'misfetch', code: '    la t0, target\n    addi t0, t0, 2\nhit: jr t0', sig: SIG.SIGBUS, cause: 0, tval: (at) => at('target') + 2 },
  { name: 'mis-lr', code: '    la t0, word\n    addi t0, t0, 2\nhit: lr.w t1, (t0)', sig: SIG.SIGBUS, cause: 4, tval: (at) => at('word') + 2 },
  { name: 'mis-amo', code: '    la t0, word\n    addi t0, t0, 1\nhit: amoadd.w t1, t1, (t0)', sig: SIG.SIGBUS, cause: 6, tval: (at) => at('word') + 1 },
  { name: 'stack-guard', code: `    li t0, ${LAYOUT.stackTop - LAYOUT.stackSize - 4}\nhit: sw zero, 0(t0)`, sig: SIG.SIGSEGV, cause: 15, tval: () => LAYOUT.stackTop - LAYOUT.stackSize - 4 },
  { name: 'above-brk', code: `    li a0, 0\n    SYSCALL SYS_BRK\n    mv t0, a0\nhit: sw zero, 0(t0)`, sig: SIG.SIGSEGV, cause: 15, tval: (at) => Math.ceil((at('word') + 8) / 4096) * 4096 },
  { name: 'hole', code: kcallProgram([{ type: 'K_DEVMAP', args: [HOLE, 4096, 0x40000000] }]).replace(/[\s\S]*_start:\n/, '').replace(/\n\s*PARK[\s\S]*/, '') +
      '\n    li t0, 0x40000000\nhit: lw t1, 0(t0)', sig: [SIG.SIGSEGV, SIG.SIGBUS], cause: 5, tval: () => 0x40000000,
    extra: { kcalls: ['devmap'], mmio: [{ base: HOLE, size: 4096 }] } },
];

describe('faults', () => {
  it('each kind stops the culprit and PM hears p0 process, p1 signal, p2 cause, p3 tval, p4 pc; the rest keep running', () => {
    const s = boot([
      { name: 'pm', src: recorder(KINDS.length + 1), pm: true, priority: 0 },
      { name: 'bystander', src: bystander, priority: 9 },
      ...KINDS.map((k) => ({ name: k.name, src: culprit(k.code, k.name === 'hole' ? 'kmsg: .space 64\nrets: .word 0' : ''), priority: 3, ...k.extra })),
    ]);
    s.run(500_000);
    const count0 = s.word('bystander', 'counter');
    expect(s.word('pm', 'count')).toBe(KINDS.length);
    const heard = new Map<number, number[]>();
    for (let i = 0; i < KINDS.length; i++) {
      const m = s.msg('pm', 'records', i);
      expect([m.ret, m.source, m.type]).toEqual([0, ENDPOINT.KERNEL, SIGNAL_MESSAGE]);
      heard.set(m.p[0], [m.p[1], m.p[2], m.p[3] >>> 0, m.p[4] >>> 0]);
    }
    KINDS.forEach((k, i) => {
      const who = ep(2 + i);
      const at = (l: string): number => s.sym(k.name, l);
      const [sig, cause, tval, pc] = heard.get(who)!;
      expect([k.name, cause]).toEqual([k.name, k.cause]);
      expect([k.name, (Array.isArray(k.sig) ? k.sig : [k.sig]).includes(sig)]).toEqual([k.name, true]);
      expect([k.name, pc]).toEqual([k.name, k.pc ? k.pc(at) : at('hit')]);
      if (k.tval) expect([k.name, tval]).toEqual([k.name, k.tval(at)]);
      if (k.name === 'illegal') expect(tval).toBe(s.word(k.name, at('hit')) >>> 0); // the instruction
      const p = s.kernel.procs.lookup(who)!;
      expect([k.name, p.state]).toEqual([k.name, STATE.STOPPED]);
      expect([k.name, s.word(k.name, 'survived')]).toEqual([k.name, 0]);
      // The kernel's log line names the process, the pc and the tval.
      const line = s.kernel.log.find((l) => l.includes(k.name) && l.includes(pc.toString(16)));
      expect([k.name, line !== undefined]).toEqual([k.name, true]);
      if (k.tval) expect(line).toContain(tval.toString(16));
    });
    // Nothing stopped runs again; the bystander does.
    s.run(500_000);
    expect(s.word('bystander', 'counter')).toBeGreaterThan(count0 + 50_000);
    KINDS.forEach((k) => expect(s.word(k.name, 'survived')).toBe(0));
    expect(s.word('pm', 'count')).toBe(KINDS.length);
  });

  it('a wasm trap reported by SYS_TRAP stops the program and PM is told', () => {
    const s = boot([
      { name: 'pm', src: recorder(1), pm: true, priority: 0 },
      { name: 'wasm', src: culprit('    li a0, 6\nhit: SYSCALL SYS_TRAP'), priority: 3 },
      { name: 'bystander', src: bystander, priority: 9 },
    ]);
    s.run(200_000);
    const m = s.msg('pm', 'records');
    expect([m.source, m.type, m.p[0]]).toEqual([ENDPOINT.KERNEL, SIGNAL_MESSAGE, ep(1)]);
    expect(Object.values(SIG)).toContain(m.p[1]);
    expect(s.proc('wasm').state).toBe(STATE.STOPPED);
    expect(s.word('wasm', 'survived')).toBe(0);
    expect(s.word('bystander', 'counter')).toBeGreaterThan(0);
  });

  it('the stack grows on touch down to its last page, and the heap up to the break', () => {
    const s = boot([
      { name: 'pm', src: recorder(1), pm: true, priority: 0 },
      { name: 'grower', priority: 3, src: culprit(`
    li t0, ${LAYOUT.stackTop - LAYOUT.stackSize}
    li t1, 0x51
    sw t1, 0(t0)
    li a0, 0
    SYSCALL SYS_BRK
    mv s0, a0
    li t0, 8192
    add a0, s0, t0
    SYSCALL SYS_BRK
    la t0, newbrk
    sw a0, 0(t0)
    li t1, 0x52
    sw t1, 0(s0)
    li t0, 8188
    add t0, s0, t0
    sw t1, 0(t0)
    SETW reached, 0, 1
    li t0, 8192
    add t0, s0, t0
hit: sw t1, 0(t0)`, 'reached: .word 0\nnewbrk: .word 0') },
    ]);
    s.run(200_000);
    expect(s.word('grower', 'reached')).toBe(1);
    expect(s.word('grower', LAYOUT.stackTop - LAYOUT.stackSize)).toBe(0x51);
    const heap = Math.ceil((s.sym('grower', 'newbrk') + 4) / 4096) * 4096;
    expect(s.word('grower', 'newbrk')).toBe(heap + 8192);
    expect(s.word('grower', heap)).toBe(0x52);
    expect(s.word('grower', heap + 8188)).toBe(0x52);
    const m = s.msg('pm', 'records');
    expect([m.p[0], m.p[1], m.p[2], m.p[3]]).toEqual([ep(1), SIG.SIGSEGV, 15, heap + 8192]);
  });

  it('without a PM the culprit is ended and logged; the others keep running', () => {
    const s = boot([
      { name: 'bystander', src: bystander, priority: 9 },
      { name: 'bad', src: culprit('    li t0, 0x40000000\nhit: sw zero, 0(t0)'), priority: 3 },
    ]);
    s.run(200_000);
    expect(s.kernel.procs.lookup(ep(1))).toBeUndefined();
    expect(s.kernel.log.some((l) => l.includes('bad') && l.includes('40000000'))).toBe(true);
    const c = s.word('bystander', 'counter');
    s.run(200_000);
    expect(s.word('bystander', 'counter')).toBeGreaterThan(c);
  });

  it('hostile arguments to every system and kernel call never make the kernel throw', () => {
    // A deterministic stream of nasty values in every argument position. The
    // only living endpoint among them is the fuzzer's own: a send to PM or to
    // the bystander would just block it for good.
    let seed = 0x2545f491;
    const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const nasty = [0, 1, 2, 3, -1, -2, -5, 0x7ace, 0x8ace, 0x6ace, 0x1000, 0x11000, 0x11001, 0x10ffc, 0x7ffffffc,
      0x7ffff000, 0x80000000, 0xfffff000, 0xfffffffc, 0x40000000, 0x7fffffff, 64, 4096, ep(2), ep(3, 5)];
    const pick = (): number => nasty[rnd(nasty.length)];
    const kcalls = Object.values(KCALL).filter((c) => c !== KCALL.EXIT && c !== KCALL.KILL && c !== KCALL.SHUTDOWN && c !== KCALL.PRIVCTL);
    const calls = Array.from({ length: 160 }, () => ({ type: kcalls[rnd(kcalls.length)], args: Array.from({ length: 8 }, pick) }));
    // Raw system calls: everything but receive (which would block for good) and exit.
    const sys = [1, 3, 4, 5, 17, 18, 0, 6, 99, -1];
    const raw = Array.from({ length: 120 }, () => `
    li a7, ${sys[rnd(sys.length)]}
    li a0, ${pick()}
    li a1, ${pick()}
    li a2, ${pick()}
    li a3, ${pick()}
    ecall`).join('');
    const s = boot([
      { name: 'pm', src: recorder(4), pm: true, priority: 0 },
      { name: 'bystander', src: bystander, priority: 9 },
      { name: 'fuzz', src: kcallProgram(calls, { pre: raw, post: 'SETW done, 0, 1\n    PARK', data: 'done: .word 0' }),
        kcalls: 'all', priority: 3, targets: 'any' },
    ], { console: () => {} });
    expect(() => s.run(3_000_000)).not.toThrow();
    expect(s.word('fuzz', 'done')).toBe(1);
    const c = s.word('bystander', 'counter');
    expect(() => s.run(300_000)).not.toThrow();
    expect(s.word('bystander', 'counter')).toBeGreaterThan(c);
  });
});
