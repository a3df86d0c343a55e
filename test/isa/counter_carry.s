# counter_carry: minstret and mcycle are 64-bit: counting past 0xffffffff in the low word carries into minstreth / mcycleh
# qemu: fail 1 — QEMU 7.2 keeps the two halves of a written counter apart: the low word wraps without carrying into the high word
.include "prelude.inc"

test_main:
    csrw minstreth, zero
    li t0, -2
    csrw minstret, t0
    nop
    nop
    nop
    nop
    csrr a1, minstreth
    CHECK a1, 1
    csrr a0, minstret
    sltiu t0, a0, 100
    CHECK t0, 1
    csrw mcycleh, zero
    li t0, -2
    csrw mcycle, t0
    li t1, 100
1:
    addi t1, t1, -1
    bnez t1, 1b
    csrr a1, mcycleh
    CHECK a1, 1
    csrw mcycleh, zero
    csrw minstreth, zero
    PASS
