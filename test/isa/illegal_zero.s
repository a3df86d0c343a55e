# illegal_zero: the all-zero word is illegal: mcause 2, mepc = its address, mtval = 0
.include "prelude.inc"

test_main:
    li t0, 0x5a5a5a5a          # mtval must be overwritten (with the bits, here 0)
    csrw mtval, t0
    SKIP_TRAPS
bad:
    .word 0x00000000
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad
    CHECK_TVAL 0
    PASS
