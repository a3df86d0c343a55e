# illegal_csr_readonly: writing a read-only CSR (mvendorid, mhartid, cycle, instret) is illegal, mtval = the word
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li a0, 0x1234
    li a1, 1
bad1:
    .word 0xf1151073           # csrw mvendorid, a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0xf1151073
bad2:
    .word 0xf145a573           # csrrs a0, mhartid, a1 (a1 = 1)
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0xf145a573
    CHECK a0, 0x1234           # rd not written
bad3:
    .word 0xc0005073           # csrrwi x0, cycle, 0 (csrrw always writes)
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad3
    CHECK_TVAL 0xc0005073
bad4:
    .word 0xc0251073           # csrw instret, a0
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad4
    CHECK_TVAL 0xc0251073
bad5:
    .word 0xf140e573           # csrrsi a0, mhartid, 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad5
    CHECK_TVAL 0xf140e573
bad6:
    .word 0xc010f573           # csrrci a0, time, 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad6
    CHECK_TVAL 0xc010f573
    CHECK_TRAPS 6
    CHECK a0, 0x1234
    PASS
