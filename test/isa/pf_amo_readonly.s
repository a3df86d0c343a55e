# pf_amo_readonly: an AMO, or an sc.w holding a reservation, on a read-only page is a store page fault (15)
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_SR
    PT_ON
    la t0, tpage0
    li t1, 7
    sw t1, 0(t0)
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
    li a1, 1
    li a0, 0x5555
amo1:
    amoadd.w a0, a1, (s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_STORE_PAGE, amo1
    CHECK_TVAL 0x40000000
    CHECK a0, 0x5555
amo2:
    amoswap.w a0, a1, (s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, amo2
    # lr.w reads the page; the sc.w that follows may not write it
    lr.w a0, (s1)
    CHECK a0, 7
    CHECK_TRAPS 2
sc1:
    sc.w a0, a1, (s1)
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_STORE_PAGE, sc1
    CHECK_TVAL 0x40000000
    lw a0, 0(s1)
    CHECK a0, 7
    PASS
