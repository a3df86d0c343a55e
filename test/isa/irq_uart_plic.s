# irq_uart_plic: a byte received by UART0 raises PLIC source 10 to M (mcause 0x8000000b); claim returns 10, complete ends it
# stdin: A
.include "prelude.inc"

test_main:
    # PLIC: source 10 priority 1, enabled for hart 0 M-mode, threshold 0
    li t0, PLIC_PRIORITY
    li t1, 1
    sw t1, 40(t0)              # 4 * 10
    li t0, PLIC_ENABLE_M
    li t1, 0x400               # bit 10
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD_M
    sw zero, 0(t0)
    # UART0: 8N1, OUT2 on, receive-data interrupt enabled
    li s0, UART0
    li t0, 0x03
    sb t0, 3(s0)               # LCR
    li t0, 0x08
    sb t0, 4(s0)               # MCR.OUT2
    li t0, 0x01
    sb t0, 1(s0)               # IER.ERBFI
    li t0, MIP_MEIP
    csrs mie, t0
    EXPECT_TRAP back
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQ

back:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_MEI
    csrr t0, mip
    li t1, MIP_MEIP
    and t0, t0, t1
    CHECK t0, MIP_MEIP
    # PLIC pending bit 10 is set until the claim
    li t0, PLIC_PENDING
    lw t0, 0(t0)
    andi t0, t0, 0x400
    CHECK t0, 0x400
    li s1, PLIC_CLAIM_M
    lw a0, 0(s1)
    CHECK a0, UART_IRQ
    li t0, PLIC_PENDING
    lw t0, 0(t0)
    andi t0, t0, 0x400
    CHECK t0, 0
    # the byte is there
    lbu t0, 5(s0)              # LSR.DR
    andi t0, t0, 1
    CHECK t0, 1
    lbu a1, 0(s0)              # RBR
    CHECK a1, 0x41             # 'A'
    lbu t0, 5(s0)
    andi t0, t0, 1
    CHECK t0, 0
    sw a0, 0(s1)               # complete
    # nothing left: no pending, no claimable source, MEIP low
    lw a0, 0(s1)
    CHECK a0, 0
    csrr t0, mip
    li t1, MIP_MEIP
    and t0, t0, t1
    CHECK t0, 0
    PASS
