# irq_msoft: CLINT msip = 1 sets mip.MSIP and, with MSIE and MIE, traps with mcause 0x80000003; msip = 0 clears it
.include "prelude.inc"

test_main:
    li s0, CLINT_MSIP
    li t0, 1
    sw t0, 0(s0)
    lw t0, 0(s0)
    CHECK t0, 1
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK t0, MIP_MSIP
    CHECK_TRAPS 0
    li t0, MIP_MSIP
    csrs mie, t0
    EXPECT_TRAP back
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQ

back:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_MSI
    sw zero, 0(s0)
    lw t0, 0(s0)
    CHECK t0, 0
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK t0, 0
    # only bit 0 of msip is implemented
    li t0, 0xfffffffe
    sw t0, 0(s0)
    lw t0, 0(s0)
    CHECK t0, 0
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK t0, 0
    PASS
