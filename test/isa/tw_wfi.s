# tw_wfi: with mstatus.TW = 1, wfi in S-mode is illegal (mtval = 0x10500073); in M it still works; with TW = 0 S may wfi
.include "prelude.inc"

test_main:
    # a locally enabled pending interrupt that is never taken lets wfi return:
    # SSIP delegated and enabled in sie, with SIE = 0
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    li t0, MSTATUS_SIE
    csrc mstatus, t0
    li t0, MSTATUS_TW
    csrs mstatus, t0
    wfi                        # M-mode: TW does not apply
    CHECK_TRAPS 0
    EXPECT_TRAP back
    GO_S s_code

s_code:
    wfi
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, s_code
    CHECK_TVAL 0x10500073
    li t0, MSTATUS_TW
    csrc mstatus, t0
    EXPECT_TRAP back2
    GO_S s_code2

s_code2:
    wfi
    ecall

back2:
    CHECK_TRAPS 2
    CHECK_WORD trap_cause, CAUSE_ECALL_S
    PASS
