# mtvec_warl: mtvec keeps MODE 0 or 1 as written; the reserved MODE values 2 and 3 never read back
.include "prelude.inc"

test_main:
    la s0, trap_entry
    ori t0, s0, 1
    csrw mtvec, t0
    csrr a0, mtvec
    CHECK_REG a0, t0
    csrw mtvec, s0
    csrr a0, mtvec
    CHECK_REG a0, s0
    ori t0, s0, 2
    csrw mtvec, t0
    csrr a0, mtvec
    andi t0, a0, 3
    sltiu t0, t0, 2
    CHECK t0, 1
    ori t0, s0, 3
    csrw mtvec, t0
    csrr a0, mtvec
    andi t0, a0, 3
    sltiu t0, t0, 2
    CHECK t0, 1
    # stvec the same
    la s1, strap_entry
    ori t0, s1, 1
    csrw stvec, t0
    csrr a0, stvec
    CHECK_REG a0, t0
    ori t0, s1, 2
    csrw stvec, t0
    csrr a0, stvec
    andi t0, a0, 3
    sltiu t0, t0, 2
    CHECK t0, 1
    csrw mtvec, s0
    csrw stvec, s1
    PASS
