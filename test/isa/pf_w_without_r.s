# pf_w_without_r: a leaf PTE with W = 1 and R = 0 is reserved: loads, stores and fetches through it are page faults
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, 0xc5      # V W A D, no R
    MAP4K 1, tpage1, 0xcd      # V W X A D, no R
    PT_ON
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
ld:
    lw a0, 8(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld
    CHECK_TVAL 0x40000008
st:
    sw a0, 12(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st
    CHECK_TVAL 0x4000000c
    li s1, TEST_VA1
st2:
    sw a0, 0(s1)
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_STORE_PAGE, st2
    EXPECT_TRAP back
    jalr ra, 0(s1)
    UNREACHABLE

back:
    CHECK_TRAPS 4
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_WORD trap_epc, 0x40001000
    CHECK_TVAL 0x40001000
    PASS
