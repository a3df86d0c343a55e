// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// blk: the virtio-blk driver, a user-mode process (docs/fs.md, "blk"). It
// finds the device in the virtio-mmio slots, brings it up (virtio.ts), reads
// the MBR, and then serves the block device protocol of fs_proto.ts (BDEV_*)
// to file servers: minor 0 the whole disk, minors 1..4 the primary
// partitions. Data moves between the client's grant and blk's bounce buffer
// by SAFECOPY, between the bounce buffer and the disk by the device's DMA.
// It runs on the common server skeleton (lib/server.ts), replying BDEV_REPLY
// with the status in p0; clients must use sendrec.
//
// Privileges: kernel calls devmap, umap, irqctl, safecopyfrom, safecopyto;
// the virtio-mmio slots and their IRQ lines (1..8); no IPC targets (it only
// replies). Whoever starts it (rs) publishes its endpoint in ds.
//
// Entry points: main.

import { Message, printErr, printInt } from "../lib/index";
import {
  serverInit, serverCall, serverOnNotify, serverReplyType, serverRun,
  sysSafecopyFrom, sysSafecopyTo,
} from "../lib/server";
import {
  BDEV_OPEN, BDEV_READ, BDEV_WRITE, BDEV_FLUSH, BDEV_REPLY, BDEV_SECTOR, BDEV_MAX_IO, BDEV_MINORS,
  HARDWARE, EINVAL, ENXIO, EIO, EROFS,
} from "../lib/fs_proto";
import { vioFind, vioInit, vioTransfer, vioFlush, vioCapacity, vioReadOnly, vioInterrupt, VIO_BUF } from "./virtio";

const MBR_PARTS: i32 = 446;
const PART_ENTRY: i32 = 16;

// Minor -> first sector and sector count.
const partStart = new StaticArray<u32>(BDEV_MINORS);
const partSize = new StaticArray<u32>(BDEV_MINORS);
let readOnly = false;

function die(what: string, r: i32): i32 {
  printErr("blk: ");
  printErr(what);
  printErr(": error ");
  printInt(-r, 2);
  printErr("\n");
  return 1;
}

/** Minors 1..4 from the MBR in sector 0 (a disk without the 0x55 0xaa signature has only minor 0). */
function readPartitions(): i32 {
  const r = vioTransfer(false, 0, BDEV_SECTOR);
  if (r < 0) return r;
  if (load<u8>(VIO_BUF + 510) != 0x55 || load<u8>(VIO_BUF + 511) != 0xaa) return 0;
  for (let i = 0; i < 4; i++) {
    const e = VIO_BUF + <usize>(MBR_PARTS + PART_ENTRY * i);
    const type = load<u8>(e, 4);
    const start = load<u32>(e, 8);
    const count = load<u32>(e, 12);
    // A partition must lie inside the disk; one that does not is left out.
    if (type == 0 || count == 0 || <u64>start + <u64>count > <u64>partSize[0]) continue;
    partStart[i + 1] = start;
    partSize[i + 1] = count;
  }
  return 0;
}

function minorOk(minor: i32): bool {
  return minor >= 0 && minor < BDEV_MINORS && partSize[minor] != 0;
}

/** Check a transfer; its first sector on the disk, or -errno (as a negative i64). */
function checkTransfer(m: Message): i64 {
  const minor = m.p0, count = m.p4;
  if (!minorOk(minor)) return -ENXIO;
  // (<u64><u32> of a message field would sign-extend in asc: mask instead.)
  const pos = (<u64>m.p3 << 32) | (<u64>m.p2 & 0xffffffff);
  if (count <= 0 || (count & (BDEV_SECTOR - 1)) != 0 || (pos & <u64>(BDEV_SECTOR - 1)) != 0 || m.p6 < 0) return -EINVAL;
  const first = pos / <u64>BDEV_SECTOR;
  const n = <u64>(count / BDEV_SECTOR);
  if (first + n > <u64>partSize[minor]) return -EIO;
  return <i64>(<u64>partStart[minor] + first);
}

/** A read or write: the data in chunks of the bounce buffer. Bytes moved or -errno. */
function doTransfer(m: Message, write: bool): i32 {
  const s = checkTransfer(m);
  if (s < 0) return <i32>s;
  if (write && readOnly) return -EROFS;
  const sector = <u64>s;
  const client = m.m_source, grant = m.p1, count = m.p4, base = m.p6;
  for (let done = 0; done < count; done += BDEV_MAX_IO) {
    const n = min(BDEV_MAX_IO, count - done);
    const at = sector + <u64>(done / BDEV_SECTOR);
    let r: i32;
    if (write) {
      r = sysSafecopyFrom(client, grant, base + done, VIO_BUF, n);
      if (r < 0) return r;
      r = vioTransfer(true, at, n);
    } else {
      r = vioTransfer(false, at, n);
      if (r < 0) return r;
      r = sysSafecopyTo(client, grant, base + done, VIO_BUF, n);
    }
    if (r < 0) return r;
  }
  return count;
}

function doOpen(m: Message): i32 {
  const minor = m.p0;
  if (!minorOk(minor)) return -ENXIO;
  m.p1 = <i32>partSize[minor];
  m.p2 = BDEV_SECTOR;
  m.p3 = readOnly ? 1 : 0;
  return 0;
}

function doRead(m: Message): i32 { return doTransfer(m, false); }
function doWrite(m: Message): i32 { return doTransfer(m, true); }
function doFlush(m: Message): i32 { return minorOk(m.p0) ? vioFlush() : -ENXIO; }

/** An interrupt with nothing in flight: acknowledge it so the line fires again. */
function onNotify(m: Message): void {
  if (m.m_source == HARDWARE) vioInterrupt();
}

export function main(): i32 {
  let r = vioFind();
  if (r < 0) return die("no virtio-blk device", r);
  r = vioInit();
  if (r < 0) return die("device init", r);
  partSize[0] = vioCapacity();
  readOnly = vioReadOnly();
  r = readPartitions();
  if (r < 0) return die("reading the partition table", r);
  serverInit("blk", BDEV_OPEN, BDEV_FLUSH - BDEV_OPEN + 1);
  serverReplyType(BDEV_REPLY);
  serverCall(BDEV_OPEN, doOpen);
  serverCall(BDEV_READ, doRead);
  serverCall(BDEV_WRITE, doWrite);
  serverCall(BDEV_FLUSH, doFlush);
  serverOnNotify(onNotify);
  serverRun();
  return 0;
}
