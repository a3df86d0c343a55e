# lui_auipc: lui fills the upper 20 bits and clears the rest; auipc adds to its own pc
.include "prelude.inc"

test_main:
    lui a0, 0xfffff
    CHECK a0, 0xfffff000
    lui a0, 0x80000
    CHECK a0, 0x80000000
    lui a0, 0
    CHECK a0, 0
    lui a0, 0x12345
    addi a0, a0, -1            # the %lo part is signed: 0x12345000 - 1
    CHECK a0, 0x12344fff
    # auipc with 0 gives its own address
here:
    auipc a0, 0
    CHECK_ADDR a0, here
    # auipc wraps around 2^32: pc (0x8000_xxxx) + 0x80000000 = pc - 0x80000000
there:
    auipc a1, 0x80000
    la a2, there
    sub a1, a1, a2
    CHECK a1, 0x80000000
there2:
    auipc a1, 0xfffff          # pc - 4096
    la a2, there2
    sub a1, a2, a1
    CHECK a1, 4096
    # %pcrel_hi / %pcrel_lo reach a label
1:
    auipc a3, %pcrel_hi(target)
    addi a3, a3, %pcrel_lo(1b)
    CHECK_ADDR a3, target
    # %hi / %lo reach it too
    lui a4, %hi(target)
    addi a4, a4, %lo(target)
    CHECK_ADDR a4, target
    PASS
target:
    nop
