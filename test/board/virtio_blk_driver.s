# virtio_blk_driver.s: a bare-metal, polled virtio-blk driver for the virt
# board, run unchanged on Tessera and on qemu-system-riscv32 -M virt -bios
# none (see README.md for the command lines).
#
# It finds the block device by scanning the eight virtio-mmio slots (Tessera
# puts it in slot 0, QEMU in the last free one), initialises it as virtio 1.1
# section 3.1.1 and 4.2.3 ask (modern layout, Version 2: reset, ACKNOWLEDGE,
# DRIVER, features VERSION_1 and BLK_F_FLUSH only, FEATURES_OK re-read,
# queue 0 through the Low/High address registers, QueueReady, DRIVER_OK),
# reads the capacity from the config space, and then, one request at a time
# on descriptors 0..2 (header, data, status; FLUSH has no data):
#   read sector 0 (polled)            print its text and FNV-1a hash
#   read sector 1 (PLIC interrupt)    claim in M-mode, ack InterruptStatus
#   write a pattern to sector 2, FLUSH, read it back and compare
#   GET_ID                            print the id string
#   read the sector at `capacity`     expect VIRTIO_BLK_S_IOERR
# Each line it prints is the same on both machines except "slot N irq M".
# Every request also prints the used element's len: both devices report the
# whole device-writable length, as QEMU does.
#
# Result: 0x5555 to sifive_test (exit 0), or "FAIL n" on the UART and
# 0x3333 | n << 16 (exit n), n one of the E_* codes below.
#
# Registers kept for the whole run: s0 = the slot's base, s1 = slot number,
# s2 = its PLIC source, s3 = capacity in sectors. Helpers keep s0..s5.

.option norelax

# ---- board ----
.equ UART0, 0x10000000
.equ UART_LSR, 5
.equ LSR_THRE, 0x20
.equ FINISHER, 0x00100000
.equ FINISHER_PASS, 0x5555
.equ FINISHER_FAIL, 0x3333
.equ PLIC_PRIORITY, 0x0c000000
.equ PLIC_ENABLE_M, 0x0c002000      # context 0: hart 0, M-mode
.equ PLIC_THRESHOLD_M, 0x0c200000
.equ PLIC_CLAIM_M, 0x0c200004
.equ MIE_MEIE, 0x800
.equ MSTATUS_MIE, 0x8
.equ CAUSE_MEI, 0x8000000b

# ---- virtio-mmio (virtio 1.1 section 4.2.2) ----
.equ VIRTIO_BASE, 0x10001000
.equ VIRTIO_STRIDE, 0x1000
.equ VIRTIO_SLOTS, 8
.equ VIRTIO_IRQ0, 1                 # slot n raises PLIC source 1 + n
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
.equ F_BLK_FLUSH, 0x200             # feature bit 9, word 0
.equ F_VERSION_1_HI, 0x1            # feature bit 32, word 1

# ---- split virtqueue (section 2.6) ----
.equ QSIZE, 8
.equ DESC_F_NEXT, 1
.equ DESC_F_WRITE, 2
.equ AVAIL_F_NO_INTERRUPT, 1

# ---- virtio-blk requests (section 5.2.6) ----
.equ BLK_T_IN, 0
.equ BLK_T_OUT, 1
.equ BLK_T_FLUSH, 4
.equ BLK_T_GET_ID, 8
.equ BLK_S_OK, 0
.equ BLK_S_IOERR, 1
.equ SECTOR, 512
.equ ID_BYTES, 20

# Bounds on waiting. Tessera completes a request inside the QueueNotify
# write; QEMU completes it from its I/O thread a few microseconds later.
.equ RESET_POLLS, 1000
.equ USED_POLLS, 10000000
.equ IRQ_WAITS, 1000

# ---- failure codes (exit status) ----
.equ E_NO_DEVICE, 1         # no slot holds a virtio-blk device
.equ E_LEGACY, 2            # virtio-blk found, but Version is not 2 (QEMU needs force-legacy=false)
.equ E_RESET, 3             # Status did not read 0 after the reset
.equ E_NO_VERSION_1, 4      # VIRTIO_F_VERSION_1 not offered
.equ E_NO_FLUSH, 5          # VIRTIO_BLK_F_FLUSH not offered
.equ E_FEATURES_OK, 6       # FEATURES_OK did not stick
.equ E_QUEUE_READY, 7       # queue 0 already ready after the reset
.equ E_QUEUE_SMALL, 8       # QueueNumMax below QSIZE (0: no queue 0)
.equ E_DRIVER_OK, 9         # Status is not ACK|DRIVER|FEATURES_OK|DRIVER_OK
.equ E_CAPACITY, 10         # capacity below 3 sectors, or above 2^32
.equ E_TIMEOUT, 11          # the used ring never moved
.equ E_NEEDS_RESET, 12      # the device set DEVICE_NEEDS_RESET
.equ E_USED_IDX, 13         # used.idx moved by more than one
.equ E_USED_ID, 14          # the used element names another chain
.equ E_READ0, 15            # reading sector 0 failed
.equ E_READ1, 16            # reading sector 1 (with the interrupt) failed
.equ E_IRQ_TIMEOUT, 17      # the interrupt never came
.equ E_IRQ_SOURCE, 18       # the PLIC claim returned another source
.equ E_IRQ_STATUS, 19       # InterruptStatus lacked the used-buffer bit
.equ E_IRQ_COUNT, 20        # more than one interrupt for one request
.equ E_WRITE2, 21           # writing sector 2 failed
.equ E_FLUSH, 22            # FLUSH failed
.equ E_READBACK, 23         # reading sector 2 back failed
.equ E_COMPARE, 24          # sector 2 read back differs from what was written
.equ E_GET_ID, 25           # GET_ID failed
.equ E_PAST_END, 26         # a read past the end did not give IOERR
.equ E_TRAP, 27             # an unexpected trap (mcause printed)

.text
.globl _start
_start:
    la sp, stack_top
    la t0, trap_entry
    csrw mtvec, t0
    csrw mie, zero
    csrci mstatus, MSTATUS_MIE
    la a0, s_banner
    call puts
    call find_device
    call init_device
    call read_capacity

    # -- sector 0, polled --
    la a0, buf
    li a1, SECTOR
    li a2, 0xaa                 # a short read would leave 0xaa behind
    call memset
    li a0, BLK_T_IN
    li a1, 0
    la a2, buf
    li a3, SECTOR
    li a4, DESC_F_WRITE
    call submit
    call wait_used
    li a2, E_READ0
    call expect_ok
    li a0, 0
    call print_sector

    # -- sector 1, completion signalled through the PLIC --
    la a0, buf
    li a1, SECTOR
    li a2, 0xaa
    call memset
    call irq_on
    li a0, BLK_T_IN
    li a1, 1
    la a2, buf
    li a3, SECTOR
    li a4, DESC_F_WRITE
    call submit
    call wait_irq
    call irq_off
    call wait_used
    li a2, E_READ1
    call expect_ok
    la a0, s_irq
    call puts
    li a0, 1
    call print_sector

    # -- sector 2: write, flush, read back --
    li a0, BLK_T_OUT
    li a1, 2
    la a2, pattern
    li a3, SECTOR
    li a4, 0
    call submit
    call wait_used
    li a2, E_WRITE2
    call expect_ok
    la a0, s_written
    call put_len

    li a0, BLK_T_FLUSH
    li a1, 0
    li a2, 0
    li a3, 0
    li a4, 0
    call submit
    call wait_used
    li a2, E_FLUSH
    call expect_ok
    la a0, s_flushed
    call put_len

    la a0, rbuf
    li a1, SECTOR
    li a2, 0
    call memset
    li a0, BLK_T_IN
    li a1, 2
    la a2, rbuf
    li a3, SECTOR
    li a4, DESC_F_WRITE
    call submit
    call wait_used
    li a2, E_READBACK
    call expect_ok
    mv s4, a1
    la a0, rbuf
    la a1, pattern
    li a2, SECTOR
    call memcmp
    beqz a0, 1f
    li a0, E_COMPARE
    j fail
1:  la a0, s_readback
    mv a1, s4
    call put_len

    # -- GET_ID: the buffer starts as '?', so bytes the device left alone show --
    la a0, idbuf
    li a1, ID_BYTES
    li a2, '?'
    call memset
    li a0, BLK_T_GET_ID
    li a1, 0
    la a2, idbuf
    li a3, ID_BYTES
    li a4, DESC_F_WRITE
    call submit
    call wait_used
    li a2, E_GET_ID
    call expect_ok
    mv s4, a1
    la a0, s_id
    call puts
    la a0, idbuf
    li a1, ID_BYTES
    call put_text
    la a0, s_id_end
    mv a1, s4
    call put_len

    # -- one sector past the end: IOERR --
    li a0, BLK_T_IN
    mv a1, s3
    la a2, buf
    li a3, SECTOR
    li a4, DESC_F_WRITE
    call submit
    call wait_used
    mv s4, a0
    mv s5, a1
    la a0, s_past
    call puts
    mv a0, s3
    call putdec
    la a0, s_status
    call puts
    mv a0, s4
    call putdec
    la a0, s_len
    mv a1, s5
    call put_len
    li t0, BLK_S_IOERR
    beq s4, t0, 1f
    li a0, E_PAST_END
    j fail
1:
    sw zero, R_STATUS(s0)       # leave the device reset, as a driver unloading does
    la a0, s_pass
    call puts
    li t0, FINISHER
    li t1, FINISHER_PASS
    sw t1, 0(t0)
2:  j 2b

# ---- finding and initialising the device ----

# Scan the slots for magic, Version 2 and DeviceID 2; set s0, s1, s2.
find_device:
    addi sp, sp, -16
    sw ra, 12(sp)
    li s0, VIRTIO_BASE
    li s1, 0
1:  lw t0, R_MAGIC(s0)
    li t1, VIRTIO_MAGIC
    bne t0, t1, 2f
    lw t0, R_DEVICE_ID(s0)
    li t1, VIRTIO_ID_BLOCK
    bne t0, t1, 2f
    lw t0, R_VERSION(s0)
    li t1, 2
    beq t0, t1, 3f
    li a0, E_LEGACY
    j fail
2:  li t0, VIRTIO_STRIDE
    add s0, s0, t0
    addi s1, s1, 1
    li t0, VIRTIO_SLOTS
    bltu s1, t0, 1b
    li a0, E_NO_DEVICE
    j fail
3:  addi s2, s1, VIRTIO_IRQ0
    la a0, s_slot
    call puts
    mv a0, s1
    call putdec
    la a0, s_irqno
    call puts
    mv a0, s2
    call putdec
    li a0, '\n'
    call putc
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# Driver initialisation (3.1.1), with the MMIO queue set-up of 4.2.3.2.
init_device:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw zero, R_STATUS(s0)       # reset; wait for it to read back 0 (2.1.2)
    li t2, RESET_POLLS
1:  lw t0, R_STATUS(s0)
    beqz t0, 2f
    addi t2, t2, -1
    bnez t2, 1b
    li a0, E_RESET
    j fail
2:  li t0, S_ACKNOWLEDGE
    sw t0, R_STATUS(s0)
    li t0, S_ACKNOWLEDGE | S_DRIVER
    sw t0, R_STATUS(s0)

    sw zero, R_DEVICE_FEATURES_SEL(s0)
    lw t3, R_DEVICE_FEATURES(s0)
    li t0, 1
    sw t0, R_DEVICE_FEATURES_SEL(s0)
    lw t4, R_DEVICE_FEATURES(s0)
    andi t0, t4, F_VERSION_1_HI
    bnez t0, 3f
    li a0, E_NO_VERSION_1
    j fail
3:  li t1, F_BLK_FLUSH
    and t0, t3, t1
    bnez t0, 4f
    li a0, E_NO_FLUSH
    j fail
4:  sw zero, R_DRIVER_FEATURES_SEL(s0)
    li t0, F_BLK_FLUSH
    sw t0, R_DRIVER_FEATURES(s0)
    li t0, 1
    sw t0, R_DRIVER_FEATURES_SEL(s0)
    li t0, F_VERSION_1_HI
    sw t0, R_DRIVER_FEATURES(s0)
    li t0, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK
    sw t0, R_STATUS(s0)
    lw t0, R_STATUS(s0)         # the device clears FEATURES_OK if it refuses
    andi t0, t0, S_FEATURES_OK
    bnez t0, 5f
    li a0, E_FEATURES_OK
    j fail

5:  sw zero, R_QUEUE_SEL(s0)
    lw t0, R_QUEUE_READY(s0)
    beqz t0, 6f
    li a0, E_QUEUE_READY
    j fail
6:  lw t0, R_QUEUE_NUM_MAX(s0)
    li t1, QSIZE
    bgeu t0, t1, 7f
    li a0, E_QUEUE_SMALL
    j fail
7:  la a0, vq_start
    la a1, vq_end
    sub a1, a1, a0
    li a2, 0
    call memset
    la t0, last_used
    sw zero, 0(t0)
    # Polled requests ask for no interrupt; irq_on clears the flag.
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
    beq t0, t1, 8f
    li a0, E_DRIVER_OK
    j fail
8:  lw ra, 12(sp)
    addi sp, sp, 16
    ret

# capacity (le64 at config offset 0), read until ConfigGeneration is stable.
read_capacity:
    addi sp, sp, -16
    sw ra, 12(sp)
1:  lw t2, R_CONFIG_GENERATION(s0)
    lw s3, R_CONFIG(s0)
    lw t1, R_CONFIG+4(s0)
    lw t0, R_CONFIG_GENERATION(s0)
    bne t0, t2, 1b
    bnez t1, 2f                 # this driver keeps sector numbers in 32 bits
    li t0, 3
    bgeu s3, t0, 3f
2:  li a0, E_CAPACITY
    j fail
3:  la a0, s_capacity
    call puts
    mv a0, s3
    call putdec
    la a0, s_sectors
    call puts
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# ---- requests ----

# Put one request on descriptors 0..2 and notify queue 0.
# a0 = type, a1 = sector, a2 = data address, a3 = data length (0: no data
# descriptor), a4 = DESC_F_WRITE for data the device writes, else 0.
submit:
    la t0, req_hdr
    sw a0, 0(t0)                # type
    sw zero, 4(t0)              # reserved
    sw a1, 8(t0)                # sector, low word
    sw zero, 12(t0)             # sector, high word
    la t1, req_status
    li t2, 0xff                 # not a status the device can give
    sb t2, 0(t1)
    la t3, vq_desc
    sw t0, 0(t3)                # descriptor 0: the header
    sw zero, 4(t3)
    li t2, 16
    sw t2, 8(t3)
    li t2, DESC_F_NEXT
    sh t2, 12(t3)
    li t2, 1
    sh t2, 14(t3)
    beqz a3, 1f
    sw a2, 16(t3)               # descriptor 1: the data
    sw zero, 20(t3)
    sw a3, 24(t3)
    ori t2, a4, DESC_F_NEXT
    sh t2, 28(t3)
    li t2, 2
    sh t2, 30(t3)
    addi t3, t3, 16
1:  sw t1, 16(t3)               # the last descriptor: the status byte
    sw zero, 20(t3)
    li t2, 1
    sw t2, 24(t3)
    li t2, DESC_F_WRITE
    sh t2, 28(t3)
    sh zero, 30(t3)
    la t0, vq_avail
    lhu t1, 2(t0)               # avail.idx: only the driver writes it
    andi t2, t1, QSIZE - 1
    slli t2, t2, 1
    add t2, t2, t0
    sh zero, 4(t2)              # ring[idx % QSIZE] = head 0
    fence                       # descriptors and ring entry before idx
    addi t1, t1, 1
    sh t1, 2(t0)
    fence                       # idx before the notification
    sw zero, R_QUEUE_NOTIFY(s0)
    ret

# Wait for the used ring to take the request; acknowledge any interrupt
# status. Returns a0 = the status byte, a1 = the used element's len.
wait_used:
    la t0, vq_used
    la t1, last_used
    lw t2, 0(t1)
    li t3, USED_POLLS
1:  lhu t4, 2(t0)
    bne t4, t2, 3f
    lw t5, R_STATUS(s0)
    andi t5, t5, S_NEEDS_RESET
    beqz t5, 2f
    li a0, E_NEEDS_RESET
    j fail
2:  addi t3, t3, -1
    bnez t3, 1b
    li a0, E_TIMEOUT
    j fail
3:  fence                       # used.idx before the element and the data
    addi t2, t2, 1
    li t5, 0xffff
    and t2, t2, t5
    beq t4, t2, 4f
    li a0, E_USED_IDX
    j fail
4:  sw t2, 0(t1)
    addi t4, t2, -1
    andi t4, t4, QSIZE - 1
    slli t4, t4, 3
    add t4, t4, t0
    lw t5, 4(t4)                # used.ring[].id
    lw a1, 8(t4)                # used.ring[].len
    beqz t5, 5f
    li a0, E_USED_ID
    j fail
5:  lw t5, R_INTERRUPT_STATUS(s0)
    sw t5, R_INTERRUPT_ACK(s0)
    la t5, req_status
    lbu a0, 0(t5)
    ret

# a0 = status byte, a1 = used len (kept), a2 = the failure code if not OK.
expect_ok:
    beqz a0, 1f
    mv a0, a2
    j fail
1:  ret

# ---- the interrupt path (M-mode, PLIC context 0) ----

irq_on:
    li t0, PLIC_PRIORITY
    slli t1, s2, 2
    add t0, t0, t1
    li t1, 1
    sw t1, 0(t0)
    li t0, PLIC_THRESHOLD_M
    sw zero, 0(t0)
    li t0, PLIC_ENABLE_M        # sources 1..8 are all in the first word
    li t1, 1
    sll t1, t1, s2
    sw t1, 0(t0)
    la t0, irq_count
    sw zero, 0(t0)
    la t0, vq_avail
    sh zero, 0(t0)              # avail.flags = 0: interrupt wanted
    fence
    li t0, MIE_MEIE
    csrs mie, t0
    ret

irq_off:
    li t0, MIE_MEIE
    csrc mie, t0
    li t0, PLIC_ENABLE_M
    sw zero, 0(t0)
    la t0, vq_avail
    li t1, AVAIL_F_NO_INTERRUPT
    sh t1, 0(t0)
    ret

# wfi with mstatus.MIE clear (a pending interrupt still ends it), then open
# MIE for one instruction to take the trap: an interrupt that arrives before
# the wfi is not lost.
wait_irq:
    li t3, IRQ_WAITS
1:  la t0, irq_count
    lw t0, 0(t0)
    bnez t0, 2f
    wfi
    csrsi mstatus, MSTATUS_MIE
    csrci mstatus, MSTATUS_MIE
    addi t3, t3, -1
    bnez t3, 1b
    li a0, E_IRQ_TIMEOUT
    j fail
2:  li t1, 1
    beq t0, t1, 3f
    li a0, E_IRQ_COUNT
    j fail
3:  ret

# Taken only between the csrsi and csrci above; keeps every register.
.balign 4
trap_entry:
    csrw mscratch, t0
    la t0, trap_save
    sw t1, 0(t0)
    sw t2, 4(t0)
    csrr t1, mcause
    li t2, CAUSE_MEI
    bne t1, t2, trap_unexpected
    li t1, PLIC_CLAIM_M
    lw t1, 0(t1)
    beq t1, s2, 1f
    li a0, E_IRQ_SOURCE
    j fail
1:  lw t2, R_INTERRUPT_STATUS(s0)
    andi t0, t2, 1              # used-buffer notification
    bnez t0, 2f
    li a0, E_IRQ_STATUS
    j fail
2:  sw t2, R_INTERRUPT_ACK(s0)  # the line drops before the PLIC completion
    li t2, PLIC_CLAIM_M
    sw t1, 0(t2)
    la t0, irq_count
    lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
    la t0, trap_save
    lw t1, 0(t0)
    lw t2, 4(t0)
    csrr t0, mscratch
    mret

trap_unexpected:
    la a0, s_trap
    call puts
    csrr a0, mcause
    call puthex
    la a0, s_mepc
    call puts
    csrr a0, mepc
    call puthex
    li a0, '\n'
    call putc
    li a0, E_TRAP
    j fail

# ---- results ----

# a0 = failure code: print it and power off with 0x3333 | code << 16.
fail:
    mv s4, a0
    la a0, s_fail
    call puts
    mv a0, s4
    call putdec
    li a0, '\n'
    call putc
    slli t0, s4, 16
    li t1, FINISHER_FAIL
    or t0, t0, t1
    li t1, FINISHER
    sw t0, 0(t1)
1:  j 1b

# ---- output ----

# "sector N: <text>\nsector N fnv1a <hash> len <used len>\n" for buf; a0 = N, a1 = len.
print_sector:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s4, 8(sp)
    sw s5, 4(sp)
    mv s4, a0
    mv s5, a1
    la a0, s_sector
    call puts
    mv a0, s4
    call putdec
    la a0, s_colon
    call puts
    la a0, buf
    li a1, SECTOR
    call put_text
    la a0, s_sector_nl
    call puts
    mv a0, s4
    call putdec
    la a0, s_fnv
    call puts
    la a0, buf
    li a1, SECTOR
    call fnv1a
    call puthex
    la a0, s_len
    mv a1, s5
    call put_len
    lw s5, 4(sp)
    lw s4, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# Print string a0, the number a1, then a newline.
put_len:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s4, 8(sp)
    mv s4, a1
    call puts
    mv a0, s4
    call putdec
    li a0, '\n'
    call putc
    lw s4, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# Bytes at a0 up to a NUL or a1 bytes; anything but printable ASCII as '.'.
put_text:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s4, 8(sp)
    sw s5, 4(sp)
    mv s4, a0
    add s5, a0, a1
1:  beq s4, s5, 3f
    lbu a0, 0(s4)
    beqz a0, 3f
    li t0, 0x20
    bltu a0, t0, 2f
    li t0, 0x7f
    bltu a0, t0, 4f
2:  li a0, '.'
4:  call putc
    addi s4, s4, 1
    j 1b
3:  lw s5, 4(sp)
    lw s4, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

puts:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s4, 8(sp)
    mv s4, a0
1:  lbu a0, 0(s4)
    beqz a0, 2f
    call putc
    addi s4, s4, 1
    j 1b
2:  lw s4, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# One byte to the 16550 once its holding register is empty; clobbers t0, t1.
putc:
    li t0, UART0
1:  lbu t1, UART_LSR(t0)
    andi t1, t1, LSR_THRE
    beqz t1, 1b
    sb a0, 0(t0)
    ret

# a0 as 8 hex digits.
puthex:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s4, 8(sp)
    sw s5, 4(sp)
    mv s4, a0
    li s5, 28
1:  srl a0, s4, s5
    andi a0, a0, 15
    li t0, 10
    bltu a0, t0, 2f
    addi a0, a0, 'a' - '0' - 10
2:  addi a0, a0, '0'
    call putc
    addi s5, s5, -4
    bgez s5, 1b
    lw s5, 4(sp)
    lw s4, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

# a0 in decimal (unsigned).
putdec:
    addi sp, sp, -32
    sw ra, 28(sp)
    sw s4, 24(sp)
    sw s5, 20(sp)
    mv s4, a0
    addi s5, sp, 16             # digits go downwards from sp + 16
1:  li t0, 10
    remu t1, s4, t0
    divu s4, s4, t0
    addi t1, t1, '0'
    addi s5, s5, -1
    sb t1, 0(s5)
    bnez s4, 1b
2:  lbu a0, 0(s5)
    call putc
    addi s5, s5, 1
    addi t0, sp, 16
    bltu s5, t0, 2b
    lw s5, 20(sp)
    lw s4, 24(sp)
    lw ra, 28(sp)
    addi sp, sp, 32
    ret

# ---- memory ----

# FNV-1a (32-bit) of a1 bytes at a0.
fnv1a:
    li t0, 0x811c9dc5
    li t1, 0x01000193
    add a1, a0, a1
1:  beq a0, a1, 2f
    lbu t2, 0(a0)
    xor t0, t0, t2
    mul t0, t0, t1
    addi a0, a0, 1
    j 1b
2:  mv a0, t0
    ret

# a1 bytes at a0 set to a2.
memset:
    add a1, a0, a1
1:  beq a0, a1, 2f
    sb a2, 0(a0)
    addi a0, a0, 1
    j 1b
2:  ret

# a0 = 0 if the a2 bytes at a0 and a1 are equal, else 1.
memcmp:
    add a2, a0, a2
1:  beq a0, a2, 2f
    lbu t0, 0(a0)
    lbu t1, 0(a1)
    bne t0, t1, 3f
    addi a0, a0, 1
    addi a1, a1, 1
    j 1b
2:  li a0, 0
    ret
3:  li a0, 1
    ret

# ======================================================================
.data
s_banner:    .asciz "virtio-blk: scanning 8 virtio-mmio slots\n"
s_slot:      .asciz "slot "
s_irqno:     .asciz " irq "
s_capacity:  .asciz "capacity "
s_sectors:   .asciz " sectors\n"
s_sector:    .asciz "sector "
s_colon:     .asciz ": "
s_sector_nl: .asciz "\nsector "
s_fnv:       .asciz " fnv1a "
s_len:       .asciz " len "
s_irq:       .asciz "sector 1 completed by interrupt, source claimed and acked\n"
s_written:   .asciz "sector 2 written len "
s_flushed:   .asciz "flush len "
s_readback:  .asciz "sector 2 read back: matches the pattern len "
s_id:        .asciz "id \""
s_id_end:    .asciz "\" len "
s_past:      .asciz "read of sector "
s_status:    .asciz ": status "
s_pass:      .asciz "pass\n"
s_fail:      .asciz "FAIL "
s_trap:      .asciz "unexpected trap: mcause 0x"
s_mepc:      .asciz " mepc 0x"

# What goes to sector 2: 16 copies of a 32-byte line.
.balign 4
pattern:
.rept 16
    .ascii "<tessera virtio-blk pattern #2>\n"
.endr
pattern_end:

.bss
# The virtqueue: descriptor table (16-byte aligned), driver area (2),
# device area (4), all inside one page.
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
last_used:   .space 4
irq_count:   .space 4
trap_save:   .space 8
.balign 16
buf:         .space SECTOR
rbuf:        .space SECTOR
idbuf:       .space ID_BYTES + 4
.balign 16
stack:       .space 4096
stack_top:
