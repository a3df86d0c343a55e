# tsr: with mstatus.TSR = 1, sret in S-mode is illegal (mtval = 0x10200073); with TSR = 0 it returns
.include "prelude.inc"

test_main:
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    EXPECT_TRAP back
    GO_S s_code

s_code:
    la t0, s_next
    csrw sepc, t0
    li t0, MSTATUS_SPP
    csrs sstatus, t0
bad:
    sret
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad
    CHECK_TVAL 0x10200073
    li t0, MSTATUS_TSR
    csrc mstatus, t0
    GO_S s_code

s_next:
    CHECK_TRAPS 1
    PASS
