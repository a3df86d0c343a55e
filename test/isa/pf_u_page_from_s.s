# pf_u_page_from_s: with sstatus.SUM = 0, S-mode loads and stores to a U page are page faults (13, 15), mtval = the VA
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_URW
    PT_ON
    li t0, MSTATUS_SUM
    csrc mstatus, t0
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
    li a0, 0x5555
ld:
    lw a0, 16(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld
    CHECK_TVAL 0x40000010
    CHECK a0, 0x5555
st:
    sb a0, 17(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st
    CHECK_TVAL 0x40000011
amo:
    amoor.w a0, a0, (s1)
    CHECK_TRAPS 3
    la t0, trap_epc
    lw t0, 0(t0)
    CHECK_ADDR t0, amo
    CHECK_TVAL 0x40000000
    la t0, tpage0
    lw t0, 16(t0)
    CHECK t0, 0
    PASS
