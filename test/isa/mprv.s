# mprv: with mstatus.MPRV = 1, M-mode loads and stores are translated and checked as if in mode MPP; fetches are not
.include "prelude.inc"

# Physical address P = tpage0 + 4 MiB. Under the page table of this test the
# VA P maps to tpage0 (root[0x201] -> the megapage at 0x8000_0000), and the
# megapage holding this program is unmapped: translated accesses to P reach
# tpage0, untranslated ones reach P, and translated fetches would fault.
test_main:
    PT_SETUP
    la t0, pt_root
    li t1, 0x804
    add t0, t0, t1
    li t1, 0x200000c7          # root[0x201]: megapage 0x8000_0000, S R W
    sw t1, 0(t0)
    la t0, pt_root
    li t1, 0x800
    add t0, t0, t1
    sw zero, 0(t0)             # root[0x200]: unmapped
    MAP4K 0, tpage1, PTE_URW
    PT_ON
    la s0, tpage0
    li t0, 0x400000
    add s1, s0, t0             # s1 = P
    li t0, 0x1111
    sw t0, 0(s0)
    li t0, 0xaaaa
    sw t0, 0(s1)
    la s3, tpage1
    li t0, 0x3333
    sw t0, 0(s3)
    # MPRV = 1, MPP = S: translated
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPP_S
    csrs mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    lw a0, 0(s1)               # tpage0 through the VA P
    li t1, 0x5151
    sw t1, 4(s1)               # lands in tpage0
    li t2, MSTATUS_MPP         # MPP = M: not translated
    csrs mstatus, t2
    lw a1, 0(s1)
    li t2, MSTATUS_MPRV
    csrc mstatus, t2
    CHECK a0, 0x1111
    CHECK a1, 0xaaaa
    lw t0, 4(s0)
    CHECK t0, 0x5151
    lw t0, 4(s1)
    CHECK t0, 0
    # MPRV = 1, MPP = S, SUM = 0: a U page faults (13), mtval = the VA
    SKIP_TRAPS
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPP_S
    csrs mstatus, t0
    li s2, TEST_VA
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
ld1:
    lw a2, 0(s2)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_TRAPS 1
    CHECK_TRAP CAUSE_LOAD_PAGE, ld1
    CHECK_TVAL 0x40000000
    # MPRV = 1, MPP = U: the U page is fine, the S mapping of P faults (15)
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    lw a2, 0(s2)
st1:
    sw a2, 8(s1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK a2, 0x3333
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_STORE_PAGE, st1
    la t0, trap_tval
    lw t0, 0(t0)
    addi t1, s1, 8
    CHECK_REG t0, t1
    PASS
