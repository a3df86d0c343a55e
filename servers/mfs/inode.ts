// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// MINIX v3 inodes (64 bytes: mode u16, nlinks u16, uid u16, gid u16, size,
// atime, mtime, ctime, zones[10] as u32: 7 direct, single, double and
// triple indirect), worked on as copies: iget copies an inode out of its
// block into a 64-byte slot the caller owns, iput copies it back and marks
// the block dirty. A slot is plain memory (INODE_SIZE bytes), so a handler
// keeps as many as it needs in static data.
//
// Also here: the block map (which zone holds block k of a file, allocating
// on the way for a write), truncation (freeing the zones past a size), and
// the clock that time stamps come from.
//
// Entry points: INODE_SIZE, iget, iput, i_* accessors, bmap, itruncate,
// ifree, newZone, now.

import { BLOCK, bget, bput, bdirty, baddr } from "./cache";
import { inodeBlock, inodeOffset, allocZone, freeZone, freeInode, sbInodes, sbFirstData, sbZones } from "./super";
import { sysNow } from "../lib/server";
import { EIO, ENOSPC, EFBIG, S_IFMT, S_IFDIR } from "../lib/fs_proto";

export const INODE_SIZE: i32 = 64;
export const NR_DZONES: i32 = 7;
const PER_BLOCK: i32 = BLOCK / 4;

@inline export function i_mode(ip: usize): u32 { return <u32>load<u16>(ip, 0); }
@inline export function i_nlinks(ip: usize): u32 { return <u32>load<u16>(ip, 2); }
@inline export function i_uid(ip: usize): u32 { return <u32>load<u16>(ip, 4); }
@inline export function i_gid(ip: usize): u32 { return <u32>load<u16>(ip, 6); }
@inline export function i_size(ip: usize): u32 { return load<u32>(ip, 8); }
@inline export function i_atime(ip: usize): u32 { return load<u32>(ip, 12); }
@inline export function i_mtime(ip: usize): u32 { return load<u32>(ip, 16); }
@inline export function i_ctime(ip: usize): u32 { return load<u32>(ip, 20); }
@inline export function i_zone(ip: usize, k: i32): u32 { return load<u32>(ip + 24 + <usize>(k << 2)); }

@inline export function set_mode(ip: usize, v: u32): void { store<u16>(ip, <u16>v, 0); }
@inline export function set_nlinks(ip: usize, v: u32): void { store<u16>(ip, <u16>v, 2); }
@inline export function set_uid(ip: usize, v: u32): void { store<u16>(ip, <u16>v, 4); }
@inline export function set_gid(ip: usize, v: u32): void { store<u16>(ip, <u16>v, 6); }
@inline export function set_size(ip: usize, v: u32): void { store<u32>(ip, v, 8); }
@inline export function set_atime(ip: usize, v: u32): void { store<u32>(ip, v, 12); }
@inline export function set_mtime(ip: usize, v: u32): void { store<u32>(ip, v, 16); }
@inline export function set_ctime(ip: usize, v: u32): void { store<u32>(ip, v, 20); }
@inline export function set_zone(ip: usize, k: i32, z: u32): void { store<u32>(ip + 24 + <usize>(k << 2), z); }

@inline export function isDir(ip: usize): bool { return (i_mode(ip) & <u32>S_IFMT) == <u32>S_IFDIR; }

// ---- time -------------------------------------------------------------------

let epoch: u32 = 0;

/** Time stamps count from `t` (seconds since 1970) at the moment of the call. */
export function setEpoch(t: u32): void {
  epoch = t - <u32>(sysNow() / 10_000_000);
}

/** Seconds since 1970, as well as mfs knows: the epoch plus the machine's uptime. */
export function now(): u32 {
  return epoch + <u32>(sysNow() / 10_000_000);
}

// ---- inodes -----------------------------------------------------------------

/** Copy inode `ino` into the slot at `ip`. 0 or -errno. */
export function iget(ino: u32, ip: usize): i32 {
  if (ino < 1 || ino > sbInodes) return -EIO;
  const i = bget(inodeBlock(ino), true);
  if (i < 0) return i;
  memory.copy(ip, baddr(i) + <usize>inodeOffset(ino), INODE_SIZE);
  bput(i);
  return 0;
}

/** Write the slot at `ip` back as inode `ino`. 0 or -errno. */
export function iput(ino: u32, ip: usize): i32 {
  if (ino < 1 || ino > sbInodes) return -EIO;
  const i = bget(inodeBlock(ino), true);
  if (i < 0) return i;
  memory.copy(baddr(i) + <usize>inodeOffset(ino), ip, INODE_SIZE);
  bdirty(i);
  bput(i);
  return 0;
}

/** Free inode `ino` whose slot is `ip`: its zones, its table entry (zeroed) and its bitmap bit. */
export function ifree(ino: u32, ip: usize): i32 {
  let r = itruncate(ip, 0);
  if (r < 0) return r;
  memory.fill(ip, 0, INODE_SIZE);
  r = iput(ino, ip);
  if (r < 0) return r;
  return freeInode(ino);
}

// ---- the block map ----------------------------------------------------------

/** A new zone, zeroed on disk (in the cache): its number, or -errno. */
export function newZone(): i64 {
  const z = allocZone();
  if (z < 0) return z;
  if (z == 0) return -ENOSPC;
  const i = bget(<u32>z, false); // zeroed
  if (i < 0) return i;
  bdirty(i);
  bput(i);
  return z;
}

/** A zone number an inode may hold: 0 (a hole) or a data zone. A corrupt one would reach the tables. */
@inline function zoneOk(z: u32): bool {
  return z == 0 || (z >= sbFirstData && z < sbZones);
}

/**
 * The zone holding block `k` of the file whose inode slot is `ip` (0 for a
 * hole), or -errno (-EIO for a zone number outside the data zones: a
 * corrupt file system). With `alloc`, missing zones (data and indirect) are
 * allocated and the slot updated (the caller writes it back).
 */
export function bmap(ip: usize, k: u32, alloc: bool): i64 {
  if (k < <u32>NR_DZONES) {
    let z = i_zone(ip, <i32>k);
    if (!zoneOk(z)) return -EIO;
    if (z == 0 && alloc) {
      const n = newZone();
      if (n < 0) return n;
      z = <u32>n;
      set_zone(ip, <i32>k, z);
    }
    return z;
  }
  let rest = k - <u32>NR_DZONES, slot = NR_DZONES, depth = 1;
  let span: u32 = <u32>PER_BLOCK;
  while (rest >= span) {
    rest -= span;
    slot++;
    depth++;
    if (depth > 3) return -EFBIG;
    span *= <u32>PER_BLOCK;
  }
  let z = i_zone(ip, slot);
  if (!zoneOk(z)) return -EIO;
  if (z == 0) {
    if (!alloc) return 0;
    const n = newZone();
    if (n < 0) return n;
    z = <u32>n;
    set_zone(ip, slot, z);
  }
  for (let d = depth - 1; d >= 0; d--) {
    let div: u32 = 1;
    for (let j = 0; j < d; j++) div *= <u32>PER_BLOCK;
    const at = <usize>(((rest / div) % <u32>PER_BLOCK) << 2);
    const i = bget(z, true);
    if (i < 0) return i;
    let next = load<u32>(baddr(i) + at);
    if (!zoneOk(next)) { bput(i); return -EIO; }
    if (next == 0 && alloc) {
      const n = newZone();
      if (n < 0) { bput(i); return n; }
      next = <u32>n;
      store<u32>(baddr(i) + at, next);
      bdirty(i);
    }
    bput(i);
    if (next == 0) return 0;
    z = next;
  }
  return z;
}

/** Free the tree of `depth` levels (0: a data zone) at zone z. */
function freeTree(z: u32, depth: i32): i32 {
  if (!zoneOk(z) || z == 0) return -EIO;
  if (depth > 0) {
    const i = bget(z, true);
    if (i < 0) return i;
    for (let e = 0; e < PER_BLOCK; e++) {
      const c = load<u32>(baddr(i) + <usize>(e << 2));
      if (c != 0) {
        const r = freeTree(c, depth - 1);
        if (r < 0) { bput(i); return r; }
      }
    }
    bput(i);
  }
  return freeZone(z);
}

/**
 * In the tree of `depth` levels at zone z, which maps `span` data blocks
 * per entry, keep the first `keep` data blocks and free the rest. The zone
 * to store back (0 if the whole tree went), or -errno.
 */
function truncTree(z: u32, depth: i32, keep: i64): i64 {
  if (z == 0) return 0;
  if (!zoneOk(z)) return -EIO;
  if (keep <= 0) {
    const r = freeTree(z, depth);
    return r < 0 ? r : 0;
  }
  let span: i64 = 1;
  for (let j = 1; j < depth; j++) span *= PER_BLOCK;
  const i = bget(z, true);
  if (i < 0) return i;
  const p = baddr(i);
  for (let e = 0; e < PER_BLOCK; e++) {
    const childKeep = keep - <i64>e * span;
    if (childKeep >= span) continue;
    const c = load<u32>(p + <usize>(e << 2));
    if (c == 0) continue;
    const n = truncTree(c, depth - 1, childKeep);
    if (n < 0) { bput(i); return n; }
    store<u32>(p + <usize>(e << 2), <u32>n);
    bdirty(i);
  }
  bput(i);
  return z;
}

/** Whether every zone of the tree of `depth` levels at z is a data zone (1), not (0), or -errno. */
function treeOk(z: u32, depth: i32): i32 {
  if (z == 0) return 1;
  if (!zoneOk(z)) return 0;
  if (depth == 0) return 1;
  const i = bget(z, true);
  if (i < 0) return i;
  let ok = 1;
  for (let e = 0; e < PER_BLOCK && ok == 1; e++) ok = treeOk(load<u32>(baddr(i) + <usize>(e << 2)), depth - 1);
  bput(i);
  return ok;
}

/**
 * Cut (or extend with a hole) the file at `ip` to `size` bytes: zones past
 * it are freed, the rest of its last block is zeroed (so a later extension
 * reads zeros). The caller writes the slot back. A corrupt zone number
 * anywhere in the file is -EIO before anything is freed.
 */
export function itruncate(ip: usize, size: u32): i32 {
  const keep = (<i64>size + BLOCK - 1) / BLOCK;
  for (let k = 0; k < 10; k++) {
    const ok = treeOk(i_zone(ip, k), k < NR_DZONES ? 0 : k - NR_DZONES + 1);
    if (ok < 0) return ok;
    if (ok == 0) return -EIO;
  }
  for (let k = 0; k < NR_DZONES; k++) {
    const z = i_zone(ip, k);
    if (z != 0 && <i64>k >= keep) {
      const r = freeZone(z);
      if (r < 0) return r;
      set_zone(ip, k, 0);
    }
  }
  let first: i64 = NR_DZONES, span: i64 = PER_BLOCK;
  for (let slot = NR_DZONES; slot < 10; slot++) {
    const n = truncTree(i_zone(ip, slot), slot - NR_DZONES + 1, keep - first);
    if (n < 0) return <i32>n;
    set_zone(ip, slot, <u32>n);
    first += span;
    span *= PER_BLOCK;
  }
  if (size < i_size(ip) && (size % <u32>BLOCK) != 0) {
    const z = bmap(ip, size / <u32>BLOCK, false);
    if (z < 0) return <i32>z;
    if (z != 0) {
      const i = bget(<u32>z, true);
      if (i < 0) return i;
      const off = size % <u32>BLOCK;
      memory.fill(baddr(i) + <usize>off, 0, <usize>(<u32>BLOCK - off));
      bdirty(i);
      bput(i);
    }
  }
  set_size(ip, size);
  return 0;
}
