# pf_leaf_pointer: a valid level-0 PTE with R = W = X = 0 (a pointer where a leaf must be) is a page fault
.include "prelude.inc"

test_main:
    PT_SETUP
    # leaf slot 0 "points" to tpage0 as if it were a table
    la t0, tpage0
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V
    la t1, pt_leaf
    sw t0, 0(t1)
    PT_ON
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
ld1:
    lw a0, 0(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld1
    CHECK_TVAL 0x40000000
st1:
    sw a0, 4(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st1
    CHECK_TVAL 0x40000004
    PASS
