# access_fault_pcie_window: Tessera has no PCIe, so loads and stores at 0x4000_0000 and 0x7fff_f000 are access faults (mcause 5/7)
# qemu: fail 1 — QEMU's virt board maps its PCIe MMIO window at 0x4000_0000-0x7fff_ffff: these accesses complete there (a board difference, not a spec one)
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    li s1, 0x40000000
ld1:
    lw a0, 0(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_ACCESS, ld1
    CHECK_WORD trap_tval, 0x40000000
    li s1, 0x7ffff000
ld2:
    lw a0, 0(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_LOAD_ACCESS, ld2
    CHECK_WORD trap_tval, 0x7ffff000
st1:
    sw a0, 0(s1)
    CHECK_TRAPS 3
    CHECK_TRAP CAUSE_STORE_ACCESS, st1
    CHECK_WORD trap_tval, 0x7ffff000
    PASS
