# irq_ssoft_deleg: SSIP set by M, or by S through sip, is taken by S when delegated (scause 0x80000001); S clears it through sip
.include "prelude.inc"

test_main:
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mip, t0
    S_EXPECT_TRAP s_back1
    GO_S s_code

s_code:
    li t0, MIP_SSIP
    csrs sie, t0
    csrsi sstatus, MSTATUS_SIE
after1:
    WAIT_IRQ

s_back1:
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_SSI, after1
    li t0, MIP_SSIP
    csrc sip, t0
    csrr t0, sip
    andi t0, t0, MIP_SSIP
    CHECK t0, 0
    # S raises it itself
    S_EXPECT_TRAP s_back2
    li t0, MIP_SSIP
    csrs sip, t0
    csrsi sstatus, MSTATUS_SIE
after2:
    WAIT_IRQ

s_back2:
    CHECK_STRAPS 2
    CHECK_STRAP CAUSE_SSI, after2
    li t0, MIP_SSIP
    csrc sip, t0
    CHECK_TRAPS 0
    PASS
