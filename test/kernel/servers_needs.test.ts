// Kernel behaviour the servers rely on (found while writing them): a
// notification never stands in for the reply a sendrec waits for (MINIX
// keeps it pending), safecopy reaches stack and heap pages not touched yet
// (as message copies do), EXEC names the new image, and PRIVCTL can set a
// priority (a service restarted by rs runs at its own).

import { describe, it, expect } from 'vitest';
import { engineNames } from '../../kernel/engines.ts';
import { boot as bootWith, buildProgram, kcallProgram, kcallTypes, kcallRets, ep } from './util.ts';
import { KERR, NOTIFY_MESSAGE, PRIV } from '../../kernel/abi.ts';

const E = (name: keyof typeof KERR): number => -KERR[name];
const types = kcallTypes;
const rets = kcallRets;

describe.each(engineNames)('%s engine', (engine) => {
  const boot: typeof bootWith = (progs, opts = {}) => bootWith(progs, { engine, ...opts });

  it('a notification from the peer of a sendrec waits until after the reply', () => {
    const client = `
      .globl _start
  _start:
      SETW msg, M_TYPE, 5
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDREC
      SAVE res
      li a0, ANY
      la a1, later
      SYSCALL SYS_RECEIVE
      la t0, res
      sw a0, 4(t0)
      PARK
      .data
  res: .word 7, 7
  msg: .space 64
  later: .space 64
  `;
    const server = `
      .globl _start
  _start:
      li a0, ANY
      la a1, msg
      SYSCALL SYS_RECEIVE
      li a0, ${ep(0)}
      SYSCALL SYS_NOTIFY
      SAVE nres
      SETW msg, M_TYPE, 0x99
      li a0, ${ep(0)}
      la a1, msg
      SYSCALL SYS_SEND
      SAVE sres
      PARK
      .data
  nres: .word 7
  sres: .word 7
  msg: .space 64
  `;
    const s = boot([
      { name: 'client', src: client, priority: 2, targets: ['server'] },
      { name: 'server', src: server, priority: 1, targets: ['client'] },
    ]);
    expect(s.run().kind).toBe('idle');
    expect([s.word('server', 'nres'), s.word('server', 'sres')]).toEqual([0, 0]);
    expect([s.word('client', 'res', 0), s.word('client', 'res', 1)]).toEqual([0, 0]);
    const reply = s.msg('client', 'msg');
    expect([reply.source, reply.type]).toEqual([ep(1), 0x99]);
    const n = s.msg('client', 'later');
    expect([n.source, n.type]).toEqual([ep(1), NOTIFY_MESSAGE]);
  });

  it('safecopy reaches stack pages neither side has touched yet', () => {
    const grantVa = 0x7fff0000, mineVa = 0x7ffe0000;
    const g = kcallProgram([{ type: 'K_SETGRANT', args: [3, ep(1), grantVa, 16, 3] }]);
    const r = kcallProgram([
      { type: 'K_SAFECOPYTO', args: [ep(0), 3, 0, '=src', 16] },
      { type: 'K_SAFECOPYFROM', args: [ep(0), 3, 4, mineVa, 8] },
      { type: 'K_SAFECOPYFROM', args: [ep(0), 3, 0, 0x40000000, 8] }, // not stack, not heap: still refused
    ], { data: `src: .byte ${Array.from({ length: 16 }, (_, i) => 0x50 + i).join(', ')}` });
    const s = boot([
      { name: 'g', src: g, priority: 1, kcalls: ['setgrant'] },
      { name: 'r', src: r, priority: 2, kcalls: ['safecopyfrom', 'safecopyto'] },
    ]);
    expect(s.peek('g', grantVa, 16)).toBeUndefined();
    expect(s.run().kind).toBe('idle');
    expect(types(s, 'g', 1)).toEqual([0]);
    expect(rets(s, 'r', 3)).toEqual([0, 0, 0]);
    expect(types(s, 'r', 3)).toEqual([0, 0, E('EFAULT')]);
    expect([...s.peek('g', grantVa, 16)!]).toEqual(Array.from({ length: 16 }, (_, i) => 0x50 + i));
    expect([...s.peek('r', mineVa, 8)!]).toEqual(Array.from({ length: 8 }, (_, i) => 0x54 + i));
  });

  it('EXEC with a name gives the new image that name; a bad name changes nothing', () => {
    const image = buildProgram('    .globl _start\n_start:\n    PARK\n', 'fresh');
    const u = `
      .globl _start
  _start:
      li a0, ${ep(1)}
      la a1, msg
      SYSCALL SYS_SENDREC
      PARK
      .data
  msg: .space 64
  `;
    const pm = kcallProgram([
      { type: 'K_EXEC', args: [ep(0), '=image', image.elf.length, '=long', 40] },
      { type: 'K_EXEC', args: [ep(0), '=image', image.elf.length, '=ctl', 4] },
      { type: 'K_EXEC', args: [ep(0), '=image', image.elf.length, '=nm', 5] },
    ], {
      pre: '    li a0, ANY\n    la a1, msg\n    SYSCALL SYS_RECEIVE',
      data: `msg: .space 64\nlong: .fill 40, 1, 0x61\nctl: .byte 0x61, 0x0a, 0x62, 0x63\nnm: .ascii "fresh"\nimage: .byte ${[...image.elf].join(', ')}`,
    });
    const s = boot([
      { name: 'u', src: u, priority: 1, targets: ['pm'] },
      { name: 'pm', src: pm, priority: 2, kcalls: ['exec'], targets: 'any' },
    ]);
    expect(s.run().kind).toBe('idle');
    expect(types(s, 'pm', 3)).toEqual([E('EINVAL'), E('EINVAL'), 0]);
    expect(s.kernel.procs.lookup(ep(0))!.name).toBe('fresh');
  });

  it('PRIVCTL with SET_PRIORITY moves a process to that priority; out of range is EINVAL', () => {
    const rs = kcallProgram([
      { type: 'K_PRIVCTL', args: [ep(0), PRIV.SET_PRIORITY, 0, 0, 0, 0, 0, 0, 9] },
      { type: 'K_PRIVCTL', args: [ep(0), PRIV.SET_PRIORITY, 0, 0, 0, 0, 0, 0, 16] },
    ]);
    const s = boot([
      { name: 'x', src: '    .globl _start\n_start:\n    PARK\n', priority: 3 },
      { name: 'rs', src: rs, priority: 4, kcalls: ['privctl'] },
    ]);
    expect(s.run().kind).toBe('idle');
    expect(types(s, 'rs', 2)).toEqual([0, E('EINVAL')]);
    expect(s.proc('x').priority).toBe(9);
  });
});
