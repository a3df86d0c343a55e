# amo_ops: amoswap/amoadd/amoxor/amoand/amoor return the old word in rd and store the result
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
    AMO_CASE amoswap.w, 0x12345678, 0x9abcdef0, 0x9abcdef0
    AMO_CASE amoadd.w, 0x7fffffff, 1, 0x80000000
    AMO_CASE amoadd.w, 0xffffffff, 2, 1
    AMO_CASE amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0
    AMO_CASE amoand.w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00
    AMO_CASE amoor.w, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0
    AMO_CASE amoswap.w.aqrl, 5, 6, 6
    # rd = x0 still updates memory; rd = rs2 gets the old value
    la s0, word
    li a1, 10
    sw a1, 0(s0)
    amoadd.w zero, a1, (s0)
    lw t0, 0(s0)
    CHECK t0, 20
    amoadd.w a1, a1, (s0)
    CHECK a1, 20
    lw t0, 0(s0)
    CHECK t0, 30
    PASS

.data
.balign 4
word: .word 0
