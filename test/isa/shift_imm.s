# shift_imm: slli/srli/srai by 0, 1 and 31 (srai keeps the sign, srli fills zeros)
.include "prelude.inc"

test_main:
    li s0, 0x80000001
    li s1, 0x7ffffffe
    slli a0, s0, 0
    CHECK a0, 0x80000001
    srli a0, s0, 0
    CHECK a0, 0x80000001
    srai a0, s0, 0
    CHECK a0, 0x80000001
    slli a0, s0, 31
    CHECK a0, 0x80000000
    slli a0, s1, 31
    CHECK a0, 0
    srli a0, s0, 31
    CHECK a0, 1
    srai a0, s0, 31
    CHECK a0, 0xffffffff
    srai a0, s1, 31
    CHECK a0, 0
    srli a0, s0, 1
    CHECK a0, 0x40000000
    srai a0, s0, 1
    CHECK a0, 0xc0000000
    slli a0, s0, 1
    CHECK a0, 2
    li t0, 0x12345678
    srai a0, t0, 4
    CHECK a0, 0x01234567
    PASS
