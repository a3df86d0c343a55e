# sie_sip_view: sie and sip show mie and mip only where mideleg delegates; writes through them reach only those bits
.include "prelude.inc"

test_main:
    TIMER_OFF
    li t0, 0x222
    csrs mie, t0
    li t0, MIP_SSIP
    csrs mip, t0
    # nothing delegated: sie and sip read 0 and ignore writes
    csrw mideleg, zero
    csrr a0, sie
    CHECK a0, 0
    csrr a0, sip
    CHECK a0, 0
    li t0, -1
    csrc sie, t0
    csrr a0, mie
    CHECK a0, 0x222
    # SSI and STI delegated
    li t0, 0x22
    csrw mideleg, t0
    csrr a0, sie
    CHECK a0, 0x22
    csrr a0, sip
    CHECK a0, MIP_SSIP
    li t0, MIP_STIP
    csrs mip, t0
    csrr a0, sip
    CHECK a0, 0x22
    # S clears SSIP and the S enables through the views
    li t0, -1
    csrc sip, t0               # only SSIP is writable in sip
    csrr a0, mip
    CHECK a0, 0x20
    li t0, -1
    csrc sie, t0
    csrr a0, mie
    CHECK a0, MIP_SEIP         # the undelegated SEIE is untouched
    li t0, -1
    csrs sie, t0
    csrr a0, mie
    CHECK a0, 0x222
    csrw mip, zero
    csrw mie, zero
    PASS
