// Interrupts (docs/kernel.md, "Interrupts"): a user-mode UART driver maps
// the UART's page (DEVMAP), turns on its receive interrupt, registers PLIC
// line 10 (IRQCTL SETPOLICY) and then gets each receive interrupt as a
// notification from HARDWARE with the line's bit in p0; the line stays in
// service until the driver re-enables it with IRQCTL ENABLE. Only a process
// given the line may register it.

import { describe, it, expect } from 'vitest';
import { boot, kcallProgram } from './util.ts';
import { ENDPOINT, NOTIFY_MESSAGE } from '../../kernel/abi.ts';
import { MEMMAP } from '../../vm/board.ts';

const UART = MEMMAP.uart.base;
const LINE = MEMMAP.uart.irq;

/**
 * The driver: map the UART at 0x40000000, enable its receive interrupt
 * (IER.ERBFI), register the line; then for each notification record
 * (m_source, m_type, p0) in `notes`, drain the receiver into `buf` echoing
 * each byte upper-cased, and (if `reenable`) re-enable the line.
 */
const driver = (reenable: boolean): string => kcallProgram([
  { type: 'K_DEVMAP', args: [UART, 4096, 0x40000000] },
  { type: 'K_IRQCTL', args: [1, LINE], after: `
    li t0, 0x40000000
    li t1, 1
    sb t1, 1(t0)` },
], { post: `
    li s2, 0                  # notifications
    li s3, 0                  # bytes
loop:
    li a0, HARDWARE
    la a1, note
    SYSCALL SYS_RECEIVE
    la t0, note
    la t1, notes
    slli t2, s2, 4
    add t1, t1, t2
    lw t3, 0(t0)
    sw t3, 0(t1)
    lw t3, 4(t0)
    sw t3, 4(t1)
    lw t3, 8(t0)
    sw t3, 8(t1)
    sw a0, 12(t1)
    addi s2, s2, 1
    la t0, nnotes
    sw s2, 0(t0)
    ${reenable ? '' : 'j loop'}
    li t0, 0x40000000
drain:
    lbu t1, 5(t0)             # LSR
    andi t1, t1, 1            # DR
    beqz t1, drained
    lbu t1, 0(t0)             # RBR
    la t2, buf
    add t2, t2, s3
    sb t1, 0(t2)
    addi s3, s3, 1
    addi t1, t1, -32
    sb t1, 0(t0)              # THR: echo, upper case
    j drain
drained:
    SETW emsg, M_TYPE, K_IRQCTL
    SETW emsg, P0, 2
    SETW emsg, P1, ${LINE}
    KCALL emsg
    la t0, eret
    sw a0, 0(t0)
    j loop`, data: `note: .space 64
emsg: .space 64
eret: .word 7
nnotes: .word 0
notes: .space 16 * 64
buf: .space 64` });

const DRIVER = { kcalls: ['devmap', 'irqctl'], irqs: [LINE], mmio: [{ base: UART, size: 4096 }] };
const hog = '.globl _start\n_start:\n1:  j 1b\n';

describe('interrupts', () => {
  it('a user-mode UART driver gets receive interrupts as HARDWARE notifications and reads the bytes itself', () => {
    const out: string[] = [];
    const s = boot([
      { name: 'drv', src: driver(true), priority: 2, ...DRIVER },
      { name: 'hog', src: hog, priority: 7 },
    ], { console: (t) => out.push(t) });
    s.run(300_000);
    expect(s.msg('drv', 'kmsg', 0).type).toBe(0);
    expect(s.msg('drv', 'kmsg', 1).type).toBe(0);
    expect(s.word('drv', 'nnotes')).toBe(0);
    s.board.input(Buffer.from('hello'));
    s.run(300_000); // the hog keeps the hart busy: interrupts must still get through
    const n = s.word('drv', 'nnotes');
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(5);
    for (let i = 0; i < n; i++) {
      const note = [0, 1, 2, 3].map((j) => s.word('drv', 'notes', 4 * i + j));
      expect([note[0], note[1], note[2] & (1 << LINE), note[3]]).toEqual([ENDPOINT.HARDWARE, NOTIFY_MESSAGE, 1 << LINE, 0]);
    }
    expect(Buffer.from(s.peek('drv', 'buf', 5)!).toString('latin1')).toBe('hello');
    expect(s.word('drv', 'eret')).toBe(0);
    expect(s.msg('drv', 'emsg').type).toBe(0);
    expect(s.output()).toBe('HELLO'); // its echo, written straight to THR
    expect(s.board.hasPendingInput()).toBe(false);
  });

  it('the line stays in service (no second notification) until the driver re-enables it', () => {
    const s = boot([{ name: 'drv', src: driver(false), ...DRIVER }]);
    expect(s.run().kind).toBe('idle');
    s.board.input(Buffer.from('a'));
    s.run(100_000);
    expect(s.word('drv', 'nnotes')).toBe(1);
    s.board.input(Buffer.from('bcd'));
    s.run(100_000);
    s.run(100_000);
    expect(s.word('drv', 'nnotes')).toBe(1);
  });

  it('only a process given the line may register it; a line it does not own it may not enable', () => {
    const s = boot([
      { name: 'drv', src: driver(true), priority: 1, ...DRIVER },
      { name: 'intruder', priority: 2, kcalls: ['irqctl'], irqs: [11], src: kcallProgram([
        { type: 'K_IRQCTL', args: [1, LINE] },   // not in its privileges
        { type: 'K_IRQCTL', args: [2, LINE] },
        { type: 'K_IRQCTL', args: [3, LINE] },
        { type: 'K_IRQCTL', args: [2, 11] },     // its own line, never registered
      ]) },
      { name: 'nobody', priority: 2, src: kcallProgram([{ type: 'K_IRQCTL', args: [1, 11] }]) },
    ]);
    expect(s.run().kind).toBe('idle');
    for (let i = 0; i < 4; i++) expect([i, s.msg('intruder', 'kmsg', i).type < 0]).toEqual([i, true]);
    expect(s.msg('nobody', 'kmsg').type).toBe(0x608);
    expect(s.word('nobody', 'rets')).toBe(-106);
    // The driver still owns the line and hears the UART.
    s.board.input(Buffer.from('x'));
    s.run(100_000);
    expect(s.word('drv', 'nnotes')).toBe(1);
    expect(Buffer.from(s.peek('drv', 'buf', 1)!).toString('latin1')).toBe('x');
  });
});
