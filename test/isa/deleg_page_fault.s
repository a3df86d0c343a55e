# deleg_page_fault: page faults delegated to S reach stvec with scause 13/15 and stval = the VA
.include "prelude.inc"

test_main:
    li t0, 0xa000              # delegate load (13) and store (15) page faults
    csrw medeleg, t0
    PT_SETUP
    MAP4K 0, tpage0, PTE_SR
    PT_ON
    S_SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
st:
    sw zero, 20(s1)
    CHECK_STRAPS 1
    CHECK_STRAP CAUSE_STORE_PAGE, st
    CHECK_WORD strap_tval, 0x40000014
    li s1, 0x00800000          # root entry invalid
ld:
    lw a0, 0(s1)
    CHECK_STRAPS 2
    CHECK_STRAP CAUSE_LOAD_PAGE, ld
    CHECK_WORD strap_tval, 0x00800000
    CHECK_TRAPS 0
    PASS
