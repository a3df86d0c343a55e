// Every kernel call of docs/kernel.md ("Kernel calls"), at least once with
// its documented fields, plus the denials: a call outside the allow-list
// fails with EKCALLDENIED and leaves the message untouched. Grants (read,
// write, revoke, wrong grantee, range), fork (the child is a copy with its
// own memory), exec (a fresh image), exit and kill as PM hears of them,
// privctl, devmap of the UART, umap, vmctl, times, setalarm, getinfo and
// shutdown (board.run's result).
//
// Where the contract names no error number for a refusal (grants, most
// argument checks) the tests ask only for a negative m_type: "m_type 0 or
// -errno".

import { describe, it, expect } from 'vitest';
import { engineNames } from '../../kernel/engines.ts';
import { boot as bootWith, buildProgram, kcallProgram, kcallTypes, kcallRets, recorder, ep } from './util.ts';
import { STATE } from '../../kernel/proc.ts';
import { KERR, KCALL, NOTIFY_MESSAGE, SIGNAL_MESSAGE, ENDPOINT, PROCINFO_SIZE } from '../../kernel/abi.ts';
import { MEMMAP } from '../../vm/board.ts';

const E = (name: keyof typeof KERR): number => -KERR[name];
const SELF = 0x8ace;
const UART = MEMMAP.uart.base;

const types = kcallTypes;
const rets = kcallRets;

// Each case runs on both hot-path engines (kernel/engines.ts): the message and
// grant copies go through the TypeScript twin and through the wasm module.
describe.each(engineNames)('%s engine', (engine) => {
  const boot: typeof bootWith = (progs, opts = {}) => bootWith(progs, { engine, ...opts });

  describe('kernel calls: the allow-list', () => {
    it('every call outside the allow-list fails with EKCALLDENIED and leaves the message untouched', () => {
      // Arguments that would be drastic if obeyed: act on SELF (exit, kill, shutdown...).
      const calls = Object.values(KCALL).map((type) => ({ type, args: [SELF, 9, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555] }));
      const s = boot([{ name: 'nobody', src: kcallProgram(calls), kcalls: [] }]);
      expect(s.run().kind).toBe('idle');
      expect(s.kernel.procs.byName('nobody')?.state).toBe(STATE.RECEIVING); // parked, not killed or exited
      calls.forEach((c, i) => {
        expect(s.word('nobody', 'rets', i)).toBe(E('EKCALLDENIED'));
        const m = s.msg('nobody', 'kmsg', i);
        expect([m.source, m.type, ...m.p]).toEqual([0, c.type, SELF, 9, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0, 0, 0, 0, 0]);
      });
    });

    it('an allow-list is per call: TIMES allowed, SHUTDOWN denied and the machine keeps running', () => {
      const s = boot([{ name: 'p', kcalls: ['times'], src: kcallProgram([
        { type: 'K_TIMES', args: [SELF] },
        { type: 'K_SHUTDOWN', args: [0] },
      ]) }]);
      expect(s.run().kind).toBe('idle');
      expect(rets(s, 'p', 2)).toEqual([0, E('EKCALLDENIED')]);
      expect(s.msg('p', 'kmsg', 0).type).toBe(0);
      expect(s.msg('p', 'kmsg', 1).type).toBe(KCALL.SHUTDOWN);
    });

    it('a kernel call whose message is on an unmapped page fails with EFAULT', () => {
      const src = `
      .globl _start
  _start:
      li a0, SYSTEM
      li a1, 0x40000000
      SYSCALL SYS_SENDREC
      SAVE res
      li a0, SYSTEM
      la a1, tail
      SYSCALL SYS_SENDREC
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
      .balign 4096
      .space 4096 - 32
  tail: .word 0, K_SHUTDOWN
      .space 24
  `;
      const s = boot([{ name: 'p', src, kcalls: 'all' }]);
      expect(s.run().kind).toBe('idle');
      expect([s.word('p', 'res', 0), s.word('p', 'res', 1)]).toEqual([E('EFAULT'), E('EFAULT')]);
    });

    // The reply comes back in the caller's buffer, so a buffer the caller cannot
    // write fails with EFAULT; and "every handler checks all it needs before it
    // changes anything".
    // (A regression test: the kernel once got this wrong.)
    it('a kernel call from a read-only message fails with EFAULT and has no effect', () => {
      const src = `
      .globl _start
  _start:
      li a0, SYSTEM
      la a1, ro
      SYSCALL SYS_SENDREC
      SAVE res
      PARK
      .balign 4
  ro: .word 0, K_SHUTDOWN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      .data
  res: .word 7
  `;
      const s = boot([{ name: 'p', src, kcalls: ['shutdown'] }]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('p', 'res')).toBe(E('EFAULT'));
    });
  });

  describe('kernel calls: FORK', () => {
    it('the child is a copy (memory, stack, registers) with its own memory; PM replies to both', () => {
      const u = `
      .globl _start
  _start:
      SETW before, 0, 0x5555
      li t0, 0x7ffffff0
      li t1, 0x2222
      sw t1, 0(t0)
      li s0, 0xabcd1234
      SETW msg, M_TYPE, 1
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDREC
      SAVE ret
      la t0, s0save
      sw s0, 0(t0)
      la t0, msg
      lw t1, P0(t0)
      la t2, who
      sw t1, 0(t2)
      li t3, 111
      bnez t1, 1f
      li t3, 222
  1:  la t0, mine
      sw t3, 0(t0)
      PARK
      .data
  before: .word 0
  ret: .word 7
  s0save: .word 0
  who: .word 7
  mine: .word 0
  msg: .space 64
  `;
      const pm = `
      .globl _start
  _start:
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      SETW kmsg, M_TYPE, K_FORK
      la t0, kmsg
      la t2, msg
      lw t1, 0(t2)
      sw t1, P0(t0)
      KCALL kmsg
      SAVE res
      la t0, kmsg
      lw a0, P0(t0)
      la a1, rchild
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 4(t0)
      la t0, kmsg
      lw t1, P0(t0)
      la t2, rparent
      sw t1, P0(t2)
      la t0, msg
      lw a0, 0(t0)
      la a1, rparent
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 8(t0)
      PARK
      .data
  res: .word 7, 7, 7
  msg: .space 64
  kmsg: .space 64
  rchild: .space 64
  rparent: .space 64
  `;
      const s = boot([
        { name: 'u', src: u, priority: 1, targets: ['pm'] },
        { name: 'pm', src: pm, priority: 2, kcalls: ['fork'], targets: 'any' },
      ]);
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2].map((i) => s.word('pm', 'res', i))).toEqual([0, 0, 0]);
      expect(s.word('pm', 'kmsg', 1)).toBe(0);
      const child = s.word('pm', 'kmsg', 2);
      expect(child).not.toBe(ep(0));
      expect(s.kernel.procs.lookup(child)).toBeDefined();
      // The parent got the child's endpoint, the child 0; both resumed from the sendrec with the same registers.
      expect(s.word(ep(0), 'who')).toBe(child);
      expect(s.word(child, 'who')).toBe(0);
      for (const who of [ep(0), child]) {
        expect(s.word(who, 'ret')).toBe(0);
        expect(s.word(who, 's0save')).toBe(0xabcd1234 | 0);
        expect(s.word(who, 'before')).toBe(0x5555);
        expect(s.word(who, 0x7ffffff0)).toBe(0x2222);
      }
      // Each wrote its own copy.
      expect(s.word(ep(0), 'mine')).toBe(111);
      expect(s.word(child, 'mine')).toBe(222);
      const va = s.sym('u', 'mine');
      expect(s.proc('u').space!.translateUser(va, false)).not.toBe(s.kernel.procs.lookup(child)!.space!.translateUser(va, false));
    });
  });

  describe('kernel calls: EXEC', () => {
    const fresh = `
      .globl _start
  _start:
      la t0, marker
      lw t1, 0(t0)
      la t2, seen
      sw t1, 0(t2)
      li t0, 0x7ffffffc
      lw t1, 0(t0)
      la t2, seenstack
      sw t1, 0(t2)
      PRINT hello
      PARK
      .data
  marker: .word 0xfeed
  seen: .word 0
  seenstack: .word 7
  hello: .asciz "fresh image\\n"
  `;
    const old = (extra = ''): string => `
      .globl _start
  _start:
      SETW marker, 0, 0xdead
      li t0, 0x7ffffffc
      li t1, 0x1111
      sw t1, 0(t0)
  ${extra}
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDREC
      SAVE after
      PARK
      .data
  marker: .word 0
  after: .word 0x7777
  msg: .space 64
  `;
    const image = buildProgram(fresh, 'fresh');
    const pm = kcallProgram([
      { type: 'K_EXEC', args: [ep(0), '=junk', 64] },
      { type: 'K_EXEC', args: [ep(0), '=image', image.elf.length] },
    ], {
      pre: `    li a0, ANY\n    la a1, msg\n    SYSCALL SYS_RECEIVE`,
      data: `msg: .space 64\njunk: .fill 64, 1, 0x5a\nimage: .byte ${[...image.elf].join(', ')}`,
    });

    it('replaces the image: same endpoint, fresh memory, restarts at the entry; a bad image changes nothing', () => {
      const s = boot([
        { name: 'u', src: old(), priority: 1, targets: ['pm'] },
        { name: 'pm', src: pm, priority: 2, kcalls: ['exec'], targets: 'any' },
      ]);
      expect(image.symbols.get('marker')).toBe(s.sym('u', 'marker'));
      expect(s.run().kind).toBe('idle');
      expect(rets(s, 'pm', 2)).toEqual([0, 0]);
      const [bad, good] = types(s, 'pm', 2);
      expect(bad).toBeLessThan(0);
      expect(good).toBe(0);
      const u = s.kernel.procs.lookup(ep(0))!;
      expect(u).toBeDefined();
      expect(s.output()).toContain('fresh image');
      // The new image's data, not the old one's; its stack starts empty.
      expect(s.word(ep(0), image.symbols.get('marker')!)).toBe(0xfeed);
      expect(s.word(ep(0), image.symbols.get('seen')!)).toBe(0xfeed);
      expect(s.word(ep(0), image.symbols.get('seenstack')!)).toBe(0);
    });

    // A fresh image has published no grants.
    // (A regression test: the kernel once got this wrong.)
    it("the old image's grants do not survive exec", () => {
      const spy = kcallProgram([{ type: 'K_SAFECOPYFROM', args: [ep(0), 3, 0, '=loot', 4] }], { data: 'loot: .word 0x7777' });
      const s = boot([
        { name: 'u', src: old(`
      SETW gmsg, M_TYPE, K_SETGRANT
      SETW gmsg, P0, 3
      SETW gmsg, P1, ${ep(2)}
      la t0, gmsg
      la t1, marker
      sw t1, P2(t0)
      SETW gmsg, P3, 4
      SETW gmsg, P4, 1
      KCALL gmsg
      j 1f
      .data
  gmsg: .space 64
      .text
  1:`), priority: 1, targets: ['pm'], kcalls: ['setgrant'] },
        { name: 'pm', src: pm, priority: 2, kcalls: ['exec'], targets: 'any' },
        { name: 'spy', src: spy, priority: 3, kcalls: ['safecopyfrom'] },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(types(s, 'pm', 2)[1]).toBe(0);
      expect(s.msg('spy', 'kmsg').type).toBeLessThan(0);
      expect(s.word('spy', 'loot')).toBe(0x7777);
    });
  });

  describe('kernel calls: EXIT, and what PM hears', () => {
    it('SYS_EXIT: PM gets SIGNAL_MESSAGE from KERNEL with p1 = 0 and p3 = the status; the memory is freed', () => {
      const s = boot([
        { name: 'pm', src: recorder(1), pm: true, priority: 1 },
        { name: 'u', src: `.globl _start\n_start:\n    li t0, 0x7ffffff0\n    sw t0, 0(t0)\n    EXIT 42\n`, priority: 2 },
      ]);
      const used = s.kernel.frames.used;
      expect(s.run().kind).toBe('idle');
      const m = s.msg('pm', 'records');
      expect([m.ret, m.source, m.type, m.p[0], m.p[1], m.p[3]]).toEqual([0, ENDPOINT.KERNEL, SIGNAL_MESSAGE, ep(1), 0, 42]);
      expect(s.kernel.procs.lookup(ep(1))).toBeUndefined();
      expect(s.kernel.frames.used).toBeLessThan(used);
    });

    it('EXIT of another process (p0 endpoint) and of SELF, each with its status', () => {
      const looper = `.globl _start\n_start:\n1:  j 1b\n`;
      const s = boot([
        { name: 'pm', src: recorder(2), pm: true, priority: 1 },
        { name: 'reaper', src: kcallProgram([{ type: 'K_EXIT', args: [ep(2), 7] }]), kcalls: ['exit'], priority: 2 },
        { name: 'looper', src: looper, priority: 5 },
        { name: 'quitter', src: kcallProgram([{ type: 'K_EXIT', args: [SELF, 9] }]), kcalls: ['exit'], priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.word('reaper', 'rets')).toBe(0);
      expect(s.msg('reaper', 'kmsg').type).toBe(0);
      expect(s.kernel.procs.lookup(ep(2))).toBeUndefined();
      expect(s.kernel.procs.lookup(ep(3))).toBeUndefined();
      const got = [0, 1].map((i) => s.msg('pm', 'records', i)).map((m) => [m.source, m.type, m.p[0], m.p[1], m.p[3]]);
      expect(got).toEqual([
        [ENDPOINT.KERNEL, SIGNAL_MESSAGE, ep(2), 0, 7],
        [ENDPOINT.KERNEL, SIGNAL_MESSAGE, ep(3), 0, 9],
      ]);
    });
  });

  describe('kernel calls: KILL', () => {
    const looper = `
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
    const killer = (victim: number, sig: number): string => kcallProgram([
      { type: 'K_SETALARM', args: [2000], after: '    li a0, CLOCK\n    la a1, nbuf\n    SYSCALL SYS_RECEIVE' },
      { type: 'K_KILL', args: [victim, sig] },
    ], { data: 'nbuf: .space 64' });

    it('the process stops and PM is told: p0 the process, p1 the signal', () => {
      const s = boot([
        { name: 'pm', src: recorder(1), pm: true, priority: 0 },
        { name: 'killer', src: killer(ep(2), 9), kcalls: ['kill', 'setalarm'], priority: 2 },
        { name: 'looper', src: looper, priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('killer', 'kmsg', 1).type).toBe(0);
      const m = s.msg('pm', 'records');
      expect([m.source, m.type, m.p[0], m.p[1]]).toEqual([ENDPOINT.KERNEL, SIGNAL_MESSAGE, ep(2), 9]);
      const count = s.word('looper', 'counter');
      expect(count).toBeGreaterThan(100); // it ran until the alarm
      expect(s.proc('looper').state).toBe(STATE.STOPPED);
      s.run(100_000);
      expect(s.word('looper', 'counter')).toBe(count);
    });

    it('without a PM the killed process is ended', () => {
      const s = boot([
        { name: 'killer', src: killer(ep(1), 15), kcalls: ['kill', 'setalarm'], priority: 2 },
        { name: 'looper', src: looper, priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('killer', 'kmsg', 1).type).toBe(0);
      expect(s.kernel.procs.lookup(ep(1))).toBeUndefined();
      expect(s.kernel.log.some((l) => l.includes('looper'))).toBe(true);
    });

    // "KILL: the process stops."
    // (A regression test: the kernel once got this wrong.)
    it('a process killed while blocked in send stays stopped when its destination receives', () => {
      const a = `
      .globl _start
  _start:
      li a0, ${ep(2)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE res
  1:  j 1b
      .data
  res: .word 0x7777
  msg: .space 64
  `;
      const b = `
      .globl _start
  _start:
      li t0, 5000
  1:  addi t0, t0, -1
      bnez t0, 1b
  ` + recorder(1).replace('.globl _start', '').replace('_start:', '');
      const s = boot([
        { name: 'pm', src: recorder(1), pm: true, priority: 0 },
        { name: 'a', src: a, priority: 1, targets: ['b'] },
        { name: 'b', src: b, priority: 4 },
        { name: 'killer', src: kcallProgram([{ type: 'K_KILL', args: [ep(1), 15] }]), kcalls: ['kill'], priority: 2 },
      ]);
      s.run(1_000_000);
      expect(s.msg('killer', 'kmsg').type).toBe(0);
      expect(s.msg('pm', 'records').p[0]).toBe(ep(1));
      expect(s.proc('a').state).toBe(STATE.STOPPED);
      expect(s.word('a', 'res')).toBe(0x7777);
    });
  });

  describe('kernel calls: PRIVCTL', () => {
    it('sets the allow-lists: targets by slot bits, kernel calls by bits', () => {
      const x = `
      .globl _start
  _start:
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE res
      li a0, SYSTEM
      la a1, kmsg
      SETW kmsg, M_TYPE, K_TIMES
      SETW kmsg, P0, SELF
      li a0, SYSTEM
      la a1, kmsg
      SYSCALL SYS_SENDREC
      la t0, res
      sw a0, 4(t0)
      li a0, ${ep(2)}
      la a1, msg
      SYSCALL SYS_RECEIVE
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_SEND
      la t0, res
      sw a0, 8(t0)
      SETW kmsg, M_TYPE, K_TIMES
      SETW kmsg, P0, SELF
      KCALL kmsg
      la t0, res
      sw a0, 12(t0)
      li a0, ${ep(2)}
      SYSCALL SYS_NOTIFY
      la t0, res
      sw a0, 16(t0)
      SETW kmsg2, M_TYPE, K_SHUTDOWN
      KCALL kmsg2
      la t0, res
      sw a0, 20(t0)
      PARK
      .data
  res: .word 7, 7, 7, 7, 7, 7
  msg: .space 64
  kmsg: .space 64
  kmsg2: .space 64
  `;
      const rs = kcallProgram([
        { type: 'K_PRIVCTL', args: [ep(1), 0, 1 << (KCALL.TIMES - KCALL.FORK), 1 << 0, 0, 0, 0, 0],
          after: `    li a0, ${ep(1)}\n    la a1, go\n    SYSCALL SYS_SEND` },
      ], { data: 'go: .space 64' });
      const s = boot([
        { name: 'y', src: recorder(1), priority: 0 },
        { name: 'x', src: x, priority: 1 },
        { name: 'rs', src: rs, priority: 2, kcalls: ['privctl'], targets: 'any' },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('rs', 'kmsg').type).toBe(0);
      const r = [0, 1, 2, 3, 4, 5].map((i) => s.word('x', 'res', i));
      expect(r).toEqual([E('ECALLDENIED'), E('EKCALLDENIED'), 0, 0, E('ECALLDENIED'), E('EKCALLDENIED')]);
      expect(s.msg('x', 'kmsg').type).toBe(0);
      expect(s.msg('y', 'records').source).toBe(ep(1));
    });
  });

  describe('kernel calls: PRIVCTL of IRQ lines, MMIO and the any-target flag', () => {
    it('a driver given line 10 and the UART page by PRIVCTL can then register the line and map the page', () => {
      const devmap = { type: 'K_DEVMAP', args: [UART, 4096, 0x40000000] };
      const setpolicy = { type: 'K_IRQCTL', args: [1, MEMMAP.uart.irq] };
      const drv = kcallProgram([
        devmap, setpolicy,
        { type: 'K_TIMES', args: [SELF], after: `    li a0, ${ep(1)}\n    la a1, msg\n    SYSCALL SYS_RECEIVE` },
        devmap, setpolicy,
        { type: 'K_TIMES', args: [SELF] },
      ], { post: `
      li t0, 0x40000000
      lbu t1, 5(t0)
      la t2, lsr
      sw t1, 0(t2)
      li a0, ${ep(2)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE sres
      PARK`, data: 'msg: .space 64\nlsr: .word 7\nsres: .word 7' });
      const kbits = (1 << (KCALL.DEVMAP - KCALL.FORK)) | (1 << (KCALL.IRQCTL - KCALL.FORK));
      const rs = kcallProgram([
        { type: 'K_PRIVCTL', args: [ep(0), 1, kbits, 0, 0, 1 << MEMMAP.uart.irq, UART, 4096],
          after: `    li a0, ${ep(0)}\n    la a1, go\n    SYSCALL SYS_SEND` },
      ], { data: 'go: .space 64' });
      const s = boot([
        { name: 'drv', src: drv, priority: 1, kcalls: ['devmap', 'irqctl', 'times'] },
        { name: 'rs', src: rs, priority: 2, kcalls: ['privctl'], targets: 'any' },
        { name: 'other', src: recorder(1), priority: 3 },
      ]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('rs', 'kmsg').type).toBe(0);
      const t = types(s, 'drv', 5);
      expect(t[0]).toBeLessThan(0); // before: no MMIO privilege
      expect(t[1]).toBeLessThan(0); // before: no IRQ line
      expect([t[2], t[3], t[4]]).toEqual([0, 0, 0]);
      expect(rets(s, 'drv', 6)).toEqual([0, 0, 0, 0, 0, E('EKCALLDENIED')]); // PRIVCTL set its kernel calls: TIMES is gone
      expect(s.msg('drv', 'kmsg', 3).p[0]).toBe(0x40000000);
      expect(s.word('drv', 'lsr') & 0x60).toBe(0x60);
      expect(s.word('drv', 'sres')).toBe(0); // flag 1: it may send to anyone
      expect(s.msg('other', 'records').source).toBe(ep(0));
    });
  });

  describe('kernel calls: grants and safecopy', () => {
    const g = kcallProgram([
      { type: 'K_SETGRANT', args: [5, ep(1), '=buf', 16, 1] },
      { type: 'K_SETGRANT', args: [6, ep(1), '=wbuf', 16, 2] },
      { type: 'K_SETGRANT', args: [7, ep(1), '=_start', 16, 3] },
      { type: 'K_SETGRANT', args: [8, ep(1), '=gend', 16, 1] },
      { type: 'K_SETGRANT', args: [64, ep(1), '=buf', 16, 1],
        after: `    li a0, ${ep(1)}\n    la a1, gmsg\n    SYSCALL SYS_RECEIVE` },
      { type: 'K_SETGRANT', args: [5, ep(1), '=buf', 16, 0],
        after: `    li a0, ${ep(1)}\n    la a1, gmsg\n    SYSCALL SYS_SEND` },
    ], { data: `
  gmsg: .space 64
  buf: .byte ${Array.from({ length: 32 }, (_, i) => 0x10 + i).join(', ')}
  wbuf: .fill 16, 1, 0xaa
      .balign 4096
      .space 4096 - 8
  gend: .byte 1, 2, 3, 4, 5, 6, 7, 8
  ` });
    const r = kcallProgram([
      { type: 'K_SAFECOPYFROM', args: [ep(0), 5, 4, '=dst', 8] },           // 0 read, at an offset
      { type: 'K_SAFECOPYTO', args: [ep(0), 6, 0, '=src', 16] },            // 1 write
      { type: 'K_SAFECOPYTO', args: [ep(0), 5, 0, '=src', 4] },             // 2 write through a read grant
      { type: 'K_SAFECOPYFROM', args: [ep(0), 6, 0, '=dst2', 4] },          // 3 read through a write grant
      { type: 'K_SAFECOPYFROM', args: [ep(0), 5, 8, '=dst2', 16] },         // 4 past the grant's end
      { type: 'K_SAFECOPYFROM', args: [ep(0), 5, 0xfffffff0, '=dst2', 0x20] }, // 5 offset + length wraps
      { type: 'K_SAFECOPYFROM', args: [ep(0), 9, 0, '=dst2', 4] },          // 6 no such grant
      { type: 'K_SAFECOPYTO', args: [ep(0), 7, 0, '=src', 16] },            // 7 into the granter's read-only text
      { type: 'K_SAFECOPYFROM', args: [ep(0), 8, 0, '=dst2', 16] },         // 8 past the granter's mapped memory
      { type: 'K_SAFECOPYFROM', args: [ep(0), 8, 0, '=dst3', 8],            // 9 the mapped part of that grant
        after: `    li a0, ${ep(0)}\n    la a1, rmsg\n    SYSCALL SYS_SEND\n    li a0, ${ep(0)}\n    la a1, rmsg\n    SYSCALL SYS_RECEIVE` },
      { type: 'K_SAFECOPYFROM', args: [ep(0), 5, 0, '=dst2', 4] },          // 10 after the revoke
      { type: 'K_SAFECOPYFROM', args: [ep(2), 5, 0, '=dst2', 4] },          // 11 naming a granter with no grants
    ], { data: `
  rmsg: .space 64
  src: .byte ${Array.from({ length: 16 }, (_, i) => 0x50 + i).join(', ')}
  dst: .fill 16, 1, 0xcc
  dst2: .fill 32, 1, 0xcc
  dst3: .fill 16, 1, 0xcc
  ` });
    const w = kcallProgram([
      { type: 'K_SAFECOPYTO', args: [ep(0), 6, 0, '=evil', 16] },
      { type: 'K_SAFECOPYFROM', args: [ep(0), 8, 0, '=wdst', 8] },
    ], { data: `evil: .fill 16, 1, 0xee\nwdst: .fill 8, 1, 0xcc` });

    it('read, write, rights, range, the granter\'s own limits, revoke and wrong grantee', () => {
      const copyCalls = ['safecopyfrom', 'safecopyto'];
      const s = boot([
        { name: 'g', src: g, priority: 1, kcalls: ['setgrant'], targets: ['r'] },
        { name: 'r', src: r, priority: 2, kcalls: copyCalls, targets: ['g'] },
        { name: 'w', src: w, priority: 3, kcalls: copyCalls },
      ]);
      const text = s.peek('g', '_start', 16)!;
      expect(s.run().kind).toBe('idle');
      const gt = types(s, 'g', 6);
      expect(gt[0]).toBe(0);
      expect(gt[1]).toBe(0);
      expect(gt[2]).toBe(0);
      expect(gt[3]).toBe(0);
      expect(gt[4]).toBeLessThan(0); // grant ids are 0-63
      expect(gt[5]).toBe(0);
      expect(rets(s, 'r', 12)).toEqual(Array(12).fill(0));
      const rt = types(s, 'r', 12);
      expect(rt[0]).toBe(0);
      expect(rt[1]).toBe(0);
      expect(rt[9]).toBe(0);
      for (const i of [2, 3, 4, 5, 6, 7, 8, 10, 11]) expect([i, rt[i] < 0]).toEqual([i, true]);
      // What moved, and what did not.
      expect([...s.peek('r', 'dst', 16)!]).toEqual([...Array.from({ length: 8 }, (_, i) => 0x14 + i), ...Array(8).fill(0xcc)]);
      expect([...s.peek('g', 'wbuf', 16)!]).toEqual(Array.from({ length: 16 }, (_, i) => 0x50 + i));
      expect([...s.peek('g', 'buf', 32)!]).toEqual(Array.from({ length: 32 }, (_, i) => 0x10 + i));
      expect([...s.peek('r', 'dst2', 32)!]).toEqual(Array(32).fill(0xcc));
      expect([...s.peek('r', 'dst3', 16)!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, ...Array(8).fill(0xcc)]);
      expect(s.peek('g', '_start', 16)).toEqual(text);
      // The wrong grantee gets nothing and changes nothing.
      expect(types(s, 'w', 2).every((t) => t < 0)).toBe(true);
      expect([...s.peek('w', 'wdst', 8)!]).toEqual(Array(8).fill(0xcc));
    });
  });

  describe('kernel calls: DEVMAP, UMAP, VMCTL', () => {
    it('DEVMAP maps the UART page for a driver allowed it; it then reads LSR and writes THR itself', () => {
      const drv = kcallProgram([
        { type: 'K_DEVMAP', args: [UART, 4096, 0x40000000] },
        { type: 'K_DEVMAP', args: [UART + 4, 4096, 0x40001000] },         // not page-aligned
        { type: 'K_DEVMAP', args: [MEMMAP.clint.base, 4096, 0x40002000] }, // not in its privileges
      ], { post: `
      li t0, 0x40000000
      lbu t1, 5(t0)
      la t2, lsr
      sw t1, 0(t2)
      li t1, 'Z'
      sb t1, 0(t0)
      li t1, '!'
      sb t1, 0(t0)
      PARK`, data: 'lsr: .word 7' });
      const s = boot([{ name: 'drv', src: drv, kcalls: ['devmap'], mmio: [{ base: UART, size: 4096 }] }]);
      expect(s.run().kind).toBe('idle');
      const [ok, misaligned, denied] = types(s, 'drv', 3);
      expect(ok).toBe(0);
      expect(s.msg('drv', 'kmsg', 0).p[0]).toBe(0x40000000);
      expect(misaligned).toBeLessThan(0);
      expect(denied).toBeLessThan(0);
      expect(s.word('drv', 'lsr') & 0x60).toBe(0x60); // THRE and TEMT: the transmitter is idle
      expect(s.output()).toContain('Z!');
    });

    it('DEVMAP fails for a process with the call but no MMIO privilege', () => {
      const s = boot([{ name: 'p', src: kcallProgram([{ type: 'K_DEVMAP', args: [UART, 4096, 0x40000000] }]), kcalls: ['devmap'] }]);
      expect(s.run().kind).toBe('idle');
      expect(s.msg('p', 'kmsg').type).toBeLessThan(0);
      expect(s.peek('p', 0x40000000, 1)).toBeUndefined();
    });

    it('UMAP gives the physical address of a buffer; unmapped or discontiguous ranges fail', () => {
      const s = boot([{ name: 'p', kcalls: ['umap'], src: kcallProgram([
        { type: 'K_UMAP', args: ['=buf', 64] },
        { type: 'K_UMAP', args: [0x40000000, 16] },
        { type: 'K_UMAP', args: ['=last', 8] },        // runs into the unmapped page after the data
        { type: 'K_UMAP', args: ['=page1 - 8', 16] },  // two mapped pages: contiguous or not
      ], { data: 'buf: .space 64\n.balign 4096\npage1: .space 4096 - 4\nlast: .word 0' }) }]);
      expect(s.run().kind).toBe('idle');
      const space = s.proc('p').space!;
      const t = types(s, 'p', 4);
      expect(t[0]).toBe(0);
      expect(s.msg('p', 'kmsg', 0).p[0] >>> 0).toBe(space.translateUser(s.sym('p', 'buf'), false));
      expect(t[1]).toBeLessThan(0);
      expect(t[2]).toBeLessThan(0);
      const a = s.sym('p', 'page1') - 8;
      const contiguous = space.translateUser(a + 8, false) === space.translateUser(a, false)! + 8;
      if (contiguous) {
        expect(t[3]).toBe(0);
        expect(s.msg('p', 'kmsg', 3).p[0] >>> 0).toBe(space.translateUser(a, false));
      } else {
        expect(t[3]).toBeLessThan(0);
      }
    });

    it('VMCTL maps fresh pages into another process with the given protection, and unmaps them', () => {
      const u = `
      .globl _start
  _start:
      li t0, 0x30000000
      lw t1, 0(t0)
      la t2, seen
      sw t1, 0(t2)
      li t1, 0x1234
      sw t1, 0(t0)
      li t0, 0x30001ffc
      sw t1, 0(t0)
      li t0, 0x30002000
      lw t1, 0(t0)
      la t2, seen
      sw t1, 4(t2)
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDREC
      li t0, 0x30000000
      here: lw t1, 0(t0)
      PARK
      .data
  seen: .word 7, 7
  msg: .space 64
  `;
      const vm = kcallProgram([
        { type: 'K_VMCTL', args: [1, ep(0), 0x30000000, 0x2000, 2 | 4] },
        { type: 'K_VMCTL', args: [1, ep(0), 0x30002000, 0x1000, 2] },
        { type: 'K_VMCTL', args: [1, ep(0), 0, 0x1000, 2] },             // page 0 is never mapped
        { type: 'K_VMCTL', args: [1, ep(0), 0x30003004, 0x1000, 2] },    // not page-aligned
        { type: 'K_VMCTL', args: [3, ep(0), 0x30004000, 0x1000, 2],      // no such op
          after: `    li a0, ${ep(0)}\n    la a1, vmsg\n    SYSCALL SYS_RECEIVE` },
        { type: 'K_VMCTL', args: [2, ep(0), 0x30000000, 0x1000, 0],
          after: `    li a0, ${ep(0)}\n    la a1, vmsg\n    SYSCALL SYS_SEND` },
      ], { data: 'vmsg: .space 64' });
      const s = boot([
        { name: 'u', src: u, priority: 2, targets: ['vm'] },
        { name: 'vm', src: vm, priority: 1, kcalls: ['vmctl'], targets: 'any' },
        { name: 'pm', src: recorder(1), priority: 0, pm: true },
      ]);
      expect(s.run().kind).toBe('idle');
      const t = types(s, 'vm', 6);
      expect([t[0], t[1], t[5]]).toEqual([0, 0, 0]);
      expect(t[2]).toBeLessThan(0);
      expect(t[3]).toBeLessThan(0);
      expect(t[4]).toBeLessThan(0);
      expect(s.word('u', 'seen', 0)).toBe(0);          // fresh pages are zero
      expect(s.word('u', 'seen', 1)).toBe(0);
      expect(s.word('u', 0x30001ffc)).toBe(0x1234);    // the second page is still there
      expect(s.peek('u', 0x30000000, 4)).toBeUndefined();
      expect(s.proc('u').space!.translateUser(0x30002000, true)).toBeUndefined(); // read-only
      expect(s.proc('u').space!.translateUser(0x30002000, false)).toBeDefined();
      // Its next touch of the unmapped page faulted: PM heard of it.
      const m = s.msg('pm', 'records');
      expect([m.source, m.type, m.p[0], m.p[3], m.p[4] >>> 0]).toEqual([ENDPOINT.KERNEL, SIGNAL_MESSAGE, ep(0), 0x30000000, s.sym('u', 'here')]);
    });
  });

  describe('kernel calls: TIMES, SETALARM, GETINFO, SHUTDOWN', () => {
    const timesProgram = (): string => kcallProgram([
      { type: 'K_TIMES', args: [SELF], after: `    li t0, 10000\n1:  addi t0, t0, -1\n    bnez t0, 1b` },
      { type: 'K_TIMES', args: [SELF] },
      { type: 'K_TIMES', args: [0x3f3f] }, // no such process
    ]);

    it('TIMES reports mtime (lo/hi) and refuses an endpoint with no process', () => {
      const s = boot([{ name: 't', kcalls: ['times'], src: timesProgram() }]);
      expect(s.run().kind).toBe('idle');
      const [a, b] = [s.msg('t', 'kmsg', 0), s.msg('t', 'kmsg', 1)];
      expect([a.type, b.type]).toEqual([0, 0]);
      expect([a.p[3], b.p[3]]).toEqual([0, 0]); // high words
      // 20,000 instructions ran in between; mtime runs one tick per 10 (the board's 10 MHz timebase).
      const ticks = b.p[2] - a.p[2];
      expect(ticks).toBeGreaterThanOrEqual(2000);
      expect(ticks).toBeLessThanOrEqual(2020);
      expect(b.p[2]).toBeLessThanOrEqual(s.board.mtime());
      expect(s.msg('t', 'kmsg', 2).type).toBeLessThan(0);
    });

    // (A regression test: the kernel once got this wrong.)
    it('TIMES reports the instructions the process retired (p0/p1)', () => {
      const s = boot([{ name: 't', kcalls: ['times'], src: timesProgram() }]);
      expect(s.run().kind).toBe('idle');
      const [a, b] = [s.msg('t', 'kmsg', 0), s.msg('t', 'kmsg', 1)];
      expect([a.p[1], b.p[1]]).toEqual([0, 0]);
      const insns = b.p[0] - a.p[0];
      expect(insns).toBeGreaterThanOrEqual(20_000);
      expect(insns).toBeLessThan(20_100);
    });

    it('SETALARM: CLOCK notifies when it fires; a new alarm replaces the old and returns what was left; 0 cancels', () => {
      const recv = `    li a0, CLOCK\n    la a1, note\n    SYSCALL SYS_RECEIVE\n    SAVE nret`;
      const s = boot([
        { name: 'a', kcalls: ['setalarm', 'times'], priority: 1, src: kcallProgram([
          { type: 'K_TIMES', args: [SELF] },
          { type: 'K_SETALARM', args: [100_000] },
          { type: 'K_SETALARM', args: [5000], after: recv },
          { type: 'K_SETALARM', args: [0] },
        ], { data: 'note: .space 64\nnret: .word 7', post: `
      li a0, CLOCK
      la a1, note2
      SYSCALL SYS_RECEIVE
      PARK
      .data
  note2: .word 0x7777
      .space 60
      .text` }) },
        { name: 'b', kcalls: ['setalarm'], priority: 2, src: kcallProgram([
          { type: 'K_SETALARM', args: [3000] },
          { type: 'K_SETALARM', args: [0], after: recv },
        ], { data: 'note: .word 0x7777\n.space 60\nnret: .word 7' }) },
      ]);
      expect(s.run(20_000_000).kind).toBe('idle');
      const t0 = s.msg('a', 'kmsg', 0).p[2];
      expect(s.msg('a', 'kmsg', 1).p[0]).toBe(0);                 // no alarm before
      const left = s.msg('a', 'kmsg', 2).p[0];
      expect(left).toBeGreaterThan(99_000);
      expect(left).toBeLessThanOrEqual(100_000);
      const n = s.msg('a', 'note');
      expect([s.word('a', 'nret'), n.source, n.type]).toEqual([0, ENDPOINT.CLOCK, NOTIFY_MESSAGE]);
      expect(n.p[1]).toBeGreaterThanOrEqual(t0 + 5000);
      expect(n.p[1]).toBeLessThan(t0 + 5000 + 200);
      expect(s.msg('a', 'kmsg', 3).p[0]).toBe(0);                 // the fired alarm left nothing
      // The replaced 100,000-tick alarm is gone: with it armed the machine would
      // have fast-forwarded to it and delivered a second notification.
      expect(s.word('a', 'note2')).toBe(0x7777);
      expect(s.proc('a').state).toBe(STATE.RECEIVING);
      // b cancelled its alarm: p0 says how much was left, and no notification ever came.
      const bl = s.msg('b', 'kmsg', 1).p[0];
      expect(bl).toBeGreaterThan(2900);
      expect(bl).toBeLessThanOrEqual(3000);
      expect(s.word('b', 'note')).toBe(0x7777);
    });

    it('GETINFO fills 48-byte process entries: endpoint, priority, name, blocked-on, pages', () => {
      const info = kcallProgram([
        { type: 'K_GETINFO', args: [1, '=table', 10 * PROCINFO_SIZE] },
        { type: 'K_GETINFO', args: [1, '=one', PROCINFO_SIZE] },
        { type: 'K_GETINFO', args: [1, 0x40000000, PROCINFO_SIZE] },
      ], { data: `table: .fill ${11 * PROCINFO_SIZE}, 1, 0xcc\none: .fill ${2 * PROCINFO_SIZE}, 1, 0xcc` });
      const s = boot([
        { name: 'alpha', src: recorder(1, String(ep(2))), priority: 1 },
        { name: 'beta', src: `.globl _start\n_start:\n    li a0, ${ep(0)}\n    la a1, __parkbuf\n    SYSCALL SYS_SEND\n    PARK\n`, priority: 2, targets: ['alpha'] },
        { name: 'info', src: info, priority: 3, kcalls: ['getinfo'] },
      ]);
      expect(PROCINFO_SIZE).toBe(48);
      expect(s.run().kind).toBe('idle');
      const t = types(s, 'info', 3);
      expect(t[0]).toBe(0);
      expect(s.msg('info', 'kmsg', 0).p[0]).toBe(3);
      const bytes = s.peek('info', 'table', 11 * PROCINFO_SIZE)!;
      const dv = new DataView(bytes.buffer);
      const entries = [0, 1, 2].map((i) => {
        const o = i * PROCINFO_SIZE;
        const name = Buffer.from(bytes.subarray(o + 24, o + 40)).toString('latin1').replace(/\0.*$/s, '');
        return { ep: dv.getInt32(o, true), prio: dv.getInt32(o + 8, true), instret: dv.getUint32(o + 16, true),
          name, blockedOn: dv.getInt32(o + 40, true), pages: dv.getInt32(o + 44, true) };
      });
      const by = new Map(entries.map((e) => [e.name, e]));
      expect([...by.keys()].sort()).toEqual(['alpha', 'beta', 'info']);
      expect([by.get('alpha')!.ep, by.get('beta')!.ep, by.get('info')!.ep]).toEqual([ep(0), ep(1), ep(2)]);
      expect([by.get('alpha')!.prio, by.get('beta')!.prio, by.get('info')!.prio]).toEqual([1, 2, 3]);
      expect(by.get('alpha')!.blockedOn).toBe(ep(2)); // receiving from info
      expect(by.get('beta')!.blockedOn).toBe(ep(0));  // sending to alpha
      expect(by.get('info')!.instret).toBeGreaterThan(0);
      for (const e of entries) expect(e.pages).toBeGreaterThan(0);
      expect([...bytes.subarray(3 * PROCINFO_SIZE)].every((b) => b === 0xcc)).toBe(true);
      // A buffer for one entry gets one entry, and nothing past it.
      expect(t[1]).toBe(0);
      expect(s.msg('info', 'kmsg', 1).p[0]).toBe(1);
      expect([...s.peek('info', s.sym('info', 'one') + PROCINFO_SIZE, PROCINFO_SIZE)!].every((b) => b === 0xcc)).toBe(true);
      // An unmapped buffer.
      expect(t[2]).toBeLessThan(0);
    });

    it('SHUTDOWN powers the machine off: board.run returns pass for 0, fail with the code otherwise', () => {
      const prog = (code: number): string => kcallProgram([{ type: 'K_SHUTDOWN', args: [code] }], { post: 'EXIT 99' });
      const a = boot([{ name: 'p', src: prog(0), kcalls: ['shutdown'] }, { name: 'q', src: '.globl _start\n_start:\n1: j 1b\n' }]);
      expect(a.run()).toMatchObject({ kind: 'pass', code: 0 });
      const b = boot([{ name: 'p', src: prog(3), kcalls: ['shutdown'] }, { name: 'q', src: '.globl _start\n_start:\n1: j 1b\n' }]);
      expect(b.run()).toMatchObject({ kind: 'fail', code: 3 });
      expect(b.kernel.log).not.toContain('exit p 99');
    });
  });
});
