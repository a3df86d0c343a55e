// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// VFS's calls that take path names (fs_proto.ts VFS_*): open, mknod, mkdir,
// unlink, rmdir, rename, link, chdir, getcwd, stat, lstat, chmod, symlink,
// readlink. Each resolves
// its path(s) (path.ts) and sends the file server the one request that does
// the work. Permissions are not checked: every process is root.
//
// The working directory is a vnode only; getcwd finds its name as MINIX
// and Linux do, from the inodes: up through "..", looking for the child's
// entry in each parent (out of a mounted file system through the vnode it
// covers), so a rename of the directory or of any ancestor shows at once.
//
// Entry points: doOpen, doMknod, doMkdir, doUnlink, doRmdir, doRename,
// doLink, doChdir, doGetcwd, doStat, doLstat, doChmod, doSymlink, doReadlink.

import { Message } from "../lib/index";
import { sysSafecopyTo } from "../lib/server";
import {
  OPEN_MAX, PATH_MAX, O_ACCMODE, O_RDONLY, O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_CLOEXEC,
  S_IFMT, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFLNK, EEXIST, ENOENT, EISDIR, ENOTDIR, EXDEV, EBUSY, EPERM,
  EINVAL, ENFILE, ERANGE, ENAMETOOLONG, DIRENT_HEADER,
} from "../lib/fs_proto";
import {
  NO, NR_MOUNTS, procFd, procCloexec, procCwd, filpAlloc, vnMount, vnIno, mntFs, mntCovered, mntRoot,
} from "./tables";
import {
  PATH1, PATH2, fetchPath, resolve, lkMnt, lkIno, lkMode, lkSize, lkRdev, lkName, lkNameLen,
  vnodeFromLk, vnodeUnref, lkFromRes, lkSetSize,
} from "./path";
import {
  fsLookup, fsCreate, fsMkdir, fsUnlink, fsRmdir, fsRename, fsLink, fsTrunc, fsStat, fsChmod, fsGetdents, resAttrs, resIno,
  resMode, resNext, IOBUF, IO_MAX, fsRead, fsSymlink,
} from "./fsreq";
import { callerSlot, fdFree } from "./files";
import { cdevOpen } from "./cdev";

/** The path of the request (p0 grant, p1 length) into PATH1 and resolved (or its parent). */
function pathArg(m: Message, slot: i32, parent: bool, follow: bool = true): i32 {
  const r = fetchPath(m.m_source, m.p0, 0, m.p1, PATH1);
  if (r < 0) return r;
  return resolve(slot, PATH1, m.p1, parent, follow);
}

/** p0 grant, p1 length, p2 flags, p3 mode -> the new descriptor. */
export function doOpen(m: Message): i32 {
  const slot = callerSlot(m);
  const flags = m.p2, acc = flags & O_ACCMODE;
  let created = false;
  let r: i32;
  if ((flags & O_CREAT) != 0) {
    r = pathArg(m, slot, true);
    if (r < 0) return r;
    if (lkNameLen == 0) {
      r = resolve(slot, PATH1, m.p1, false);
      if (r < 0) return r;
    } else {
      const dmnt = lkMnt, dino = lkIno;
      r = fsLookup(dmnt, dino, lkName, lkNameLen);
      if (r == 0) {
        if ((flags & O_EXCL) != 0) return -EEXIST;
        if ((resMode & S_IFMT) == S_IFLNK) {
          // An existing link: open what it names (a dangling one is ENOENT).
          r = resolve(slot, PATH1, m.p1, false);
          if (r < 0) return r;
        } else {
          lkFromRes();
        }
      } else if (r == -ENOENT) {
        r = fsCreate(dmnt, dino, lkName, lkNameLen, S_IFREG | (m.p3 & 0o7777), 0);
        if (r < 0) return r;
        created = true;
        lkFromRes();
      } else {
        return r;
      }
    }
  } else {
    r = pathArg(m, slot, false);
    if (r < 0) return r;
  }
  const type = lkMode & S_IFMT;
  if (type == S_IFDIR && acc != O_RDONLY) return -EISDIR;
  if ((flags & O_DIRECTORY) != 0 && type != S_IFDIR) return -ENOTDIR;
  if ((flags & O_TRUNC) != 0 && type == S_IFREG && acc != O_RDONLY && !created && lkSize != 0) {
    r = fsTrunc(lkMnt, lkIno, 0);
    if (r < 0) return r;
    lkSetSize(0);
  }
  const fd = fdFree(slot, 0);
  if (fd < 0) return fd;
  const v = vnodeFromLk();
  if (v < 0) return v;
  if (type == S_IFCHR) {
    r = cdevOpen(lkRdev, m.m_source, flags);
    if (r < 0) { vnodeUnref(v); return r; }
  }
  const f = filpAlloc(v, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC));
  if (f == NO) { vnodeUnref(v); return -ENFILE; }
  procFd[slot * OPEN_MAX + fd] = f;
  procCloexec[slot * OPEN_MAX + fd] = (flags & O_CLOEXEC) != 0;
  return fd;
}

/** p0 grant, p1 length, p2 mode (S_IFCHR or S_IFBLK with permissions; or a plain file), p3 device. */
export function doMknod(m: Message): i32 {
  const slot = callerSlot(m);
  const r = pathArg(m, slot, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EEXIST;
  const type = m.p2 & S_IFMT;
  if (type != S_IFCHR && type != S_IFBLK && type != S_IFREG && type != 0) return -EINVAL;
  const s = fsCreate(lkMnt, lkIno, lkName, lkNameLen, m.p2, m.p3);
  return s < 0 ? s : 0;
}

/** p0 grant, p1 length, p2 mode. */
export function doMkdir(m: Message): i32 {
  const slot = callerSlot(m);
  const r = pathArg(m, slot, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EEXIST;
  const s = fsMkdir(lkMnt, lkIno, lkName, lkNameLen, m.p2 & 0o7777);
  return s < 0 ? s : 0;
}

export function doUnlink(m: Message): i32 {
  const slot = callerSlot(m);
  const r = pathArg(m, slot, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EISDIR;
  return fsUnlink(lkMnt, lkIno, lkName, lkNameLen);
}

export function doRmdir(m: Message): i32 {
  const slot = callerSlot(m);
  let r = pathArg(m, slot, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EBUSY;
  const dmnt = lkMnt, dino = lkIno, name = lkName, len = lkNameLen;
  // A mount point cannot go.
  r = fsLookup(dmnt, dino, name, len);
  if (r == 0 && busy(dmnt, resIno)) return -EBUSY;
  return fsRmdir(dmnt, dino, name, len);
}

/** Whether inode `ino` of mount `mnt` has a file system mounted on it. */
function busy(mnt: i32, ino: i32): bool {
  for (let k = 1; k < NR_MOUNTS; k++) {
    const c = mntCovered[k];
    if (mntFs[k] != 0 && c != NO && vnMount[c] == mnt && vnIno[c] == ino) return true;
  }
  return false;
}

/** Two paths (p0 grant: the first, then the second; p1, p2 their lengths) into PATH1 and PATH2. */
function twoPaths(m: Message): i32 {
  const r = fetchPath(m.m_source, m.p0, 0, m.p1, PATH1);
  if (r < 0) return r;
  return fetchPath(m.m_source, m.p0, m.p1, m.p2, PATH2);
}

export function doRename(m: Message): i32 {
  const slot = callerSlot(m);
  let r = twoPaths(m);
  if (r < 0) return r;
  r = resolve(slot, PATH1, m.p1, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EBUSY;
  const omnt = lkMnt, odir = lkIno, oname = lkName, olen = lkNameLen;
  r = fsLookup(omnt, odir, oname, olen);
  if (r < 0) return r;
  if (busy(omnt, resIno)) return -EBUSY;
  r = resolve(slot, PATH2, m.p2, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EBUSY;
  if (lkMnt != omnt) return -EXDEV;
  return fsRename(omnt, odir, oname, olen, lkIno, lkName, lkNameLen);
}

export function doLink(m: Message): i32 {
  const slot = callerSlot(m);
  let r = twoPaths(m);
  if (r < 0) return r;
  r = resolve(slot, PATH1, m.p1, false, false);
  if (r < 0) return r;
  if ((lkMode & S_IFMT) == S_IFDIR) return -EPERM;
  const mnt = lkMnt, ino = lkIno;
  r = resolve(slot, PATH2, m.p2, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EEXIST;
  if (lkMnt != mnt) return -EXDEV;
  return fsLink(mnt, lkIno, lkName, lkNameLen, ino);
}

export function doChdir(m: Message): i32 {
  const slot = callerSlot(m);
  const r = pathArg(m, slot, false);
  if (r < 0) return r;
  if ((lkMode & S_IFMT) != S_IFDIR) return -ENOTDIR;
  const v = vnodeFromLk();
  if (v < 0) return v;
  if (procCwd[slot] != NO) vnodeUnref(procCwd[slot]);
  procCwd[slot] = v;
  return 0;
}

const DOTDOT: usize = memory.data<u8>([0x2e, 0x2e]);
/** After entryNaming: the name found (in IOBUF). */
let foundName: usize = 0;

/** Whether the `len` bytes at `name` are "." or "..". */
function isDots(name: usize, len: i32): bool {
  return (len == 1 || len == 2) && load<u8>(name) == 0x2e && (len == 1 || load<u8>(name, 1) == 0x2e);
}

/** The name of inode `ino` in directory `dir` of mount `mnt`: its length (foundName its bytes), or -errno (-ENOENT: none names it). */
function entryNaming(mnt: i32, dir: i32, ino: i32): i32 {
  let pos = 0;
  for (;;) {
    const n = fsGetdents(mnt, dir, pos, IO_MAX);
    if (n < 0) return n;
    if (n == 0) return -ENOENT;
    for (let off = 0; off < n; ) {
      const rec = IOBUF + <usize>off;
      const len = <i32>load<u8>(rec, 4);
      const name = rec + <usize>DIRENT_HEADER;
      if (load<i32>(rec) == ino && !isDots(name, len)) {
        foundName = name;
        return len;
      }
      off += (DIRENT_HEADER + len + 3) & ~3;
    }
    pos = resNext;
  }
  return -ENOENT;
}

/**
 * The path of directory `ino` of mount `mnt`, built backwards so that it
 * ends at `end`: its length, or -errno (-ENOENT: a directory on the way
 * was removed; -ENAMETOOLONG: longer than PATH_MAX).
 */
function pathOf(mnt: i32, ino: i32, end: usize): i32 {
  let n = 0;
  for (;;) {
    if (ino == vnIno[mntRoot[mnt]]) {
      if (mnt == 0) break;
      // The root of a mounted file system: go on from the directory it covers.
      const c = mntCovered[mnt];
      mnt = vnMount[c];
      ino = vnIno[c];
      continue;
    }
    let r = fsLookup(mnt, ino, DOTDOT, 2);
    if (r < 0) return r;
    const parent = resIno;
    r = entryNaming(mnt, parent, ino);
    if (r < 0) return r;
    if (n + 1 + r > PATH_MAX) return -ENAMETOOLONG;
    n += r;
    memory.copy(end - <usize>n, foundName, <usize>r);
    n++;
    store<u8>(end - <usize>n, 0x2f);
    ino = parent;
  }
  if (n == 0) {
    n = 1;
    store<u8>(end - 1, 0x2f);
  }
  return n;
}

/** p0 grant (writable), p1 size -> the length (no NUL is written). */
export function doGetcwd(m: Message): i32 {
  const slot = callerSlot(m);
  const v = procCwd[slot];
  const end = PATH2 + <usize>PATH_MAX;
  let n = 1;
  store<u8>(end - 1, 0x2f); // no file system yet: "/"
  if (v != NO && mntFs[0] != 0) {
    n = pathOf(vnMount[v], vnIno[v], end);
    if (n < 0) return n;
  }
  if (m.p1 < n) return -ERANGE;
  const r = sysSafecopyTo(m.m_source, m.p0, 0, end - <usize>n, n);
  return r < 0 ? r : n;
}

/** -> attributes in p1..p10. */
export function doStat(m: Message): i32 {
  const slot = callerSlot(m);
  let r = pathArg(m, slot, false);
  if (r < 0) return r;
  r = fsStat(lkMnt, lkIno);
  if (r < 0) return r;
  resAttrs(m);
  return 0;
}

/** As doStat, but a symbolic link named last is not followed. */
export function doLstat(m: Message): i32 {
  const slot = callerSlot(m);
  let r = pathArg(m, slot, false, false);
  if (r < 0) return r;
  r = fsStat(lkMnt, lkIno);
  if (r < 0) return r;
  resAttrs(m);
  return 0;
}

/** p0 grant, p1 length, p2 grant (writable), p3 size -> the target's length (cut at the size). */
export function doReadlink(m: Message): i32 {
  const slot = callerSlot(m);
  let r = pathArg(m, slot, false, false);
  if (r < 0) return r;
  if ((lkMode & S_IFMT) != S_IFLNK || m.p3 <= 0) return -EINVAL;
  r = fsRead(lkMnt, lkIno, 0, min(lkSize, min(m.p3, IO_MAX)));
  if (r <= 0) return r;
  const c = sysSafecopyTo(m.m_source, m.p2, 0, IOBUF, r);
  return c < 0 ? c : r;
}

/** p0 grant of the target then the link's path, p1 and p2 their lengths (the file server makes it: REQ_SYMLINK). */
export function doSymlink(m: Message): i32 {
  const slot = callerSlot(m);
  let r = twoPaths(m);
  if (r < 0) return r;
  const tlen = m.p1;
  r = resolve(slot, PATH2, m.p2, true);
  if (r < 0) return r;
  if (lkNameLen == 0) return -EEXIST;
  memory.copy(IOBUF, PATH1, <usize>tlen);
  r = fsSymlink(lkMnt, lkIno, lkName, lkNameLen, tlen);
  return r < 0 ? r : 0;
}

/** p0 grant, p1 length, p2 mode (permission bits). */
export function doChmod(m: Message): i32 {
  const slot = callerSlot(m);
  const r = pathArg(m, slot, false);
  if (r < 0) return r;
  return fsChmod(lkMnt, lkIno, m.p2 & 0o7777);
}
