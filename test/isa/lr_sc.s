# lr_sc: lr.w loads and reserves; sc.w to the reserved word succeeds (rd = 0) and stores
.include "prelude.inc"

test_main:
    la s0, word
    lr.w a0, (s0)
    CHECK a0, 0x11223344
    li a1, 0x55667788
    sc.w a2, a1, (s0)
    CHECK a2, 0
    lw a0, 0(s0)
    CHECK a0, 0x55667788
    # with the ordering bits set
    lr.w.aq a0, (s0)
    CHECK a0, 0x55667788
    li a1, 42
    sc.w.rl a2, a1, (s0)
    CHECK a2, 0
    lw a0, 0(s0)
    CHECK a0, 42
    # an increment loop of the usual shape finishes
    li s1, 10
1:
    lr.w a0, (s0)
    addi a0, a0, 1
    sc.w a2, a0, (s0)
    bnez a2, 1b
    addi s1, s1, -1
    bnez s1, 1b
    lw a0, 0(s0)
    CHECK a0, 52
    PASS

.data
.balign 4
word: .word 0x11223344
