# pm.s: the demo process manager (the first boot module, flagged as PM),
# until servers/pm exists. It answers two requests:
#   PM_COUNT     p0 = the number of living processes (GETINFO)
#   PM_SHUTDOWN  powers the machine off with exit code p0 (SHUTDOWN)
# and hears from the kernel about every fault and exit: a faulted process is
# ended with status 128 + signal; when every process but PM has exited, the
# machine powers off with the last one's status.
#
# Kernel calls: getinfo, exit, shutdown (kernel/privileges.ts gives pm these).

.include "user.inc"

.text
.globl _start
_start:
    la s0, msg
loop:
    li a0, ANY
    mv a1, s0
    SYSCALL SYS_RECEIVE
    bnez a0, loop
    lw t0, M_TYPE(s0)
    li t1, SIGNAL_MESSAGE
    beq t0, t1, on_signal
    li t1, PM_COUNT
    beq t0, t1, on_count
    li t1, PM_SHUTDOWN
    beq t0, t1, on_shutdown
    li t0, -38                  # ENOSYS
    j reply
on_count:
    call count
    sw a0, P0(s0)
    li t0, 0
reply:                          # t0 = the reply's m_type
    sw t0, M_TYPE(s0)
    lw a0, M_SOURCE(s0)
    mv a1, s0
    SYSCALL SYS_SEND
    j loop
on_shutdown:
    lw a0, P0(s0)
    call shutdown

on_signal:
    lw t0, P1(s0)               # the signal: 0 for an exit
    bnez t0, on_fault
    call count
    li t0, 1
    bne a0, t0, loop
    lw a0, P3(s0)               # the exit status
    call shutdown
on_fault:
    # The kernel has stopped it and logged why: end it.
    la a1, kmsg
    li t0, KC_EXIT
    sw t0, M_TYPE(a1)
    lw t0, P0(s0)
    sw t0, P0(a1)
    lw t0, P1(s0)
    addi t0, t0, 128
    sw t0, P1(a1)
    li a0, SYSTEM
    SYSCALL SYS_SENDREC
    j loop

# a0 = the number of living processes.
count:
    la a1, kmsg
    li t0, KC_GETINFO
    sw t0, M_TYPE(a1)
    li t0, GETINFO_PROCTAB
    sw t0, P0(a1)
    la t0, proctab
    sw t0, P1(a1)
    li t0, PROCINFO_SIZE * NR_PROCS
    sw t0, P2(a1)
    li a0, SYSTEM
    SYSCALL SYS_SENDREC
    la a1, kmsg
    lw a0, P0(a1)
    ret

# Power off with exit code a0.
shutdown:
    la a1, kmsg
    sw a0, P0(a1)
    li t0, KC_SHUTDOWN
    sw t0, M_TYPE(a1)
    li a0, SYSTEM
    SYSCALL SYS_SENDREC
1:  j 1b

.bss
.balign 4
msg:     .space MSG_SIZE
kmsg:    .space MSG_SIZE
proctab: .space PROCINFO_SIZE * NR_PROCS
