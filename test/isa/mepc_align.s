# mepc_align: without the C extension mepc[1:0] and sepc[1:0] are always zero (IALIGN = 32)
# qemu: fail 1 — QEMU 7.2 stores and returns all 32 bits written to mepc and sepc
.include "prelude.inc"

test_main:
    li t0, -1
    csrw mepc, t0
    csrr a0, mepc
    CHECK a0, 0xfffffffc
    li t0, 0x80000002
    csrw mepc, t0
    csrr a0, mepc
    CHECK a0, 0x80000000
    li t0, -1
    csrw sepc, t0
    csrr a0, sepc
    CHECK a0, 0xfffffffc
    li t0, 0x80000001
    csrw sepc, t0
    csrr a0, sepc
    CHECK a0, 0x80000000
    PASS
