# pf_sum: with sstatus.SUM = 1, S-mode loads, stores and AMOs to a U page succeed
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_URW
    PT_ON
    la t0, tpage0
    li t1, 0x600dcafe
    sw t1, 16(t0)
    li t0, MSTATUS_SUM
    csrs mstatus, t0
    GO_S s_code

s_code:
    li s1, TEST_VA
    lw a0, 16(s1)
    CHECK a0, 0x600dcafe
    li a1, 0x1234
    sw a1, 20(s1)
    lw a0, 20(s1)
    CHECK a0, 0x1234
    li a1, 1
    amoadd.w a0, a1, (s1)
    CHECK a0, 0
    lw a0, 0(s1)
    CHECK a0, 1
    CHECK_TRAPS 0
    # S sets SUM itself through sstatus
    li t0, MSTATUS_SUM
    csrc sstatus, t0
    SKIP_TRAPS
    lw a0, 16(s1)
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_LOAD_PAGE
    csrs sstatus, t0
    lw a0, 16(s1)
    CHECK_TRAPS 1
    CHECK a0, 0x600dcafe
    PASS
