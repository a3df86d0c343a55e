# mtvec_vectored: with mtvec.MODE = 1, interrupts go to BASE + 4 * cause (MSI +12, MTI +28) and exceptions to BASE
.include "prelude.inc"

test_main:
    TIMER_OFF
    la t0, vectors
    ori t0, t0, 1
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK_REG t1, t0
    # exception: to BASE, even with its cause 11
    ecall
    CHECK_WORD hits_exc, 1
    CHECK_WORD hits_msi, 0
    # machine software interrupt: BASE + 12
    li t0, MIP_MSIP
    csrs mie, t0
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    csrsi mstatus, MSTATUS_MIE
    li t1, 10000
1:
    la t0, hits_msi
    lw t0, 0(t0)
    bnez t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:
    CHECK_WORD hits_msi, 1
    # machine timer interrupt: BASE + 28
    li t0, MIP_MTIP
    csrs mie, t0
    li t0, CLINT_MTIMECMP      # low word first: mtimecmp stays huge
    sw zero, 0(t0)
    li t0, CLINT_MTIMECMPH     # now 0: pending
    sw zero, 0(t0)
    li t1, 10000
3:
    la t0, hits_mti
    lw t0, 0(t0)
    bnez t0, 4f
    addi t1, t1, -1
    bnez t1, 3b
4:
    CHECK_WORD hits_mti, 1
    csrci mstatus, MSTATUS_MIE
    CHECK_WORD hits_exc, 1
    CHECK_WORD vec_cause, CAUSE_MTI
    la t0, trap_entry
    csrw mtvec, t0
    PASS

# Each vector counts its hits in its word and records mcause.
.macro VEC_COUNT counter
    csrw mscratch, t0
    la t0, vec_save
    sw t1, 0(t0)
    csrr t1, mcause
    la t0, vec_cause
    sw t1, 0(t0)
    la t0, \counter
    lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
.endm

.macro VEC_RETURN
    la t0, vec_save
    lw t1, 0(t0)
    csrr t0, mscratch
    mret
.endm

vec_exc:
    VEC_COUNT hits_exc
    csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    VEC_RETURN

vec_msi:
    VEC_COUNT hits_msi
    li t1, CLINT_MSIP
    sw zero, 0(t1)
    VEC_RETURN

vec_mti:
    VEC_COUNT hits_mti
    li t1, CLINT_MTIMECMPH
    li t0, -1
    sw t0, 0(t1)
    VEC_RETURN

.balign 64
vectors:
    j vec_exc                  # 0: exceptions
    j trap_entry               # 1: SSI (fails as unexpected)
    j trap_entry               # 2
    j vec_msi                  # 3: MSI
    j trap_entry               # 4
    j trap_entry               # 5: STI
    j trap_entry               # 6
    j vec_mti                  # 7: MTI
    j trap_entry               # 8
    j trap_entry               # 9: SEI
    j trap_entry               # 10
    j trap_entry               # 11: MEI

.data
.balign 4
hits_exc: .word 0
hits_msi: .word 0
hits_mti: .word 0
vec_cause: .word 0
vec_save: .word 0
