// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The MINIX v3 superblock and the two bitmaps, as util-linux mkfs.minix -3
// lays them out: block 0 boot, block 1 the superblock (magic 0x4d5a at byte
// 24, 1 KiB blocks, zone = block), then the inode bitmap (bit i: inode i,
// bit 0 reserved), the zone bitmap (bit i: zone firstDataZone - 1 + i, bit 0
// reserved), the inode table, and the data zones. Bits past the last inode
// or zone are set, so a search never hands them out.
//
// Entry points: readSuper, sb* (the geometry), inodeBlock, allocInode,
// freeInode, allocZone, freeZone, freeCounts.

import { BLOCK, bget, bput, bdirty, baddr } from "./cache";
import { EINVAL, EIO } from "../lib/fs_proto";

const MAGIC_V3: u16 = 0x4d5a;
const BITS_PER_BLOCK: u32 = <u32>BLOCK * 8;
const INODES_PER_BLOCK: u32 = <u32>BLOCK / 64;

export let sbInodes: u32 = 0;
export let sbImapBlocks: u32 = 0;
export let sbZmapBlocks: u32 = 0;
export let sbFirstData: u32 = 0;
export let sbZones: u32 = 0;
export let sbMaxSize: u32 = 0;
let inodeHint: u32 = 1;
let zoneHint: u32 = 1;

/** The block holding inode `ino` (1-based), and its byte offset there. */
export function inodeBlock(ino: u32): u32 {
  return 2 + sbImapBlocks + sbZmapBlocks + (ino - 1) / INODES_PER_BLOCK;
}

export function inodeOffset(ino: u32): i32 {
  return <i32>((ino - 1) % INODES_PER_BLOCK) * 64;
}

/**
 * Read and check the superblock of a device of `blocks` 1 KiB blocks, as
 * the host's image library does. 0, -EINVAL (not a MINIX v3 file system
 * mfs can use) or -EIO.
 */
export function readSuper(blocks: u32): i32 {
  const i = bget(1, true);
  if (i < 0) return i;
  const p = baddr(i);
  const ninodes = load<u32>(p, 0);
  const imap = <u32>load<u16>(p, 6);
  const zmap = <u32>load<u16>(p, 8);
  const first = <u32>load<u16>(p, 10);
  const logZone = load<u16>(p, 12);
  const maxSize = load<u32>(p, 16);
  const zones = load<u32>(p, 20);
  const magic = load<u16>(p, 24);
  const blockSize = load<u16>(p, 28);
  bput(i);
  if (magic != MAGIC_V3 || blockSize != <u16>BLOCK || logZone != 0) return -EINVAL;
  if (ninodes == 0 || ninodes == 0xffffffff || imap * BITS_PER_BLOCK < ninodes + 1) return -EINVAL;
  if (zones > blocks || first >= zones || zmap * BITS_PER_BLOCK < zones - first + 1) return -EINVAL;
  if (first != 2 + imap + zmap + (ninodes + INODES_PER_BLOCK - 1) / INODES_PER_BLOCK) return -EINVAL;
  sbInodes = ninodes;
  sbImapBlocks = imap;
  sbZmapBlocks = zmap;
  sbFirstData = first;
  sbZones = zones;
  sbMaxSize = maxSize;
  inodeHint = 1;
  zoneHint = 1;
  return 0;
}

/** Bit `n` of the bitmap starting at block `base`: set it (or clear it). 0, or -errno. */
function setBit(base: u32, n: u32, on: bool): i32 {
  const i = bget(base + n / BITS_PER_BLOCK, true);
  if (i < 0) return i;
  const p = baddr(i) + <usize>((n % BITS_PER_BLOCK) >> 3);
  const bit: u32 = <u32>1 << (n & 7);
  const v: u32 = <u32>load<u8>(p);
  store<u8>(p, <u8>(on ? v | bit : v & ~bit));
  bdirty(i);
  bput(i);
  return 0;
}

/**
 * The first clear bit in 1..last of the bitmap at `base`, searching from
 * `hint` and wrapping; 0 if there is none, or -errno.
 */
function findClear(base: u32, last: u32, hint: u32): i64 {
  if (hint < 1 || hint > last) hint = 1;
  for (let pass = 0; pass < 2; pass++) {
    const from = pass == 0 ? hint : 1;
    const to = pass == 0 ? last : hint - 1;
    let n = from;
    while (n <= to) {
      const blk = n / BITS_PER_BLOCK;
      const i = bget(base + blk, true);
      if (i < 0) return i;
      const p = baddr(i);
      const end = min(to, (blk + 1) * BITS_PER_BLOCK - 1);
      let found: u32 = 0;
      while (n <= end) {
        const byte = load<u8>(p + <usize>((n % BITS_PER_BLOCK) >> 3));
        if (byte == 0xff && (n & 7) == 0 && n + 7 <= end) { n += 8; continue; }
        if ((<u32>byte & (<u32>1 << (n & 7))) == 0) { found = n; break; }
        n++;
      }
      bput(i);
      if (found != 0) return found;
    }
  }
  return 0;
}

/** A free inode, marked in use: its number, 0 if none is left, or -errno. */
export function allocInode(): i64 {
  const n = findClear(2, sbInodes, inodeHint);
  if (n <= 0) return n;
  const r = setBit(2, <u32>n, true);
  if (r < 0) return r;
  inodeHint = <u32>n + 1;
  return n;
}

export function freeInode(ino: u32): i32 {
  if (ino < 1 || ino > sbInodes) return -EIO;
  if (ino < inodeHint) inodeHint = ino;
  return setBit(2, ino, false);
}

/** A free zone, marked in use: its block number, 0 if the disk is full, or -errno. */
export function allocZone(): i64 {
  const base = 2 + sbImapBlocks;
  const n = findClear(base, sbZones - sbFirstData, zoneHint);
  if (n <= 0) return n;
  const r = setBit(base, <u32>n, true);
  if (r < 0) return r;
  zoneHint = <u32>n + 1;
  return <i64>(sbFirstData - 1) + n;
}

export function freeZone(z: u32): i32 {
  if (z < sbFirstData || z >= sbZones) return -EIO;
  const n = z - sbFirstData + 1;
  if (n < zoneHint) zoneHint = n;
  return setBit(2 + sbImapBlocks, n, false);
}
