# illegal_shamt5: on RV32, slli/srli/srai with shamt bit 5 set are illegal, mtval = the word
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li a0, 0x1234
bad1:
    .word 0x02051513           # slli a0, a0, 32
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0x02051513
bad2:
    .word 0x02055513           # srli a0, a0, 32
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0x02055513
bad3:
    .word 0x42055513           # srai a0, a0, 32
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0x42055513
bad4:
    .word 0x03f51513           # slli a0, a0, 63
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad4
    CHECK_TVAL 0x03f51513
    CHECK_TRAPS 4
    CHECK a0, 0x1234
    PASS
