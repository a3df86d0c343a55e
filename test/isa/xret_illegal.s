# xret_illegal: mret in S or U and sret in U are illegal instructions (mtval = the word)
.include "prelude.inc"

test_main:
    EXPECT_TRAP back1
    GO_S s_code

s_code:
    mret
    UNREACHABLE

back1:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, s_code
    CHECK_TVAL 0x30200073
    EXPECT_TRAP back2
    GO_U u_code

u_code:
    mret
    UNREACHABLE

back2:
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_ILLEGAL_INSN, u_code
    CHECK_TVAL 0x30200073
    EXPECT_TRAP back3
    GO_U u_code2

u_code2:
    sret
    UNREACHABLE

back3:
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_ILLEGAL_INSN, u_code2
    CHECK_TVAL 0x10200073
    PASS
