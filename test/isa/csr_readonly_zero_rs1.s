# csr_readonly_zero_rs1: csrrs/csrrc with rs1 != x0 on a read-only CSR is illegal even when rs1 holds 0
# qemu: fail 1 — QEMU 7.2 decides "is this a write" from the mask value, not from rs1 being x0, so csrrs a0, mvendorid, a1 with a1 = 0 does not trap
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li a1, 0
bad1:
    .word 0xf115a573           # csrrs a0, mvendorid, a1
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad1
    CHECK_TVAL 0xf115a573
bad2:
    .word 0xc005b573           # csrrc a0, cycle, a1
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_ILLEGAL_INSN, bad2
    CHECK_TVAL 0xc005b573
    PASS
