# illegal_ones: the all-ones word is illegal: mcause 2, mtval = 0xffffffff (its first 32 bits)
.include "prelude.inc"

test_main:
    SKIP_TRAPS
bad:
    .word 0xffffffff
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad
    CHECK_TVAL 0xffffffff
    PASS
