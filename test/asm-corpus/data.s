# Data directives, strings with C escapes, space/fill and alignment with fill.
        .data
bytes:  .byte   0, 1, 255, -1, -128, 'x', 0x7f
        .align  2
halves: .half   0, 1, 0xffff, -1, 0x1234
        .short  7, -7
        .2byte  0xabcd
        .balign 4
words:  .word   0, 1, -1, 0xdeadbeef, 0x80000000
        .long   12345678
        .4byte  bytes, halves + 2
        .int    -2
        .quad   0x1122334455667788
        .8byte  -3
strs:   .ascii  "plain"
        .ascii  "tab\tnl\ncr\rbs\\q\"x\x41oct\101\0end"
        .asciz  "z1", "z2"
        .string "s"
        .ascii  "a", "b"
        .byte   0
        .p2align 3
        .space  5
        .skip   3, 0xaa
        .zero   4
        .space  2, 7
        .fill   3
        .fill   3, 2, 0x1234
        .fill   2, 3, 0x11223344
        .fill   2, 4, -1
        .fill   1, 8, 0x55
        .align  4, 0xee
        .byte   1
        .balign 8, 0x5a
        .byte   2
        .p2align 3, 0x66, 7
        .byte   3
        .p2align 4, 0x77, 2
        .byte   4
        .balign 16, , 15
        .byte   5
        .org    . + 3
        .byte   6
        .org    0x100, 0x99
        .byte   7
        .text
_start: nop
        .byte   1
        .align  2
        nop
        .byte   1, 2, 3
        .align  3
        nop
        .half   0x55
        .p2align 4
        .word   0
        .balign 8, 0x11
        .byte   9
        .section .rodata
        .ascii  "ro"
        .align  3
        .word   1
        .section .text.tail, "ax"
        .byte   0xaa
        .align  3
        .byte   0xbb
        .byte   0xcc
        .balign 4
        .byte   0xdd
        .p2align 1
        .byte   0xee
        .align  2, 0
        .byte   0xff
        .balign 16, , 8
        .byte   0x12
        .balign 16, , 15
        .byte   0x34
