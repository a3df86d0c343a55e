# Fences, privileged instructions and fixed encodings.
        .text
_start:
        fence
        fence   iorw, iorw
        fence   rw, w
        fence   r, r
        fence   w, rw
        fence   i, o
        fence   io, rw
        fence   o, iorw
        fence.tso
        fence.i
        sfence.vma
        sfence.vma a0
        sfence.vma a0, a1
        sfence.vma zero, t0
        ecall
        ebreak
        mret
        sret
        wfi
        unimp
        nop
