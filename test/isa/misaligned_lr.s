# misaligned_lr: lr.w at an address that is not a multiple of 4 traps: mcause 4 (load misaligned), mtval = the address
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    la s0, word
    addi s1, s0, 2
    li a0, 0x1234
lr1:
    lr.w a0, (s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_MISALIGNED, lr1
    CHECK a0, 0x1234           # rd not written
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
    addi s1, s0, 1
lr2:
    lr.w a0, (s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_LOAD_MISALIGNED, lr2
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
    PASS

.data
.balign 8
word: .word 0x11111111, 0x22222222
