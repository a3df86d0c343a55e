# pf_write_readonly: on a read-only page loads work and stores are page faults (15, mtval = the VA); memory is unchanged
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_SR
    PT_ON
    la t0, tpage0
    li t1, 0x0badf00d
    sw t1, 64(t0)
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
    lw a0, 64(s1)
    CHECK a0, 0x0badf00d
    CHECK_TRAPS 0
    li a1, 0x1234
st1:
    sw a1, 64(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_STORE_PAGE, st1
    CHECK_TVAL 0x40000040
st2:
    sh a1, 66(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st2
    CHECK_TVAL 0x40000042
    lw a0, 64(s1)
    CHECK a0, 0x0badf00d
    PASS
