# trap_mstatus: a trap into M saves MIE in MPIE, clears MIE and records the old mode in MPP; mret restores MIE
.include "prelude.inc"

test_main:
    csrsi mstatus, MSTATUS_MIE     # no interrupt is enabled in mie
    SKIP_TRAPS
    ecall
    la t0, trap_status
    lw s0, 0(t0)
    andi t0, s0, MSTATUS_MIE
    CHECK t0, 0
    andi t0, s0, MSTATUS_MPIE
    CHECK t0, MSTATUS_MPIE
    li t1, MSTATUS_MPP
    and t0, s0, t1
    CHECK t0, MSTATUS_MPP
    # after the mret MIE is back on
    csrr s1, mstatus
    andi t0, s1, MSTATUS_MIE
    CHECK t0, MSTATUS_MIE
    # now with MIE = 0
    csrci mstatus, MSTATUS_MIE
    ecall
    la t0, trap_status
    lw s0, 0(t0)
    andi t0, s0, MSTATUS_MPIE
    CHECK t0, 0
    csrr s1, mstatus
    andi t0, s1, MSTATUS_MIE
    CHECK t0, 0
    PASS
