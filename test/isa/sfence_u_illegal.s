# sfence_u_illegal: sfence.vma in U-mode is an illegal instruction (mtval = the word)
.include "prelude.inc"

test_main:
    EXPECT_TRAP back
    GO_U u_code

u_code:
    sfence.vma
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, u_code
    CHECK_TVAL 0x12000073
    PASS
