# mie_mask: a pending M interrupt whose mie bit is clear is not taken even with MIE = 1; setting the mie bit takes it
.include "prelude.inc"

test_main:
    li s0, CLINT_MSIP
    li t0, 1
    sw t0, 0(s0)
    li t0, MIP_MSIP
    csrc mie, t0
    csrsi mstatus, MSTATUS_MIE
    li t1, 200
1:
    addi t1, t1, -1
    bnez t1, 1b
    CHECK_TRAPS 0
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK t0, MIP_MSIP
    EXPECT_TRAP back
    li t0, MIP_MSIP
    csrs mie, t0
after_enable:
    WAIT_IRQ

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_MSI, after_enable
    sw zero, 0(s0)
    PASS
