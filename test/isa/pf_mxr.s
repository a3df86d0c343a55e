# pf_mxr: S-mode loads from an execute-only page fault (13) with MXR = 0 and succeed with MXR = 1; stores still fault
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_SX
    PT_ON
    la t0, tpage0
    li t1, 0x1337
    sw t1, 8(t0)
    li t0, MSTATUS_MXR
    csrc mstatus, t0
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
    li a0, 0
ld1:
    lw a0, 8(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld1
    CHECK_TVAL 0x40000008
    CHECK a0, 0
    # make executable readable
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    lw a0, 8(s1)
    CHECK_TRAPS 1
    CHECK a0, 0x1337
    # MXR does not make the page writable
st1:
    sw a0, 12(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st1
    # and with MXR cleared again the load faults again
    csrc sstatus, t0
    sfence.vma
    lw a0, 8(s1)
    CHECK_TRAPS 3
    CHECK_WORD trap_cause, CAUSE_LOAD_PAGE
    PASS
