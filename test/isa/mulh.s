# mulh: mul/mulh/mulhsu/mulhu give the low and high words of 64-bit products, signs and extremes
.include "prelude.inc"

test_main:
    li s0, 0x80000000          # INT_MIN
    li s1, 0xffffffff          # -1 / 2^32 - 1
    li s2, 0x7fffffff          # INT_MAX
    li s3, 3
    # mul: low word, sign-independent
    mul a0, s1, s1
    CHECK a0, 1
    mul a0, s0, s1
    CHECK a0, 0x80000000
    mul a0, s2, s3
    CHECK a0, 0x7ffffffd
    # mulh (signed x signed)
    mulh a0, s1, s1            # (-1)(-1) = 1
    CHECK a0, 0
    mulh a0, s0, s0            # 2^62
    CHECK a0, 0x40000000
    mulh a0, s0, s1            # 2^31
    CHECK a0, 0
    mulh a0, s0, s2            # -2^62 + 2^31
    CHECK a0, 0xc0000000
    mulh a0, s2, s3            # 0x1_7ffffffd
    CHECK a0, 1
    li t0, -3
    mulh a0, s2, t0            # -0x1_7ffffffd
    CHECK a0, 0xfffffffe
    # mulhu (unsigned x unsigned)
    mulhu a0, s1, s1           # (2^32-1)^2 = 0xfffffffe_00000001
    CHECK a0, 0xfffffffe
    mulhu a0, s0, s0           # 2^62
    CHECK a0, 0x40000000
    mulhu a0, s1, s3
    CHECK a0, 2
    # mulhsu (signed rs1 x unsigned rs2)
    mulhsu a0, s1, s1          # -1 * (2^32-1) = 0xffffffff_00000001
    CHECK a0, 0xffffffff
    mulhsu a0, s0, s1          # -2^31 * (2^32-1) = 0x80000000_80000000
    CHECK a0, 0x80000000
    mulhsu a0, s1, s0          # -1 * 2^31
    CHECK a0, 0xffffffff
    mulhsu a0, s2, s1          # (2^31-1)(2^32-1) = 0x7ffffffe_80000001
    CHECK a0, 0x7ffffffe
    mulhsu a0, s3, s1          # 3 * (2^32-1)
    CHECK a0, 2
    mulhsu a0, zero, s1
    CHECK a0, 0
    # the high word of a product with a zero operand is zero
    mulh a0, s0, zero
    CHECK a0, 0
    PASS
