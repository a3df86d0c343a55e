# ecall_s: ecall in S-mode (not delegated) traps to M with mcause 9, mepc = the ecall, mtval = 0, MPP = S
.include "prelude.inc"

test_main:
    li t0, 0x5a5a5a5a
    csrw mtval, t0
    EXPECT_TRAP back
    GO_S s_code

s_code:
    ecall
    UNREACHABLE                # the trap continues at back

back:
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ECALL_S, s_code
    CHECK_TVAL 0
    la t0, trap_status
    lw t0, 0(t0)
    srli t1, t0, 11
    andi t1, t1, 3
    CHECK t1, 1
    PASS
