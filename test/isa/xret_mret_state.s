# xret_mret_state: mret sets MIE = MPIE, MPIE = 1, MPP = U, privilege = old MPP, and clears MPRV when leaving M
# qemu: fail 7 — QEMU 7.2 does not implement the 1.12 rule that an xRET to a mode below M clears MPRV
.include "prelude.inc"

test_main:
    # MIE = 0, MPIE = 1, MPP = M: return to M
    li t0, MSTATUS_MIE
    csrc mstatus, t0
    li t0, 0x1880              # MPP = M, MPIE = 1
    csrs mstatus, t0
    la t0, m1
    csrw mepc, t0
    mret
m1:
    csrr s0, mstatus
    csrci mstatus, MSTATUS_MIE
    andi t0, s0, MSTATUS_MIE
    CHECK t0, MSTATUS_MIE
    andi t0, s0, MSTATUS_MPIE
    CHECK t0, MSTATUS_MPIE
    li t1, MSTATUS_MPP
    and t0, s0, t1
    CHECK t0, 0                # least-privileged mode: U
    # MPIE = 0: MIE becomes 0, MPIE becomes 1
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    la t0, m2
    csrw mepc, t0
    mret
m2:
    csrr s0, mstatus
    andi t0, s0, MSTATUS_MIE
    CHECK t0, 0
    andi t0, s0, MSTATUS_MPIE
    CHECK t0, MSTATUS_MPIE
    # MPRV survives an mret to M ...
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    la t0, m3
    csrw mepc, t0
    mret
m3:
    csrr s0, mstatus
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    li t1, MSTATUS_MPRV
    and t0, s0, t1
    CHECK t0, MSTATUS_MPRV
    # ... and is cleared by an mret to S
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    EXPECT_TRAP back
    GO_S s_code

s_code:
    ecall

back:
    la t0, trap_status
    lw s0, 0(t0)
    li t1, MSTATUS_MPRV
    and t0, s0, t1
    CHECK t0, 0
    srli t0, s0, 11
    andi t0, t0, 3
    CHECK t0, 1                # the ecall came from S
    PASS
