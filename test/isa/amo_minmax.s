# amo_minmax: amomin/amomax compare signed, amominu/amomaxu unsigned; rd gets the old word
.include "prelude.inc"

.macro AMO_CASE insn, old, operand, result
    la s0, word
    li t0, \old
    sw t0, 0(s0)
    li a1, \operand
    \insn a0, a1, (s0)
    CHECK a0, \old
    lw t0, 0(s0)
    CHECK t0, \result
.endm

test_main:
    AMO_CASE amomin.w, -1, 1, -1
    AMO_CASE amomin.w, 0x80000000, 0x7fffffff, 0x80000000
    AMO_CASE amomax.w, -1, 1, 1
    AMO_CASE amomax.w, 0x80000000, 0x7fffffff, 0x7fffffff
    AMO_CASE amominu.w, -1, 1, 1
    AMO_CASE amominu.w, 0x80000000, 0x7fffffff, 0x7fffffff
    AMO_CASE amomaxu.w, -1, 1, -1
    AMO_CASE amomaxu.w, 0x80000000, 0x7fffffff, 0x80000000
    AMO_CASE amomin.w, 5, 5, 5
    AMO_CASE amomaxu.w, 0, 0, 0
    PASS

.data
.balign 4
word: .word 0
