# deleg_exception_u: exceptions delegated with medeleg go from U to the S handler: scause, sepc, stval, SPP = 0, SPIE = old SIE, SIE = 0
.include "prelude.inc"

test_main:
    li t0, 0x104               # delegate illegal instruction (2) and ecall from U (8)
    csrw medeleg, t0
    li t0, 0x77
    csrw mcause, t0            # must stay untouched: M is not involved
    li t0, MSTATUS_SIE         # SIE = 1 in U (no interrupt is enabled in sie)
    csrs mstatus, t0
    li t0, MSTATUS_SPP
    csrs mstatus, t0           # SPP must become 0 (trap from U)
    li t0, 0x5a5a
    csrw stval, t0
    S_EXPECT_TRAP s_back1
    GO_U u_code

u_code:
bad:
    .word 0x04b50533           # illegal: add with funct7 = 0000010
    UNREACHABLE

s_back1:
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_ILLEGAL_INSN, bad
    CHECK_WORD strap_tval, 0x04b50533
    la t0, strap_status
    lw t0, 0(t0)
    andi t1, t0, MSTATUS_SPP
    CHECK t1, 0
    andi t1, t0, MSTATUS_SPIE
    CHECK t1, MSTATUS_SPIE
    andi t1, t0, MSTATUS_SIE
    CHECK t1, 0
    # the same through ecall (cause 8), from U again
    S_EXPECT_TRAP s_back2
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    la t0, u_ecall
    csrw sepc, t0
    sret

u_ecall:
    ecall
    UNREACHABLE

s_back2:
    CHECK_STRAPS 2
    CHECK_STRAP CAUSE_ECALL_U, u_ecall
    CHECK_WORD strap_tval, 0
    CHECK_TRAPS 0
    # ecall from S is not delegated: back to M, where mcause was never written
    EXPECT_TRAP m_back
    ecall
    UNREACHABLE

m_back:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_ECALL_S
    PASS
