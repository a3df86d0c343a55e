# counter_write_cycle: mcycle, mcycleh, minstret and minstreth are writable and count on from the value written
.include "prelude.inc"

test_main:
    li t0, 1000
    csrw mcycle, t0
    csrr a0, mcycle
    li t1, 1000
    sltu t2, a0, t1
    CHECK t2, 0                # >= 1000
    li t1, 1100
    sltu t2, a0, t1
    CHECK t2, 1                # < 1100
    li t0, 0x12345
    csrw mcycleh, t0
    csrr a0, mcycleh
    CHECK a0, 0x12345
    csrw mcycleh, zero
    rdcycleh a0
    CHECK a0, 0
    li t0, 5000
    csrw minstret, t0
    rdinstret a0
    li t1, 5000
    sltu t2, a0, t1
    CHECK t2, 0
    li t1, 5003
    sltu t2, a0, t1
    CHECK t2, 1
    PASS
