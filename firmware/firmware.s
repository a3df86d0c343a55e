# firmware.s: Tessera's boot firmware (docs/boot.md), linked at 0x8000_0000
# and entered there in M-mode from the board's reset ROM (a0 = hartid,
# a1 = the FDT's address), as QEMU's -bios is.
#
# It prints a banner, finds the virtio-blk disk (the eight virtio-mmio slots,
# modern layout only), reads the MBR and the boot partition with polled
# requests, checks the header, the module table and every module against the
# disk, the partition and the RAM (a printable name used once, flags and
# priority in range, exactly one process manager), loads each module into
# the load area (0x8100_0000 up, 4 KiB aligned) with its CRC-32 checked,
# resets the disk, builds the boot-info block and hands over:
#
#   1. the block's address is stored to the handover register (0x0010_2000);
#   2. the firmware drops to U-mode and executes `ecall`: a resident kernel
#      takes the hart at that trap, as it takes every trap from U-mode, so it
#      never starts in the middle of a firmware instruction;
#   3. if nothing takes it, the trap comes back here in M-mode and the
#      firmware stops with E_NO_KERNEL.
#
# Free RAM for modules is [LOAD_BASE, the FDT): the FDT sits at the top of RAM
# (2 MiB aligned, on this board as on QEMU) and the kernel's frames end there.
#
# Every failure prints one line, "firmware: ...", and powers off through
# sifive_test with 0x3333 | code << 16, so the exit status is the code. The
# codes are the E_* equates below (firmware/build.ts reads them from here:
# keep the "# message" comments in step with the strings).
#
# Nothing read from the disk is trusted: the partition must lie inside the
# disk, the header inside the partition, every module inside the partition
# and inside free RAM, every name printable, every count bounded, and all of
# it is checked before the first module is loaded.
#
# Registers: s0 = the disk's virtio-mmio base for the whole run; helpers
# keep s0..s11 (the calling convention). No interrupts: mie = 0, polled I/O.
# Calls are `jal` (the firmware is far smaller than jal's 1 MiB reach), not
# `call`'s auipc + jalr: a direct target is one the machine's translator
# sees, so the loops behind it run translated.

.option norelax

# ---- board ----
.equ UART0, 0x10000000
.equ UART_LSR, 5
.equ LSR_THRE, 0x20
.equ FINISHER, 0x00100000
.equ FINISHER_FAIL, 0x3333
.equ HANDOVER, 0x00102000
.equ RAM_BASE, 0x80000000
.equ LOAD_BASE, 0x81000000          # the load area (docs/boot.md)
.equ PAGE, 4096
.equ MSTATUS_MIE, 0x8
.equ MSTATUS_MPIE, 0x80
.equ MSTATUS_MPP, 0x1800

# ---- virtio-mmio, modern (virtio 1.1 section 4.2.2) ----
.equ VIRTIO_BASE, 0x10001000
.equ VIRTIO_STRIDE, 0x1000
.equ VIRTIO_SLOTS, 8
.equ VIRTIO_MAGIC, 0x74726976       # "virt"
.equ VIRTIO_ID_BLOCK, 2
.equ R_MAGIC, 0x000
.equ R_VERSION, 0x004
.equ R_DEVICE_ID, 0x008
.equ R_DEVICE_FEATURES, 0x010
.equ R_DEVICE_FEATURES_SEL, 0x014
.equ R_DRIVER_FEATURES, 0x020
.equ R_DRIVER_FEATURES_SEL, 0x024
.equ R_QUEUE_SEL, 0x030
.equ R_QUEUE_NUM_MAX, 0x034
.equ R_QUEUE_NUM, 0x038
.equ R_QUEUE_READY, 0x044
.equ R_QUEUE_NOTIFY, 0x050
.equ R_INTERRUPT_STATUS, 0x060
.equ R_INTERRUPT_ACK, 0x064
.equ R_STATUS, 0x070
.equ R_QUEUE_DESC_LOW, 0x080
.equ R_QUEUE_DESC_HIGH, 0x084
.equ R_QUEUE_DRIVER_LOW, 0x090
.equ R_QUEUE_DRIVER_HIGH, 0x094
.equ R_QUEUE_DEVICE_LOW, 0x0a0
.equ R_QUEUE_DEVICE_HIGH, 0x0a4
.equ R_CONFIG_GENERATION, 0x0fc
.equ R_CONFIG, 0x100                # virtio_blk_config: capacity (le64) first
.equ S_ACKNOWLEDGE, 1
.equ S_DRIVER, 2
.equ S_DRIVER_OK, 4
.equ S_FEATURES_OK, 8
.equ S_NEEDS_RESET, 0x40
.equ F_VERSION_1_HI, 0x1            # feature bit 32: word 1, bit 0

# ---- split virtqueue (2.6) and virtio-blk requests (5.2.6) ----
.equ QSIZE, 8
.equ DESC_F_NEXT, 1
.equ DESC_F_WRITE, 2
.equ AVAIL_F_NO_INTERRUPT, 1
.equ BLK_T_IN, 0
.equ SECTOR, 512
.equ CHUNK_SECTORS, 128             # sectors per request (64 KiB)
.equ RESET_POLLS, 1000
.equ USED_POLLS, 10000000           # Tessera completes in the notify; QEMU a little later

# ---- the disk layout (docs/boot.md) ----
.equ MBR_TABLE, 446
.equ MBR_ENTRY, 16
.equ PART_TYPE_BOOT, 0x7f
.equ HDR_MAGIC_LO, 0x41525354       # "TSRA"
.equ HDR_MAGIC_HI, 0x544f4f42       # "BOOT"
.equ HDR_VERSION, 1
.equ HDR_FIXED, 32
.equ ENTRY_SIZE, 64
.equ MAX_MODULES, 32
.equ NAME_BYTES, 32
.equ HDR_BUF_SIZE, 5 * SECTOR       # 32 + 64 * 32 bytes, in whole sectors
# module entry fields
.equ ME_OFFSET, 32
.equ ME_SIZE, 36
.equ ME_CRC, 40
.equ ME_FLAGS, 44
.equ ME_PRIORITY, 48
.equ MAX_FLAGS, 3                   # bit 0 process manager, bit 1 system service
.equ FLAG_PM, 1
.equ MAX_PRIORITY, 15

# ---- the boot-info block ----
.equ BI_MAGIC, 0x544f4f42           # "BOOT"
.equ BI_VERSION, 1
.equ BI_HEADER, 12                  # magic, version, N
.equ BI_ENTRY, 48                   # name[32], address, size, flags, priority

# ---- exit codes: one per failure, grouped by tens ----
# 1x the disk, 2x the MBR and the boot header, 3x the modules, 4x the
# handover (42, the kernel's own "cannot start the modules", is in
# kernel/boot.ts). None is 1 or 2, which `tessera boot` keeps for itself.
.equ E_NO_DISK, 10                  # no virtio-blk disk
.equ E_DISK_LEGACY, 11              # virtio-blk disk is a legacy device (virtio-mmio version 1)
.equ E_DISK_RESET, 12               # virtio-blk disk did not reset
.equ E_DISK_FEATURES, 13            # virtio-blk disk refused VIRTIO_F_VERSION_1
.equ E_DISK_QUEUE, 14               # virtio-blk disk has no usable request queue
.equ E_DISK_STATUS, 15              # virtio-blk disk did not accept DRIVER_OK
.equ E_DISK_EMPTY, 16               # the disk is empty
.equ E_DISK_IO, 17                  # disk read error at sector N
.equ E_DISK_TIMEOUT, 18             # the disk did not answer a read of sector N
.equ E_NO_MBR, 20                   # no MBR signature
.equ E_NO_BOOT_PART, 21             # no boot partition (type 0x7f)
.equ E_BOOT_PART_RANGE, 22          # the boot partition does not lie inside the disk
.equ E_BAD_MAGIC, 23                # bad boot header magic
.equ E_BAD_VERSION, 24              # unsupported boot header version N
.equ E_BAD_COUNT, 25                # bad boot module count N
.equ E_BAD_HEADER_SIZE, 26          # bad boot header size N
.equ E_TABLE_CRC, 27                # boot module table: bad checksum
.equ E_MODULE_NAME, 30              # bad name in module entry N
.equ E_MODULE_DUP, 31               # module X: name used twice
.equ E_MODULE_FIELDS, 32            # module X: bad flags or priority
.equ E_MODULE_RANGE, 33             # module X: outside the boot partition
.equ E_MODULE_FIT, 34               # module X: does not fit in RAM
.equ E_MODULE_CRC, 35               # module X: bad checksum
.equ E_TWO_PM, 36                   # module X: a second process manager
.equ E_NO_PM, 37                    # no process manager module (flags bit 0)
.equ E_TRAP, 40                     # unexpected trap: mcause N, mepc N, mtval N
.equ E_NO_KERNEL, 41                # no kernel took over

.text
.globl _start
_start:
    la sp, stack_top
    la t0, trap_entry
    csrw mtvec, t0
    csrw mie, zero
    csrci mstatus, MSTATUS_MIE
    csrw medeleg, zero
    csrw mideleg, zero
    csrw satp, zero
    la t0, ram_limit
    sw a1, 0(t0)                # the FDT: free RAM ends here
    la a0, s_banner
    jal puts
    jal crc_init
    jal disk_find
    jal disk_init
    jal disk_capacity
    jal read_mbr
    jal read_header
    jal check_modules
    jal load_modules
    sw zero, R_STATUS(s0)       # reset the disk: its driver starts from scratch
    jal print_loaded
    j handover

# ---- the disk: find, initialise, read ----

# Scan the slots for a virtio-blk device; s0 = its base. A legacy one fails.
disk_find:
    li s0, VIRTIO_BASE
    li t2, VIRTIO_SLOTS
    li t3, VIRTIO_MAGIC
1:  lw t0, R_MAGIC(s0)
    bne t0, t3, 2f
    lw t0, R_DEVICE_ID(s0)
    li t1, VIRTIO_ID_BLOCK
    bne t0, t1, 2f
    lw t0, R_VERSION(s0)
    li t1, 2
    beq t0, t1, 3f
    li a0, E_DISK_LEGACY
    la a1, m_disk_legacy
    j fail
2:  li t0, VIRTIO_STRIDE
    add s0, s0, t0
    addi t2, t2, -1
    bnez t2, 1b
    li a0, E_NO_DISK
    la a1, m_no_disk
    j fail
3:  ret

# Driver initialisation (3.1.1) with queue 0 set up as 4.2.3.2 says.
disk_init:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw zero, R_STATUS(s0)
    li t2, RESET_POLLS
1:  lw t0, R_STATUS(s0)
    beqz t0, 2f
    addi t2, t2, -1
    bnez t2, 1b
    li a0, E_DISK_RESET
    la a1, m_disk_reset
    j fail
2:  li t0, S_ACKNOWLEDGE
    sw t0, R_STATUS(s0)
    li t0, S_ACKNOWLEDGE | S_DRIVER
    sw t0, R_STATUS(s0)
    # Only VIRTIO_F_VERSION_1: the firmware needs nothing else.
    li t0, 1
    sw t0, R_DEVICE_FEATURES_SEL(s0)
    lw t0, R_DEVICE_FEATURES(s0)
    andi t0, t0, F_VERSION_1_HI
    beqz t0, 3f
    sw zero, R_DRIVER_FEATURES_SEL(s0)
    sw zero, R_DRIVER_FEATURES(s0)
    li t0, 1
    sw t0, R_DRIVER_FEATURES_SEL(s0)
    li t0, F_VERSION_1_HI
    sw t0, R_DRIVER_FEATURES(s0)
    li t0, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK
    sw t0, R_STATUS(s0)
    lw t0, R_STATUS(s0)
    andi t0, t0, S_FEATURES_OK
    bnez t0, 4f
3:  li a0, E_DISK_FEATURES
    la a1, m_disk_features
    j fail
4:  sw zero, R_QUEUE_SEL(s0)
    lw t0, R_QUEUE_READY(s0)
    bnez t0, 5f
    lw t0, R_QUEUE_NUM_MAX(s0)
    li t1, QSIZE
    bgeu t0, t1, 6f
5:  li a0, E_DISK_QUEUE
    la a1, m_disk_queue
    j fail
6:  la a0, vq_start
    la a1, vq_end
    sub a1, a1, a0
    jal memzero
    la t0, vq_avail
    li t1, AVAIL_F_NO_INTERRUPT
    sh t1, 0(t0)
    li t0, QSIZE
    sw t0, R_QUEUE_NUM(s0)
    la t0, vq_desc
    sw t0, R_QUEUE_DESC_LOW(s0)
    sw zero, R_QUEUE_DESC_HIGH(s0)
    la t0, vq_avail
    sw t0, R_QUEUE_DRIVER_LOW(s0)
    sw zero, R_QUEUE_DRIVER_HIGH(s0)
    la t0, vq_used
    sw t0, R_QUEUE_DEVICE_LOW(s0)
    sw zero, R_QUEUE_DEVICE_HIGH(s0)
    fence                       # the zeroed rings before the device may look
    li t0, 1
    sw t0, R_QUEUE_READY(s0)
    li t0, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK
    sw t0, R_STATUS(s0)
    lw t1, R_STATUS(s0)
    beq t0, t1, 7f
    li a0, E_DISK_STATUS
    la a1, m_disk_status
    j fail
7:  lw ra, 12(sp)
    addi sp, sp, 16
    ret

# capacity (le64 at config offset 0), read until ConfigGeneration is stable.
# Sector numbers are kept in 32 bits: a larger disk counts as 2^32 - 1 sectors.
disk_capacity:
1:  lw t2, R_CONFIG_GENERATION(s0)
    lw t0, R_CONFIG(s0)
    lw t1, R_CONFIG+4(s0)
    lw t3, R_CONFIG_GENERATION(s0)
    bne t2, t3, 1b
    beqz t1, 2f
    li t0, -1
2:  la t1, capacity
    sw t0, 0(t1)
    bnez t0, 3f
    li a0, E_DISK_EMPTY
    la a1, m_disk_empty
    j fail
3:  ret

# Read a1 sectors from sector a0 into a2, in requests of CHUNK_SECTORS.
# The caller has checked the range against the disk.
disk_read:
    addi sp, sp, -32
    sw ra, 28(sp)
    sw s1, 24(sp)
    sw s2, 20(sp)
    sw s3, 16(sp)
    mv s1, a0
    mv s2, a1
    mv s3, a2
1:  beqz s2, 3f
    mv a1, s2
    li t0, CHUNK_SECTORS
    bleu a1, t0, 2f
    mv a1, t0
2:  sub s2, s2, a1
    mv a0, s1
    add s1, s1, a1
    mv a2, s3
    slli t0, a1, 9
    add s3, s3, t0
    jal disk_request
    j 1b
3:  lw s3, 16(sp)
    lw s2, 20(sp)
    lw s1, 24(sp)
    lw ra, 28(sp)
    addi sp, sp, 32
    ret

# One read request: a1 sectors (1..CHUNK_SECTORS) from sector a0 into a2, on
# descriptors 0..2 (header, data, status), polled to completion.
disk_request:
    la t0, req_hdr
    li t1, BLK_T_IN
    sw t1, 0(t0)
    sw zero, 4(t0)
    sw a0, 8(t0)                # sector, low word
    sw zero, 12(t0)
    la t1, req_status
    li t2, 0xff                 # not a status the device can give
    sb t2, 0(t1)
    la t3, vq_desc
    sw t0, 0(t3)                # 0: the header, device-readable
    sw zero, 4(t3)
    li t2, 16
    sw t2, 8(t3)
    li t2, DESC_F_NEXT
    sh t2, 12(t3)
    li t2, 1
    sh t2, 14(t3)
    sw a2, 16(t3)               # 1: the data, device-writable
    sw zero, 20(t3)
    slli t2, a1, 9
    sw t2, 24(t3)
    li t2, DESC_F_WRITE | DESC_F_NEXT
    sh t2, 28(t3)
    li t2, 2
    sh t2, 30(t3)
    sw t1, 32(t3)               # 2: the status byte, device-writable
    sw zero, 36(t3)
    li t2, 1
    sw t2, 40(t3)
    li t2, DESC_F_WRITE
    sh t2, 44(t3)
    sh zero, 46(t3)
    la t3, vq_avail
    lhu t4, 2(t3)               # avail.idx
    andi t2, t4, QSIZE - 1
    slli t2, t2, 1
    add t2, t2, t3
    sh zero, 4(t2)              # ring[idx % QSIZE] = head 0
    fence                       # descriptors and ring entry before idx
    addi t4, t4, 1
    sh t4, 2(t3)
    fence                       # idx before the notification
    sw zero, R_QUEUE_NOTIFY(s0)
    # Wait for used.idx to reach avail.idx; a device that wants a reset has failed.
    slli t4, t4, 16
    srli t4, t4, 16
    la t3, vq_used
    li t5, USED_POLLS
1:  lhu t2, 2(t3)
    beq t2, t4, 3f
    lw t2, R_STATUS(s0)
    andi t2, t2, S_NEEDS_RESET
    bnez t2, 2f
    addi t5, t5, -1
    bnez t5, 1b
2:  mv a2, a0
    li a0, E_DISK_TIMEOUT
    la a1, m_disk_timeout
    j fail_num
3:  fence                       # used.idx before the status and the data
    lw t2, R_INTERRUPT_STATUS(s0)
    sw t2, R_INTERRUPT_ACK(s0)
    lbu t2, 0(t1)
    bnez t2, 4f
    ret
4:  mv a2, a0
    li a0, E_DISK_IO
    la a1, m_disk_io
    j fail_num

    .include "bootpart.s"

# ---- the handover ----

handover:
    la a0, bootinfo
    li t0, HANDOVER
    sw a0, 0(t0)
    # A resident kernel takes the hart at the next trap from U-mode.
    la t0, no_kernel
    csrw mtvec, t0
    la t0, handover_ecall
    csrw mepc, t0
    li t0, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t0            # mret to U-mode, interrupts still off
    mret
.balign 4
handover_ecall:
    ecall
    j handover_ecall

# Back in M-mode after the handover: nothing took the hart.
.balign 4
no_kernel:
    li a0, E_NO_KERNEL
    la a1, m_no_kernel
    j fail

# ---- failures ----

# Any trap before the handover is a firmware bug or a device gone wrong.
.balign 4
trap_entry:
    la sp, stack_top
    la a0, s_prefix
    jal puts
    la a0, m_trap
    jal puts
    csrr a0, mcause
    jal puthex
    la a0, s_mepc
    jal puts
    csrr a0, mepc
    jal puthex
    la a0, s_mtval
    jal puts
    csrr a0, mtval
    jal puthex
    li a0, E_TRAP
    j fail_end

# a0 = code, a1 = message: "firmware: <message>".
fail:
    la sp, stack_top
    mv s10, a0
    mv s9, a1
    la a0, s_prefix
    jal puts
    mv a0, s9
    jal puts
    mv a0, s10
    j fail_end

# a0 = code, a1 = message, a2 = a number: "firmware: <message><number>".
fail_num:
    la sp, stack_top
    mv s10, a0
    mv s9, a1
    mv s8, a2
    la a0, s_prefix
    jal puts
    mv a0, s9
    jal puts
    mv a0, s8
    jal putdec
    mv a0, s10
    j fail_end

# a0 = code, a1 = message, a2 = the module's (checked) name: "firmware: module <name>: <message>".
fail_mod:
    la sp, stack_top
    mv s10, a0
    mv s9, a1
    mv s8, a2
    la a0, s_prefix
    jal puts
    la a0, s_module
    jal puts
    mv a0, s8
    jal puts
    la a0, s_colon
    jal puts
    mv a0, s9
    jal puts
    mv a0, s10
    j fail_end

# a0 = code: end the line and power off with 0x3333 | code << 16.
fail_end:
    mv s10, a0
    li a0, '\n'
    jal putc
    slli t0, s10, 16
    li t1, FINISHER_FAIL
    or t0, t0, t1
    li t1, FINISHER
    sw t0, 0(t1)
1:  wfi
    j 1b

    .include "lib.s"

# ======================================================================
.section .rodata
s_banner:         .asciz "Tessera boot firmware\n"
s_prefix:         .asciz "firmware: "
s_module:         .asciz "module "
s_colon:          .asciz ": "
s_loaded:         .asciz "firmware: loaded "
s_modules:        .asciz " modules:"
s_mepc:           .asciz ", mepc "
s_mtval:          .asciz ", mtval "
m_no_disk:        .asciz "no virtio-blk disk"
m_disk_legacy:    .asciz "virtio-blk disk is a legacy device (virtio-mmio version 1)"
m_disk_reset:     .asciz "virtio-blk disk did not reset"
m_disk_features:  .asciz "virtio-blk disk refused VIRTIO_F_VERSION_1"
m_disk_queue:     .asciz "virtio-blk disk has no usable request queue"
m_disk_status:    .asciz "virtio-blk disk did not accept DRIVER_OK"
m_disk_empty:     .asciz "the disk is empty"
m_disk_io:        .asciz "disk read error at sector "
m_disk_timeout:   .asciz "the disk did not answer a read of sector "
m_no_mbr:         .asciz "no MBR signature"
m_no_boot_part:   .asciz "no boot partition (type 0x7f)"
m_boot_part_range: .asciz "the boot partition does not lie inside the disk"
m_bad_magic:      .asciz "bad boot header magic"
m_bad_version:    .asciz "unsupported boot header version "
m_bad_count:      .asciz "bad boot module count "
m_bad_header_size: .asciz "bad boot header size "
m_table_crc:      .asciz "boot module table: bad checksum"
m_module_name:    .asciz "bad name in module entry "
m_module_dup:     .asciz "name used twice"
m_module_fields:  .asciz "bad flags or priority"
m_module_range:   .asciz "outside the boot partition"
m_module_fit:     .asciz "does not fit in RAM"
m_module_crc:     .asciz "bad checksum"
m_two_pm:         .asciz "a second process manager"
m_no_pm:          .asciz "no process manager module (flags bit 0)"
m_trap:           .asciz "unexpected trap: mcause "
m_no_kernel:      .asciz "no kernel took over"

.bss
# The virtqueue (descriptor table 16-aligned, driver area 2, device area 4),
# in one page.
.balign 4096
vq_start:
vq_desc:     .space 16 * QSIZE
vq_avail:    .space 6 + 2 * QSIZE
.balign 4
vq_used:     .space 6 + 8 * QSIZE
vq_end:
.balign 16
req_hdr:     .space 16
req_status:  .space 4
.balign 4
capacity:    .space 4               # sectors (2^32 - 1 at most)
part_lba:    .space 4
part_sectors: .space 4
hdr_size:    .space 4
nmods:       .space 4
ram_limit:   .space 4               # the FDT's address: free RAM ends here
crc_table:   .space 8 * 256 * 4     # T0..T7 (crc_init)
.balign 16
sector_buf:  .space SECTOR
hdr_buf:     .space HDR_BUF_SIZE
bootinfo:    .space BI_HEADER + BI_ENTRY * MAX_MODULES
.balign 16
stack:       .space 4096
stack_top:
