# ecall_u: ecall in U-mode traps to M with mcause 8, mepc = the ecall, mtval = 0, MPP = U
.include "prelude.inc"

test_main:
    li t0, 0x5a5a5a5a
    csrw mtval, t0
    li t0, MSTATUS_MPP         # MPP reads back as U after the trap
    csrs mstatus, t0
    EXPECT_TRAP back
    GO_U u_code

u_code:
    li s1, 77                  # U-mode ran: the value survives the trap
u_ecall:
    ecall
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ECALL_U, u_ecall
    CHECK_TVAL 0
    CHECK s1, 77
    la t0, trap_status
    lw t0, 0(t0)
    srli t1, t0, 11
    andi t1, t1, 3
    CHECK t1, 0
    PASS
