# The boot firmware's small library: CRC-32, memory and the polled console,
# included by firmware/firmware.s, whose equates and strings it uses.

# ---- CRC-32 (IEEE 802.3, reflected, as zlib's crc32) ----

# Slicing-by-8: eight 256-entry tables, T0 the classic byte table and
# T_k[n] = (T_{k-1}[n] >> 8) ^ T0[T_{k-1}[n] & 0xff], so eight bytes cost
# eight table look-ups and no shifts of the CRC: about 5.5 instructions a
# byte instead of 10. The modules are most of what the firmware does (a
# system's boot modules are megabytes), so this is the boot's hot loop.
crc_init:
    la t0, crc_table
    li t1, 0                    # n
    li t4, 0xedb88320
    li t5, 256
1:  mv t2, t1
    li t3, 8
2:  andi t6, t2, 1
    srli t2, t2, 1
    beqz t6, 3f
    xor t2, t2, t4
3:  addi t3, t3, -1
    bnez t3, 2b
    sw t2, 0(t0)
    addi t0, t0, 4
    addi t1, t1, 1
    bne t1, t5, 1b
    la t0, crc_table            # T1..T7, each from the one before
    addi t1, t0, 1024
    li t5, 7 * 256
4:  lw t2, -1024(t1)
    andi t3, t2, 0xff
    slli t3, t3, 2
    add t3, t3, t0
    lw t3, 0(t3)
    srli t2, t2, 8
    xor t2, t2, t3
    sw t2, 0(t1)
    addi t1, t1, 4
    addi t5, t5, -1
    bnez t5, 4b
    ret

# t1 = the CRC (inverted) updated with byte 0(a0); a0 advanced. t0 = T0.
.macro crc_byte
    lbu t2, 0(a0)
    xor t2, t2, t1
    andi t2, t2, 0xff
    slli t2, t2, 2
    add t2, t2, t0
    lw t2, 0(t2)
    srli t1, t1, 8
    xor t1, t1, t2
    addi a0, a0, 1
.endm

# t1 ^= table[byte `shift/8` of `word`]: `base` + `off` is the table.
.macro crc_look word, shift, base, off
.if \shift == 0
    slli t4, \word, 2
.else
    srli t4, \word, \shift - 2
.endif
    andi t4, t4, 0x3fc
    add t4, t4, \base
    lw t4, \off(t4)
    xor t1, t1, t4
.endm

# a0 = the CRC-32 of a1 bytes at a0: bytes up to a word boundary, then
# 8 bytes at a time (two aligned words), then the rest a byte at a time.
crc32:
    la t0, crc_table
    li a3, 2048
    add a3, t0, a3              # T0..T3 at -2048, -1024, 0, 1024 from a3
    li a4, 6144
    add a4, t0, a4              # T4..T7 at -2048, -1024, 0, 1024 from a4
    li t1, -1
    add a1, a0, a1              # the end
1:  andi t2, a0, 3
    beqz t2, 2f
    beq a0, a1, 6f
    crc_byte
    j 1b
2:  sub t2, a1, a0
    andi t2, t2, -8
    add a2, a0, t2              # the end of the 8-byte blocks
    beq a0, a2, 5f
3:  lw t2, 0(a0)
    lw t3, 4(a0)
    xor t2, t2, t1
    li t1, 0
    crc_look t2, 0, a4, 1024    # T7
    crc_look t2, 8, a4, 0       # T6
    crc_look t2, 16, a4, -1024  # T5
    crc_look t2, 24, a4, -2048  # T4
    crc_look t3, 0, a3, 1024    # T3
    crc_look t3, 8, a3, 0       # T2
    crc_look t3, 16, a3, -1024  # T1
    crc_look t3, 24, a3, -2048  # T0
    addi a0, a0, 8
    bne a0, a2, 3b
5:  beq a0, a1, 6f
    crc_byte
    j 5b
6:  not a0, t1
    ret

# ---- memory ----

# a0 = the u32 (little-endian) at a0, any alignment.
load32:
    lbu t0, 0(a0)
    lbu t1, 1(a0)
    slli t1, t1, 8
    or t0, t0, t1
    lbu t1, 2(a0)
    slli t1, t1, 16
    or t0, t0, t1
    lbu t1, 3(a0)
    slli t1, t1, 24
    or a0, t0, t1
    ret

# a1 bytes at a0 set to 0.
memzero:
    add a1, a0, a1
    beq a0, a1, 2f
1:  sb zero, 0(a0)
    addi a0, a0, 1
    bne a0, a1, 1b
2:  ret

# a2 bytes from a1 to a0.
memcopy:
    add a2, a1, a2
    beq a1, a2, 2f
1:  lbu t0, 0(a1)
    sb t0, 0(a0)
    addi a0, a0, 1
    addi a1, a1, 1
    bne a1, a2, 1b
2:  ret

# ---- console (polled 16550) ----

# The NUL-terminated string at a0.
puts:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s1, 8(sp)
    mv s1, a0
1:  lbu a0, 0(s1)
    beqz a0, 2f
    jal putc
    addi s1, s1, 1
    j 1b
2:  lw s1, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# One byte once the transmit holding register is empty; clobbers t0, t1.
putc:
    li t0, UART0
1:  lbu t1, UART_LSR(t0)
    andi t1, t1, LSR_THRE
    beqz t1, 1b
    sb a0, 0(t0)
    ret

# a0 as 0x and 8 hex digits.
puthex:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s1, 8(sp)
    sw s2, 4(sp)
    mv s1, a0
    li a0, '0'
    jal putc
    li a0, 'x'
    jal putc
    li s2, 28
1:  srl a0, s1, s2
    andi a0, a0, 15
    li t0, 10
    bltu a0, t0, 2f
    addi a0, a0, 'a' - '0' - 10
2:  addi a0, a0, '0'
    jal putc
    addi s2, s2, -4
    bgez s2, 1b
    lw s2, 4(sp)
    lw s1, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# a0 in decimal (unsigned).
putdec:
    addi sp, sp, -32
    sw ra, 28(sp)
    sw s1, 24(sp)
    sw s2, 20(sp)
    mv s1, a0
    addi s2, sp, 16             # digits go downwards from sp + 16
1:  li t0, 10
    remu t1, s1, t0
    divu s1, s1, t0
    addi t1, t1, '0'
    addi s2, s2, -1
    sb t1, 0(s2)
    bnez s1, 1b
2:  lbu a0, 0(s2)
    jal putc
    addi s2, s2, 1
    addi t0, sp, 16
    bltu s2, t0, 2b
    lw s2, 20(sp)
    lw s1, 24(sp)
    lw ra, 28(sp)
    addi sp, sp, 32
    ret
