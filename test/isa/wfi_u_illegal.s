# wfi_u_illegal: wfi in U-mode is an illegal instruction (mcause 2, mtval = 0x10500073), even with TW = 0
.include "prelude.inc"

test_main:
    li t0, MSTATUS_TW
    csrc mstatus, t0
    EXPECT_TRAP back
    GO_U u_code

u_code:
    wfi
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, u_code
    CHECK_TVAL 0x10500073
    PASS
