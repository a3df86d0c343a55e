# ecall_m: ecall in M-mode traps with mcause 11, mepc = the ecall, mtval = 0, MPP = M
.include "prelude.inc"

test_main:
    li t0, 0x5a5a5a5a          # the trap must overwrite mtval with 0
    csrw mtval, t0
    li s0, 0x1234
    SKIP_TRAPS
ecall_here:
    ecall
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ECALL_M, ecall_here
    CHECK_TVAL 0
    # mstatus at the trap: MPP = 3 (from M), MIE = 0
    la t0, trap_status
    lw t0, 0(t0)
    srli t1, t0, 11
    andi t1, t1, 3
    CHECK t1, 3
    andi t1, t0, MSTATUS_MIE
    CHECK t1, 0
    # execution resumed after the ecall with the registers intact
    CHECK s0, 0x1234
    PASS
