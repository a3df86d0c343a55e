# stvec_vectored: with stvec.MODE = 1, delegated interrupts go to BASE + 4 * cause (SSI +4, STI +20) and exceptions to BASE
.include "prelude.inc"

test_main:
    li t0, 0x22                # delegate SSI and STI
    csrw mideleg, t0
    li t0, 0x4                 # delegate illegal instruction
    csrw medeleg, t0
    li t0, MIP_STIP            # STI pending from the start, not yet enabled
    csrs mip, t0
    GO_S s_code

s_code:
    la t0, svectors
    ori t0, t0, 1
    csrw stvec, t0
    csrr t1, stvec
    CHECK_REG t1, t0
    # exception: BASE
    .word 0
    CHECK_WORD hits_exc, 1
    CHECK_WORD svec_cause, CAUSE_ILLEGAL_INSN
    # supervisor software interrupt, set by S itself: BASE + 4
    csrsi sstatus, MSTATUS_SIE
    li t0, MIP_SSIP
    csrs sie, t0
    csrs sip, t0
    li t1, 10000
1:
    la t0, hits_ssi
    lw t0, 0(t0)
    bnez t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:
    CHECK_WORD hits_ssi, 1
    CHECK_WORD svec_cause, CAUSE_SSI
    # supervisor timer interrupt (STIP set by M): BASE + 20
    li t0, MIP_STIP
    csrs sie, t0
    li t1, 10000
3:
    la t0, hits_sti
    lw t0, 0(t0)
    bnez t0, 4f
    addi t1, t1, -1
    bnez t1, 3b
4:
    CHECK_WORD hits_sti, 1
    CHECK_WORD svec_cause, CAUSE_STI
    CHECK_WORD hits_exc, 1
    CHECK_TRAPS 0
    PASS

.macro SVEC_COUNT counter
    csrw sscratch, t0
    la t0, svec_save
    sw t1, 0(t0)
    csrr t1, scause
    la t0, svec_cause
    sw t1, 0(t0)
    la t0, \counter
    lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
.endm

.macro SVEC_RETURN
    la t0, svec_save
    lw t1, 0(t0)
    csrr t0, sscratch
    sret
.endm

svec_exc:
    SVEC_COUNT hits_exc
    csrr t1, sepc
    addi t1, t1, 4
    csrw sepc, t1
    SVEC_RETURN

svec_ssi:
    SVEC_COUNT hits_ssi
    li t1, MIP_SSIP
    csrc sip, t1
    SVEC_RETURN

svec_sti:
    SVEC_COUNT hits_sti
    li t1, MIP_STIP            # S cannot clear STIP: mask it instead
    csrc sie, t1
    SVEC_RETURN

.balign 64
svectors:
    j svec_exc                 # 0: exceptions
    j svec_ssi                 # 1: SSI
    j strap_entry              # 2 (fails as unexpected)
    j strap_entry              # 3
    j strap_entry              # 4
    j svec_sti                 # 5: STI
    j strap_entry              # 6
    j strap_entry              # 7
    j strap_entry              # 8
    j strap_entry              # 9: SEI

.data
.balign 4
hits_exc: .word 0
hits_ssi: .word 0
hits_sti: .word 0
svec_cause: .word 0
svec_save: .word 0
