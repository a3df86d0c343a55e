# misaligned_amo: every AMO at an address that is not a multiple of 4 traps: mcause 6 (store/AMO misaligned), mtval = the address
# qemu: fail 31 — QEMU 7.2 reports misaligned AMOs with mcause 4 (load address misaligned) instead of 6
.include "prelude.inc"

# One AMO at the misaligned address in s1; checks mepc, mtval, rd and memory,
# and ORs (mcause ^ 6) into s2, checked at the end.
.macro AMO_MIS insn
    li a0, 0x5555
    li a1, 3
1:
    \insn a0, a1, (s1)
    la t0, trap_epc
    lw t0, 0(t0)
    CHECK_ADDR t0, 1b
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
    CHECK a0, 0x5555
    la t0, trap_cause
    lw t0, 0(t0)
    xori t0, t0, CAUSE_STORE_MISALIGNED
    or s2, s2, t0
.endm

test_main:
    SKIP_TRAPS
    la s0, words
    addi s1, s0, 2
    li s2, 0
    AMO_MIS amoswap.w
    AMO_MIS amoadd.w
    AMO_MIS amoxor.w
    AMO_MIS amoand.w
    AMO_MIS amoor.w
    AMO_MIS amomin.w
    AMO_MIS amomax.w
    AMO_MIS amominu.w
    AMO_MIS amomaxu.w
    CHECK_TRAPS 9
    # memory untouched
    lw t0, 0(s0)
    CHECK t0, 0x11111111
    lw t0, 4(s0)
    CHECK t0, 0x22222222
    # every cause was 6
    CHECK s2, 0
    PASS

.data
.balign 8
words: .word 0x11111111, 0x22222222
