# access_fault_load: loads from addresses with no RAM or device trap: mcause 5, mepc = the load, mtval = the address, rd unchanged
.include "prelude.inc"

# One load from the address in s1; checks the trap and that rd kept 0x5555.
.macro LOAD_FAULT insn
    li a0, 0x5555
1:
    \insn a0, 0(s1)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 1b
    la t0, trap_tval
    lw t0, 0(t0)
    CHECK_REG t0, s1
    CHECK a0, 0x5555
.endm

test_main:
    SKIP_TRAPS
    li s1, 0x08000000          # hole between the PLIC-side devices and the PLIC
    LOAD_FAULT lw
    li s1, 0x08000003
    LOAD_FAULT lbu
    li s1, 0x88000000          # first byte after 128 MiB of RAM
    LOAD_FAULT lw
    li s1, 0x9ffffffe
    LOAD_FAULT lh
    li s1, 0xfffffffc
    LOAD_FAULT lw
    li s1, 0x00000400          # below the reset ROM, nothing mapped
    LOAD_FAULT lb
    CHECK_TRAPS 6
    # the last word of RAM is readable
    li s1, 0x87fffffc
    lw a0, 0(s1)
    CHECK_TRAPS 6
    PASS
