# csr_readonly_read: csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 only read, so read-only CSRs allow them
.include "prelude.inc"

test_main:
    csrrs a0, mvendorid, x0
    csrrc a0, mhartid, x0
    CHECK a0, 0
    csrrsi a0, marchid, 0
    csrrci a0, mimpid, 0
    csrrs a0, cycle, x0
    csrrc a0, instret, x0
    csrrsi a0, time, 0
    csrrs a0, cycleh, x0
    csrr a0, mhartid           # the csrr pseudo-instruction is csrrs rd, csr, x0
    CHECK a0, 0
    CHECK_TRAPS 0
    PASS
