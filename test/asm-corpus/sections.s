# Sections: names, flags and types, push/pop/previous, ordering by kind.
        .section .rodata.consts, "a", @progbits
rodata_a:
        .word   1, 2, 3
        .section .text.init, "ax", @progbits
        .globl  _start
_start:
        la      a0, rodata_a
        la      a1, data_a
        la      a2, bss_a
        la      a3, tohost
        j       later
        .data
data_a: .word   0x1111
        .pushsection .tohost, "aw", @progbits
        .align  6
tohost: .word   0
        .align  6
fromhost: .word 0
        .popsection
        .word   0x2222
        .text
later:  la      a0, data_b
        .previous
data_b: .word   0x3333
        .previous
        nop
        .section .sbss, "aw", @nobits
sbss_a: .space  8
        .bss
bss_a:  .zero   64
        .section .data.more
        .byte   1, 2
        .section .srodata, "a"
        .half   9
        .section .text.extra, "ax"
        ecall
        .section .rodata
        .asciz  "rodata"
