# pte_ad_bits: the hart sets PTE.A on the first access and PTE.D on the first store (read back from the page table)
.include "prelude.inc"

test_main:
    PT_SETUP
    MAP4K 0, tpage0, 0x07      # V R W, A = D = 0
    MAP4K 1, tpage1, 0x07
    MAP4K 2, code_page, 0x0b   # V R X, A = 0
    PT_ON
    GO_S s_code

s_code:
    # a load sets A only
    li s1, TEST_VA
    lw a0, 0(s1)
    PTE_ADDR s2, 0
    lw t0, 0(s2)
    andi t0, t0, 0xc0
    CHECK t0, PTE_A
    # a store sets A and D
    li s1, TEST_VA1
    sw a0, 0(s1)
    PTE_ADDR s2, 1
    lw t0, 0(s2)
    andi t0, t0, 0xc0
    CHECK t0, 0xc0
    # then a store to the first page sets its D
    li s1, TEST_VA
    sw a0, 4(s1)
    PTE_ADDR s2, 0
    lw t0, 0(s2)
    andi t0, t0, 0xc0
    CHECK t0, 0xc0
    # a fetch sets A
    li s1, TEST_VA2
    jalr ra, 0(s1)
    CHECK a0, 42
    PTE_ADDR s2, 2
    lw t0, 0(s2)
    andi t0, t0, 0xc0
    CHECK t0, PTE_A
    # the rest of each PTE is unchanged
    lw t0, 0(s2)
    andi t0, t0, 0x3f
    CHECK t0, 0x0b
    CHECK_TRAPS 0
    PASS

.balign 4096
code_page:
    li a0, 42
    ret
.balign 4096
