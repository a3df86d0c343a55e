# deleg_exception_s: a delegated exception taken in S-mode goes to stvec (not M) with scause, sepc, SPP = 1
.include "prelude.inc"

test_main:
    li t0, 0x8                 # delegate breakpoint (3)
    csrw medeleg, t0
    S_EXPECT_TRAP s_back
    GO_S s_code

s_code:
brk:
    ebreak
    UNREACHABLE

s_back:
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_BREAKPOINT, brk
    la t0, strap_status
    lw t0, 0(t0)
    andi t1, t0, MSTATUS_SPP
    CHECK t1, MSTATUS_SPP
    # M never saw the ebreak
    CHECK_TRAPS 0
    # an undelegated ecall from S still goes to M
    EXPECT_TRAP m_back
s_ecall:
    ecall
    UNREACHABLE

m_back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ECALL_S, s_ecall
    CHECK_STRAPS 1
    PASS
