# instret_exact: minstret counts every retired instruction exactly: 11 between two reads around 10 instructions
.include "prelude.inc"

test_main:
    csrr s0, minstret
    nop
    nop
    addi t0, zero, 1
    addi t0, t0, 1
    nop
    nop
    nop
    nop
    nop
    nop
    csrr s1, minstret
    sub a0, s1, s0
    CHECK a0, 11
    # a loop: 3 instructions per iteration, 100 iterations, plus the li
    csrr s0, instret
    li t0, 100
1:
    addi t0, t0, -1
    nop
    bnez t0, 1b
    csrr s1, instret
    sub a0, s1, s0
    CHECK a0, 302
    # taken and not-taken branches and jumps count once each
    csrr s0, minstret
    beq zero, zero, 2f
2:
    bne zero, zero, 2b
    jal zero, 3f
3:
    csrr s1, minstret
    sub a0, s1, s0
    CHECK a0, 4
    PASS
