# pf_misaligned_megapage: a level-1 leaf PTE whose PPN[0] is not zero is a misaligned superpage: page fault on load, store and fetch
.include "prelude.inc"

test_main:
    PT_SETUP
    # root[0x101] (VA 0x4040_0000): leaf with PPN = 0x80001 (PPN[0] = 1), R W X
    la t0, pt_root
    li t1, 0x404
    add t0, t0, t1
    li t1, 0x200004cf
    sw t1, 0(t0)
    # root[0x102] (VA 0x4080_0000): the aligned megapage at 0x8000_0000 works
    la t0, pt_root
    li t1, 0x408
    add t0, t0, t1
    li t1, 0x200000cf
    sw t1, 0(t0)
    PT_ON
    SKIP_TRAPS
    GO_S s_code

s_code:
    li s1, 0x40800000
    lw a0, 0(s1)               # the first word of this program
    la t0, _start
    lw t0, 0(t0)
    CHECK_REG a0, t0
    CHECK_TRAPS 0
    li s1, 0x40400010
ld1:
    lw a0, 0(s1)
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld1
    CHECK_TVAL 0x40400010
st1:
    sw a0, 0(s1)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st1
    CHECK_TVAL 0x40400010
    EXPECT_TRAP back
    jalr ra, 0(s1)
    UNREACHABLE

back:
    CHECK_TRAPS 3
    CHECK_WORD trap_cause, CAUSE_FETCH_PAGE
    CHECK_TVAL 0x40400010
    PASS
