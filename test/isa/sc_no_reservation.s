# sc_no_reservation: sc.w without a preceding lr.w fails: rd != 0 and memory is unchanged
.include "prelude.inc"

test_main:
    la s0, word
    li a1, 0x1234
    sc.w a2, a1, (s0)
    CHECK_NE a2, 0
    lw a0, 0(s0)
    CHECK a0, 0x0badc0de
    PASS

.data
.balign 4
word: .word 0x0badc0de
