# misa: misa reads MXL = 1 (RV32) with exactly the extensions I, M, A, S, U
.include "prelude.inc"

test_main:
    csrr a0, misa
    srli t0, a0, 30
    CHECK t0, 1
    andi t0, a0, 0x100         # I
    CHECK t0, 0x100
    li t1, 0x1000              # M
    and t0, a0, t1
    CHECK t0, 0x1000
    andi t0, a0, 0x1           # A
    CHECK t0, 0x1
    li t1, 0x40000             # S
    and t0, a0, t1
    CHECK t0, 0x40000
    li t1, 0x100000            # U
    and t0, a0, t1
    CHECK t0, 0x100000
    andi t0, a0, 0x4           # no C
    CHECK t0, 0
    CHECK a0, 0x40141101
    PASS
