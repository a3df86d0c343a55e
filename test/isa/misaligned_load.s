# misaligned_load: misaligned lw/lh/lhu are performed (as on QEMU 7.2), giving the little-endian bytes, no trap
.include "prelude.inc"

test_main:
    la s0, bytes
    lw a0, 1(s0)
    CHECK a0, 0x04030201
    lw a0, 2(s0)
    CHECK a0, 0x05040302
    lw a0, 3(s0)
    CHECK a0, 0x06050403
    lw a0, 7(s0)               # crosses an 8-byte boundary
    CHECK a0, 0x0a090807
    lh a0, 1(s0)
    CHECK a0, 0x0201
    lh a0, 13(s0)              # sign-extended: bytes 0x8d 0x8e
    CHECK a0, 0xffff8e8d
    lhu a0, 13(s0)
    CHECK a0, 0x8e8d
    lh a0, 15(s0)              # crosses a 16-byte boundary
    CHECK a0, 0x1110
    CHECK_TRAPS 0
    PASS

.data
.balign 16
bytes:
    .byte 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
    .byte 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x8d, 0x8e, 0x10
    .byte 0x11, 0x12, 0x13, 0x14
