import { describe, it, expect } from 'vitest';
import { bootPrograms, ep } from './harness.ts';

describe('kernel smoke', () => {
  it('a client and a server exchange messages by sendrec', () => {
    const server = `
    .globl _start
_start:
1:  li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
    la t0, msg
    lw t1, 0(t0)          # m_source
    lw t2, 4(t0)          # m_type
    addi t2, t2, 100
    sw t2, 4(t0)
    mv a0, t1
    la a1, msg
    SYSCALL SYS_SEND      # the reply
    j 1b
    .data
msg: .space 64
`;
    const client = `
    .globl _start
_start:
    li s0, 0
    li s1, 0
1:  la t0, msg
    sw s0, 4(t0)
    li a0, ${ep(0)}
    la a1, msg
    SYSCALL SYS_SENDREC
    bnez a0, fail
    la t0, msg
    lw t1, 4(t0)
    add s1, s1, t1
    addi s0, s0, 1
    li t2, 10
    blt s0, t2, 1b
    li t3, 45 + 1000
    bne s1, t3, fail
    PRINT ok
    EXIT 0
fail:
    EXIT 1
    .data
ok: .asciz "client done\\n"
msg: .space 64
`;
    const { board, kernel, output } = bootPrograms([
      { name: 'server', src: server, targets: 'any' },
      { name: 'client', src: client, targets: ['server'] },
    ]);
    const r = board.run(10_000_000);
    expect(output()).toContain('client done');
    expect(kernel.log).toContain('exit client 0');
    expect(r.kind).not.toBe('limit');
  });
});
