# illegal_csr_unknown: reading or writing a CSR number the hart does not implement is illegal, mtval = the word
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li a0, 0x1234
bad1:
    .word 0x7c002573           # csrr a0, 0x7c0 (custom M-mode range)
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0x7c002573
    CHECK a0, 0x1234
bad2:
    .word 0x7c051073           # csrw 0x7c0, a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0x7c051073
bad3:
    .word 0x0ff02573           # csrr a0, 0x0ff (unallocated U-mode number)
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0x0ff02573
bad4:
    .word 0x0ff56573           # csrrsi a0, 0x0ff, 10
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad4
    CHECK_TVAL 0x0ff56573
    CHECK_TRAPS 4
    CHECK a0, 0x1234
    PASS
