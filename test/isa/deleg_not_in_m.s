# deleg_not_in_m: medeleg does not apply to traps raised in M-mode: they go to mtvec, not stvec
.include "prelude.inc"

test_main:
    li t0, 0xb1ff              # delegate every exception S may take
    csrw medeleg, t0
    SKIP_TRAPS
    S_SKIP_TRAPS
brk:
    ebreak
bad:
    .word 0
    CHECK_TRAPS 2
    CHECK_STRAPS 0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad
    PASS
