// Isolation (issue #5, "Tests"): attackers in assembly try to read and write
// a victim's memory by every route: the victim's virtual address, its
// physical address, a forged grant, a grant beyond its range, kernel calls
// and system calls with a pointer into someone else's space, privileged
// instructions and CSRs, and MMIO that was never granted. Every attempt must
// fail with the documented error or fault (PM hears of each fault: a
// process with `pm: true` records them), and the victim's bytes, read
// straight from its page table and board.mem, must be unchanged.
//
// The victim (slot 1) holds `secret` (64 x 0xa5) on its first data page and
// `vonly` (64 x 0x5a) on a page three pages further up, at an address no
// attacker has mapped. It grants `friend` (slot 2) read of 16 bytes of the
// secret (grant 1) and the first attacker (slot 3) read/write of 16 bytes
// (grant 2), then parks.

import { describe, it, expect } from 'vitest';
import { engineNames } from '../../kernel/engines.ts';
import { boot as bootWith, buildProgram, kcallProgram, recorder, ep, type System } from './util.ts';
import { STATE } from '../../kernel/proc.ts';
import { KERR, SIGNAL_MESSAGE, ENDPOINT, SIG } from '../../kernel/abi.ts';
import { MEMMAP } from '../../vm/board.ts';
import type { KernelOptions } from '../../kernel/kernel.ts';
import { CLINT_REG } from '../../vm/devices/clint.ts';

const E = (name: keyof typeof KERR): number => -KERR[name];
const PARK_ONLY = '.globl _start\n_start:\n    PARK\n';

const victimSrc = kcallProgram([
  { type: 'K_SETGRANT', args: [1, ep(2), '=secret', 16, 1] },
  { type: 'K_SETGRANT', args: [2, ep(3), '=secret', 16, 3] },
], { data: `
secret: .fill 64, 1, 0xa5
beyond: .fill 64, 1, 0xb6
    .balign 4096
    .space 3 * 4096
vonly: .fill 64, 1, 0x5a
` });
const V = buildProgram(victimSrc, 'victim').symbols;
const SECRET = V.get('secret')!;
const VONLY = V.get('vonly')!;

/** The victim's bytes the attacks aim at, and its text page. */
function snapshot(s: System): Uint8Array[] {
  return [s.peek('victim', SECRET, 128)!, s.peek('victim', VONLY, 64)!, s.peek('victim', 0x10000, 4096)!];
}

function expectVictimIntact(s: System, text: Uint8Array): void {
  expect(s.kernel.procs.lookup(ep(1))?.state).toBe(STATE.RECEIVING); // parked, untouched
  expect(s.msg('victim', 'kmsg', 0).type).toBe(0); // its grants were made
  expect(s.msg('victim', 'kmsg', 1).type).toBe(0);
  const [secret, vonly, text2] = snapshot(s);
  expect([...secret.subarray(0, 64)]).toEqual(Array(64).fill(0xa5));
  expect([...secret.subarray(64)]).toEqual(Array(64).fill(0xb6));
  expect([...vonly]).toEqual(Array(64).fill(0x5a));
  expect(text2).toEqual(text);
}

/** Boot PM (slot 0, recording `faults` messages), the victim, friend, then the attackers (slots 3...). */
function bootAttackWith(faults: number, attackers: { name: string; src: string; kcalls?: string[]; targets?: string[] | 'any' }[],
  opts: KernelOptions = {}): { s: System; text: Uint8Array } {
  const s = bootWith([
    { name: 'pm', src: recorder(Math.max(1, faults)), pm: true, priority: 0 },
    { name: 'victim', src: victimSrc, priority: 1, kcalls: ['setgrant'] },
    { name: 'friend', src: PARK_ONLY, priority: 1 },
    ...attackers.map((a) => ({ ...a, priority: 3 })),
  ], opts);
  return { s, text: s.peek('victim', 0x10000, 4096)! };
}

/** Write a word into a process's memory before it runs (test setup: "the attacker knows"). */
function plant(s: System, who: string, label: string, value: number): void {
  const pa = s.proc(who).space!.translateUser(s.sym(who, label), true)!;
  s.board.mem.write(pa, new Uint8Array(Uint32Array.of(value >>> 0).buffer));
}

/** The faults PM heard of, by the culprit's endpoint: [signal, cause, tval, pc]. */
function faults(s: System, n: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const m = s.msg('pm', 'records', i);
    expect([m.ret, m.source, m.type]).toEqual([0, ENDPOINT.KERNEL, SIGNAL_MESSAGE]);
    out.set(m.p[0], [m.p[1], m.p[2], m.p[3] >>> 0, m.p[4] >>> 0]);
  }
  return out;
}

/** An attacker that does `code` (its faulting instruction at label `hit`) and, should it survive, sets `survived`. */
const oneShot = (code: string, data = ''): string => `
    .globl _start
_start:
${code}
    SETW survived, 0, 1
    PARK
    .data
survived: .word 0
vpa: .word 0
${data}
`;

// Each case runs on both hot-path engines (kernel/engines.ts): the message and
// grant copies go through the TypeScript twin and through the wasm module.
describe.each(engineNames)('%s engine', (engine) => {
  const bootAttack: typeof bootAttackWith = (faults, attackers, opts = {}) => bootAttackWith(faults, attackers, { engine, ...opts });

  describe('isolation: memory', () => {
    it("the victim's virtual address in an attacker's space is the attacker's own memory", () => {
      const att = `
      .globl _start
  _start:
      li t0, ${SECRET}
      la t1, seen
      li t2, 0
  1:  lw t3, 0(t0)
      sw t3, 0(t1)
      li t4, 0xeeeeeeee
      sw t4, 0(t0)
      addi t0, t0, 4
      addi t1, t1, 4
      addi t2, t2, 4
      li t4, 64
      blt t2, t4, 1b
      PARK
      .data
      .balign 256
  seen: .space 64
  `;
      const { s, text } = bootAttack(0, [{ name: 'att', src: att }]);
      expect(s.run().kind).toBe('idle');
      expect([...s.peek('att', 'seen', 64)!]).not.toContain(0xa5);
      expect([...s.peek('att', SECRET, 64)!]).toEqual(Array(64).fill(0xee));
      expectVictimIntact(s, text);
    });

    it('loads and stores at an address only the victim has mapped fault (SIGSEGV, tval the address)', () => {
      const { s, text } = bootAttack(2, [
        { name: 'rd', src: oneShot(`    li t0, ${VONLY}\nhit: lw t1, 0(t0)`) },
        { name: 'wr', src: oneShot(`    li t0, ${VONLY}\n    li t1, -1\nhit: sw t1, 0(t0)`) },
      ]);
      expect(s.run().kind).toBe('idle');
      const f = faults(s, 2);
      expect(f.get(ep(3))).toEqual([SIG.SIGSEGV, 13, VONLY, s.sym('rd', 'hit')]);
      expect(f.get(ep(4))).toEqual([SIG.SIGSEGV, 15, VONLY, s.sym('wr', 'hit')]);
      expect([s.word('rd', 'survived'), s.word('wr', 'survived')]).toEqual([0, 0]);
      expectVictimIntact(s, text);
    });

    it("loads and stores at the victim's physical address fault: nothing of RAM is mapped by address", () => {
      const { s, text } = bootAttack(3, [
        { name: 'rd', src: oneShot(`    la t0, vpa\n    lw t0, 0(t0)\nhit: lw t1, 0(t0)`) },
        { name: 'wr', src: oneShot(`    la t0, vpa\n    lw t0, 0(t0)\n    li t1, -1\nhit: sw t1, 0(t0)`) },
        { name: 'pt', src: oneShot(`    la t0, vpa\n    lw t0, 0(t0)\n    li t1, -1\nhit: sw t1, 0(t0)`) },
      ]);
      const victim = s.proc('victim');
      const secretPa = victim.space!.translateUser(SECRET, false)!;
      plant(s, 'rd', 'vpa', secretPa);
      plant(s, 'wr', 'vpa', secretPa);
      plant(s, 'pt', 'vpa', victim.space!.root); // its page table
      const root = new Uint8Array(s.board.mem.read(victim.space!.root, 4096)!);
      expect(s.run().kind).toBe('idle');
      const f = faults(s, 3);
      expect(f.get(ep(3))).toEqual([SIG.SIGSEGV, 13, secretPa, s.sym('rd', 'hit')]);
      expect(f.get(ep(4))).toEqual([SIG.SIGSEGV, 15, secretPa, s.sym('wr', 'hit')]);
      expect(f.get(ep(5))![0]).toBe(SIG.SIGSEGV);
      expect(s.board.mem.read(victim.space!.root, 4096)).toEqual(root);
      expectVictimIntact(s, text);
    });
  });

  describe('isolation: grants', () => {
    it('forged grants: another grantee\'s grant, a grant never made, and a grant naming memory its granter lacks', () => {
      const att = kcallProgram([
        { type: 'K_SAFECOPYFROM', args: [ep(1), 1, 0, '=loot', 16] },     // friend's grant
        { type: 'K_SAFECOPYTO', args: [ep(1), 1, 0, '=evil', 16] },
        { type: 'K_SAFECOPYFROM', args: [ep(1), 9, 0, '=loot', 16] },     // no such grant
        { type: 'K_SAFECOPYFROM', args: [ep(1), 64, 0, '=loot', 16] },    // no such id
        { type: 'K_SAFECOPYFROM', args: [ep(1), -1, 0, '=loot', 16] },
        { type: 'K_SETGRANT', args: [0, ep(4), VONLY, 64, 3] },         // its own grant over the victim's address
        { type: 'K_SETGRANT', args: [3, ep(4), SECRET, 64, 3] },
      ], { data: 'loot: .fill 16, 1, 0xcc\nevil: .fill 16, 1, 0xee' });
      const accomplice = kcallProgram([
        { type: 'K_SAFECOPYFROM', args: [ep(3), 0, 0, '=loot', 16] },
        { type: 'K_SAFECOPYTO', args: [ep(3), 0, 0, '=evil', 16] },
        { type: 'K_SAFECOPYFROM', args: [ep(3), 3, 0, '=loot2', 16] },
        { type: 'K_SAFECOPYTO', args: [ep(3), 3, 0, '=evil', 16] },
      ], { data: 'loot: .fill 16, 1, 0xcc\nloot2: .fill 16, 1, 0xcc\nevil: .fill 16, 1, 0xee' });
      const copy = ['safecopyfrom', 'safecopyto', 'setgrant'];
      const { s, text } = bootAttack(0, [
        { name: 'att', src: att, kcalls: copy },
        { name: 'acc', src: accomplice, kcalls: copy },
      ]);
      expect(s.run().kind).toBe('idle');
      const t = Array.from({ length: 7 }, (_, i) => s.msg('att', 'kmsg', i).type);
      for (const i of [0, 1, 2, 3, 4]) expect([i, t[i] < 0]).toEqual([i, true]);
      expect([t[5], t[6]]).toEqual([0, 0]);
      expect([...s.peek('att', 'loot', 16)!]).toEqual(Array(16).fill(0xcc));
      const a = Array.from({ length: 4 }, (_, i) => s.msg('acc', 'kmsg', i).type);
      // Grant 0 covers an address the attacker has not mapped: nothing moves.
      expect(a[0]).toBeLessThan(0);
      expect(a[1]).toBeLessThan(0);
      expect([...s.peek('acc', 'loot', 16)!]).toEqual(Array(16).fill(0xcc));
      // Grant 3 covers the attacker's own memory at the victim's address: never the victim's bytes.
      expect([...s.peek('acc', 'loot2', 16)!]).not.toContain(0xa5);
      expectVictimIntact(s, text);
    });

    it('a real grant cannot be stretched: past its end, offsets that wrap, writes beyond it', () => {
      const att = kcallProgram([
        { type: 'K_SAFECOPYFROM', args: [ep(1), 2, 0, '=loot', 32] },
        { type: 'K_SAFECOPYFROM', args: [ep(1), 2, 16, '=loot', 1] },
        { type: 'K_SAFECOPYFROM', args: [ep(1), 2, -1, '=loot', 2] },
        { type: 'K_SAFECOPYFROM', args: [ep(1), 2, 8, '=loot', -4] },
        { type: 'K_SAFECOPYTO', args: [ep(1), 2, 8, '=evil', 16] },
        { type: 'K_SAFECOPYTO', args: [ep(1), 2, 16, '=evil', 4] },
        { type: 'K_SAFECOPYTO', args: [ep(1), 2, -16, '=evil', 32] },
        { type: 'K_SAFECOPYFROM', args: [ep(1), 2, 0, '=fair', 16] },     // within the grant: allowed
      ], { data: 'loot: .fill 32, 1, 0xcc\nevil: .fill 32, 1, 0xee\nfair: .fill 16, 1, 0xcc' });
      const { s, text } = bootAttack(0, [{ name: 'att', src: att, kcalls: ['safecopyfrom', 'safecopyto'] }]);
      expect(s.run().kind).toBe('idle');
      const t = Array.from({ length: 8 }, (_, i) => s.msg('att', 'kmsg', i).type);
      for (let i = 0; i < 7; i++) expect([i, t[i] < 0]).toEqual([i, true]);
      expect(t[7]).toBe(0);
      expect([...s.peek('att', 'fair', 16)!]).toEqual(Array(16).fill(0xa5));
      expect([...s.peek('att', 'loot', 32)!]).toEqual(Array(32).fill(0xcc));
      expectVictimIntact(s, text);
    });
  });

  describe('isolation: pointers handed to the kernel', () => {
    it("system and kernel calls with a pointer into the victim's space, or to its physical page, fail with EFAULT", () => {
      const pre = `
      la s0, res
      # SYS_WRITE from the victim's address, and from its physical address
      li a0, 1
      li a1, ${VONLY}
      li a2, 16
      SYSCALL SYS_WRITE
      sw a0, 0(s0)
      li a0, 1
      la a1, vpa
      lw a1, 0(a1)
      li a2, 16
      SYSCALL SYS_WRITE
      sw a0, 4(s0)
      # a message there: send, sendrec, receive, and a kernel call
      li a0, ${ep(2)}
      li a1, ${VONLY}
      SYSCALL SYS_SEND
      sw a0, 8(s0)
      li a0, ${ep(2)}
      la a1, vpa
      lw a1, 0(a1)
      SYSCALL SYS_SENDREC
      sw a0, 12(s0)
      li a0, ANY
      li a1, ${VONLY}
      SYSCALL SYS_RECEIVE
      sw a0, 16(s0)
      li a0, SYSTEM
      li a1, ${VONLY}
      SYSCALL SYS_SENDREC
      sw a0, 20(s0)
      li a0, SYSTEM
      la a1, vpa
      lw a1, 0(a1)
      SYSCALL SYS_SENDREC
      sw a0, 24(s0)`;
      const att = kcallProgram([
        { type: 'K_SAFECOPYFROM', args: [ep(1), 2, 0, VONLY, 16] },        // into "my" address = the victim's
        { type: 'K_SAFECOPYTO', args: [ep(1), 2, 0, VONLY, 16] },
        { type: 'K_GETINFO', args: [1, VONLY, 480] },
        { type: 'K_UMAP', args: [VONLY, 16] },
      ], { pre, data: 'res: .fill 7, 4, 0x7777\nvpa: .word 0' });
      const { s, text } = bootAttack(0, [{ name: 'att', src: att, kcalls: ['safecopyfrom', 'safecopyto', 'getinfo', 'umap'], targets: ['friend'] }]);
      const pa = s.proc('victim').space!.translateUser(SECRET, false)!;
      plant(s, 'att', 'vpa', pa);
      const out0 = s.output();
      expect(s.run().kind).toBe('idle');
      expect([0, 1, 2, 3, 4, 5, 6].map((i) => s.word('att', 'res', i))).toEqual(Array(7).fill(E('EFAULT')));
      const t = Array.from({ length: 4 }, (_, i) => s.msg('att', 'kmsg', i).type);
      expect(t[0]).toBe(E('EFAULT'));
      expect(t[1]).toBe(E('EFAULT'));
      expect(t[2]).toBeLessThan(0);
      expect(t[3]).toBeLessThan(0);
      expect(s.output()).toBe(out0);
      expectVictimIntact(s, text);
    });

    it('kernel calls that would act on the victim are denied without the right', () => {
      const att = kcallProgram([
        { type: 'K_VMCTL', args: [2, ep(1), 0x11000, 0x1000, 0] },
        { type: 'K_VMCTL', args: [1, ep(1), 0x11000, 0x1000, 6] },
        { type: 'K_KILL', args: [ep(1), 9] },
        { type: 'K_EXIT', args: [ep(1), 0] },
        { type: 'K_EXEC', args: [ep(1), '=_start', 64] },
        { type: 'K_PRIVCTL', args: [0x8ace, 1, -1, -1, -1, -1, 0x80000000, 0x10000000] },
        { type: 'K_DEVMAP', args: [0x80000000, 0x100000, 0x40000000] },
      ]);
      const { s, text } = bootAttack(0, [{ name: 'att', src: att }]);
      expect(s.run().kind).toBe('idle');
      expect(Array.from({ length: 7 }, (_, i) => s.word('att', 'rets', i))).toEqual(Array(7).fill(E('EKCALLDENIED')));
      expect(s.peek('att', 0x40000000, 4)).toBeUndefined();
      expectVictimIntact(s, text);
    });
  });

  describe('isolation: privileged instructions, CSRs and MMIO', () => {
    const privileged: [string, string][] = [
      ['rd-satp', 'csrr t1, satp'],
      ['wr-satp', 'csrw satp, zero'],
      ['wr-mstatus', 'csrw mstatus, zero'],
      ['rd-mscratch', 'csrr t1, mscratch'],
      ['wr-mtvec', 'csrw mtvec, zero'],
      ['wr-pmpcfg0', 'csrw pmpcfg0, zero'],
      ['mret', 'mret'],
      ['sret', 'sret'],
      ['sfence', 'sfence.vma'],
    ];

    it('each privileged instruction or CSR access is an illegal instruction: SIGILL, tval the instruction', () => {
      const { s, text } = bootAttack(privileged.length, privileged.map(([name, insn]) => ({ name, src: oneShot(`hit: ${insn}`) })));
      const satp = s.proc('victim').space!.satp();
      expect(s.run().kind).toBe('idle');
      const f = faults(s, privileged.length);
      privileged.forEach(([name], i) => {
        const hit = s.sym(name, 'hit');
        const insn = s.word(name, hit) >>> 0;
        expect([name, ...f.get(ep(3 + i))!]).toEqual([name, SIG.SIGILL, 2, insn, hit]);
        expect(s.word(name, 'survived')).toBe(0);
      });
      expect(s.proc('victim').space!.satp()).toBe(satp);
      expectVictimIntact(s, text);
    });

    it('MMIO never granted is not mapped: the UART, CLINT, PLIC and the power-off device all fault', () => {
      const mmio: [string, string, number, number][] = [
        ['uart-rd', 'lbu t1, 5(t0)', MEMMAP.uart.base, 13],
        ['uart-wr', 'sb t1, 0(t0)', MEMMAP.uart.base, 15],
        ['clint-wr', 'sw t1, 0(t0)', MEMMAP.clint.base + CLINT_REG.MTIMECMP_LO, 15],
        ['plic-wr', 'sw t1, 0(t0)', MEMMAP.plic.base + 0x200004, 15],
        ['poweroff', 'sw t1, 0(t0)', MEMMAP.test.base, 15],
      ];
      const tvalOf = (insn: string, base: number): number => base + (insn.startsWith('lbu') ? 5 : 0);
      const devmap = kcallProgram([
        { type: 'K_DEVMAP', args: [MEMMAP.uart.base, 4096, 0x40000000] },
        { type: 'K_DEVMAP', args: [0x80000000, 4096, 0x40001000] },
      ]);
      // The kernel's own lines go elsewhere, so the UART's output is exactly what user code got through to it.
      const { s, text } = bootAttack(mmio.length, [
        ...mmio.map(([name, insn, addr]) => ({ name, src: oneShot(`    li t0, ${addr}\n    li t1, 0x5555\nhit: ${insn}`) })),
        { name: 'devmap', src: devmap, kcalls: ['devmap'] },
      ], { console: () => {} });
      const r = s.run();
      expect(r.kind).toBe('idle'); // not powered off
      const f = faults(s, mmio.length);
      mmio.forEach(([name, insn, addr, cause], i) => {
        expect([name, ...f.get(ep(3 + i))!]).toEqual([name, SIG.SIGSEGV, cause, tvalOf(insn, addr), s.sym(name, 'hit')]);
      });
      expect(s.msg('devmap', 'kmsg', 0).type).toBeLessThan(0);
      expect(s.msg('devmap', 'kmsg', 1).type).toBeLessThan(0);
      expect(s.output()).toBe(''); // the UART carried nothing of theirs
      expectVictimIntact(s, text);
    });
  });
});
