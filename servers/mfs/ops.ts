// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mfs's requests that change the name space (fs_proto.ts REQ_*): create
// (files and special files), symlink, mkdir, unlink, rmdir, link, rename. Each checks
// everything it can before it changes anything, and keeps link counts as
// fsck.minix expects them: a file's count is its names; a directory's is 2
// (its entry in the parent and its own ".") plus one per subdirectory's "..".
//
// A symbolic link is stored as MINIX (and util-linux's fsck.minix) expect:
// an inode of mode S_IFLNK | 0777 whose one data zone holds the target's
// bytes (no NUL), its size their length (less than a block).
//
// Entry points: doCreate, doSymlink, doMkdir, doUnlink, doRmdir, doLink, doRename.

import { Message } from "../lib/index";
import { sysSafecopyFrom } from "../lib/server";
import {
  EEXIST, ENOENT, ENAMETOOLONG, ENOTDIR, EISDIR, EINVAL, ENOTEMPTY, EBUSY, EPERM, EMLINK, ENOSPC,
  S_IFMT, S_IFDIR, S_IFREG, S_IFCHR, S_IFBLK, S_IFLNK,
} from "../lib/fs_proto";
import { BLOCK, bget, bput, bdirty, baddr } from "./cache";
import { allocInode, freeInode, freeZone } from "./super";
import {
  INODE_SIZE, iget, iput, isDir, i_nlinks, newZone, now, set_mode, set_nlinks, set_uid, set_gid, set_size,
  set_atime, set_mtime, set_ctime, set_zone,
} from "./inode";
import { DIRENT, dirSearch, dirAdd, dirRemove, dirSet, dirIsEmpty } from "./dir";
import { NAME1, NAME2, fetchName, isDot, isDotDot, putAttrs, addLinks, LINK_MAX } from "./names";

const ROOT_INO: u32 = 1;
const DP: usize = memory.data(INODE_SIZE);
const IP: usize = memory.data(INODE_SIZE);
const TP: usize = memory.data(INODE_SIZE);
const FOUND: usize = memory.data(4);

/** Load directory `ino` into DP: 0, -ENOTDIR, -ENOENT (removed), -errno. */
function loadDir(ino: u32): i32 {
  const r = iget(ino, DP);
  if (r < 0) return r;
  if (!isDir(DP)) return -ENOTDIR;
  if (i_nlinks(DP) == 0) return -ENOENT;
  return 0;
}

/** A fresh inode of `mode` in IP (written): its number, or -errno. */
function newInode(mode: u32, uid: u32, gid: u32, links: u32): i64 {
  const n = allocInode();
  if (n < 0) return n;
  if (n == 0) return -ENOSPC;
  memory.fill(IP, 0, INODE_SIZE);
  const t = now();
  set_mode(IP, mode);
  set_nlinks(IP, links);
  set_uid(IP, uid);
  set_gid(IP, gid);
  set_atime(IP, t);
  set_mtime(IP, t);
  set_ctime(IP, t);
  return n;
}

/** Is NAME1 (`len` bytes) free in the directory in DP? 0, -EEXIST, or -errno. */
function nameFree(len: i32): i32 {
  const s = dirSearch(DP, NAME1, len, FOUND);
  if (s >= 0) return -EEXIST;
  return s != -ENOENT ? <i32>s : 0;
}

/**
 * Write the new inode `ino` (in IP) and enter it in `dir` as NAME1; if that
 * fails, free the inode and its zone `z` (0: none). 0 or -errno.
 */
function enter(dir: u32, len: i32, ino: u32, z: i64): i32 {
  let r = iput(ino, IP);
  if (r < 0) return r;
  r = dirAdd(dir, NAME1, len, ino);
  if (r < 0) {
    if (z > 0) freeZone(<u32>z);
    freeInode(ino);
  }
  return r;
}

/** p0 dir, p1 grant, p2 length, p3 mode, p4 uid, p5 gid, p6 device -> attrs. */
export function doCreate(m: Message): i32 {
  const dir = <u32>m.p0, len = m.p2;
  let mode = <u32>m.p3;
  let r = fetchName(m, m.p1, 0, len, NAME1);
  if (r < 0) return r;
  const type = mode & <u32>S_IFMT;
  if (type == <u32>S_IFDIR) return -EINVAL;
  if (type == 0) mode |= <u32>S_IFREG;
  r = loadDir(dir);
  if (r < 0) return r;
  r = nameFree(len);
  if (r < 0) return r;
  const n = newInode(mode, <u32>m.p4, <u32>m.p5, 1);
  if (n < 0) return <i32>n;
  const ino = <u32>n;
  if (type == <u32>S_IFCHR || type == <u32>S_IFBLK) set_zone(IP, 0, <u32>m.p6);
  r = enter(dir, len, ino, 0);
  if (r < 0) return r;
  putAttrs(m, ino, IP);
  return 0;
}

/** p0 dir, p1 grant, p2 name length, p3 grant of the target, p4 target length, p5 uid, p6 gid -> attrs. */
export function doSymlink(m: Message): i32 {
  const dir = <u32>m.p0, len = m.p2, tlen = m.p4;
  let r = fetchName(m, m.p1, 0, len, NAME1);
  if (r < 0) return r;
  if (tlen <= 0) return -ENOENT;
  if (tlen >= BLOCK) return -ENAMETOOLONG;
  r = loadDir(dir);
  if (r < 0) return r;
  r = nameFree(len);
  if (r < 0) return r;
  const n = newInode(<u32>S_IFLNK | 0o777, <u32>m.p5, <u32>m.p6, 1);
  if (n < 0) return <i32>n;
  const ino = <u32>n;
  const z = newZone();
  if (z < 0) { freeInode(ino); return <i32>z; }
  const i = bget(<u32>z, false);
  if (i < 0) { freeZone(<u32>z); freeInode(ino); return i; }
  const p = baddr(i);
  r = sysSafecopyFrom(m.m_source, m.p3, 0, p, tlen);
  if (r == 0) for (let k = 0; k < tlen; k++) if (load<u8>(p + <usize>k) == 0) r = -EINVAL;
  if (r < 0) {
    memory.fill(p, 0, <usize>tlen);
    bput(i);
    freeZone(<u32>z);
    freeInode(ino);
    return r;
  }
  bdirty(i);
  bput(i);
  set_zone(IP, 0, <u32>z);
  set_size(IP, <u32>tlen);
  r = enter(dir, len, ino, z);
  if (r < 0) return r;
  putAttrs(m, ino, IP);
  return 0;
}

/** p0 dir, p1 grant, p2 length, p3 mode (permissions), p4 uid, p5 gid -> attrs. */
export function doMkdir(m: Message): i32 {
  const dir = <u32>m.p0, len = m.p2;
  let r = fetchName(m, m.p1, 0, len, NAME1);
  if (r < 0) return r;
  r = loadDir(dir);
  if (r < 0) return r;
  if (i_nlinks(DP) >= LINK_MAX) return -EMLINK;
  r = nameFree(len);
  if (r < 0) return r;
  const n = newInode(<u32>S_IFDIR | (<u32>m.p3 & 0o7777), <u32>m.p4, <u32>m.p5, 2);
  if (n < 0) return <i32>n;
  const ino = <u32>n;
  const z = newZone();
  if (z < 0) { freeInode(ino); return <i32>z; }
  // "." and ".." in the first block.
  const i = bget(<u32>z, true);
  if (i < 0) { freeZone(<u32>z); freeInode(ino); return i; }
  const p = baddr(i);
  store<u32>(p, ino);
  store<u8>(p, 0x2e, 4);
  store<u32>(p + <usize>DIRENT, dir);
  store<u16>(p + <usize>DIRENT, 0x2e2e, 4);
  bdirty(i);
  bput(i);
  set_zone(IP, 0, <u32>z);
  set_size(IP, <u32>(2 * DIRENT));
  r = enter(dir, len, ino, z);
  if (r < 0) return r;
  r = addLinks(dir, 1);
  if (r < 0) return r;
  putAttrs(m, ino, IP);
  return 0;
}

/** p0 dir, p1 grant, p2 length. */
export function doUnlink(m: Message): i32 {
  const dir = <u32>m.p0, len = m.p2;
  let r = fetchName(m, m.p1, 0, len, NAME1);
  if (r < 0) return r;
  if (isDot(NAME1, len) || isDotDot(NAME1, len)) return -EISDIR;
  r = loadDir(dir);
  if (r < 0) return r;
  const pos = dirSearch(DP, NAME1, len, FOUND);
  if (pos < 0) return <i32>pos;
  const ino = load<u32>(FOUND);
  r = iget(ino, IP);
  if (r < 0) return r;
  if (isDir(IP)) return -EISDIR;
  r = dirRemove(dir, <u32>pos);
  if (r < 0) return r;
  return addLinks(ino, -1);
}

/** p0 dir, p1 grant, p2 length. */
export function doRmdir(m: Message): i32 {
  const dir = <u32>m.p0, len = m.p2;
  let r = fetchName(m, m.p1, 0, len, NAME1);
  if (r < 0) return r;
  if (isDot(NAME1, len)) return -EINVAL;
  if (isDotDot(NAME1, len)) return -ENOTEMPTY;
  r = loadDir(dir);
  if (r < 0) return r;
  const pos = dirSearch(DP, NAME1, len, FOUND);
  if (pos < 0) return <i32>pos;
  const ino = load<u32>(FOUND);
  if (ino == ROOT_INO) return -EBUSY;
  r = iget(ino, IP);
  if (r < 0) return r;
  if (!isDir(IP)) return -ENOTDIR;
  r = dirIsEmpty(IP);
  if (r < 0) return r;
  if (r == 0) return -ENOTEMPTY;
  r = dirRemove(dir, <u32>pos);
  if (r < 0) return r;
  r = addLinks(dir, -1); // its ".."
  if (r < 0) return r;
  return addLinks(ino, -<i32>i_nlinks(IP)); // its entry and its "."
}

/** p0 dir, p1 grant, p2 length, p3 the inode to link. */
export function doLink(m: Message): i32 {
  const dir = <u32>m.p0, len = m.p2, ino = <u32>m.p3;
  let r = fetchName(m, m.p1, 0, len, NAME1);
  if (r < 0) return r;
  r = iget(ino, IP);
  if (r < 0) return r;
  if (isDir(IP)) return -EPERM;
  if (i_nlinks(IP) == 0) return -ENOENT;
  if (i_nlinks(IP) >= LINK_MAX) return -EMLINK;
  r = loadDir(dir);
  if (r < 0) return r;
  r = nameFree(len);
  if (r < 0) return r;
  r = dirAdd(dir, NAME1, len, ino);
  if (r < 0) return r;
  return addLinks(ino, 1);
}

/** Whether directory `anc` is `dir` or one of its ancestors (following ".." up to the root). 1, 0 or -errno. */
function isAncestor(anc: u32, dir: u32): i32 {
  let cur = dir;
  for (let hops = 0; hops < 4096; hops++) {
    if (cur == anc) return 1;
    if (cur == ROOT_INO) return 0;
    const r = iget(cur, TP);
    if (r < 0) return r;
    const s = dirSearch(TP, DOTDOT, 2, FOUND);
    if (s < 0) return <i32>s;
    cur = load<u32>(FOUND);
  }
  return -EINVAL; // a loop in the tree: a corrupt file system
}

const DOTDOT: usize = memory.data<u8>([0x2e, 0x2e]);

/** p0 old dir, p1 grant, p2 old length, p3 new dir, p4 new length (after the old name in the grant). */
export function doRename(m: Message): i32 {
  const odir = <u32>m.p0, olen = m.p2, ndir = <u32>m.p3, nlen = m.p4;
  let r = fetchName(m, m.p1, 0, olen, NAME1);
  if (r < 0) return r;
  r = fetchName(m, m.p1, olen, nlen, NAME2);
  if (r < 0) return r;
  if (isDot(NAME1, olen) || isDotDot(NAME1, olen) || isDot(NAME2, nlen) || isDotDot(NAME2, nlen)) return -EINVAL;
  // The source.
  r = loadDir(odir);
  if (r < 0) return r;
  const opos = dirSearch(DP, NAME1, olen, FOUND);
  if (opos < 0) return <i32>opos;
  const ino = load<u32>(FOUND);
  r = iget(ino, IP);
  if (r < 0) return r;
  const dirMoved = isDir(IP);
  // The destination, and what is there now.
  r = loadDir(ndir);
  if (r < 0) return r;
  const npos = dirSearch(DP, NAME2, nlen, FOUND);
  if (npos < 0 && npos != -ENOENT) return <i32>npos;
  const target = npos >= 0 ? load<u32>(FOUND) : 0;
  if (target == ino) return 0;
  if (dirMoved && odir != ndir) {
    // Not into itself or below it.
    const a = isAncestor(ino, ndir);
    if (a < 0) return a;
    if (a == 1) return -EINVAL;
    if (i_nlinks(DP) >= LINK_MAX && target == 0) return -EMLINK;
  }
  if (target != 0) {
    r = iget(target, TP);
    if (r < 0) return r;
    if (dirMoved) {
      if (!isDir(TP)) return -ENOTDIR;
      const e = dirIsEmpty(TP);
      if (e < 0) return e;
      if (e == 0) return -ENOTEMPTY;
    } else if (isDir(TP)) return -EISDIR;
  }
  // Checked: now change. The new name first, so the file always has one.
  if (target != 0) r = dirSet(ndir, <u32>npos, ino);
  else r = dirAdd(ndir, NAME2, nlen, ino);
  if (r < 0) return r;
  r = dirRemove(odir, <u32>opos);
  if (r < 0) return r;
  if (target != 0) {
    if (dirMoved) {
      r = addLinks(ndir, -1); // the replaced directory's ".."
      if (r < 0) return r;
      r = addLinks(target, -<i32>i_nlinks(TP));
    } else {
      r = addLinks(target, -1);
    }
    if (r < 0) return r;
  }
  if (dirMoved && odir != ndir) {
    const s = dirSearch(IP, DOTDOT, 2, FOUND);
    if (s < 0) return <i32>s;
    r = dirSet(ino, <u32>s, ndir);
    if (r < 0) return r;
    r = addLinks(odir, -1);
    if (r < 0) return r;
    r = addLinks(ndir, 1);
    if (r < 0) return r;
  }
  return addLinks(ino, 0); // ctime
}
