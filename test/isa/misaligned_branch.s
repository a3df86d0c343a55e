# misaligned_branch: a taken branch to a target with bit 1 set traps (mcause 0, mtval = target); a not-taken one does not
# qemu: fail 8 — QEMU 7.2 sets mtval to the pc of the first instruction of the translation block holding the branch, not to the branch target
.include "prelude.inc"

test_main:
    SKIP_TRAPS
beq_here:
    .word 0x00000363           # beq x0, x0, beq_here + 6 (taken)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_FETCH_MISALIGNED, beq_here
    la s0, trap_tval
    lw s0, 0(s0)
    # not taken: no exception, execution falls through
    .word 0x00001363           # bne x0, x0, . + 6
    .word 0x00004363           # blt x0, x0, . + 6
    CHECK_TRAPS 1
    # taken bltu: 0 < 1
    li a1, 1
bltu_here:
    .word 0x00b06363           # bltu x0, a1, bltu_here + 6
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_FETCH_MISALIGNED, bltu_here
    la s1, trap_tval
    lw s1, 0(s1)
    # mtval holds the targets
    la t0, beq_here
    addi t0, t0, 6
    CHECK_REG s0, t0
    la t0, bltu_here
    addi t0, t0, 6
    CHECK_REG s1, t0
    PASS
