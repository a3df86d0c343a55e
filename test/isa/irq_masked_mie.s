# irq_masked_mie: with mstatus.MIE = 0 a pending, enabled M interrupt is visible in mip but not taken; setting MIE takes it at once
.include "prelude.inc"

test_main:
    li t0, MIP_MSIP
    csrs mie, t0
    li s0, CLINT_MSIP
    li t0, 1
    sw t0, 0(s0)
    # spin: the interrupt stays pending, untaken
    li t1, 200
1:
    addi t1, t1, -1
    bnez t1, 1b
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK t0, MIP_MSIP
    CHECK_TRAPS 0
    EXPECT_TRAP back
    csrsi mstatus, MSTATUS_MIE
after_enable:
    WAIT_IRQ

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_MSI, after_enable
    sw zero, 0(s0)
    PASS
