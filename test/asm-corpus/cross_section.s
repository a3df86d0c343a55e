# la/lla/call/tail and symbol loads/stores across sections placed pages apart.
        .section .text.init, "ax", @progbits
        .globl  _start
_start:
        la      sp, stack_top
        lla     gp, counter
        call    main
        tail    done
        .text
        .globl  main
        .type   main, @function
main:
        la      a0, message
        lw      a1, counter
        lh      a2, halfword
        lhu     a3, halfword
        lb      a4, message
        lbu     a5, message + 1
        sw      a1, counter, t0
        sh      a2, halfword, t1
        sb      a4, buffer + 3, t2
        la      a6, buffer + 64
        call    helper
        call    ra, helper
        call    t0, helper
        jump    done, t3
        ret
        .size   main, . - main
helper: addi    a0, a0, 1
        ret
done:   j       done
        .section .rodata
message: .asciz "hello"
        .data
        .align  2
counter: .word  42
halfword: .half 7
        .bss
        .align  4
buffer: .space  128
        .space  1024
stack_top:
