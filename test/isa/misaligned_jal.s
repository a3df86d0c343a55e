# misaligned_jal: jal to an address with bit 1 set traps before jumping: mcause 0, mepc = the jal, mtval = the target, rd unchanged
# qemu: fail 9 — QEMU 7.2 sets mtval to the pc of the first instruction of the translation block holding the jal, not to the jump target
.include "prelude.inc"

test_main:
    li ra, 0x1111
    SKIP_TRAPS
jal_here:
    .word 0x006000ef           # jal ra, jal_here + 6
    CHECK_TRAPS 1
    CHECK ra, 0x1111
    CHECK_TRAP CAUSE_FETCH_MISALIGNED, jal_here
    la s0, trap_tval
    lw s0, 0(s0)
    # a backward one: jal a5, jal2 - 10
    li a5, 0x2222
jal2:
    .word 0xff7ff7ef
    CHECK_TRAPS 2
    CHECK a5, 0x2222
    CHECK_TRAP CAUSE_FETCH_MISALIGNED, jal2
    la s1, trap_tval
    lw s1, 0(s1)
    # mtval holds the targets
    la t0, jal_here
    addi t0, t0, 6
    CHECK_REG s0, t0
    la t0, jal2
    addi t0, t0, -10
    CHECK_REG s1, t0
    PASS
