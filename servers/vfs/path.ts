// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Path names: copying a path in from a caller's grant, resolving it one
// name at a time through the file servers (REQ_LOOKUP), crossing mount
// points both ways ("/mnt" is the mounted root, ".." of a mounted root is
// the mount point's parent), and the vnodes that hold what VFS keeps open.
// Symbolic links are followed (their targets read with REQ_READ): in every
// name of a path but the last, and in the last when the call asks (open,
// stat, chdir do; lstat, readlink, unlink, rename, rmdir, link do not).
// A relative target starts from the link's directory, an absolute one from
// the root; more than SYMLOOP_MAX links in one resolution is ELOOP.
//
// A resolution leaves its result in lk*: the mount and inode, their mode,
// size and device number; with `parent`, the directory holding the last
// name and that name (lkName, lkNameLen; 0 for "/").
//
// Entry points: PATH1, PATH2, fetchPath, resolve, lk*, vnodeFromLk,
// vnodeRef, vnodeUnref.

import { sysSafecopyFrom } from "../lib/server";
import {
  PATH_MAX, NAME_MAX, EINVAL, ENOENT, ENAMETOOLONG, ENOTDIR, ENFILE, EIO, ELOOP, S_IFMT, S_IFDIR, S_IFLNK,
} from "../lib/fs_proto";
import {
  NO, NR_MOUNTS, mntFs, mntRoot, mntCovered, vnKind, vnRefs, vnMount, vnIno, vnMode, vnSize, vnRdev,
  VN_FS, vnodeFind, vnodeAlloc, procCwd,
} from "./tables";
import { fsLookup, fsRead, fsGetnode, fsPutnode, resIno, resMode, resSize, resRdev, IOBUF } from "./fsreq";

export const PATH1: usize = memory.data(PATH_MAX + 4);
export const PATH2: usize = memory.data(PATH_MAX + 4);

export let lkMnt: i32 = 0;
export let lkIno: i32 = 0;
export let lkMode: i32 = 0;
export let lkSize: i32 = 0;
export let lkRdev: i32 = 0;
export let lkName: usize = 0;
export let lkNameLen: i32 = 0;

/** Take the attributes of the last file server reply as the result (same mount). */
export function lkFromRes(): void {
  lkIno = resIno;
  lkMode = resMode;
  lkSize = resSize;
  lkRdev = resRdev;
}

export function lkSetSize(n: i32): void {
  lkSize = n;
}

/** Copy a path of `len` bytes from `src`'s grant at `off` into `dst`. 0 or -errno. */
export function fetchPath(src: i32, grant: i32, off: i32, len: i32, dst: usize): i32 {
  if (len <= 0) return -ENOENT;
  if (len > PATH_MAX) return -ENAMETOOLONG;
  const r = sysSafecopyFrom(src, grant, off, dst, len);
  if (r < 0) return r;
  for (let i = 0; i < len; i++) if (load<u8>(dst + <usize>i) == 0) return -EINVAL;
  store<u8>(dst + <usize>len, 0);
  return 0;
}

function setFromVnode(v: i32): void {
  lkMnt = vnMount[v];
  lkIno = vnIno[v];
  lkMode = vnMode[v];
  lkSize = vnSize[v];
  lkRdev = vnRdev[v];
}

@inline function isDirMode(mode: i32): bool {
  return (mode & S_IFMT) == S_IFDIR;
}

/** The mount mounted on (lkMnt, lkIno), or NO. */
function mountedHere(): i32 {
  for (let i = 0; i < NR_MOUNTS; i++) {
    const c = mntCovered[i];
    if (mntFs[i] != 0 && c != NO && vnMount[c] == lkMnt && vnIno[c] == lkIno) return i;
  }
  return NO;
}

/** Whether (lkMnt, lkIno) is the root of its mount. */
function atMountRoot(): bool {
  return mntFs[lkMnt] != 0 && vnIno[mntRoot[lkMnt]] == lkIno;
}

/** Symbolic links one resolution may follow before it fails with ELOOP (Linux's bound). */
const SYMLOOP_MAX: i32 = 40;
/** The path as rewritten by the links followed (PATH1's, PATH2's, any other's), and a scratch buffer. */
const WORK1: usize = memory.data(PATH_MAX + 4);
const WORK2: usize = memory.data(PATH_MAX + 4);
const SCRATCH: usize = memory.data(PATH_MAX + 4);

/**
 * Resolve `len` bytes of path at `p` for the process in slot `slot`. With
 * `parent`, stop before the last name. Symbolic links are followed in every
 * name but the last, and in the last too with `follow` (or when slashes
 * end the path). The path at `p` is left as it was: a followed link's
 * target and the rest of the path go to p's own work buffer (lkName may
 * point there). 0 or -errno; the result in lk*.
 */
export function resolve(slot: i32, p: usize, len: i32, parent: bool, follow: bool = true): i32 {
  if (mntFs[0] == 0) return -ENOENT; // nothing mounted
  if (load<u8>(p) == 0x2f) setFromVnode(mntRoot[0]);
  else setFromVnode(procCwd[slot] != NO ? procCwd[slot] : mntRoot[0]);
  lkName = 0;
  lkNameLen = 0;
  const work = p == PATH2 ? WORK2 : WORK1;
  let links = 0;
  let i = 0;
  while (i < len) {
    while (i < len && load<u8>(p + <usize>i) == 0x2f) i++;
    if (i >= len) break;
    const start = i;
    while (i < len && load<u8>(p + <usize>i) != 0x2f) i++;
    const n = i - start;
    const name = p + <usize>start;
    // Is this the last name?
    let j = i;
    while (j < len && load<u8>(p + <usize>j) == 0x2f) j++;
    if (parent && j >= len) {
      if (!isDirMode(lkMode)) return -ENOTDIR;
      lkName = name;
      lkNameLen = n;
      return n > NAME_MAX ? -ENAMETOOLONG : 0;
    }
    if (n > NAME_MAX) return -ENAMETOOLONG;
    // The directory, where a relative link's target starts.
    const dMnt = lkMnt, dIno = lkIno, dMode = lkMode, dSize = lkSize, dRdev = lkRdev;
    const r = step(name, n);
    if (r < 0) return r;
    if ((lkMode & S_IFMT) != S_IFLNK || (j >= len && i >= len && !follow)) continue;
    // A link to follow: its target takes its place in the path.
    if (++links > SYMLOOP_MAX) return -ELOOP;
    const t = lkSize, rest = len - i;
    if (t <= 0) return -ENOENT;
    if (t + rest > PATH_MAX) return -ENAMETOOLONG;
    const got = fsRead(lkMnt, lkIno, 0, t);
    if (got < 0) return got;
    if (got != t) return -EIO;
    memory.copy(SCRATCH, IOBUF, <usize>t);
    memory.copy(SCRATCH + <usize>t, p + <usize>i, <usize>rest);
    len = t + rest;
    memory.copy(work, SCRATCH, <usize>len);
    store<u8>(work + <usize>len, 0);
    p = work;
    i = 0;
    if (load<u8>(p) == 0x2f) {
      setFromVnode(mntRoot[0]);
    } else {
      lkMnt = dMnt; lkIno = dIno; lkMode = dMode; lkSize = dSize; lkRdev = dRdev;
    }
  }
  return 0;
}

/** One name from the directory in lk*. */
function step(name: usize, n: i32): i32 {
  if (!isDirMode(lkMode)) return -ENOTDIR;
  if (n == 1 && load<u8>(name) == 0x2e) return 0;
  if (n == 2 && load<u8>(name) == 0x2e && load<u8>(name, 1) == 0x2e) {
    if (lkMnt == 0 && atMountRoot()) return 0; // ".." of "/" is "/"
    if (atMountRoot()) setFromVnode(mntCovered[lkMnt]); // leave the mounted file system
  }
  const r = fsLookup(lkMnt, lkIno, name, n);
  if (r < 0) return r;
  lkIno = resIno;
  lkMode = resMode;
  lkSize = resSize;
  lkRdev = resRdev;
  if (isDirMode(lkMode)) {
    const k = mountedHere();
    if (k != NO) setFromVnode(mntRoot[k]);
  }
  return 0;
}

// ---- vnodes --------------------------------------------------------------------

/** Take a reference to vnode `v` (its file server hears of the first). 0 or -errno. */
export function vnodeRef(v: i32): i32 {
  if (vnRefs[v] == 0 && vnKind[v] == VN_FS) {
    const r = fsGetnode(vnMount[v], vnIno[v]);
    if (r < 0) return r;
  }
  vnRefs[v]++;
  return 0;
}

/** Drop a reference; the last frees the vnode (and tells its file server). */
export function vnodeUnref(v: i32): void {
  if (--vnRefs[v] > 0) return;
  if (vnKind[v] == VN_FS) fsPutnode(vnMount[v], vnIno[v]);
  vnKind[v] = 0;
}

/** A referenced vnode for the file in lk*, or -errno. */
export function vnodeFromLk(): i32 {
  let v = vnodeFind(lkMnt, lkIno);
  if (v == NO) {
    v = vnodeAlloc(VN_FS);
    if (v == NO) return -ENFILE;
    vnMount[v] = lkMnt;
    vnIno[v] = lkIno;
  }
  vnMode[v] = lkMode;
  vnSize[v] = lkSize;
  vnRdev[v] = lkRdev;
  const r = vnodeRef(v);
  if (r < 0) {
    if (vnRefs[v] == 0) vnKind[v] = 0;
    return r;
  }
  return v;
}
