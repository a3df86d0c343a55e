# counter_write: a csrw to minstret replaces that instruction's own increment: reading right after gives exactly the value written
# qemu: fail 1 — QEMU 7.2 also counts the csrw that wrote minstret, so the next read gives the value + 1
.include "prelude.inc"

test_main:
    li t0, 100
    csrw minstret, t0
    csrr a0, minstret
    CHECK a0, 100
    li t0, 200
    csrw minstret, t0
    nop
    nop
    csrr a0, minstret
    CHECK a0, 202
    # the high half
    li t0, 7
    csrw minstreth, t0
    csrr a0, minstreth
    CHECK a0, 7
    csrw minstreth, zero
    PASS
