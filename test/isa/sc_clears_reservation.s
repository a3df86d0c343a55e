# sc_clears_reservation: an sc.w consumes the reservation: a second sc.w fails (memory unchanged) until a new lr.w
.include "prelude.inc"

test_main:
    la s0, word
    lr.w a0, (s0)
    li a1, 1
    sc.w a2, a1, (s0)
    CHECK a2, 0
    li a1, 2
    sc.w a2, a1, (s0)
    CHECK_NE a2, 0
    lw a0, 0(s0)
    CHECK a0, 1
    # a new lr.w gives a new reservation
    lr.w a0, (s0)
    li a1, 3
    sc.w a2, a1, (s0)
    CHECK a2, 0
    lw a0, 0(s0)
    CHECK a0, 3
    PASS

.data
.balign 4
word: .word 0
