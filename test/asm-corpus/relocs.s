# %hi/%lo/%pcrel_hi/%pcrel_lo, label arithmetic and the location counter.
        .text
_start:
        lui     a0, %hi(value)
        addi    a0, a0, %lo(value)
        lw      a1, %lo(value)(a0)
        sw      a1, %lo(value + 4)(a0)
        lui     t0, %hi(0x12345fff)
        addi    t0, t0, %lo(0x12345fff)
        lui     t1, %hi(table + 0x800)
        lh      t1, %lo(table + 0x800)(t1)
1:      auipc   a2, %pcrel_hi(value)
        addi    a2, a2, %pcrel_lo(1b)
        lw      a3, %pcrel_lo(1b)(a2)
        sw      a3, %pcrel_lo(1b)(a2)
.Lpc:   auipc   a4, %pcrel_hi(table + 12)
        lw      a5, %pcrel_lo(.Lpc)(a4)
2:      auipc   t2, %pcrel_hi(far_func)
        jalr    ra, %pcrel_lo(2b)(t2)
        beq     a0, a1, . + 8
        jal     zero, . - 4
end_text:
        .section .text.far, "ax"
far_func:
        ret
        .data
value:  .word   0x11223344, 0x55667788
        .word   value, value + 4, end_text - _start, . - value
table:  .space  0x900
