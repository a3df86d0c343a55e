# misaligned_store: misaligned sw/sh are performed (as on QEMU 7.2), writing exactly their bytes, no trap
.include "prelude.inc"

test_main:
    la s0, buf
    li t0, 0x44332211
    sw t0, 1(s0)
    lw a0, 0(s0)
    CHECK a0, 0x332211ee
    lw a0, 4(s0)
    CHECK a0, 0xeeeeee44
    li t0, 0x8877
    sh t0, 7(s0)               # crosses a word boundary
    lw a0, 4(s0)
    CHECK a0, 0x77eeee44
    lw a0, 8(s0)
    CHECK a0, 0xeeeeee88
    li t0, 0xa1b2c3d4
    sw t0, 14(s0)              # crosses a 16-byte boundary
    lw a0, 12(s0)
    CHECK a0, 0xc3d4eeee
    lw a0, 16(s0)
    CHECK a0, 0xeeeea1b2
    CHECK_TRAPS 0
    PASS

.data
.balign 16
buf:
    .fill 24, 1, 0xee
