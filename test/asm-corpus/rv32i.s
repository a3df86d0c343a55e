# Every RV32I base instruction, register names in all spellings, edge immediates.
        .text
        .globl _start
_start:
        lui     a0, 0
        lui     x31, 0xfffff
        lui     t0, 0x80000
        auipc   sp, 0
        auipc   gp, 0xfffff
        addi    a0, a1, -2048
        addi    x5, x6, 2047
        addi    fp, s1, 0
        slti    a2, a3, -1
        sltiu   a4, a5, 1
        xori    a6, a7, 0x7ff
        ori     s2, s3, -0x800
        andi    s4, s5, 255
        slli    s6, s7, 0
        slli    s8, s9, 31
        srli    s10, s11, 1
        srai    t3, t4, 31
        add     t5, t6, zero
        sub     ra, sp, gp
        sll     tp, t0, t1
        slt     t2, s0, s1
        sltu    a0, a1, a2
        xor     a3, a4, a5
        srl     a6, a7, s2
        sra     s3, s4, s5
        or      s6, s7, s8
        and     s9, s10, s11
        lb      a0, -2048(sp)
        lh      a1, 2047(a0)
        lw      a2, 0(a3)
        lbu     a4, (a5)
        lhu     x1, 16(x2)
        sb      a0, -1(sp)
        sh      a1, 2(s0)
        sw      ra, 2044(sp)
back:   beq     a0, a1, back
        bne     a2, a3, fwd
        blt     a4, a5, back
        bge     a6, a7, fwd
        bltu    t0, t1, back
        bgeu    t2, t3, fwd
        jal     ra, fwd
        jal     zero, back
        jal     x5, far
        jalr    ra, 0(a0)
        jalr    t0, -2048(t1)
        jalr    zero, 2047(ra)
fwd:    ecall
        ebreak
        .space  0x7f0
far:    beq     zero, zero, back
        bne     x0, x31, _start
