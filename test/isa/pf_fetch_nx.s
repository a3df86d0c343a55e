# pf_fetch_nx: fetching from a page without X is a fetch page fault (12, mepc = mtval = the VA); with X the code runs
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 1, code_page, PTE_SRX
    MAP4K 2, code_page, PTE_SRW
    PT_ON
    GO_S s_code

s_code:
    # executable mapping: the code runs
    li a0, 0
    li s1, TEST_VA1
    jalr ra, 0(s1)
    CHECK a0, 42
    CHECK_TRAPS 0
    # same physical page mapped without X
    EXPECT_TRAP back
    li s1, TEST_VA2
    jalr ra, 4(s1)
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_WORD trap_epc, 0x40002004
    CHECK_TVAL 0x40002004
    PASS

.balign 4096
code_page:
    li a0, 42
    ret
.balign 4096
