# boot_regs: mhartid = 0; at entry a0 = the hart id (0) and a1 = the address of a flattened device tree (magic 0xd00dfeed)
.include "prelude.inc"

test_main:
    csrr a0, mhartid
    CHECK a0, 0
    CHECK_WORD boot_a0, 0
    la t0, boot_a1
    lw s1, 0(t0)
    CHECK_NE s1, 0
    andi t0, s1, 7
    CHECK t0, 0
    lbu t0, 0(s1)              # the magic is stored big-endian
    CHECK t0, 0xd0
    lbu t0, 1(s1)
    CHECK t0, 0x0d
    lbu t0, 2(s1)
    CHECK t0, 0xfe
    lbu t0, 3(s1)
    CHECK t0, 0xed
    PASS
