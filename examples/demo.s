# The built-in demo (`npm start` until the OS boots): a bare-metal program for
# the virt board. It prints a banner and an ASCII Mandelbrot set computed in
# Q12 fixed point with the M extension, counts its own instructions with
# rdinstret and the simulated time with the CLINT's mtime, then powers off
# through sifive_test. It runs unchanged on qemu-system-riscv32 -M virt.

    .equ UART0, 0x10000000
    .equ UART_LSR, 5
    .equ LSR_THRE, 0x20
    .equ SIFIVE_TEST, 0x100000
    .equ CLINT_MTIME, 0x0200bff8
    .equ ROWS, 24
    .equ COLS, 72
    .equ MAX_ITER, 64

    .text
    .globl _start
_start:
    la sp, stack_top
    li t0, CLINT_MTIME
    lw s10, 0(t0)              # mtime at start (low word is plenty here)
    la a0, banner
    call puts
    call mandelbrot
    la a0, msg_insns
    call puts
    rdinstret a0
    call putdec
    la a0, msg_time
    call puts
    li t0, CLINT_MTIME
    lw a0, 0(t0)
    sub a0, a0, s10
    li t0, 10000               # mtime runs at 10 MHz: 10000 ticks per ms
    divu a0, a0, t0
    call putdec
    la a0, msg_end
    call puts
    li t0, SIFIVE_TEST
    li t1, 0x5555              # power off, exit code 0
    sw t1, 0(t0)
1:  j 1b

# putc(a0): wait for the transmitter, then send one byte. Clobbers t0, t1.
putc:
    li t0, UART0
1:  lbu t1, UART_LSR(t0)
    andi t1, t1, LSR_THRE
    beqz t1, 1b
    sb a0, 0(t0)
    ret

# puts(a0): a NUL-terminated string.
puts:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s0, 8(sp)
    mv s0, a0
1:  lbu a0, 0(s0)
    beqz a0, 2f
    call putc
    addi s0, s0, 1
    j 1b
2:  lw ra, 12(sp)
    lw s0, 8(sp)
    addi sp, sp, 16
    ret

# putdec(a0): an unsigned number in decimal.
putdec:
    addi sp, sp, -32
    sw ra, 28(sp)
    addi t3, sp, 16
    sb zero, 0(t3)
    li t4, 10
1:  remu t5, a0, t4
    divu a0, a0, t4
    addi t5, t5, '0'
    addi t3, t3, -1
    sb t5, 0(t3)
    bnez a0, 1b
    mv a0, t3
    call puts
    lw ra, 28(sp)
    addi sp, sp, 32
    ret

# mandelbrot: ROWS x COLS characters, c in [-2.0, 0.6] x [-1.1, 1.1], Q12.
mandelbrot:
    addi sp, sp, -16
    sw ra, 12(sp)
    li s1, 0                   # row
row:
    li t0, 375                 # 2.2 / 24 in Q12
    mul s3, s1, t0
    li t0, -4506               # -1.1 in Q12
    add s3, s3, t0             # ci
    li s2, 0                   # column
col:
    li t0, 148                 # 2.6 / 72 in Q12
    mul s4, s2, t0
    li t0, -8192               # -2.0 in Q12
    add s4, s4, t0             # cr
    li s5, 0                   # zr
    li s6, 0                   # zi
    li s7, 0                   # iterations
iter:
    mul t0, s5, s5
    srai t0, t0, 12            # zr^2
    mul t1, s6, s6
    srai t1, t1, 12            # zi^2
    add t2, t0, t1
    li t3, 16384               # |z|^2 > 4.0: escaped
    bgt t2, t3, escaped
    mul t4, s5, s6
    srai t4, t4, 11            # 2 zr zi
    add s6, t4, s3
    sub t5, t0, t1
    add s5, t5, s4
    addi s7, s7, 1
    li t6, MAX_ITER
    blt s7, t6, iter
escaped:
    la t0, palette
    srli t1, s7, 3
    add t0, t0, t1
    lbu a0, 0(t0)
    call putc
    addi s2, s2, 1
    li t0, COLS
    blt s2, t0, col
    li a0, '\n'
    call putc
    addi s1, s1, 1
    li t0, ROWS
    blt s1, t0, row
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

    .section .rodata
banner:
    .string "Tessera: RV32IMA on an emulated QEMU-virt board (bare metal, M-mode)\n\n"
palette:
    .string " .,:-=+*#@"
msg_insns:
    .string "\nretired instructions: "
msg_time:
    .string ", simulated time: "
msg_end:
    .string " ms\n"

    .bss
    .balign 16
stack:
    .space 4096
stack_top:
