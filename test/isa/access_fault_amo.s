# access_fault_amo: AMOs to addresses with no RAM or device trap with mcause 7 (store/AMO), lr.w with mcause 5
# qemu: fail 3 — QEMU 7.2 reports an AMO to unmapped memory with mcause 5 (load access fault) instead of 7
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li s1, 0x08000000
    li a0, 0x5555
    li a1, 1
amo1:
    amoadd.w a0, a1, (s1)
    CHECK_TRAPS 1
    la t0, trap_epc
    lw t0, 0(t0)
    CHECK_ADDR t0, amo1
    CHECK_WORD trap_cause, CAUSE_STORE_ACCESS
    CHECK a0, 0x5555
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
amo2:
    amoswap.w a0, a1, (s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_ACCESS, amo2
    # lr.w to unmapped memory is a load: mcause 5
lr1:
    lr.w a0, (s1)
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_LOAD_ACCESS, lr1
    PASS
