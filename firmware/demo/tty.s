# tty.s: the demo console, until servers/tty exists: a line-oriented shell on
# the UART. It maps the UART's page (DEVMAP) and takes its receive interrupt
# (IRQCTL, line 10), echoes what is typed (backspace erases), and runs each
# line:
#   echo TEXT   prints TEXT
#   help        lists the commands
#   shutdown    asks PM to power the machine off (exit code 0)
# Input that is not a TTY works the same: a line ends at CR, LF or CR LF.
#
# Kernel calls: devmap, irqctl; the UART's page and IRQ 10 are tty's in
# kernel/privileges.ts.

.include "user.inc"

.equ UART_PA, 0x10000000
.equ UART_VA, 0x40000000
.equ UART_IRQ, 10
.equ UART_RBR, 0
.equ UART_IER, 1
.equ UART_LSR, 5
.equ LSR_DR, 1
.equ IER_ERBFI, 1
.equ LINE_MAX, 120

.text
.globl _start
_start:
    la s4, kmsg
    li t0, KC_DEVMAP
    sw t0, M_TYPE(s4)
    li t0, UART_PA
    sw t0, P0(s4)
    li t0, 4096
    sw t0, P1(s4)
    li t0, UART_VA
    sw t0, P2(s4)
    call kcall
    bnez a0, no_uart
    li t0, KC_IRQCTL
    sw t0, M_TYPE(s4)
    li t0, IRQCTL_SETPOLICY
    sw t0, P0(s4)
    li t0, UART_IRQ
    sw t0, P1(s4)
    call kcall
    bnez a0, no_uart
    li s0, UART_VA
    li t0, IER_ERBFI
    sb t0, UART_IER(s0)
    li s1, 0                    # characters in the line
    li s2, 0                    # 1 after a CR (a following LF is the same line end)
    call prompt
loop:
    lbu t0, UART_LSR(s0)
    andi t0, t0, LSR_DR
    beqz t0, wait
    lbu a0, UART_RBR(s0)
    call key
    j loop
wait:
    # Re-arm the line, then sleep until it fires (it is level-triggered:
    # a byte that came in between fires it again at once).
    li t0, KC_IRQCTL
    sw t0, M_TYPE(s4)
    li t0, IRQCTL_ENABLE
    sw t0, P0(s4)
    li t0, UART_IRQ
    sw t0, P1(s4)
    call kcall
    li a0, HARDWARE
    la a1, msg
    SYSCALL SYS_RECEIVE
    j loop

no_uart:
    PRINT s_no_uart
    EXIT 1

# A sendrec to SYSTEM with kmsg; a0 = the call's result (0 or -errno).
kcall:
    li a0, SYSTEM
    la a1, kmsg
    SYSCALL SYS_SENDREC
    bnez a0, 1f
    la a1, kmsg
    lw a0, M_TYPE(a1)
1:  ret

# One typed character in a0.
key:
    addi sp, sp, -16
    sw ra, 12(sp)
    li t0, '\n'
    bne a0, t0, 1f
    beqz s2, 1f
    li s2, 0                    # the LF of a CR LF
    j 9f
1:  li s2, 0
    li t0, '\r'
    bne a0, t0, 2f
    li s2, 1
    j 3f
2:  li t0, '\n'
    bne a0, t0, 4f
3:  PRINT s_newline
    call run_line
    li s1, 0
    call prompt
    j 9f
4:  li t0, 0x7f                 # DEL or BS: erase the last character
    beq a0, t0, 5f
    li t0, 0x08
    bne a0, t0, 6f
5:  beqz s1, 9f
    addi s1, s1, -1
    PRINT s_erase
    j 9f
6:  li t0, 0x20                 # printable and room left: keep and echo it
    bltu a0, t0, 9f
    li t0, 0x7e
    bgtu a0, t0, 9f
    li t0, LINE_MAX
    bgeu s1, t0, 9f
    la t0, line
    add t0, t0, s1
    sb a0, 0(t0)
    addi s1, s1, 1
    la a1, echo_buf
    sb a0, 0(a1)
    li a0, 1
    li a2, 1
    SYSCALL SYS_WRITE
9:  lw ra, 12(sp)
    addi sp, sp, 16
    ret

# Run the s1 characters in `line`.
run_line:
    addi sp, sp, -16
    sw ra, 12(sp)
    la t0, line
    add t0, t0, s1
    sb zero, 0(t0)
    beqz s1, 9f
    la a0, line
    la a1, c_echo
    call starts_with
    bnez a0, 1f
    la t0, line                 # "echo" alone, or "echo TEXT"
    lbu t1, 4(t0)
    beqz t1, 2f
    li t2, ' '
    bne t1, t2, 1f
    addi a0, t0, 5
    call print
2:  PRINT s_newline
    j 9f
1:  la a0, line
    la a1, c_help
    call equals
    bnez a0, 3f
    PRINT s_help
    j 9f
3:  la a0, line
    la a1, c_shutdown
    call equals
    bnez a0, 4f
    la a1, msg
    li t0, PM_SHUTDOWN
    sw t0, M_TYPE(a1)
    sw zero, P0(a1)
    li a0, PM_EP
    SYSCALL SYS_SENDREC
    PRINT s_no_pm
    j 9f
4:  PRINT line
    PRINT s_unknown
9:  lw ra, 12(sp)
    addi sp, sp, 16
    ret

# a0 = 0 if the string at a0 starts with the string at a1.
starts_with:
1:  lbu t1, 0(a1)
    beqz t1, 2f
    lbu t0, 0(a0)
    bne t0, t1, 3f
    addi a0, a0, 1
    addi a1, a1, 1
    j 1b
2:  li a0, 0
    ret
3:  li a0, 1
    ret

# a0 = 0 if the strings at a0 and a1 are equal.
equals:
1:  lbu t0, 0(a0)
    lbu t1, 0(a1)
    bne t0, t1, 3f
    beqz t0, 2f
    addi a0, a0, 1
    addi a1, a1, 1
    j 1b
2:  li a0, 0
    ret
3:  li a0, 1
    ret

prompt:
    la a0, s_prompt
    j print

PRINT_FUNCTION

.section .rodata
s_prompt:   .asciz "$ "
s_newline:  .asciz "\n"
s_erase:    .asciz "\b \b"
s_help:     .asciz "commands: echo TEXT, help, shutdown\n"
s_unknown:  .asciz ": unknown command (try help)\n"
s_no_pm:    .asciz "tty: pm did not shut down\n"
s_no_uart:  .asciz "tty: cannot map the UART or take its interrupt\n"
c_echo:     .asciz "echo"
c_help:     .asciz "help"
c_shutdown: .asciz "shutdown"

.bss
.balign 4
msg:      .space MSG_SIZE
kmsg:     .space MSG_SIZE
echo_buf: .space 4
line:     .space LINE_MAX + 1
