# A macro call followed by more statements on the same line: the rest of the
# line is assembled after the macro's body, as GNU as does.
    .macro bump reg, n
    addi \reg, \reg, \n
    .endm
    .macro pair a, b
    bump a0, \a; bump a1, \b
    .endm

    .text
    .globl _start
_start:
    bump a0, 1; addi a1, a1, 2
    pair 3, 4; nop; bump t0, 5
    li t1, 6; bump t1, 7 # a comment after it
    .rept 2
    bump a2, 8; addi a3, a3, 9
    .endr
    ret
