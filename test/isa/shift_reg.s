# shift_reg: sll/srl/sra use only the low 5 bits of rs2 (amounts 0, 31, 32, 33, -1)
.include "prelude.inc"

test_main:
    li s0, 0x80000001
    li t0, 32                  # low 5 bits 0
    sll a0, s0, t0
    CHECK a0, 0x80000001
    srl a0, s0, t0
    CHECK a0, 0x80000001
    sra a0, s0, t0
    CHECK a0, 0x80000001
    li t0, 33                  # low 5 bits 1
    sll a0, s0, t0
    CHECK a0, 2
    srl a0, s0, t0
    CHECK a0, 0x40000000
    sra a0, s0, t0
    CHECK a0, 0xc0000000
    li t0, -1                  # low 5 bits 31
    sll a0, s0, t0
    CHECK a0, 0x80000000
    srl a0, s0, t0
    CHECK a0, 1
    sra a0, s0, t0
    CHECK a0, 0xffffffff
    li t0, 0xffffffe0          # upper bits set, low 5 bits 0
    sra a0, s0, t0
    CHECK a0, 0x80000001
    li t0, 0x7fffff24          # low 5 bits 4
    srl a0, s0, t0
    CHECK a0, 0x08000000
    sra a0, s0, t0
    CHECK a0, 0xf8000000
    sll a0, s0, t0
    CHECK a0, 0x10
    # shift by x0
    sra a0, s0, zero
    CHECK a0, 0x80000001
    PASS
