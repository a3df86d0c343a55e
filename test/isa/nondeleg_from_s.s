# nondeleg_from_s: an exception in S whose medeleg bit is clear goes to M: mcause, mepc, MPP = S; scause/sepc are untouched
.include "prelude.inc"

test_main:
    li t0, 0x100               # only ecall from U is delegated
    csrw medeleg, t0
    li t0, 0x55
    csrw scause, t0
    li t0, 0x54
    csrw sepc, t0
    EXPECT_TRAP back
    GO_S s_code

s_code:
bad:
    .word 0xffffffff
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_STRAPS 0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad
    CHECK_TVAL 0xffffffff
    la t0, trap_status
    lw t0, 0(t0)
    srli t0, t0, 11
    andi t0, t0, 3
    CHECK t0, 1
    csrr t0, scause
    CHECK t0, 0x55
    csrr t0, sepc
    CHECK t0, 0x54
    PASS
