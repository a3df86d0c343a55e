# irq_higher_priv_enabled: in S and U, an enabled M interrupt is taken even with mstatus.MIE = 0 (and an S one in U with SIE = 0)
.include "prelude.inc"

test_main:
    li t0, MIP_MSIP
    csrs mie, t0
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    li t0, MSTATUS_MPIE        # MIE stays 0 after the mret
    csrc mstatus, t0
    EXPECT_TRAP back1
    GO_S s_code

s_code:
    WAIT_IRQ

back1:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_MSI, s_code
    la t0, trap_status
    lw t0, 0(t0)
    srli t1, t0, 11
    andi t1, t1, 3
    CHECK t1, 1                # from S
    andi t1, t0, MSTATUS_MPIE
    CHECK t1, 0                # MIE was 0 in S
    # the same from U
    EXPECT_TRAP back2
    GO_U u_code

u_code:
    WAIT_IRQ

back2:
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_MSI, u_code
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    # a delegated S interrupt in U-mode, SIE = 0: taken by S
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    li t0, MSTATUS_SIE
    csrc mstatus, t0
    S_EXPECT_TRAP s_back
    GO_U u_code2

u_code2:
    WAIT_IRQ

s_back:
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_SSI, u_code2
    la t0, strap_status
    lw t0, 0(t0)
    andi t1, t0, MSTATUS_SPP
    CHECK t1, 0
    li t0, MIP_SSIP
    csrc sip, t0
    PASS
