# CPU-bound bench workload for `npm run bench` (bench "mips"): integer ALU,
# mul/div, loads and stores over a 64 KiB array, data-dependent branches.
# It prints a checksum in hex through the UART, so the run on QEMU can be
# checked to compute the same thing, then powers off through sifive_test.
# PASSES sets the length (about 230 K instructions per pass).

    .equ UART0, 0x10000000
    .equ SIFIVE_TEST, 0x100000
    .equ WORDS, 16384              # 64 KiB
    .ifndef PASSES
    .equ PASSES, 1300
    .endif

    .text
    .globl _start
_start:
    la sp, stack_top
    la s0, array
    # fill the array with a linear congruential sequence
    li t0, 0
    li t1, WORDS
    li t2, 12345
    li t3, 1103515245
    mv t4, s0
1:  mul t2, t2, t3
    addi t2, t2, 1013
    sw t2, 0(t4)
    addi t4, t4, 4
    addi t0, t0, 1
    blt t0, t1, 1b

    li s1, PASSES
    li s2, 0x9e3779b9              # accumulator
    li s3, 2654435761
pass:
    mv t4, s0
    li t0, WORDS
elem:
    lw a0, 0(t4)
    mul a1, a0, s3
    xor a1, a1, s2
    srli a2, a1, 13
    add a1, a1, a2
    andi a3, a1, 1
    beqz a3, 2f
    addi a4, a0, 7
    divu a5, a1, a4                # data-dependent divide on half the elements
    add s2, s2, a5
    j 3f
2:  slli a5, a0, 3
    sub s2, s2, a5
3:  sw a1, 0(t4)
    addi t4, t4, 4
    addi t0, t0, -1
    bnez t0, elem
    addi s1, s1, -1
    bnez s1, pass

    # print s2 in hex and a newline
    li t0, UART0
    li t1, 28
4:  srl a0, s2, t1
    andi a0, a0, 15
    li a1, 10
    blt a0, a1, 5f
    addi a0, a0, 'a' - 10 - '0'
5:  addi a0, a0, '0'
    sb a0, 0(t0)
    addi t1, t1, -4
    bgez t1, 4b
    li a0, '\n'
    sb a0, 0(t0)
    li t0, SIFIVE_TEST
    li t1, 0x5555
    sw t1, 0(t0)
6:  j 6b

    .bss
    .balign 4096
array:
    .space WORDS * 4
    .balign 16
    .space 1024
stack_top:
