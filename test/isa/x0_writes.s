# x0_writes: writes to x0 are discarded by every instruction kind (ALU, load, jal, csr, lr, amo)
.include "prelude.inc"

test_main:
    li zero, 5
    CHECK zero, 0
    addi x0, x0, 1
    CHECK zero, 0
    la t0, word
    lw x0, 0(t0)
    CHECK zero, 0
    jal x0, 1f
1:
    CHECK zero, 0
    li t1, 0x99
    csrw mscratch, t1
    csrrw x0, mscratch, t1
    CHECK zero, 0
    lr.w x0, (t0)
    CHECK zero, 0
    amoadd.w x0, t1, (t0)
    CHECK zero, 0
    lw t2, 0(t0)
    CHECK t2, 0x12345711
    lui x0, 0x12345
    auipc x0, 1
    mul x0, t1, t1
    CHECK zero, 0
    PASS

.data
.balign 4
word: .word 0x12345678
