# irq_mtimer: mtimecmp <= mtime raises MTIP; with MTIE and MIE the hart leaves wfi into the M handler (mcause 0x80000007, mepc = after the wfi)
.include "prelude.inc"

test_main:
    TIMER_IN 50
    csrr t0, mip               # not pending yet
    andi t0, t0, MIP_MTIP
    CHECK t0, 0
    li t0, MIP_MTIP
    csrs mie, t0
    EXPECT_TRAP back
    csrsi mstatus, MSTATUS_MIE
    wfi
after_wfi:
    WAIT_IRQ

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_MTI, after_wfi
    CHECK_TVAL 0
    # still pending until mtimecmp moves
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK t0, MIP_MTIP
    TIMER_OFF
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK t0, 0
    PASS
