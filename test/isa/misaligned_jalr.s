# misaligned_jalr: jalr traps when target bit 1 is set (mcause 0, mtval = target, rd unchanged); bit 0 is just cleared
.include "prelude.inc"

test_main:
    SKIP_TRAPS
    la t0, target
    addi t0, t0, 2
    li ra, 0x1111
jalr_here:
    jalr ra, 0(t0)
    CHECK_TRAPS 1
    CHECK ra, 0x1111
    CHECK_TRAP CAUSE_FETCH_MISALIGNED, jalr_here
    la t1, trap_tval
    lw t1, 0(t1)
    CHECK_REG t1, t0
    # the immediate is added before the check: target + 2 through the offset
    la t0, target
jalr2:
    jalr ra, 2(t0)
    CHECK_TRAPS 2
    CHECK_TRAP CAUSE_FETCH_MISALIGNED, jalr2
    # rd = rs1: the source register is not overwritten either
    la t2, target
    addi t2, t2, 6
    mv t3, t2
jalr3:
    jalr t2, 0(t2)
    CHECK_TRAPS 3
    CHECK_REG t2, t3
    # (target + 2) - 2 is aligned: no trap
    la t0, target
    addi t0, t0, 2
    jalr ra, -2(t0)
after1:
    CHECK s0, 1
    # bit 0 of the target is cleared, not a fault
    li s0, 0
    la t0, target
    addi t0, t0, 1
    jalr ra, 0(t0)
after2:
    CHECK s0, 1
    CHECK_ADDR ra, after2
    CHECK_TRAPS 3
    PASS

target:
    li s0, 1
    ret
