# counters: cycle, time and instret (and their m-mode and high-half views) count up; cycle and mcycle are one counter
.include "prelude.inc"

test_main:
    rdcycle s0
    rdinstret s1
    rdtime s2
    li t0, 2000                # about 4000 instructions
1:
    addi t0, t0, -1
    bnez t0, 1b
    rdcycle s3
    rdinstret s4
    sub t0, s3, s0
    sltiu t1, t0, 1
    CHECK t1, 0                # cycle moved
    sub t0, s4, s1
    li t2, 4000
    sltu t1, t0, t2
    CHECK t1, 0                # at least 4000 instructions retired
    # time moves too (bounded wait)
    li t1, 1000000
2:
    rdtime s5
    bne s5, s2, 3f
    addi t1, t1, -1
    bnez t1, 2b
3:
    CHECK_NE t1, 0
    # the user views read the machine counters
    csrr a0, mcycle
    rdcycle a1
    sub t0, a1, a0
    sltiu t1, t0, 100
    CHECK t1, 1
    csrr a0, minstret
    rdinstret a1
    sub t0, a1, a0
    CHECK t0, 1
    # the high halves are consistent with their views
    csrr a0, mcycleh
    rdcycleh a1
    CHECK_REG a0, a1
    csrr a0, minstreth
    rdinstreth a1
    CHECK_REG a0, a1
    PASS
