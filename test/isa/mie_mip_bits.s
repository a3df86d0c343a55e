# mie_mip_bits: in mie only the six M/S interrupt bits (0xaaa) are writable; mip lets M write SSIP, STIP, SEIP; mideleg only S bits
# qemu: fail 3 — QEMU 7.2 keeps the VS-level (2, 6, 10) and counter-overflow (13) interrupt bits writable in mie, mip and mideleg even with the H extension and Sscofpmf disabled
.include "prelude.inc"

test_main:
    TIMER_OFF
    li t0, -1
    csrw mideleg, t0
    csrr t0, mideleg
    li t1, 0x888               # M-level interrupts cannot be delegated
    and t1, t0, t1
    CHECK t1, 0
    andi t1, t0, 0x222
    CHECK t1, 0x222
    csrw mideleg, zero
    li t0, -1
    csrw mie, t0
    csrr t0, mie
    li t1, 0xfff
    and t1, t0, t1
    CHECK t1, 0xaaa
    CHECK t0, 0xaaa
    csrw mie, zero
    li t0, -1
    csrw mip, t0
    csrr t0, mip
    CHECK t0, 0x222
    csrw mip, zero
    csrr t0, mip
    CHECK t0, 0
    csrr t0, mideleg
    CHECK t0, 0
    PASS
