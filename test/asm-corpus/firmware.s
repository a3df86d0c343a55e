# A small bare-metal program as firmware writes it: stack, trap vector,
# UART output, data and bss clearing.
        .equ    UART_BASE, 0x10000000
        .equ    UART_THR, 0
        .equ    UART_LSR, 5
        .equ    LSR_THRE, 0x20
        .equ    STACK_SIZE, 4096

        .section .text.init, "ax", @progbits
        .globl  _start
_start:
        csrw    mie, zero
        la      t0, trap_vector
        csrw    mtvec, t0
        la      sp, stack_top
        la      t0, bss_start
        la      t1, bss_end
1:      bgeu    t0, t1, 2f
        sw      zero, 0(t0)
        addi    t0, t0, 4
        j       1b
2:      call    main
        li      t0, 0x100000
        li      t1, 0x5555
        sw      t1, 0(t0)
3:      wfi
        j       3b

        .text
        .globl  main
        .type   main, @function
main:
        addi    sp, sp, -16
        sw      ra, 12(sp)
        sw      s0, 8(sp)
        la      s0, greeting
1:      lbu     a0, 0(s0)
        beqz    a0, 2f
        call    putc
        addi    s0, s0, 1
        j       1b
2:      lw      a0, counter
        addi    a0, a0, 1
        sw      a0, counter, t0
        lw      s0, 8(sp)
        lw      ra, 12(sp)
        addi    sp, sp, 16
        ret
        .size   main, . - main

        .type   putc, @function
putc:
        li      t0, UART_BASE
1:      lbu     t1, UART_LSR(t0)
        andi    t1, t1, LSR_THRE
        beqz    t1, 1b
        sb      a0, UART_THR(t0)
        ret
        .size   putc, . - putc

        .align  2
trap_vector:
        csrr    t0, mcause
        csrr    t1, mepc
        addi    t1, t1, 4
        csrw    mepc, t1
        mret

        .section .rodata
greeting:
        .string "Hello from tessera\r\n"

        .data
        .align  2
counter:
        .word   0

        .bss
        .align  4
bss_start:
        .space  256
bss_end:
        .align  4
        .space  STACK_SIZE
stack_top:
