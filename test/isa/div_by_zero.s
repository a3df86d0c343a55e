# div_by_zero: div/divu/rem/remu by zero give all ones / all ones / dividend / dividend, no trap
.include "prelude.inc"

test_main:
    li s0, 1234567
    li s1, -99
    li s2, 0x80000000
    # div: quotient of division by zero has all bits set
    div a0, s0, zero
    CHECK a0, -1
    div a0, s1, zero
    CHECK a0, -1
    div a0, s2, zero
    CHECK a0, -1
    div a0, zero, zero
    CHECK a0, -1
    # divu: 2^32 - 1
    divu a0, s0, zero
    CHECK a0, 0xffffffff
    divu a0, s1, zero
    CHECK a0, 0xffffffff
    # rem: the dividend
    rem a0, s0, zero
    CHECK a0, 1234567
    rem a0, s1, zero
    CHECK a0, -99
    rem a0, s2, zero
    CHECK a0, 0x80000000
    # remu: the dividend
    remu a0, s1, zero
    CHECK a0, -99
    remu a0, s2, zero
    CHECK a0, 0x80000000
    # a zero divisor held in a register other than x0
    li t0, 0
    rem a0, s0, t0
    CHECK a0, 1234567
    divu a0, s0, t0
    CHECK a0, -1
    # no trap was taken
    CHECK_TRAPS 0
    PASS
