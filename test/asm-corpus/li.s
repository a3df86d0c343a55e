# li picks addi alone, lui alone or lui+addi exactly as GNU as does.
        .text
_start:
        li      a0, 0
        li      a0, 1
        li      a0, -1
        li      a0, 2047
        li      a0, -2048
        li      a0, 2048
        li      a0, -2049
        li      a0, 4095
        li      a0, 4096
        li      a0, 0x1000
        li      a0, 0x12345000
        li      a0, 0x12345678
        li      a0, 0x12345800
        li      a0, 0x12345fff
        li      a0, 0x7ffff7ff
        li      a0, 0x7ffff800
        li      a0, 0x7fffffff
        li      a0, 0x80000000
        li      a0, 0x80000001
        li      a0, 0x800007ff
        li      a0, 0x80000800
        li      a0, 0xfffff000
        li      a0, 0xfffff7ff
        li      a0, 0xfffff800
        li      a0, 0xffffffff
        li      a0, -0x80000000
        li      a0, -2147483647
        li      a0, 0xdeadbeef
        li      a0, 0xcafebabe
        li      t0, 0x10000000
        li      sp, 0x80400000
        li      x31, 'A'
        li      a1, 1 << 31
        li      a2, (1 << 20) - 1
        li      a3, ~0x7ff
        li      a4, 0x7ff + 1
        li      a5, -(0x800 + 1)
        .equ    UART0, 0x10000000
        .equ    RAM_TOP, 0x80000000 + 128 * 1024 * 1024
        li      a0, UART0
        li      sp, RAM_TOP
        li      a0, UART0 + 5
        .irp    v, 3, 0x800, 0xfff, 0x1001, 0x7fff0, 0x10800, 0x7bcdef01, 0x00ffff00, 0xff, 0x7ffffffe
        li      s0, \v
        li      s1, -\v
        li      s2, ~\v
        .endr
