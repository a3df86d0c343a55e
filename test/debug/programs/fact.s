# fact.s: prints a greeting on the UART, then computes fact(0..5) with a
# recursive function, storing each result in `result`, and powers off.
# Used by the debugger's tests and the session in docs/debugger.md.
    .equ UART, 0x10000000
    .globl _start
_start:
    la sp, stack_top
    la a0, greeting
    call puts
    li s0, 0
    li s1, 6
loop:
    mv a0, s0
    call fact
    la t0, result
    sw a0, 0(t0)          # a watch on result stops after this store
    addi s0, s0, 1
    blt s0, s1, loop
    li t0, 0x100000       # sifive_test: power off, exit code 0
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b

# fact(n) = n!, recursively
fact:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw a0, 8(sp)
    li t0, 1
    ble a0, t0, 2f
    addi a0, a0, -1
    call fact
    lw t1, 8(sp)
    mul a0, a0, t1
    j 3f
2:  li a0, 1
3:  lw ra, 12(sp)
    addi sp, sp, 16
    ret

# puts(a0): write a NUL-terminated string to the UART
puts:
    li t1, UART
1:  lbu t0, 0(a0)
    beqz t0, 2f
    sb t0, 0(t1)
    addi a0, a0, 1
    j 1b
2:  ret

    .data
result: .word 0
greeting: .asciz "hello from fact.s\n"
    .balign 16
table: .byte 1, 2, 3, 4, 0xfe, 0xff, 0x7f, 0x80
       .half 0x1234, 0xfffe
       .word 0xdeadbeef, -2
    .balign 16
    .space 1024
stack_top:
