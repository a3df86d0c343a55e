# paging.s: M-mode builds Sv32 page tables, drops to S, S drops to U, and U
# touches pages that load, fault and trap. Used by the debugger's tests.
#
# VA map (root table `root`, level-0 table `l0`):
#   0x00000000  megapage, identity, S R W       (sifive_test for the exit)
#   0x00400000  4 KiB -> ucode,    U R X        (the user program)
#   0x00401000  4 KiB -> upage_ro, U R          (a store faults)
#   0x00402000  invalid                         (a load faults)
#   0x00403000  4 KiB -> udata,    U R W        (watched)
#   0x00800000  megapage with PPN[0] != 0       (misaligned megapage)
#   0x00c00000  W without R                     (reserved encoding)
#   0x80000000  megapage, identity, S R W X     (this program, S-mode)
    .equ UVA, 0x00400000
    .globl _start
_start:
    la sp, stack_top
    la t0, m_trap
    csrw mtvec, t0
    call count                  # once in M-mode, before paging
    la s0, root
    la s1, l0
    li t0, 0xc7                 # root[0]: identity megapage, V R W A D
    sw t0, 0(s0)
    li t0, (0x80000000 >> 2) | 0xcf   # root[0x200]: identity megapage, V R W X A D
    li t1, 0x200 * 4
    add t1, t1, s0
    sw t0, 0(t1)
    srli t0, s1, 2              # root[1]: pointer to l0
    ori t0, t0, 1
    sw t0, 4(s0)
    li t0, (0x80001000 >> 2) | 0xdf   # root[2]: megapage, PPN[0] = 1: misaligned
    sw t0, 8(s0)
    li t0, 0x05                 # root[3]: V W without R: reserved
    sw t0, 12(s0)
    la t0, ucode                # l0[0]: UVA -> ucode, V R X U A
    srli t0, t0, 2
    ori t0, t0, 0x5b
    sw t0, 0(s1)
    la t0, upage_ro             # l0[1]: read-only, V R U A
    srli t0, t0, 2
    ori t0, t0, 0x53
    sw t0, 4(s1)
    la t0, udata                # l0[3]: V R W U A D
    srli t0, t0, 2
    ori t0, t0, 0xd7
    sw t0, 12(s1)
    li t0, (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
    csrw medeleg, t0            # U ecalls and page faults go to S
    la t0, s_trap
    csrw stvec, t0
    srli t0, s0, 12
    li t1, 1 << 31
    or t0, t0, t1
    csrw satp, t0               # Sv32, root table
    sfence.vma
    li t0, 0x1800
    csrc mstatus, t0
    li t0, 0x0800               # MPP = S
    csrs mstatus, t0
    la t0, s_main
    csrw mepc, t0
    mret

s_main:
    call count                  # once in S-mode, through the megapage
    li t0, 0x100                # SPP = U
    csrc sstatus, t0
    li t0, UVA
    csrw sepc, t0
    sret

count:
    la t0, counter
    lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
    ret

s_trap:                         # ecall from U exits; a page fault skips the instruction
    csrr t0, scause
    li t1, 8
    beq t0, t1, s_exit
    csrr t0, sepc
    addi t0, t0, 4
    csrw sepc, t0
    sret
s_exit:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b

m_trap:                         # the illegal instruction from U: skip it
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret

    .balign 4096
ucode:                          # runs in U-mode at VA 0x00400000
    li s2, 0x00401000
    lw a0, 0(s2)                # read-only page: fine
u_store_ro:
    sw a0, 0(s2)                # store page fault
    li s3, 0x00402000
u_load_bad:
    lw a1, 0(s3)                # load page fault (invalid PTE)
    li s4, 0x00403000
    li a2, 42
u_store:
    sw a2, 8(s4)                # the watched store
u_load:
    lw a3, 8(s4)                # the watched load
u_illegal:
    .word 0                     # illegal instruction
u_ecall:
    ecall                       # to S: exit
    .balign 4096
upage_ro:
    .word 0x1234abcd
    .balign 4096

    .data
    .balign 4096
root: .space 4096
l0: .space 4096
udata: .space 4096
counter: .word 0
    .balign 16
    .space 1024
stack_top:
