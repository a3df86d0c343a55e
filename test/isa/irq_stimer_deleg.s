# irq_stimer_deleg: M sets mip.STIP; with STI delegated, S (STIE, SIE) takes it: scause 0x80000005, sepc = the next instruction; S cannot clear STIP
.include "prelude.inc"

test_main:
    li t0, MIP_STIP
    csrw mideleg, t0
    csrs mip, t0
    S_EXPECT_TRAP s_back
    GO_S s_code

s_code:
    csrr t0, sip               # visible to S because it is delegated
    andi t0, t0, MIP_STIP
    CHECK t0, MIP_STIP
    CHECK_STRAPS 0
    li t0, MIP_STIP
    csrs sie, t0
    csrsi sstatus, MSTATUS_SIE
after_enable:
    WAIT_IRQ

s_back:
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_STI, after_enable
    CHECK_WORD strap_tval, 0
    CHECK_TRAPS 0
    # STIP is read-only in sip
    li t0, MIP_STIP
    csrc sip, t0
    csrr t0, sip
    andi t0, t0, MIP_STIP
    CHECK t0, MIP_STIP
    # back to M, which clears it
    EXPECT_TRAP m_back
    ecall

m_back:
    li t0, MIP_STIP
    csrc mip, t0
    csrr t0, mip
    andi t0, t0, MIP_STIP
    CHECK t0, 0
    PASS
