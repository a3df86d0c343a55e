# load_store_width: lb/lh sign-extend, lbu/lhu zero-extend, sb/sh write only their bytes (little-endian)
.include "prelude.inc"

test_main:
    la s0, buf
    lb a0, 0(s0)
    CHECK a0, 0xffffff80
    lbu a0, 0(s0)
    CHECK a0, 0x80
    lb a0, 1(s0)
    CHECK a0, 0x7f
    lh a0, 2(s0)
    CHECK a0, 0xffff8001
    lhu a0, 2(s0)
    CHECK a0, 0x8001
    lw a0, 0(s0)
    CHECK a0, 0x80017f80
    li t0, 0xaabbccdd
    sb t0, 4(s0)
    sh t0, 6(s0)
    lw a0, 4(s0)
    CHECK a0, 0xccdd11dd
    lw a0, 8(s0)
    CHECK a0, 0x33333333
    # negative offsets
    addi s1, s0, 8
    lbu a0, -8(s1)
    CHECK a0, 0x80
    PASS

.data
.balign 4
buf:
    .byte 0x80, 0x7f, 0x01, 0x80
    .word 0x11111111
    .word 0x33333333
