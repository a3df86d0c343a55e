# ebreak: ebreak traps with mcause 3 and mepc = the ebreak, in M and in U; mtval is 0 or the pc
.include "prelude.inc"

test_main:
    SKIP_TRAPS
brk_m:
    ebreak
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_BREAKPOINT, brk_m
    # the spec lets mtval be 0 or the address of the ebreak
    la t0, trap_tval
    lw t0, 0(t0)
    beqz t0, 1f
    CHECK_ADDR t0, brk_m
1:
    EXPECT_TRAP back
    GO_U brk_u
brk_u:
    ebreak
    UNREACHABLE
back:
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_BREAKPOINT, brk_u
    la t0, trap_tval
    lw t0, 0(t0)
    beqz t0, 2f
    CHECK_ADDR t0, brk_u
2:
    PASS
