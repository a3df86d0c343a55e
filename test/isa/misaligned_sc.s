# misaligned_sc: sc.w at an address that is not a multiple of 4 traps with mcause 6, with or without a reservation
# qemu: fail 1 — QEMU 7.2 checks the reservation first: a misaligned sc.w just fails (rd = 1) without trapping
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    la s0, words
    addi s1, s0, 2
    # with a valid reservation on the aligned word
    lr.w t0, (s0)
    li a0, 0x5555
    li a1, 0x77
sc1:
    sc.w a0, a1, (s1)
    CHECK_TRAPS 1
    CHECK a0, 0x5555           # rd not written
    CHECK_TRAP CAUSE_STORE_MISALIGNED, sc1
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
    # without any reservation
sc2:
    sc.w a0, a1, (s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_MISALIGNED, sc2
    lw t0, 0(s0)
    CHECK t0, 0x11111111
    lw t0, 4(s0)
    CHECK t0, 0x22222222
    PASS

.data
.balign 8
words: .word 0x11111111, 0x22222222
