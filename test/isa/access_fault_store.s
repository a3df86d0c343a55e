# access_fault_store: stores to addresses with no RAM or device trap: mcause 7, mepc = the store, mtval = the address
.include "prelude.inc"

.macro STORE_FAULT insn
1:
    \insn a0, 0(s1)
    CHECK_TRAP CAUSE_STORE_ACCESS, 1b
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
.endm

test_main:
    SKIP_TRAPS
    li a0, 0x5555
    li s1, 0x08000000
    STORE_FAULT sw
    li s1, 0x08000001
    STORE_FAULT sb
    li s1, 0x88000000
    STORE_FAULT sw
    li s1, 0xa0000002
    STORE_FAULT sh
    CHECK_TRAPS 4
    # stores that succeed: last word of RAM
    li s1, 0x87fffffc
    sw a0, 0(s1)
    lw a1, 0(s1)
    CHECK a1, 0x5555
    CHECK_TRAPS 4
    PASS
