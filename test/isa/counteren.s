# counteren: cycle/time/instret are illegal in S unless mcounteren allows, and in U unless mcounteren and scounteren both allow
.include "prelude.inc"

test_main:
    csrw mcounteren, zero
    csrw scounteren, zero
    # M is never gated
    rdcycle a0
    rdtime a0
    rdinstret a0
    CHECK_TRAPS 0
    SKIP_TRAPS
    GO_S s_code

s_code:
bad1:
    rdcycle a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0xc0002573
bad2:
    rdtime a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
bad3:
    rdinstreth a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0xc8202573
    CHECK_TRAPS 3
    EXPECT_TRAP back1
    ecall

back1:
    # mcounteren: CY and IR only
    li t0, 0x5
    csrw mcounteren, t0
    RESET_TRAPS
    SKIP_TRAPS
    GO_S s_code2

s_code2:
    rdcycle a0
    rdinstret a0
    rdcycleh a0
    CHECK_TRAPS 0
bad4:
    rdtime a0
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad4
    # U: scounteren still 0
    la t0, u_code
    csrw sepc, t0
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    sret

u_code:
bad5:
    rdcycle a0
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad5
    EXPECT_TRAP back2
    ecall

back2:
    # all of them in both
    li t0, 7
    csrw mcounteren, t0
    csrw scounteren, t0
    RESET_TRAPS
    GO_U u_code2

u_code2:
    rdcycle a0
    rdtime a0
    rdinstret a0
    rdtimeh a0
    CHECK_TRAPS 0
    # scounteren alone is not enough
    EXPECT_TRAP back3
    ecall

back3:
    li t0, 2
    csrw mcounteren, t0        # TM only
    RESET_TRAPS
    SKIP_TRAPS
    GO_U u_code3

u_code3:
    rdtime a0
    CHECK_TRAPS 0
bad6:
    rdinstret a0
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad6
    PASS
