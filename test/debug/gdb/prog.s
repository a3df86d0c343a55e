# prog: the program test/debug/gdb_e2e.test.ts debugs with gdb-multiarch, on
# Tessera and on QEMU. Bare metal, no timers, no interrupts, deterministic.
#
# M-mode: a loop calls `square` and adds into `total` (the watched
# variable). Then Sv32 paging: a 4 MiB identity megapage over RAM and one
# 4 KiB page mapping virtual 0x40000000 onto `shared`; mret to S-mode at
# `smode`, which reads the word gdb wrote at virtual 0x40000004 and makes an
# ecall; the M-mode trap handler powers off through sifive_test: pass if the
# word is 0x1234abcd, else fail with exit code 2.

    .equ SHARED_VA, 0x40000000

    .globl _start
_start:
    la sp, stack_top
    li s0, 0
    li s1, 6
loop:
    mv a0, s0
    call square
    la t0, total
    lw t1, 0(t0)
    add t1, t1, a0
    sw t1, 0(t0)            # gdb watches this store
    addi s0, s0, 1
    blt s0, s1, loop

    .globl paging
paging:
    la t0, pt_root
    la t1, pt_l0            # root[0x100] -> pt_l0 (virtual 0x40000000)
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, 0x01
    sw t1, 0x400(t0)
    li t1, 0x200000cf       # root[0x200]: 0x80000000 megapage, identity, D A X W R V
    li t2, 0x800
    add t2, t0, t2
    sw t1, 0(t2)
    la t1, shared           # pt_l0[0] -> shared, D A W R V
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, 0xc7
    la t2, pt_l0
    sw t1, 0(t2)
    srli t0, t0, 12
    li t1, 0x80000000       # MODE = Sv32
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    li t0, -1               # PMP: S-mode may access everything (QEMU enforces PMP)
    csrw pmpaddr0, t0
    li t0, 0x1f             # NAPOT, R W X
    csrw pmpcfg0, t0
    la t0, trap
    csrw mtvec, t0
    li t0, 0x1800           # mstatus.MPP = S
    csrc mstatus, t0
    li t0, 0x0800
    csrs mstatus, t0
    la t0, smode
    csrw mepc, t0
    mret

    .globl smode
smode:
    li t0, SHARED_VA
    lw a0, 4(t0)            # gdb wrote 0x1234abcd here, through the mapping
    addi a1, a0, 1
    ecall

    .globl trap
trap:
    li t1, 0x1234abcd
    li t2, 0x5555           # sifive_test: pass
    beq a0, t1, 1f
    li t2, 0x23333          # fail, exit code 2
1:  li t0, 0x100000
    sw t2, 0(t0)
2:  j 2b

# square(n) = n * n + 3
    .globl square
square:
    addi sp, sp, -16
    sw ra, 12(sp)
    mul a0, a0, a0
    addi a0, a0, 3
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

    .data
    .globl total
total:  .word 0
    .balign 16
    .space 256
stack_top:
    .balign 4096
pt_root: .space 4096
pt_l0:   .space 4096
    .globl shared
shared:  .space 4096
