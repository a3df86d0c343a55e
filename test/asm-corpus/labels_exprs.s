# Numeric local labels, .equ/.set/=, number bases, character constants and
# gas operator precedence.
        .text
_start:
1:      addi    a0, a0, 1
        bnez    a0, 1b
        beqz    a0, 1f
        j       2f
1:      addi    a1, a1, 1
2:      bltu    a0, a1, 1b
        j       1f
1:      nop
10:     j       10b
        j       10f
10:     nop
        .equ    ONE, 1
        .set    TWO, ONE + 1
        THREE = TWO + ONE
        .equ    MASK, (1 << 12) - 1
        .set    COUNTER, 0
        .set    COUNTER, COUNTER + 5
        addi    a0, zero, ONE
        addi    a0, zero, TWO
        addi    a0, zero, THREE
        andi    a0, a0, MASK & 0x7ff
        addi    a0, zero, COUNTER
        addi    a0, zero, 'a'
        addi    a0, zero, '\n'
        addi    a0, zero, '\\'
        addi    a0, zero, 0x7f
        addi    a0, zero, 0b1011
        addi    a0, zero, 017
        addi    a0, zero, 0X1F
        addi    a0, zero, 4 + 1 & 2
        addi    a0, zero, 2 * 3 << 1
        addi    a0, zero, 1 ^ 3 + 1
        addi    a0, zero, -7 / 2
        addi    a0, zero, -7 % 3
        addi    a0, zero, ~5
        addi    a0, zero, -(-3)
        addi    a0, zero, 3 == 1 + 2
        addi    a0, zero, 1 < 2
        addi    a0, zero, 5 > 7
        addi    a0, zero, 2 >= 2
        addi    a0, zero, 1 != 1
        addi    a0, zero, !0
        addi    a0, zero, 1 && 0 || 1
        addi    a0, zero, -8 >> 60
        addi    a0, zero, 100 % 7 * 3
        .equ    LATER, 77
        .data
words:  .word   ONE, TWO, THREE, COUNTER, LATER * 2
        .word   1b, 2b
        .word   words_end - words
words_end:
