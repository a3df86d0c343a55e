# Zicsr: the six instructions with CSR names and numbers, and every CSR pseudo.
        .text
_start:
        csrrw   a0, mstatus, a1
        csrrs   a0, mie, zero
        csrrc   t0, mip, t1
        csrrw   zero, 0x340, sp
        csrrs   a0, 0xfff, a1
        csrrc   a0, 0, a1
        csrrwi  a0, mtvec, 0
        csrrsi  a0, mepc, 31
        csrrci  a0, 0x7c0, 16
        csrrw   a0, mscratch, 5
        csrrs   a0, sstatus, 1
        csrrc   a0, sie, 31
        csrr    a0, mhartid
        csrr    t0, satp
        csrr    a1, 0xc00
        csrw    stvec, a0
        csrw    sscratch, 7
        csrs    sip, a2
        csrs    sstatus, 2
        csrc    mstatus, a3
        csrc    mstatus, 8
        csrwi   mie, 0
        csrsi   mie, 31
        csrci   mie, 1
        rdcycle     a0
        rdcycleh    a1
        rdtime      a2
        rdtimeh     a3
        rdinstret   a4
        rdinstreth  a5
        csrr    a0, cycle
        csrr    a0, mcycle
        csrr    a0, minstreth
        csrr    a0, medeleg
        csrr    a0, mideleg
        csrr    a0, mcause
        csrr    a0, mtval
        csrr    a0, scause
        csrr    a0, stval
        csrr    a0, sepc
        csrr    a0, scounteren
        csrr    a0, mcounteren
        csrr    a0, misa
        csrr    a0, mvendorid
        csrr    a0, marchid
        csrr    a0, mimpid
        csrr    a0, pmpcfg0
        csrr    a0, pmpaddr15
        csrr    a0, mhpmcounter3
        csrr    a0, mhpmevent31
        csrr    a0, hpmcounter4h
        csrr    a0, mstatush
