// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// VFS's calls on descriptors: read, write, lseek, getdents, ftruncate,
// fstat, close, dup2, pipe, isatty, ioctl, sync. A regular file's data moves
// between the caller's grant and the file server's through IOBUF, in pieces
// of IO_MAX bytes; pipes and devices go to pipe.ts and cdev.ts.
//
// Entry points: doRead, doWrite, doLseek, doGetdents, doFtruncate, doFstat,
// doClose, doDup2, doPipe, doIsatty, doIoctl, doSync.

import { Message } from "../lib/index";
import { sysSafecopyFrom, sysSafecopyTo } from "../lib/server";
import {
  OPEN_MAX, O_ACCMODE, O_RDONLY, O_WRONLY, O_APPEND, O_NONBLOCK, SEEK_SET, SEEK_CUR, SEEK_END, S_IFMT,
  S_IFDIR, S_IFCHR, S_IFIFO, EBADF, EINVAL, EISDIR, ENOTDIR, ESPIPE, ENOTTY, ENFILE, EFBIG, MAJOR_TTY,
} from "../lib/fs_proto";
import {
  NO, NR_MOUNTS, procFd, procCloexec, filpRefs, filpVnode, filpFlags, filpPos, filpAlloc,
  vnKind, vnRefs, vnMount, vnIno, vnMode, vnSize, vnRdev, VN_PIPE, mntFs,
} from "./tables";
import { IOBUF, IO_MAX, fsRead, fsWrite, fsStat, fsTrunc, fsGetdents, fsSync, resAttrs, resSize, resNext } from "./fsreq";
import { callerSlot, fdFilp, fdFree, fdClose, vnodeDrop } from "./files";
import { pipeCreate, pipeRead, pipeWrite, pipeCount } from "./pipe";
import { cdevRead, cdevWrite, cdevIoctl } from "./cdev";

@inline function isChr(v: i32): bool { return (vnMode[v] & S_IFMT) == S_IFCHR; }

/** p0 fd, p1 grant (writable), p2 count -> bytes. */
export function doRead(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  if ((filpFlags[f] & O_ACCMODE) == O_WRONLY) return -EBADF;
  const count = m.p2;
  if (count < 0) return -EINVAL;
  const v = filpVnode[f];
  const nonblock = (filpFlags[f] & O_NONBLOCK) != 0;
  if (vnKind[v] == VN_PIPE) return pipeRead(slot, m.m_source, f, v, m.p1, count, nonblock);
  if (isChr(v)) return cdevRead(slot, m.m_source, vnRdev[v], m.p1, count, filpFlags[f]);
  if ((vnMode[v] & S_IFMT) == S_IFDIR) return -EISDIR;
  let done = 0;
  while (done < count) {
    const want = min(IO_MAX, count - done);
    const n = fsRead(vnMount[v], vnIno[v], filpPos[f], want);
    if (n < 0) return done > 0 ? done : n;
    if (n > 0) {
      const r = sysSafecopyTo(m.m_source, m.p1, done, IOBUF, n);
      if (r < 0) return done > 0 ? done : r;
    }
    filpPos[f] += n;
    done += n;
    if (n < want) break;
  }
  return done;
}

/** p0 fd, p1 grant (readable), p2 count -> bytes. */
export function doWrite(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  if ((filpFlags[f] & O_ACCMODE) == O_RDONLY) return -EBADF;
  const count = m.p2;
  if (count < 0) return -EINVAL;
  const v = filpVnode[f];
  const nonblock = (filpFlags[f] & O_NONBLOCK) != 0;
  if (vnKind[v] == VN_PIPE) return pipeWrite(slot, m.m_source, f, v, m.p1, count, nonblock);
  if (isChr(v)) return cdevWrite(slot, m.m_source, vnRdev[v], m.p1, count, filpFlags[f]);
  if ((filpFlags[f] & O_APPEND) != 0) {
    const r = fsStat(vnMount[v], vnIno[v]);
    if (r < 0) return r;
    filpPos[f] = resSize;
  }
  if (<i64>filpPos[f] + <i64>count > 0x7fffffff) return -EFBIG;
  let done = 0;
  while (done < count) {
    const want = min(IO_MAX, count - done);
    let r = sysSafecopyFrom(m.m_source, m.p1, done, IOBUF, want);
    if (r < 0) return done > 0 ? done : r;
    const n = fsWrite(vnMount[v], vnIno[v], filpPos[f], want);
    if (n < 0) return done > 0 ? done : n;
    vnSize[v] = resSize;
    filpPos[f] += n;
    done += n;
    if (n < want) break;
  }
  return done;
}

/** p0 fd, p1 offset, p2 whence -> the new position. */
export function doLseek(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  const v = filpVnode[f];
  if (vnKind[v] == VN_PIPE || isChr(v)) return -ESPIPE;
  let base: i64 = 0;
  if (m.p2 == SEEK_CUR) base = filpPos[f];
  else if (m.p2 == SEEK_END) {
    const r = fsStat(vnMount[v], vnIno[v]);
    if (r < 0) return r;
    base = resSize;
  } else if (m.p2 != SEEK_SET) return -EINVAL;
  const pos = base + <i64>m.p1;
  if (pos < 0 || pos > 0x7fffffff) return -EINVAL;
  filpPos[f] = <i32>pos;
  return <i32>pos;
}

/** p0 fd (a directory), p1 grant, p2 size -> bytes of records (0 at the end). */
export function doGetdents(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  const v = filpVnode[f];
  if (vnKind[v] == VN_PIPE || (vnMode[v] & S_IFMT) != S_IFDIR) return -ENOTDIR;
  if (m.p2 <= 0) return -EINVAL;
  const n = fsGetdents(vnMount[v], vnIno[v], filpPos[f], min(m.p2, IO_MAX));
  if (n <= 0) return n;
  const r = sysSafecopyTo(m.m_source, m.p1, 0, IOBUF, n);
  if (r < 0) return r;
  filpPos[f] = resNext;
  return n;
}

/** p0 fd, p1 length. */
export function doFtruncate(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  const v = filpVnode[f];
  if ((filpFlags[f] & O_ACCMODE) == O_RDONLY) return -EBADF;
  if (vnKind[v] == VN_PIPE || isChr(v)) return -EINVAL;
  if (m.p1 < 0) return -EINVAL;
  const r = fsTrunc(vnMount[v], vnIno[v], m.p1);
  if (r == 0) vnSize[v] = m.p1;
  return r;
}

/** p0 fd -> attributes in p1..p10 (a pipe: S_IFIFO, its bytes waiting). */
export function doFstat(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  const v = filpVnode[f];
  if (vnKind[v] == VN_PIPE) {
    for (let i = 1; i <= 10; i++) m.setI32(i, 0);
    m.p2 = vnMode[v];
    m.p3 = pipeCount(v);
    m.p4 = 1;
    return 0;
  }
  const r = fsStat(vnMount[v], vnIno[v]);
  if (r < 0) return r;
  resAttrs(m);
  return 0;
}

export function doClose(m: Message): i32 {
  return fdClose(callerSlot(m), m.p0);
}

/** p0 fd, p1 the descriptor to make it (-1: the lowest free). */
export function doDup2(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  let to = m.p1;
  if (to == -1) {
    to = fdFree(slot, 0);
    if (to < 0) return to;
  } else {
    if (to < 0 || to >= OPEN_MAX) return -EBADF;
    if (to == m.p0) return to;
    fdClose(slot, to);
  }
  filpRefs[f]++;
  procFd[slot * OPEN_MAX + to] = f;
  procCloexec[slot * OPEN_MAX + to] = false;
  return to;
}

/** -> p1 the read end, p2 the write end. */
export function doPipe(m: Message): i32 {
  const slot = callerSlot(m);
  const rfd = fdFree(slot, 0);
  if (rfd < 0) return rfd;
  const wfd = fdFree(slot, rfd + 1);
  if (wfd < 0) return wfd;
  const v = pipeCreate();
  if (v < 0) return v;
  vnRefs[v] = 2;
  const rf = filpAlloc(v, O_RDONLY);
  const wf = rf == NO ? NO : filpAlloc(v, O_WRONLY);
  if (wf == NO) {
    if (rf != NO) filpRefs[rf] = 0;
    vnRefs[v] = 1;
    vnodeDrop(v);
    return -ENFILE;
  }
  procFd[slot * OPEN_MAX + rfd] = rf;
  procFd[slot * OPEN_MAX + wfd] = wf;
  m.p1 = rfd;
  m.p2 = wfd;
  return 0;
}

/** p0 fd -> 1 for the console (a tty), 0 for anything else. */
export function doIsatty(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  const v = filpVnode[f];
  return vnKind[v] != VN_PIPE && isChr(v) && ((vnRdev[v] >> 8) & 0xff) == MAJOR_TTY ? 1 : 0;
}

/** p0 fd, p1 request, p2 argument -> the driver's answer. */
export function doIoctl(m: Message): i32 {
  const slot = callerSlot(m);
  const f = fdFilp(slot, m.p0);
  if (f < 0) return f;
  const v = filpVnode[f];
  if (vnKind[v] == VN_PIPE || !isChr(v)) return -ENOTTY;
  return cdevIoctl(vnRdev[v], m.m_source, m.p1, m.p2);
}

/** Every mounted file system writes its dirty blocks. */
export function doSync(m: Message): i32 {
  let err = 0;
  for (let k = 0; k < NR_MOUNTS; k++) {
    if (mntFs[k] == 0) continue;
    const r = fsSync(k);
    if (r < 0) err = r;
  }
  return err;
}
