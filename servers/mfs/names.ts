// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// What mfs's request handlers share: names copied in from VFS's grant and
// checked, an inode's attributes put into a reply, link-count changes, and
// the references VFS holds (an inode that lost its last name lives on while
// VFS still has it open, and is freed with the last reference).
//
// Entry points: NAME1, NAME2, fetchName, isDot, isDotDot, putAttrs,
// addLinks, refGet, refPut, refCount, LINK_MAX, releaseIfUnused.

import { Message } from "../lib/index";
import { sysSafecopyFrom } from "../lib/server";
import { EINVAL, ENAMETOOLONG, ENFILE, S_IFMT, S_IFCHR, S_IFBLK } from "../lib/fs_proto";
import {
  INODE_SIZE, iget, iput, ifree, i_mode, i_nlinks, i_uid, i_gid, i_size, i_atime, i_mtime, i_ctime, i_zone,
  set_nlinks, set_ctime, now,
} from "./inode";
import { NAME_LEN } from "./dir";

/** Links an inode may have: fsck.minix counts them in a byte. */
export const LINK_MAX: u32 = 255;

export const NAME1: usize = memory.data(NAME_LEN + 4);
export const NAME2: usize = memory.data(NAME_LEN + 4);

/**
 * Copy the name of `len` bytes at `offset` of the requester's grant `grant`
 * into `dst`. 0, -EINVAL (empty, or holding '/' or NUL), -ENAMETOOLONG, or
 * the copy's error.
 */
export function fetchName(m: Message, grant: i32, offset: i32, len: i32, dst: usize): i32 {
  if (len <= 0) return -EINVAL;
  if (len > NAME_LEN) return -ENAMETOOLONG;
  const r = sysSafecopyFrom(m.m_source, grant, offset, dst, len);
  if (r < 0) return r;
  for (let i = 0; i < len; i++) {
    const c = load<u8>(dst + <usize>i);
    if (c == 0 || c == 0x2f) return -EINVAL;
  }
  return 0;
}

export function isDot(name: usize, len: i32): bool {
  return len == 1 && load<u8>(name) == 0x2e;
}

export function isDotDot(name: usize, len: i32): bool {
  return len == 2 && load<u8>(name) == 0x2e && load<u8>(name, 1) == 0x2e;
}

/** The attributes of inode `ino` (slot `ip`) into p1..p10 of a reply. */
export function putAttrs(m: Message, ino: u32, ip: usize): void {
  const mode = i_mode(ip);
  const type = mode & <u32>S_IFMT;
  m.p1 = <i32>ino;
  m.p2 = <i32>mode;
  m.p3 = <i32>i_size(ip);
  m.p4 = <i32>i_nlinks(ip);
  m.p5 = <i32>i_uid(ip);
  m.p6 = <i32>i_gid(ip);
  m.p7 = <i32>i_atime(ip);
  m.p8 = <i32>i_mtime(ip);
  m.p9 = <i32>i_ctime(ip);
  m.p10 = type == <u32>S_IFCHR || type == <u32>S_IFBLK ? <i32>i_zone(ip, 0) : 0;
}

// ---- references held by VFS --------------------------------------------------

const NREFS: i32 = 128;
// Inode and count per entry, in plain memory; `refUsed` entries from 0 hold one.
const REF_INO: usize = memory.data(NREFS * 4);
const REF_CNT: usize = memory.data(NREFS * 4);
let refUsed: i32 = 0;

@inline function refIno(i: i32): u32 { return load<u32>(REF_INO + (<usize>i << 2)); }
@inline function refCnt(i: i32): i32 { return load<i32>(REF_CNT + (<usize>i << 2)); }
@inline function setRef(i: i32, ino: u32, n: i32): void {
  store<u32>(REF_INO + (<usize>i << 2), ino);
  store<i32>(REF_CNT + (<usize>i << 2), n);
}

function refFind(ino: u32): i32 {
  for (let i = 0; i < refUsed; i++) if (refIno(i) == ino) return i;
  return -1;
}

export function refCount(ino: u32): i32 {
  const i = refFind(ino);
  return i < 0 ? 0 : refCnt(i);
}

export function refGet(ino: u32): i32 {
  const i = refFind(ino);
  if (i >= 0) { setRef(i, ino, refCnt(i) + 1); return 0; }
  if (refUsed == NREFS) return -ENFILE;
  setRef(refUsed++, ino, 1);
  return 0;
}

/** Drop a reference; 1 if it was the last, 0 if not, -EINVAL if there was none. */
export function refPut(ino: u32): i32 {
  const i = refFind(ino);
  if (i < 0) return -EINVAL;
  const n = refCnt(i) - 1;
  if (n > 0) { setRef(i, ino, n); return 0; }
  // The last one: the table's last entry takes its place.
  refUsed--;
  setRef(i, refIno(refUsed), refCnt(refUsed));
  return 1;
}

export function refsClear(): void {
  refUsed = 0;
}

// ---- link counts ------------------------------------------------------------

const LI: usize = memory.data(INODE_SIZE);

/**
 * Add `delta` to inode `ino`'s link count (and touch its ctime). An inode
 * left with no links and no reference from VFS is freed. 0 or -errno.
 */
export function addLinks(ino: u32, delta: i32): i32 {
  const r = iget(ino, LI);
  if (r < 0) return r;
  const n = <i32>i_nlinks(LI) + delta;
  set_nlinks(LI, <u32>max(n, 0));
  set_ctime(LI, now());
  if (n <= 0 && refCount(ino) == 0) return ifree(ino, LI);
  return iput(ino, LI);
}

/** Free inode `ino` if it has no links and VFS holds no reference to it. */
export function releaseIfUnused(ino: u32): i32 {
  if (refCount(ino) != 0) return 0;
  const r = iget(ino, LI);
  if (r < 0) return r;
  if (i_nlinks(LI) != 0 || i_mode(LI) == 0) return 0;
  return ifree(ino, LI);
}
