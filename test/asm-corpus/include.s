# .include (relative to this file), options, symbol attributes.
        .option push
        .option norelax
        .option nopic
        .include "include_defs.inc"
        .option pop
        .option relax
        .file   "include.s"
        .ident  "tessera corpus"
        .attribute arch, "rv32i2p1_m2p0_a2p1_zicsr2p0_zifencei2p0"
        .text
        .globl  _start
        .type   _start, @function
_start:
        LOAD_CONST a0, DEVICE_BASE
        LOAD_CONST a1, DEVICE_BASE + REG_STATUS
        call    util
        .size   _start, . - _start
        .local  util
        .type   util, %function
util:   li      a0, MAGIC
        ret
        .size   util, . - util
        .weak   weak_sym
weak_sym:
        nop
        .data
        .globl  shared
        .type   shared, @object
shared: .word   MAGIC
        .size   shared, 4
        .end
        this line is after .end and is ignored
