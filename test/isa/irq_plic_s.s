# irq_plic_s: PLIC context 1 (hart 0 S-mode) drives SEIP: with SEI delegated the UART interrupt reaches stvec (scause 0x80000009)
# stdin: B
.include "prelude.inc"

test_main:
    li t0, PLIC_PRIORITY
    li t1, 1
    sw t1, 40(t0)
    li t0, PLIC_ENABLE_M       # not enabled for M
    sw zero, 0(t0)
    li t0, PLIC_ENABLE_S
    li t1, 0x400
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD_S
    sw zero, 0(t0)
    li s0, UART0
    li t0, 0x03
    sb t0, 3(s0)
    li t0, 0x08
    sb t0, 4(s0)
    li t0, 0x01
    sb t0, 1(s0)
    li t0, MIP_SEIP
    csrw mideleg, t0
    S_EXPECT_TRAP s_back
    GO_S s_code

s_code:
    li t0, MIP_SEIP
    csrs sie, t0
    csrsi sstatus, MSTATUS_SIE
    WAIT_IRQ

s_back:
    CHECK_STRAPS 1
    CHECK_WORD strap_cause, CAUSE_SEI
    CHECK_TRAPS 0
    li s1, PLIC_CLAIM_S
    lw a0, 0(s1)
    CHECK a0, UART_IRQ
    lbu a1, 0(s0)
    CHECK a1, 0x42             # 'B'
    sw a0, 0(s1)
    lw a0, 0(s1)
    CHECK a0, 0
    csrr t0, sip
    li t1, MIP_SEIP
    and t0, t0, t1
    CHECK t0, 0
    PASS
