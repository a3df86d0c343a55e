// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The virtio-blk device as blk drives it: the virtio-mmio registers (modern
// layout, Version 2, virtio 1.1 section 4.2.2) of the slot the device is in,
// mapped into blk with DEVMAP, and one split virtqueue (section 2.6) whose
// rings live in one page of blk's memory, handed to the device by physical
// address (UMAP). Requests move through a bounce buffer of BDEV_MAX_IO bytes
// (whole pages, each UMAPped once at start-up), so every request is one
// descriptor chain: header, one descriptor per page of data, status byte.
//
// One request is in flight at a time. Its completion is the device's
// interrupt: the kernel notifies blk from HARDWARE, blk acknowledges the
// device (InterruptACK) and re-enables the line (IRQCTL ENABLE).
//
// Entry points: vioFind, vioInit, vioTransfer, vioFlush, vioCapacity,
// vioReadOnly, vioInterrupt, VIO_BUF (the bounce buffer).

import { Message, sendrec, receive } from "../lib/index";
import { sysDevmap, sysIrqctl } from "../lib/server";
import {
  SYSTEM, HARDWARE, KC_UMAP, IRQCTL_SETPOLICY, IRQCTL_ENABLE,
  BDEV_MAX_IO, BDEV_SECTOR, EIO, ENODEV,
} from "../lib/fs_proto";

// The virt board's virtio-mmio slots (DESIGN.md memory map).
const SLOT_BASE: u32 = 0x10001000;
const SLOT_SIZE: u32 = 0x1000;
const SLOTS: i32 = 8;
const SLOT_IRQ0: i32 = 1;
/** Where the slots appear in blk's address space. */
const MMIO_VA: u32 = 0x70000000;

// Registers (4.2.2).
const R_MAGIC: u32 = 0x000;
const R_VERSION: u32 = 0x004;
const R_DEVICE_ID: u32 = 0x008;
const R_DEVICE_FEATURES: u32 = 0x010;
const R_DEVICE_FEATURES_SEL: u32 = 0x014;
const R_DRIVER_FEATURES: u32 = 0x020;
const R_DRIVER_FEATURES_SEL: u32 = 0x024;
const R_QUEUE_SEL: u32 = 0x030;
const R_QUEUE_NUM_MAX: u32 = 0x034;
const R_QUEUE_NUM: u32 = 0x038;
const R_QUEUE_READY: u32 = 0x044;
const R_QUEUE_NOTIFY: u32 = 0x050;
const R_INTERRUPT_STATUS: u32 = 0x060;
const R_INTERRUPT_ACK: u32 = 0x064;
const R_STATUS: u32 = 0x070;
const R_QUEUE_DESC_LOW: u32 = 0x080;
const R_QUEUE_DESC_HIGH: u32 = 0x084;
const R_QUEUE_DRIVER_LOW: u32 = 0x090;
const R_QUEUE_DRIVER_HIGH: u32 = 0x094;
const R_QUEUE_DEVICE_LOW: u32 = 0x0a0;
const R_QUEUE_DEVICE_HIGH: u32 = 0x0a4;
const R_CONFIG: u32 = 0x100;

const MAGIC: u32 = 0x74726976; // "virt"
const VIRTIO_ID_BLOCK: u32 = 2;
const S_ACKNOWLEDGE: u32 = 1;
const S_DRIVER: u32 = 2;
const S_DRIVER_OK: u32 = 4;
const S_FEATURES_OK: u32 = 8;
const S_NEEDS_RESET: u32 = 0x40;
const S_FAILED: u32 = 0x80;
const F_BLK_RO: u32 = 1 << 5;
const F_BLK_FLUSH: u32 = 1 << 9;
const F_VERSION_1_HI: u32 = 1; // bit 32: word 1, bit 0

const DESC_F_NEXT: u16 = 1;
const DESC_F_WRITE: u16 = 2;

const BLK_T_IN: u32 = 0;
const BLK_T_OUT: u32 = 1;
const BLK_T_FLUSH: u32 = 4;

// The queue: QSIZE descriptors, enough for a header, every page of the
// bounce buffer and the status byte. Its three areas and the request header
// share one page.
const PAGE: i32 = 4096;
const BUF_PAGES: i32 = BDEV_MAX_IO / PAGE;
const QSIZE: i32 = 32;
const VQ: usize = memory.data(PAGE, PAGE);
const DESC: usize = VQ;               // 16 * QSIZE bytes
const AVAIL: usize = VQ + 1024;       // 4 + 2 * QSIZE (+2)
const USED: usize = VQ + 2048;        // 4 + 8 * QSIZE (+2)
const HDR: usize = VQ + 3072;         // type, reserved, sector (16 bytes)
const STATUS: usize = VQ + 3088;      // the device's status byte

/** The bounce buffer: data between the clients' grants and the device. */
export const VIO_BUF: usize = memory.data(BDEV_MAX_IO, PAGE);

let vqPa: u32 = 0;
const bufPa = new StaticArray<u32>(BUF_PAGES);
let regs: usize = 0;
let irqLine: i32 = 0;
let features: u32 = 0;
let availIdx: u16 = 0;

const km = new Message();

/** The physical address of [va, va+len) (one contiguous run), or -errno (as a negative i64). */
function umap(va: usize, len: i32): i64 {
  km.m_type = KC_UMAP;
  km.p0 = <i32>va; km.p1 = len;
  const r = sendrec(SYSTEM, km);
  if (r < 0) return <i64>r;
  if (km.m_type < 0) return <i64>km.m_type;
  return <i64>km.p0 & 0xffffffff; // (<i64><u32> of an i32 field sign-extends in asc)
}

@inline function rd(off: u32): u32 { return load<u32>(regs + off); }
@inline function wr(off: u32, v: u32): void { store<u32>(regs + off, v); }

/**
 * Map the virtio-mmio slots and find the first virtio-blk device: its slot
 * (0..7), or -ENODEV (none), or the DEVMAP error.
 */
export function vioFind(): i32 {
  const r = sysDevmap(<i32>SLOT_BASE, <i32>(SLOT_SIZE * SLOTS), <i32>MMIO_VA);
  if (r < 0) return r;
  for (let i = 0; i < SLOTS; i++) {
    const base = <usize>(MMIO_VA + SLOT_SIZE * <u32>i);
    if (load<u32>(base + R_MAGIC) == MAGIC && load<u32>(base + R_VERSION) == 2 &&
        load<u32>(base + R_DEVICE_ID) == VIRTIO_ID_BLOCK) {
      regs = base;
      irqLine = SLOT_IRQ0 + i;
      return i;
    }
  }
  return -ENODEV;
}

/**
 * Bring the device up (3.1.1): reset, negotiate VERSION_1 (and FLUSH if
 * offered), set up queue 0, register the interrupt line, DRIVER_OK.
 * 0 or -errno.
 */
export function vioInit(): i32 {
  wr(R_STATUS, 0);
  wr(R_STATUS, S_ACKNOWLEDGE);
  wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
  wr(R_DEVICE_FEATURES_SEL, 1);
  const hi = rd(R_DEVICE_FEATURES);
  wr(R_DEVICE_FEATURES_SEL, 0);
  const lo = rd(R_DEVICE_FEATURES);
  if ((hi & F_VERSION_1_HI) == 0) return fail();
  features = lo & (F_BLK_RO | F_BLK_FLUSH);
  wr(R_DRIVER_FEATURES_SEL, 0);
  wr(R_DRIVER_FEATURES, features);
  wr(R_DRIVER_FEATURES_SEL, 1);
  wr(R_DRIVER_FEATURES, F_VERSION_1_HI);
  wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
  if ((rd(R_STATUS) & S_FEATURES_OK) == 0) return fail();
  const r = setupQueue();
  if (r < 0) { fail(); return r; }
  const ir = sysIrqctl(IRQCTL_SETPOLICY, irqLine);
  if (ir < 0) { fail(); return ir; }
  wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
  return 0;
}

function fail(): i32 {
  wr(R_STATUS, rd(R_STATUS) | S_FAILED);
  return -EIO;
}

function setupQueue(): i32 {
  wr(R_QUEUE_SEL, 0);
  if (rd(R_QUEUE_READY) != 0 || rd(R_QUEUE_NUM_MAX) < <u32>QSIZE) return -EIO;
  memory.fill(VQ, 0, PAGE);
  const pa = umap(VQ, PAGE);
  if (pa < 0) return <i32>pa;
  vqPa = <u32>pa;
  for (let i = 0; i < BUF_PAGES; i++) {
    const p = umap(VIO_BUF + <usize>(i * PAGE), PAGE);
    if (p < 0) return <i32>p;
    bufPa[i] = <u32>p;
  }
  availIdx = 0;
  wr(R_QUEUE_NUM, <u32>QSIZE);
  wr(R_QUEUE_DESC_LOW, vqPa + <u32>(DESC - VQ));
  wr(R_QUEUE_DESC_HIGH, 0);
  wr(R_QUEUE_DRIVER_LOW, vqPa + <u32>(AVAIL - VQ));
  wr(R_QUEUE_DRIVER_HIGH, 0);
  wr(R_QUEUE_DEVICE_LOW, vqPa + <u32>(USED - VQ));
  wr(R_QUEUE_DEVICE_HIGH, 0);
  wr(R_QUEUE_READY, 1);
  return 0;
}

/** Capacity in 512-byte sectors (the low 32 bits; blk refuses bigger disks). */
export function vioCapacity(): u32 {
  return load<u32>(regs + R_CONFIG + 4) != 0 ? 0xffffffff : load<u32>(regs + R_CONFIG);
}

export function vioReadOnly(): bool {
  return (features & F_BLK_RO) != 0;
}

function desc(i: i32, pa: u32, len: u32, flags: u16): void {
  const d = DESC + <usize>(16 * i);
  store<u32>(d, pa);
  store<u32>(d, 0, 4);
  store<u32>(d, len, 8);
  store<u16>(d, flags | (i + 1 < QSIZE ? DESC_F_NEXT : 0), 12);
  store<u16>(d, <u16>(i + 1), 14);
}

/** Queue the chain whose descriptors are 0..last and wait for the device. Its status byte, or -errno. */
function submit(last: i32): i32 {
  // The last descriptor ends the chain.
  const d = DESC + <usize>(16 * last);
  store<u16>(d, load<u16>(d, 12) & ~DESC_F_NEXT, 12);
  store<u8>(STATUS, 0xff);
  store<u16>(AVAIL + 4 + <usize>(2 * (availIdx % <u16>QSIZE)), 0);
  availIdx++;
  store<u16>(AVAIL + 2, availIdx);
  wr(R_QUEUE_NOTIFY, 0);
  return complete();
}

/**
 * Wait for the interrupt that says the request is in the used ring (the
 * device may complete before blk waits: the notification is then pending).
 */
function complete(): i32 {
  for (;;) {
    const r = receive(HARDWARE, km);
    if (r < 0) return r;
    vioInterrupt();
    if ((rd(R_STATUS) & S_NEEDS_RESET) != 0) return -EIO;
    if (load<u16>(USED + 2) == availIdx) break;
  }
  return <i32>load<u8>(STATUS);
}

/** Acknowledge the device's interrupt and re-enable the line at the PLIC. */
export function vioInterrupt(): void {
  wr(R_INTERRUPT_ACK, rd(R_INTERRUPT_STATUS));
  sysIrqctl(IRQCTL_ENABLE, irqLine);
}

/**
 * Move `count` bytes (a multiple of 512, at most BDEV_MAX_IO) between the
 * bounce buffer and the disk at `sector`: write (to the disk) or read.
 * 0, or -EIO.
 */
export function vioTransfer(write: bool, sector: u64, count: i32): i32 {
  store<u32>(HDR, write ? BLK_T_OUT : BLK_T_IN);
  store<u32>(HDR, 0, 4);
  store<u64>(HDR, sector, 8);
  desc(0, vqPa + <u32>(HDR - VQ), 16, 0);
  let n = 1;
  for (let off = 0; off < count; off += PAGE) {
    const len = min(PAGE, count - off);
    desc(n, bufPa[off / PAGE], <u32>len, write ? 0 : DESC_F_WRITE);
    n++;
  }
  desc(n, vqPa + <u32>(STATUS - VQ), 1, DESC_F_WRITE);
  const s = submit(n);
  if (s < 0) return s;
  return s == 0 ? 0 : -EIO;
}

/** Flush the device's write cache (a no-op when FLUSH was not offered). 0 or -EIO. */
export function vioFlush(): i32 {
  if ((features & F_BLK_FLUSH) == 0) return 0;
  store<u32>(HDR, BLK_T_FLUSH);
  store<u32>(HDR, 0, 4);
  store<u64>(HDR, 0, 8);
  desc(0, vqPa + <u32>(HDR - VQ), 16, 0);
  desc(1, vqPa + <u32>(STATUS - VQ), 1, DESC_F_WRITE);
  const s = submit(1);
  if (s < 0) return s;
  return s == 0 ? 0 : -EIO;
}

// BDEV_SECTOR is 512 here as in virtio-blk (5.2.6).
if (BDEV_SECTOR != 512) ERROR("virtio-blk sectors are 512 bytes");
