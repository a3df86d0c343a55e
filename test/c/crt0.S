# crt0.S: start-up code for test/c/hello.c on QEMU's virt board (-bios none).
#
# The reset ROM jumps here in M-mode. Set up sp and gp, clear .bss (the
# loader only copies file bytes), call main, and power off through
# sifive_test with main's return value as the exit code: 0 is
# FINISHER_PASS (0x5555), anything else FINISHER_FAIL (0x3333) with the
# code in the upper 16 bits, which QEMU and Tessera both pass on as the
# process exit code.

    .equ SIFIVE_TEST, 0x100000
    .equ FINISHER_PASS, 0x5555
    .equ FINISHER_FAIL, 0x3333

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax            # gp is not set yet, so this la must not use it
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  call main
    li t0, SIFIVE_TEST
    li t1, FINISHER_PASS
    beqz a0, 3f
    slli a0, a0, 16
    li t1, FINISHER_FAIL
    or t1, t1, a0
3:  sw t1, 0(t0)
4:  wfi                        # not reached: the write powers the board off
    j 4b
