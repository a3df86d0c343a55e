# Every pseudo-instruction except li (li.s) and the far ones (cross_section.s).
        .text
_start:
        nop
        mv      a0, a1
        not     a2, a3
        neg     a4, a5
        seqz    t0, t1
        snez    t2, s0
        sltz    s1, a0
        sgtz    a1, a2
        j       target
        jal     target
        jal     ra, target
        jal     t0, target
        jr      a0
        jr      4(a1)
        jalr    a2
        jalr    t1, a3
        jalr    -8(a4)
        jalr    ra, 12(a5)
        ret
        beqz    a0, target
        bnez    a1, _start
        blez    a2, target
        bgez    a3, _start
        bltz    a4, target
        bgtz    a5, _start
        bgt     a0, a1, target
        ble     a2, a3, _start
        bgtu    a4, a5, target
        bleu    a6, a7, _start
        fence.i
        unimp
        scall
        sbreak
target: ret
