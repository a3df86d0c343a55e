# irq_lower_priv_masked: a pending, enabled interrupt delegated to S is never taken while in M, and is taken at once on entering S
.include "prelude.inc"

test_main:
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    li t0, MSTATUS_SIE
    csrs mstatus, t0
    csrsi mstatus, MSTATUS_MIE
    li t1, 500
1:
    addi t1, t1, -1
    bnez t1, 1b
    CHECK_TRAPS 0
    CHECK_STRAPS 0
    csrci mstatus, MSTATUS_MIE
    S_EXPECT_TRAP s_back
    GO_S s_code

s_code:
    WAIT_IRQ

s_back:
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_SSI, s_code
    li t0, MIP_SSIP
    csrc sip, t0
    PASS
