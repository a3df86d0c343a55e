# pf_s_fetch_u_page: S-mode never executes from a U page, even with sstatus.SUM = 1: fetch page fault 12, mtval = the VA
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 1, code_page, PTE_URWX
    PT_ON
    li t0, MSTATUS_SUM
    csrs mstatus, t0
    EXPECT_TRAP back
    GO_S s_code

s_code:
    li s1, TEST_VA1
    jalr ra, 0(s1)
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_WORD trap_epc, 0x40001000
    CHECK_TVAL 0x40001000
    PASS

.balign 4096
code_page:
    li a0, 42
    ret
.balign 4096
