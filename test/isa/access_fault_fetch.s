# access_fault_fetch: jumping to an address with no RAM or device traps on the fetch: mcause 1, mepc = mtval = the target
.include "prelude.inc"

test_main:
    EXPECT_TRAP back1
    li s1, 0x08000000
    jalr ra, 0(s1)
    UNREACHABLE
back1:
    CHECK_TRAPS 1
    CHECK_WORD trap_cause, CAUSE_FETCH_ACCESS
    CHECK_WORD trap_epc, 0x08000000
    CHECK_WORD trap_tval, 0x08000000
    # the jump itself completed: ra is the link address
    CHECK_NE ra, 0
    # just past the end of RAM
    EXPECT_TRAP back2
    li s1, 0x88000000
    jr s1
    UNREACHABLE
back2:
    CHECK_TRAPS 2
    CHECK_WORD trap_cause, CAUSE_FETCH_ACCESS
    CHECK_WORD trap_epc, 0x88000000
    CHECK_WORD trap_tval, 0x88000000
    PASS
