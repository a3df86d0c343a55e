# div_overflow: INT_MIN / -1 = INT_MIN with remainder 0; division truncates toward zero
.include "prelude.inc"

test_main:
    li s0, 0x80000000
    li s1, -1
    div a0, s0, s1
    CHECK a0, 0x80000000
    rem a0, s0, s1
    CHECK a0, 0
    # unsigned: 0x80000000 / 0xffffffff = 0, remainder the dividend
    divu a0, s0, s1
    CHECK a0, 0
    remu a0, s0, s1
    CHECK a0, 0x80000000
    # rounding toward zero; the remainder takes the dividend's sign
    li t0, -7
    li t1, 2
    div a0, t0, t1
    CHECK a0, -3
    rem a0, t0, t1
    CHECK a0, -1
    li t0, 7
    li t1, -2
    div a0, t0, t1
    CHECK a0, -3
    rem a0, t0, t1
    CHECK a0, 1
    li t0, -7
    li t1, -2
    div a0, t0, t1
    CHECK a0, 3
    rem a0, t0, t1
    CHECK a0, -1
    # INT_MIN / 1 and INT_MIN / -2
    li t1, 1
    div a0, s0, t1
    CHECK a0, 0x80000000
    li t1, -2
    div a0, s0, t1
    CHECK a0, 0x40000000
    # unsigned division of values with the top bit set
    li t0, 0xfffffffe
    li t1, 0x7fffffff
    divu a0, t0, t1
    CHECK a0, 2
    remu a0, t0, t1
    CHECK a0, 0
    CHECK_TRAPS 0
    PASS
