# The boot firmware's MBR and boot-partition code (docs/boot.md), included
# by firmware/firmware.s, whose equates, strings and routines it uses.

# ---- the MBR and the boot partition ----

# Sector 0: the signature, then the first partition of type 0x7f, which must
# lie inside the disk and not over the MBR.
read_mbr:
    addi sp, sp, -16
    sw ra, 12(sp)
    li a0, 0
    li a1, 1
    la a2, sector_buf
    jal disk_read
    la t0, sector_buf
    lbu t1, 510(t0)
    li t2, 0x55
    bne t1, t2, 1f
    lbu t1, 511(t0)
    li t2, 0xaa
    beq t1, t2, 2f
1:  li a0, E_NO_MBR
    la a1, m_no_mbr
    j fail
2:  addi t3, t0, MBR_TABLE
    addi t4, t3, 4 * MBR_ENTRY
3:  lbu t1, 4(t3)               # the partition type
    li t2, PART_TYPE_BOOT
    beq t1, t2, 4f
    addi t3, t3, MBR_ENTRY
    bne t3, t4, 3b
    li a0, E_NO_BOOT_PART
    la a1, m_no_boot_part
    j fail
4:  addi a0, t3, 8              # LBA first, u32 LE (unaligned)
    jal load32
    mv t5, a0
    addi a0, t3, 12             # sector count
    jal load32
    mv t6, a0
    la t0, capacity
    lw t0, 0(t0)
    beqz t5, 5f                 # over the MBR
    beqz t6, 5f
    bgtu t6, t0, 5f
    sub t0, t0, t6
    bgtu t5, t0, 5f             # first + count > capacity
    la t0, part_lba
    sw t5, 0(t0)
    la t0, part_sectors
    sw t6, 0(t0)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret
5:  li a0, E_BOOT_PART_RANGE
    la a1, m_boot_part_range
    j fail

# The header: magic, version, count, size, then the module table and its CRC.
read_header:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s1, 8(sp)
    la t0, part_lba
    lw a0, 0(t0)
    li a1, 1
    la a2, hdr_buf
    jal disk_read
    la s1, hdr_buf
    lw t0, 0(s1)
    li t1, HDR_MAGIC_LO
    bne t0, t1, 1f
    lw t0, 4(s1)
    li t1, HDR_MAGIC_HI
    beq t0, t1, 2f
1:  li a0, E_BAD_MAGIC
    la a1, m_bad_magic
    j fail
2:  lw a2, 8(s1)
    li t1, HDR_VERSION
    beq a2, t1, 3f
    li a0, E_BAD_VERSION
    la a1, m_bad_version
    j fail_num
3:  lw a2, 12(s1)               # N: 1..MAX_MODULES
    beqz a2, 4f
    li t1, MAX_MODULES
    bleu a2, t1, 5f
4:  li a0, E_BAD_COUNT
    la a1, m_bad_count
    j fail_num
5:  la t0, nmods
    sw a2, 0(t0)
    slli t2, a2, 6
    addi t2, t2, HDR_FIXED      # the bytes the table needs: 32 + 64 N
    lw a2, 16(s1)               # header size: sectors, covering the table, inside the partition
    andi t0, a2, SECTOR - 1
    bnez t0, 6f
    bltu a2, t2, 6f
    srli t0, a2, 9
    la t1, part_sectors
    lw t1, 0(t1)
    bgtu t0, t1, 6f
    la t0, hdr_size
    sw a2, 0(t0)
    j 7f
6:  li a0, E_BAD_HEADER_SIZE
    la a1, m_bad_header_size
    j fail_num
7:  addi a1, t2, SECTOR - 1     # the table's other sectors (at most 4 more)
    srli a1, a1, 9
    addi a1, a1, -1
    beqz a1, 8f
    la t0, part_lba
    lw a0, 0(t0)
    addi a0, a0, 1
    addi a2, s1, SECTOR
    jal disk_read
8:  addi a0, s1, HDR_FIXED
    la t0, nmods
    lw a1, 0(t0)
    slli a1, a1, 6
    jal crc32
    lw t0, 20(s1)
    beq a0, t0, 9f
    li a0, E_TABLE_CRC
    la a1, m_table_crc
    j fail
9:  lw s1, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# Check every entry before anything is loaded: its name (printable, not
# used before), flags and priority, its place in the partition, its place in
# free RAM; exactly one process manager. Fill the boot-info entries (the
# module's address is assigned here).
check_modules:
    addi sp, sp, -32
    sw ra, 28(sp)
    sw s1, 24(sp)
    sw s2, 20(sp)
    sw s3, 16(sp)
    sw s4, 12(sp)
    sw s5, 8(sp)
    sw s6, 4(sp)
    la s1, hdr_buf + HDR_FIXED  # the entry
    li s2, 0                    # its index
    li s3, LOAD_BASE            # where the next module goes
    la s4, bootinfo + BI_HEADER # its boot-info entry
    li s6, 0                    # process managers seen
1:  la t0, nmods
    lw t0, 0(t0)
    beq s2, t0, 9f
    mv a0, s1
    jal check_name
    beqz a0, 2f
    li a0, E_MODULE_NAME
    la a1, m_module_name
    addi a2, s2, 1              # entries count from 1
    j fail_num
2:  mv a0, s1
    jal name_seen
    beqz a0, 21f
    li a0, E_MODULE_DUP
    la a1, m_module_dup
    mv a2, s1
    j fail_mod
21: lw t0, ME_FLAGS(s1)
    li t1, MAX_FLAGS
    bgtu t0, t1, 3f
    lw t1, ME_PRIORITY(s1)
    li t2, MAX_PRIORITY
    bgtu t1, t2, 3f
    andi t0, t0, FLAG_PM
    beqz t0, 4f
    beqz s6, 22f
    li a0, E_TWO_PM
    la a1, m_two_pm
    mv a2, s1
    j fail_mod
22: li s6, 1
    j 4f
3:  li a0, E_MODULE_FIELDS
    la a1, m_module_fields
    mv a2, s1
    j fail_mod
    # In the partition: offset sector-aligned, past the header; size >= 1;
    # offset / 512 + ceil(size / 512) <= the partition's sectors.
4:  lw t0, ME_OFFSET(s1)
    lw t1, ME_SIZE(s1)
    andi t2, t0, SECTOR - 1
    bnez t2, 5f
    la t2, hdr_size
    lw t2, 0(t2)
    bltu t0, t2, 5f
    beqz t1, 5f
    srli t0, t0, 9              # first sector
    srli t2, t1, 9
    andi t3, t1, SECTOR - 1
    snez t3, t3
    add t2, t2, t3              # sectors (no overflow: size < 2^32)
    la t3, part_sectors
    lw t3, 0(t3)
    bgtu t2, t3, 5f
    sub t3, t3, t2
    bleu t0, t3, 6f
5:  li a0, E_MODULE_RANGE
    la a1, m_module_range
    mv a2, s1
    j fail_mod
    # In free RAM: the size in whole pages <= limit - address (a limit
    # below the address: nothing fits).
6:  la t0, ram_limit
    lw t0, 0(t0)
    bltu t0, s3, 7f
    sub t0, t0, s3
    bgtu t1, t0, 7f             # (so the rounding below cannot overflow)
    li t2, PAGE - 1
    add s5, t1, t2
    not t2, t2
    and s5, s5, t2
    bleu s5, t0, 8f
7:  li a0, E_MODULE_FIT
    la a1, m_module_fit
    mv a2, s1
    j fail_mod
8:  mv a0, s4                   # the boot-info entry: name, address, size, flags, priority
    mv a1, s1
    li a2, NAME_BYTES
    jal memcopy
    sw s3, 32(s4)
    lw t0, ME_SIZE(s1)
    sw t0, 36(s4)
    lw t0, ME_FLAGS(s1)
    sw t0, 40(s4)
    lw t0, ME_PRIORITY(s1)
    sw t0, 44(s4)
    add s3, s3, s5              # the next module: on the page after this one
    addi s1, s1, ENTRY_SIZE
    addi s4, s4, BI_ENTRY
    addi s2, s2, 1
    j 1b
9:  bnez s6, 10f
    li a0, E_NO_PM
    la a1, m_no_pm
    j fail
10: la t0, bootinfo
    li t1, BI_MAGIC
    sw t1, 0(t0)
    li t1, BI_VERSION
    sw t1, 4(t0)
    sw s2, 8(t0)
    lw s6, 4(sp)
    lw s5, 8(sp)
    lw s4, 12(sp)
    lw s3, 16(sp)
    lw s2, 20(sp)
    lw s1, 24(sp)
    lw ra, 28(sp)
    addi sp, sp, 32
    ret

# a0 = 1 if an entry before the one at a0 has the same name (the 32 bytes;
# both checked names, so equal bytes are equal names), else a0 = 0.
name_seen:
    la t0, hdr_buf + HDR_FIXED  # an earlier entry
1:  beq t0, a0, 4f
    li t1, 0                    # byte index
2:  add t2, t0, t1
    lbu t2, 0(t2)
    add t3, a0, t1
    lbu t3, 0(t3)
    bne t2, t3, 3f
    addi t1, t1, 1
    li t2, NAME_BYTES
    bne t1, t2, 2b
    li a0, 1                    # all 32 bytes equal
    ret
3:  addi t0, t0, ENTRY_SIZE
    j 1b
4:  li a0, 0
    ret

# a0 = 0 if the 32 bytes at a0 are a name: 1..31 printable characters
# (0x21..0x7e), then NULs to the end. Else a0 = 1.
check_name:
    addi t2, a0, NAME_BYTES
    lbu t0, 0(a0)
    beqz t0, 4f
1:  lbu t0, 0(a0)
    beqz t0, 3f
    li t1, 0x21
    bltu t0, t1, 4f
    li t1, 0x7e
    bgtu t0, t1, 4f
    addi a0, a0, 1
    bne a0, t2, 1b
    j 4f                        # no NUL: 32 characters
2:  lbu t0, 0(a0)
    bnez t0, 4f
3:  addi a0, a0, 1
    bne a0, t2, 2b
    li a0, 0
    ret
4:  li a0, 1
    ret

# Load each module at its boot-info address and check its CRC-32.
load_modules:
    addi sp, sp, -32
    sw ra, 28(sp)
    sw s1, 24(sp)
    sw s2, 20(sp)
    sw s3, 16(sp)
    la s1, hdr_buf + HDR_FIXED
    la s2, bootinfo + BI_HEADER
    la t0, nmods
    lw s3, 0(t0)
1:  beqz s3, 2f
    lw t0, ME_OFFSET(s1)
    srli t0, t0, 9
    la t1, part_lba
    lw a0, 0(t1)
    add a0, a0, t0
    lw t1, ME_SIZE(s1)
    addi a1, t1, SECTOR - 1     # checked: cannot overflow (size fits in RAM)
    srli a1, a1, 9
    lw a2, 32(s2)
    jal disk_read
    lw a0, 32(s2)
    lw a1, ME_SIZE(s1)
    jal crc32
    lw t0, ME_CRC(s1)
    beq a0, t0, 3f
    li a0, E_MODULE_CRC
    la a1, m_module_crc
    mv a2, s1
    j fail_mod
3:  addi s1, s1, ENTRY_SIZE
    addi s2, s2, BI_ENTRY
    addi s3, s3, -1
    j 1b
2:  lw s3, 16(sp)
    lw s2, 20(sp)
    lw s1, 24(sp)
    lw ra, 28(sp)
    addi sp, sp, 32
    ret

# "firmware: loaded N modules: a b c"
print_loaded:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s1, 8(sp)
    sw s2, 4(sp)
    la a0, s_loaded
    jal puts
    la t0, nmods
    lw s2, 0(t0)
    mv a0, s2
    jal putdec
    la a0, s_modules
    jal puts
    la s1, bootinfo + BI_HEADER
1:  li a0, ' '
    jal putc
    mv a0, s1
    jal puts
    addi s1, s1, BI_ENTRY
    addi s2, s2, -1
    bnez s2, 1b
    li a0, '\n'
    jal putc
    lw s2, 4(sp)
    lw s1, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret
