# time_csr: the time CSR reads the CLINT mtime register (10 MHz): rdtime before <= mtime <= rdtime after
.include "prelude.inc"

test_main:
    li s0, CLINT_MTIME
    rdtime a0
    lw a1, 0(s0)
    rdtime a2
    sltu t0, a1, a0
    CHECK t0, 0
    sltu t0, a2, a1
    CHECK t0, 0
    # the high halves agree (the low word is far from wrapping here)
    rdtimeh a0
    lw a1, 4(s0)
    CHECK_REG a0, a1
    # mtimecmp does not change time
    TIMER_IN 100
    rdtime a3
    sltu t0, a3, a2
    CHECK t0, 0
    TIMER_OFF
    PASS
