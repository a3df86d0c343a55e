# irq_priority: six interrupts pending at once are taken in the order MEI, MSI, MTI, SEI, SSI, STI
# qemu: fail 4 — without the AIA extensions QEMU 7.2 takes the lowest-numbered pending interrupt first (SSI, MSI, STI, MTI, SEI, MEI), not the privileged spec's MEI > MSI > MTI > SEI > SSI > STI
# stdin: x
.include "prelude.inc"

test_main:
    # wait for the input byte to reach the UART (bounded)
    li s0, UART0
    li t1, 20000000
1:
    lbu t0, 5(s0)
    andi t0, t0, 1
    bnez t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:
    CHECK t0, 1
    # MEI: PLIC source 10 to M, UART receive interrupt on
    li t0, PLIC_PRIORITY
    li t1, 1
    sw t1, 40(t0)
    li t0, PLIC_ENABLE_M
    li t1, 0x400
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD_M
    sw zero, 0(t0)
    li t0, 0x08
    sb t0, 4(s0)
    li t0, 0x01
    sb t0, 1(s0)
    # MSI
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    # MTI: mtimecmp = 0
    li t0, CLINT_MTIMECMP
    sw zero, 0(t0)
    li t0, CLINT_MTIMECMPH
    sw zero, 0(t0)
    # SEI, SSI, STI written by M; none delegated, so all go to M
    li t0, 0x222
    csrs mip, t0
    li t0, 0xaaa
    csrw mie, t0
    # all six pending (MEIP may take a moment to reach the hart)
    li t2, 100000
3:
    csrr t0, mip
    li t1, 0xaaa
    and t0, t0, t1
    beq t0, t1, 4f
    addi t2, t2, -1
    bnez t2, 3b
4:
    CHECK t0, 0xaaa
    la t0, prio_handler
    csrw mtvec, t0
    csrsi mstatus, MSTATUS_MIE
    li t1, 10000
5:
    la t0, log_n
    lw t0, 0(t0)
    li t2, 6
    beq t0, t2, 6f
    addi t1, t1, -1
    bnez t1, 5b
6:
    csrci mstatus, MSTATUS_MIE
    la t0, trap_entry
    csrw mtvec, t0
    CHECK_WORD log_n, 6
    la s1, log
    lw t0, 0(s1)
    CHECK t0, CAUSE_MEI
    lw t0, 4(s1)
    CHECK t0, CAUSE_MSI
    lw t0, 8(s1)
    CHECK t0, CAUSE_MTI
    lw t0, 12(s1)
    CHECK t0, CAUSE_SEI
    lw t0, 16(s1)
    CHECK t0, CAUSE_SSI
    lw t0, 20(s1)
    CHECK t0, CAUSE_STI
    PASS

# Logs mcause, silences its source, returns (MIE comes back on with mret).
prio_handler:
    csrw mscratch, t0
    la t0, prio_save
    sw t1, 0(t0)
    sw t2, 4(t0)
    sw t4, 8(t0)
    sw t5, 12(t0)
    la t0, log_n
    lw t1, 0(t0)
    addi t2, t1, 1
    sw t2, 0(t0)
    slli t1, t1, 2
    la t0, log
    add t0, t0, t1
    csrr t1, mcause
    sw t1, 0(t0)
    li t2, CAUSE_MEI
    beq t1, t2, 1f
    li t2, CAUSE_MSI
    beq t1, t2, 2f
    li t2, CAUSE_MTI
    beq t1, t2, 3f
    li t2, CAUSE_SEI
    beq t1, t2, 4f
    li t2, CAUSE_SSI
    beq t1, t2, 5f
    li t2, CAUSE_STI
    beq t1, t2, 6f
    j trap_entry               # anything else: unexpected
1:
    li t0, PLIC_CLAIM_M
    lw t1, 0(t0)
    li t2, UART0
    sb zero, 1(t2)             # IER = 0
    lbu t4, 0(t2)              # consume the byte
    sw t1, 0(t0)               # complete
    j 9f
2:
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    j 9f
3:
    TIMER_OFF
    j 9f
4:
    li t0, MIP_SEIP
    csrc mip, t0
    j 9f
5:
    li t0, MIP_SSIP
    csrc mip, t0
    j 9f
6:
    li t0, MIP_STIP
    csrc mip, t0
9:
    la t0, prio_save
    lw t1, 0(t0)
    lw t2, 4(t0)
    lw t4, 8(t0)
    lw t5, 12(t0)
    csrr t0, mscratch
    mret

.data
.balign 4
log_n: .word 0
log: .fill 8, 4, 0
prio_save: .fill 4, 4, 0
