# tvm: with mstatus.TVM = 1, S-mode satp accesses and sfence.vma are illegal; with TVM = 0 they work
.include "prelude.inc"

test_main:
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    SKIP_TRAPS
    GO_S s_code

s_code:
bad1:
    csrr a0, satp
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0x18002573
bad2:
    csrw satp, zero
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0x18001073
bad3:
    sfence.vma
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0x12000073
    EXPECT_TRAP back
    ecall

back:
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    RESET_TRAPS
    GO_S s_code2

s_code2:
    csrr a0, satp
    csrw satp, zero
    sfence.vma
    CHECK_TRAPS 0
    PASS
