// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// MINIX v3 directories: a file of 64-byte entries (u32 inode, then the name,
// up to 60 bytes, NUL-padded when shorter); inode 0 marks a free slot. A
// directory's size is a multiple of 64 and grows by one entry when a name
// is added and no free slot is left. Names are compared as bytes.
//
// Entry points: DIRENT, NAME_LEN, dirSearch, dirAdd, dirRemove, dirSet,
// dirIsEmpty, dirEntryAt.

import { BLOCK, bget, bput, bdirty, baddr } from "./cache";
import { iget, iput, bmap, i_size, set_size, set_mtime, set_ctime, now, INODE_SIZE } from "./inode";
import { ENOENT, EIO, EFBIG } from "../lib/fs_proto";

export const DIRENT: i32 = 64;
export const NAME_LEN: i32 = 60;
const PER_BLOCK: i32 = BLOCK / DIRENT;
const MAX_DIR_SIZE: u32 = 0x7fffffc0;

/** The directory inode dirAdd/dirRemove/dirSet work on. */
const DI: usize = memory.data(INODE_SIZE);

function nameEq(e: usize, name: usize, len: i32): bool {
  for (let i = 0; i < len; i++) if (load<u8>(e + 4 + <usize>i) != load<u8>(name + <usize>i)) return false;
  return len == NAME_LEN || load<u8>(e + 4 + <usize>len) == 0;
}

/**
 * Find `name` (len bytes) in the directory whose inode slot is `dp`: its
 * entry's position (byte offset in the directory) and, through `inoOut`,
 * the inode. -ENOENT if absent, or -errno.
 */
export function dirSearch(dp: usize, name: usize, len: i32, inoOut: usize): i64 {
  const size = i_size(dp);
  for (let pos: u32 = 0; pos < size; pos += <u32>BLOCK) {
    const z = bmap(dp, pos / <u32>BLOCK, false);
    if (z < 0) return z;
    if (z == 0) continue;
    const i = bget(<u32>z, true);
    if (i < 0) return i;
    const p = baddr(i);
    const n = min(PER_BLOCK, <i32>((size - pos) / <u32>DIRENT));
    for (let k = 0; k < n; k++) {
      const e = p + <usize>(k * DIRENT);
      const ino = load<u32>(e);
      if (ino != 0 && nameEq(e, name, len)) {
        store<u32>(inoOut, ino);
        bput(i);
        return <i64>pos + <i64>(k * DIRENT);
      }
    }
    bput(i);
  }
  return -ENOENT;
}

/** Write an entry (inode, name) at address e. */
function putEntry(e: usize, name: usize, len: i32, ino: u32): void {
  store<u32>(e, ino);
  memory.fill(e + 4, 0, NAME_LEN);
  memory.copy(e + 4, name, len);
}

/**
 * Add `name` -> `ino` to directory `dino` (the name must not be there):
 * into the first free slot, else appended. 0 or -errno (ENOSPC, EFBIG).
 */
export function dirAdd(dino: u32, name: usize, len: i32, ino: u32): i32 {
  let r = iget(dino, DI);
  if (r < 0) return r;
  const size = i_size(DI);
  let pos: u32 = size;
  // The first free slot, if any.
  for (let at: u32 = 0; at < size && pos == size; at += <u32>BLOCK) {
    const z = bmap(DI, at / <u32>BLOCK, false);
    if (z < 0) return <i32>z;
    if (z == 0) continue;
    const i = bget(<u32>z, true);
    if (i < 0) return i;
    const n = min(PER_BLOCK, <i32>((size - at) / <u32>DIRENT));
    for (let k = 0; k < n; k++) {
      if (load<u32>(baddr(i) + <usize>(k * DIRENT)) == 0) { pos = at + <u32>(k * DIRENT); break; }
    }
    bput(i);
  }
  if (pos >= MAX_DIR_SIZE) return -EFBIG;
  const z = bmap(DI, pos / <u32>BLOCK, true);
  if (z < 0) return <i32>z;
  const i = bget(<u32>z, true);
  if (i < 0) return i;
  putEntry(baddr(i) + <usize>(pos % <u32>BLOCK), name, len, ino);
  bdirty(i);
  bput(i);
  if (pos == size) set_size(DI, size + <u32>DIRENT);
  const t = now();
  set_mtime(DI, t);
  set_ctime(DI, t);
  return iput(dino, DI);
}

/** Set the inode number of the entry at byte `pos` of directory `dino` (0 frees it). */
export function dirSet(dino: u32, pos: u32, ino: u32): i32 {
  let r = iget(dino, DI);
  if (r < 0) return r;
  const z = bmap(DI, pos / <u32>BLOCK, false);
  if (z <= 0) return z < 0 ? <i32>z : -EIO;
  const i = bget(<u32>z, true);
  if (i < 0) return i;
  store<u32>(baddr(i) + <usize>(pos % <u32>BLOCK), ino);
  bdirty(i);
  bput(i);
  const t = now();
  set_mtime(DI, t);
  set_ctime(DI, t);
  return iput(dino, DI);
}

/** Free the entry at `pos` of directory `dino`. */
export function dirRemove(dino: u32, pos: u32): i32 {
  return dirSet(dino, pos, 0);
}

/** Whether directory `dp` holds nothing but "." and ".." (1), or not (0); -errno. */
export function dirIsEmpty(dp: usize): i32 {
  const size = i_size(dp);
  for (let pos: u32 = 0; pos < size; pos += <u32>BLOCK) {
    const z = bmap(dp, pos / <u32>BLOCK, false);
    if (z < 0) return <i32>z;
    if (z == 0) continue;
    const i = bget(<u32>z, true);
    if (i < 0) return i;
    const p = baddr(i);
    const n = min(PER_BLOCK, <i32>((size - pos) / <u32>DIRENT));
    for (let k = 0; k < n; k++) {
      const e = p + <usize>(k * DIRENT);
      if (load<u32>(e) == 0) continue;
      const c0 = load<u8>(e, 4), c1 = load<u8>(e, 5), c2 = load<u8>(e, 6);
      const dot = c0 == 0x2e && c1 == 0;
      const dotdot = c0 == 0x2e && c1 == 0x2e && c2 == 0;
      if (!dot && !dotdot) { bput(i); return 0; }
    }
    bput(i);
  }
  return 1;
}

/**
 * Copy the entry at byte `pos` of directory `dp` to `out` (DIRENT bytes):
 * 1 if it is in use, 0 if free or a hole, -errno.
 */
export function dirEntryAt(dp: usize, pos: u32, out: usize): i32 {
  const z = bmap(dp, pos / <u32>BLOCK, false);
  if (z < 0) return <i32>z;
  if (z == 0) return 0;
  const i = bget(<u32>z, true);
  if (i < 0) return i;
  memory.copy(out, baddr(i) + <usize>(pos % <u32>BLOCK), DIRENT);
  bput(i);
  return load<u32>(out) != 0 ? 1 : 0;
}
