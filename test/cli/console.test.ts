// cli/console.ts without a terminal: when stdin has ended, a guest that can
// do nothing more stops the run (StopReason 'idle', exit 125 in the CLI)
// instead of hanging, whether it sleeps in wfi with no timer or keeps a
// periodic timer going (as a booted system does) while printing nothing.

import { PassThrough, Readable } from 'node:stream';
import { describe, it, expect } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { runConsole, QUIET_TICKS } from '../../cli/console.ts';

/** M-mode: a timer interrupt every `period` ticks, forever; prints `hello` first if asked. */
function ticker(period: number, hello: boolean): Uint8Array {
  return assemble(`
    .equ MTIMECMP, 0x02004000
    .equ MTIME, 0x0200bff8
    .globl _start
_start:
    ${hello ? 'li t0, 0x10000000\n    li t1, 0x68\n    sb t1, 0(t0)' : ''}
    la t0, handler
    csrw mtvec, t0
    call arm
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
1:  wfi
    j 1b
    .balign 4
handler:
    call arm
    mret
arm:
    li t0, MTIME
    lw t1, 0(t0)
    li t2, ${period}
    add t1, t1, t2
    li t0, MTIMECMP
    li t3, -1
    sw t3, 4(t0)
    sw t1, 0(t0)
    sw zero, 4(t0)
    ret
`, { filename: 'ticker.s' }).elf;
}

function run(elf: Uint8Array): Promise<{ kind: string; mtime: number; out: string }> {
  let out = '';
  const board = new Board({ output: (b) => { out += String.fromCharCode(b); } });
  loadProgram(board, elf);
  const input = Readable.from([]) as unknown as NodeJS.ReadableStream;
  return runConsole(board, { input, output: new PassThrough(), slice: 200_000 })
    .then((r) => ({ kind: r.kind, mtime: board.mtime(), out }));
}

describe('the console without a terminal, once stdin has ended', () => {
  it('a guest with a periodic timer that prints nothing stops after QUIET_TICKS of guest time', async () => {
    const r = await run(ticker(100_000, false));
    expect(r.kind).toBe('idle');
    expect(r.mtime).toBeGreaterThanOrEqual(QUIET_TICKS); // checked between slices, so it may run on a little
  }, 60_000);

  it('the quiet time counts from the last byte the guest printed', async () => {
    const r = await run(ticker(100_000, true));
    expect(r.out).toBe('h');
    expect(r.kind).toBe('idle');
    expect(r.mtime).toBeGreaterThanOrEqual(QUIET_TICKS);
  }, 60_000);
});
