# sfence_vma: after S-mode rewrites a PTE, sfence.vma (all, or for the one VA) makes the new mapping take effect
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, PTE_SRW
    PT_ON
    la t0, tpage0
    li t1, 0x1111
    sw t1, 0(t0)
    la t0, tpage1
    li t1, 0x2222
    sw t1, 0(t0)
    la t0, tpage2
    li t1, 0x3333
    sw t1, 0(t0)
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, TEST_VA
    lw a0, 0(s1)
    CHECK a0, 0x1111
    # remap VA -> tpage1, flush everything
    PTE_ADDR s2, 0
    la t0, tpage1
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_SRW
    sw t0, 0(s2)
    sfence.vma
    lw a0, 0(s1)
    CHECK a0, 0x2222
    # remap VA -> tpage2, flush only this VA
    la t0, tpage2
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_SRW
    sw t0, 0(s2)
    sfence.vma s1, zero
    lw a0, 0(s1)
    CHECK a0, 0x3333
    # invalidate: the next access faults
    sw zero, 0(s2)
    sfence.vma s1, zero
    li a0, 0
ld:
    lw a0, 0(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld
    CHECK a0, 0
    PASS
