# pf_invalid_pte: under Sv32, an access through a PTE with V = 0 is a page fault: load 13, store 15, fetch 12, mtval = the VA
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, 0xc6      # R W A D but not V
    PT_ON
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
    li a0, 0x5555
ld:
    lw a0, 0x24(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld
    CHECK_TVAL 0x40000024
    CHECK a0, 0x5555
st:
    sw a0, 0x38(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st
    CHECK_TVAL 0x40000038
    # a VA whose first-level PTE is invalid (root[1] = 0)
    li s2, 0x00400010
ld2:
    lbu a0, 0(s2)
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_LOAD_PAGE, ld2
    CHECK_TVAL 0x00400010
    # the store never reached the page
    la t0, tpage0
    lw t0, 0x38(t0)
    CHECK t0, 0
    # fetch: continue in M-mode
    EXPECT_TRAP back
    li s3, 0x40000040
    jalr ra, 0(s3)
    UNREACHABLE

back:
    CHECK_TRAPS 4
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_WORD trap_epc, 0x40000040
    CHECK_TVAL 0x40000040
    PASS
