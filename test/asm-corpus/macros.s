# Macros with named parameters, defaults, keyword arguments and \@,
# .rept/.irp/.irpc, conditionals.
        .macro  push reg
        addi    sp, sp, -4
        sw      \reg, 0(sp)
        .endm
        .macro  pop reg
        lw      \reg, 0(sp)
        addi    sp, sp, 4
        .endm
        .macro  addn dst, src, n=1
        addi    \dst, \src, \n
        .endm
        .macro  spin count=3
        li      t0, \count
.Lspin\@:
        addi    t0, t0, -1
        bnez    t0, .Lspin\@
        .endm
        .macro  table name, first, last
\name\()_start:
        .set    v, \first
        .rept   \last - \first + 1
        .word   v * v
        .set    v, v + 1
        .endr
\name\()_end:
        .endm
        .macro  maybe flag
        .if     \flag
        addi    a0, a0, 100
        .else
        addi    a0, a0, 200
        .endif
        .endm
        .macro  outer x
        inner   \x, \x
        .endm
        .macro  inner a, b
        add     \a, \b, \a
        .endm
        .macro  early n
        .if     \n == 0
        .exitm
        .endif
        addi    a0, a0, \n
        .endm

        .text
_start:
        push    ra
        push    s0
        pop     s0
        pop     ra
        addn    a0, a1
        addn    a0, a1, 5
        addn    a0, a1, n=9
        addn    dst=t0, src=t1, n=-1
        spin
        spin    10
        maybe   1
        maybe   0
        outer   a3
        early   0
        early   4
        .rept   3
        nop
        .endr
        .rept   0
        ebreak
        .endr
        .irp    r, a0, a1, a2
        mv      \r, zero
        .endr
        .irpc   d, 123
        addi    t1, t1, \d
        .endr
        .rept   2
        .rept   2
        addi    a5, a5, 1
        .endr
        .endr
        .equ    FEATURE, 1
        .ifdef  FEATURE
        addi    a0, a0, 1
        .endif
        .ifndef FEATURE
        addi    a0, a0, 2
        .else
        addi    a0, a0, 3
        .endif
        .ifdef  MISSING
        this is not assembled
        .elseif FEATURE == 1
        addi    a0, a0, 4
        .else
        addi    a0, a0, 5
        .endif
        .if     0
        .if     1
        garbage here
        .endif
        .else
        .if     FEATURE > 0
        addi    a0, a0, 6
        .endif
        .endif
        .ifeq   FEATURE - 1
        addi    a0, a0, 7
        .endif
        .ifc    abc, abc
        addi    a0, a0, 8
        .endif
        .ifnc   abc, abd
        addi    a0, a0, 9
        .endif
        .data
        table   squares, 1, 5
        table   more, 10, 12
