# init.s: the demo init. It asks PM how many processes are running, says so,
# and exits (PM powers off once nothing but PM is left).

.include "user.inc"

.text
.globl _start
_start:
    la a1, msg
    li t0, PM_COUNT
    sw t0, M_TYPE(a1)
    li a0, PM_EP
    SYSCALL SYS_SENDREC
    bnez a0, fail
    la t0, msg
    lw t1, M_TYPE(t0)
    bnez t1, fail
    PRINT s_booted
    la t0, msg
    lw a0, P0(t0)
    call print_dec
    PRINT s_modules
    EXIT 0
fail:
    PRINT s_fail
    EXIT 1

PRINT_FUNCTION

# a0 in decimal (unsigned).
print_dec:
    la a1, digits_end
    mv a2, a1
    li t1, 10
1:  remu t0, a0, t1
    divu a0, a0, t1
    addi t0, t0, '0'
    addi a1, a1, -1
    sb t0, 0(a1)
    bnez a0, 1b
    sub a2, a2, a1
    li a0, 1
    SYSCALL SYS_WRITE
    ret

.section .rodata
s_booted:  .asciz "Tessera booted: "
s_modules: .asciz " modules\n"
s_fail:    .asciz "init: no answer from pm\n"

.bss
.balign 4
msg:        .space MSG_SIZE
digits:     .space 12
digits_end:
