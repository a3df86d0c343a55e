# pf_s_fetch_u_page_after_load: an S-mode fetch from a U page faults even right after S read that page with SUM = 1
# qemu: fail 1 — QEMU 7.2 caches the translation of the SUM-permitted load with execute permission, so the following S-mode fetch from the U page is not checked and runs
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
    lw s2, 0(s1)               # allowed by SUM
    jalr ra, 0(s1)             # never allowed
    CHECK_TRAPS 1              # fails here if the fetch was allowed
    UNREACHABLE

back:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_WORD trap_epc, 0x40001000
    CHECK_TVAL 0x40001000
    li t0, 0x02a00513          # li a0, 42: the load read the page
    CHECK_REG s2, t0
    PASS

.balign 4096
code_page:
    li a0, 42
    ret
.balign 4096
