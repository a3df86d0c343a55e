# pf_mxr_u: MXR also lets U-mode load from an execute-only U page; without it the load faults (13)
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_UX
    PT_ON
    la t0, tpage0
    li t1, 0x4242
    sw t1, 0(t0)
    EXPECT_TRAP back1
    li t0, MSTATUS_MXR
    csrc mstatus, t0
    GO_U_ALIAS u_code

u_code:
    li s1, TEST_VA
    li a0, 0
    lw a0, 0(s1)
    ecall                      # back to M

back1:
    # without MXR the load faulted
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_LOAD_PAGE
    CHECK_TVAL 0x40000000
    CHECK a0, 0
    # again with MXR = 1
    RESET_TRAPS
    EXPECT_TRAP back2
    li t0, MSTATUS_MXR
    csrs mstatus, t0
    GO_U_ALIAS u_code

back2:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_ECALL_U
    CHECK a0, 0x4242
    PASS
