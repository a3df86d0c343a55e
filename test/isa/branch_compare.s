# branch_compare: beq/bne/blt/bge/bltu/bgeu (and bgt/ble/bgtu/bleu) compare as signed or unsigned; jal/jalr link pc + 4
.include "prelude.inc"

# Set a0 = 1 if the branch is taken, 0 if not.
.macro TAKEN insn, r1, r2
    li a0, 1
    \insn \r1, \r2, 1f
    li a0, 0
1:
.endm

test_main:
    li s0, -1
    li s1, 1
    li s2, 0x80000000
    TAKEN blt, s0, s1
    CHECK a0, 1
    TAKEN bltu, s0, s1
    CHECK a0, 0
    TAKEN bge, s0, s1
    CHECK a0, 0
    TAKEN bgeu, s0, s1
    CHECK a0, 1
    TAKEN bge, s1, s1
    CHECK a0, 1
    TAKEN blt, s2, s0
    CHECK a0, 1
    TAKEN bltu, s2, s0
    CHECK a0, 1
    TAKEN beq, s0, s0
    CHECK a0, 1
    TAKEN bne, s0, s0
    CHECK a0, 0
    TAKEN bgt, s1, s0
    CHECK a0, 1
    TAKEN bgtu, s1, s0
    CHECK a0, 0
    TAKEN ble, s0, s1
    CHECK a0, 1
    TAKEN bleu, s0, s1
    CHECK a0, 0
    li a0, 1
    bltz s2, 2f
    li a0, 0
2:
    CHECK a0, 1
    # link registers
    jal ra, 3f
ret1:
    j 4f
3:
    CHECK_ADDR ra, ret1
    ret
4:
    la t0, 5f
    jalr s3, 0(t0)
ret2:
5:
    CHECK_ADDR s3, ret2
    PASS
