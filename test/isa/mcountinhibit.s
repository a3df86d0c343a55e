# mcountinhibit: setting IR stops minstret and CY stops mcycle; clearing them lets the counters run again
# qemu: fail 3 — QEMU 7.2 honours mcountinhibit.IR but keeps mcycle counting when CY is set
.include "prelude.inc"

test_main:
    li t0, 4                   # IR
    csrw mcountinhibit, t0
    csrr s0, minstret
    nop
    nop
    nop
    csrr s1, minstret
    sub a0, s1, s0
    CHECK a0, 0
    csrw mcountinhibit, zero
    csrr s0, minstret
    nop
    csrr s1, minstret
    sub a0, s1, s0
    CHECK a0, 2
    li t0, 1                   # CY
    csrw mcountinhibit, t0
    csrr s0, mcycle
    nop
    nop
    nop
    csrr s1, mcycle
    sub a0, s1, s0
    CHECK a0, 0
    csrw mcountinhibit, zero
    csrr s0, mcycle
    nop
    nop
    csrr s1, mcycle
    sub a0, s1, s0
    CHECK_NE a0, 0
    PASS
