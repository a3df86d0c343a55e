# xret_sret_state: sret sets SIE = SPIE, SPIE = 1, SPP = U, privilege = old SPP; an sret from M to S clears MPRV
# qemu: fail 10 — QEMU 7.2 does not implement the 1.12 rule that an xRET to a mode below M clears MPRV
.include "prelude.inc"

test_main:
    GO_S s_code

s_code:
    # SIE = 0, SPIE = 1, SPP = S
    csrci sstatus, MSTATUS_SIE
    li t0, 0x120
    csrs sstatus, t0
    la t0, s_ret1
    csrw sepc, t0
    sret
s_ret1:
    csrr s0, sstatus
    csrci sstatus, MSTATUS_SIE
    andi t0, s0, MSTATUS_SIE
    CHECK t0, MSTATUS_SIE
    andi t0, s0, MSTATUS_SPIE
    CHECK t0, MSTATUS_SPIE
    andi t0, s0, MSTATUS_SPP
    CHECK t0, 0
    # SPIE = 0, SPP = U: to U with SIE = 0
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    csrsi sstatus, MSTATUS_SIE
    la t0, u_code
    csrw sepc, t0
    EXPECT_TRAP back1
    sret

u_code:
    ecall

back1:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_ECALL_U
    csrr s0, mstatus
    andi t0, s0, MSTATUS_SIE
    CHECK t0, 0
    andi t0, s0, MSTATUS_SPIE
    CHECK t0, MSTATUS_SPIE
    # sret executed in M: returns to SPP = S and clears MPRV
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    li t0, MSTATUS_SPP
    csrs mstatus, t0
    la t0, s_ret2
    csrw sepc, t0
    EXPECT_TRAP back2
    sret

s_ret2:
    ecall

back2:
    CHECK_TRAPS 2
    CHECK_WORD trap_cause, CAUSE_ECALL_S
    la t0, trap_status
    lw s0, 0(t0)
    li t1, MSTATUS_MPRV
    and t0, s0, t1
    CHECK t0, 0
    PASS
