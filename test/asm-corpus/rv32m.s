# RV32M multiply and divide.
        .text
_start:
        mul     a0, a1, a2
        mulh    a3, a4, a5
        mulhsu  a6, a7, t0
        mulhu   t1, t2, t3
        div     t4, t5, t6
        divu    s0, s1, s2
        rem     s3, s4, s5
        remu    s6, s7, s8
        mul     x0, x31, x1
        div     zero, zero, zero
        rem     ra, sp, gp
        remu    tp, fp, s11
