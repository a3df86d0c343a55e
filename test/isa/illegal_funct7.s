# illegal_funct7: OP-major words with funct7 values no RV32IM instruction uses are illegal, mtval = the word
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li a0, 5
    li a1, 7
bad1:
    .word 0x04b50533           # add a0, a0, a1 with funct7 = 0000010
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0x04b50533
    CHECK a0, 5                # rd not written
bad2:
    .word 0x40b51533           # sll with funct7 = 0100000
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0x40b51533
bad3:
    .word 0x40b57533           # and with funct7 = 0100000 (andn: Zbb, not in RV32IMA)
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0x40b57533
bad4:
    .word 0xfeb50533           # funct7 = 1111111
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad4
    CHECK_TVAL 0xfeb50533
bad5:
    .word 0x0ab54533           # xor with funct7 = 0000101 (min: Zbb)
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad5
    CHECK_TVAL 0x0ab54533
    CHECK_TRAPS 5
    CHECK a0, 5
    # the valid neighbours still execute: sub, sra, mul
    sub a2, a1, a0
    CHECK a2, 2
    mul a2, a1, a0
    CHECK a2, 35
    CHECK_TRAPS 5
    PASS
