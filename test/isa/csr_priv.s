# csr_priv: CSRs above the current privilege are illegal: S touching M CSRs, U touching S or M CSRs (mtval = the word)
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    GO_S s_code

s_code:
    li a0, 0x1234
bad1:
    csrr a0, mstatus
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0x30002573
    CHECK a0, 0x1234
bad2:
    csrw mscratch, a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0x34051073
bad3:
    csrr a0, mhartid
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0xf1402573
    CHECK_TRAPS 3
    # S CSRs are fine in S
    csrw sscratch, a0
    csrr a1, sscratch
    CHECK a1, 0x1234
    csrr a1, sstatus
    CHECK_TRAPS 3
    EXPECT_TRAP back
    ecall

back:
    GO_U u_code

u_code:
bad4:
    csrr a0, sstatus
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad4
    CHECK_TVAL 0x10002573
bad5:
    csrw sscratch, a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad5
    CHECK_TVAL 0x14051073
bad6:
    csrr a0, satp
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad6
    CHECK_TVAL 0x18002573
bad7:
    csrr a0, mstatus
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad7
    CHECK_TVAL 0x30002573
    CHECK_TRAPS 8
    PASS
