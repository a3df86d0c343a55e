# crt0.S: start-up code of a C program for Tessera's user mode (docs/abi.md).
#
# The kernel (or `tessera run --user`) enters here in U-mode with sp at the
# top of the stack, 16-byte aligned. The loader has already zeroed .bss (it
# maps zeroed pages). Set gp for GNU ld's gp-relative accesses, call main,
# and exit with its return value.

    .equ SYS_EXIT, 16

    .text
    .globl _start
_start:
    .option push
    .option norelax            # gp is not set yet, so this la must not use it
    la gp, __global_pointer$
    .option pop
    call main
    li a7, SYS_EXIT            # a0 already holds main's result
    ecall
1:  j 1b
