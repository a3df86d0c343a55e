# wfi_wakes_mie0: wfi resumes when an interrupt enabled in mie becomes pending, even with mstatus.MIE = 0; no trap is taken
.include "prelude.inc"

test_main:
    li t0, MIP_MTIP
    csrs mie, t0
    csrci mstatus, MSTATUS_MIE
    TIMER_IN 30
    wfi
    CHECK_TRAPS 0
    # wfi may also return early; the timer must become pending soon
    li t1, 100000
1:
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    bnez t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:
    CHECK t0, MIP_MTIP
    CHECK_TRAPS 0
    TIMER_OFF
    PASS
