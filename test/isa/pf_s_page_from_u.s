# pf_s_page_from_u: U-mode accesses to a page without U are page faults: load 13, store 15, fetch 12, mtval = the VA
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_SRW
    MAP4K 1, code_page, PTE_SRX
    PT_ON
    SKIP_TRAPS
    GO_U_ALIAS u_code

u_code:
    li s1, TEST_VA
    li a0, 0x5555
ld:
    lw a0, 4(s1)
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_LOAD_PAGE
    CHECK_TVAL 0x40000004
    CHECK a0, 0x5555
st:
    sw a0, 8(s1)
    CHECK_TRAPS 2
    CHECK_WORD trap_cause, CAUSE_STORE_PAGE
    CHECK_TVAL 0x40000008
    # the U alias of the same page works
    la t0, tpage0
    lw a0, 4(t0)
    CHECK_TRAPS 2
    EXPECT_TRAP back
    li s1, TEST_VA1
    jalr ra, 0(s1)
    UNREACHABLE

back:
    CHECK_TRAPS 3
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_WORD trap_epc, 0x40001000
    CHECK_TVAL 0x40001000
    # the trap came from U
    la t0, trap_status
    lw t0, 0(t0)
    srli t0, t0, 11
    andi t0, t0, 3
    CHECK t0, 0
    PASS

.balign 4096
code_page:
    li a0, 42
    ret
.balign 4096
