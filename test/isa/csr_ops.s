# csr_ops: csrrw/csrrs/csrrc and their immediate forms return the old value and write, set or clear bits
.include "prelude.inc"

test_main:
    li t0, 0x12345678
    csrw mscratch, t0
    li t1, 0xf0f0f0f0
    csrrw a0, mscratch, t1
    CHECK a0, 0x12345678
    csrr a0, mscratch
    CHECK a0, 0xf0f0f0f0
    li t1, 0x0000000f
    csrrs a0, mscratch, t1
    CHECK a0, 0xf0f0f0f0
    csrr a0, mscratch
    CHECK a0, 0xf0f0f0ff
    li t1, 0xf000000f
    csrrc a0, mscratch, t1
    CHECK a0, 0xf0f0f0ff
    csrr a0, mscratch
    CHECK a0, 0x00f0f0f0
    csrrwi a0, mscratch, 0x1f
    CHECK a0, 0x00f0f0f0
    csrr a0, mscratch
    CHECK a0, 0x1f
    csrrci a0, mscratch, 0x3
    CHECK a0, 0x1f
    csrrsi a0, mscratch, 0x10
    CHECK a0, 0x1c
    csrr a0, mscratch
    CHECK a0, 0x1c
    # rd = rs1: the old value is read before the write
    li a1, 0x55
    csrrw a1, mscratch, a1
    CHECK a1, 0x1c
    csrr a0, mscratch
    CHECK a0, 0x55
    # sscratch is a separate register
    li t0, 0x77
    csrw sscratch, t0
    csrr a0, mscratch
    CHECK a0, 0x55
    PASS
