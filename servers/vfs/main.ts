// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// vfs: the virtual file system server (docs/fs.md, "vfs"). It keeps every
// process's descriptors and working directory, resolves path names across
// the mounted file systems, keeps pipes, and forwards what remains to the
// file servers (fsreq.ts) and character drivers (cdev.ts). PM tells it of
// forks, execs and exits; RS of drivers that came back under a new
// endpoint. It runs on the common server skeleton (lib/server.ts), replying
// VFS_REPLY with the status in p0; a call that must wait (a pipe, the
// console) is answered later (susp.ts).
//
// At start it mounts the root: the process named "mfs" on minor 2 (the
// MBR's second partition) of the one named "blk", found in the kernel's
// process table. Without them it waits for a VFS_MOUNT of "/".
//
// Privileges: safecopyfrom, safecopyto, setgrant, getinfo; sends to any
// process (file servers, drivers, ds).
//
// Entry points: main.

import { Message, printErr, printInt } from "../lib/index";
import {
  serverInit, serverCall, serverOnNotify, serverReplyType, serverRun, sysGetProcTab, KINFO_SIZE, KINFO_NAME,
} from "../lib/server";
import { PM_EP, RS_EP } from "../lib/proto";
import {
  VFS_OPEN, VFS_CLOSE, VFS_READ, VFS_WRITE, VFS_LSEEK, VFS_STAT, VFS_FSTAT, VFS_MKDIR, VFS_RMDIR, VFS_UNLINK,
  VFS_RENAME, VFS_LINK, VFS_CHDIR, VFS_GETCWD, VFS_GETDENTS, VFS_PIPE, VFS_DUP2, VFS_SYNC, VFS_FTRUNCATE,
  VFS_MKNOD, VFS_MOUNT, VFS_UMOUNT, VFS_IOCTL, VFS_CHMOD, VFS_ISATTY, VFS_LSTAT, VFS_READLINK, VFS_SYMLINK, VFS_REPLY, VFS_PM_FORK, VFS_PM_EXIT,
  VFS_PM_EXEC, VFS_DRIVER_UP, VFS_SHUTDOWN, OPEN_MAX, NR_PROCS, EPERM, EBUSY, EINVAL, ENOTDIR,
  ENFILE, S_IFMT, S_IFDIR, HARDWARE, CLOCK, MAJOR_TTY,
} from "../lib/fs_proto";
import {
  NO, NR_MOUNTS, procEp, procFd, procCloexec, procCwd, filpRefs,
  vnKind, vnRefs, vnMount, vnIno, vnMode, vnSize, vnodeAlloc, VN_FS, mntFs, mntDriver, mntMinor, mntRoot,
  mntCovered, mountOn,
} from "./tables";
import { PATH1, fetchPath, resolve, lkMnt, lkIno, lkMode, vnodeRef, vnodeUnref, vnodeFromLk } from "./path";
import { fsGrant, fsReadsuper, fsUnmount, fsNewdriver, resIno, resMode, resSize } from "./fsreq";
import { callerSlot, procFresh, procForget, fdClose } from "./files";
import { touch } from "./arrays";
import { cdevSetDriver, cdevNotified } from "./cdev";
import {
  doOpen, doMknod, doMkdir, doUnlink, doRmdir, doRename, doLink, doChdir, doGetcwd, doStat, doChmod,
  doLstat, doReadlink, doSymlink,
} from "./names";
import {
  doRead, doWrite, doLseek, doGetdents, doFtruncate, doFstat, doClose, doDup2, doPipe, doIsatty, doIoctl, doSync,
} from "./rw";

const ROOT_MINOR: i32 = 2;
const ptab: usize = heap.alloc(KINFO_SIZE * NR_PROCS);

/** The endpoint of the living process named `name` in the kernel's table, or 0. */
function findByName(name: string): i32 {
  const n = sysGetProcTab(ptab, KINFO_SIZE * NR_PROCS);
  for (let i = 0; i < n; i++) {
    const e = ptab + <usize>(i * KINFO_SIZE);
    let ok = true;
    for (let j = 0; j < name.length && ok; j++) ok = <i32>load<u8>(e + KINFO_NAME + <usize>j) == name.charCodeAt(j);
    if (ok && (name.length >= 16 || load<u8>(e + KINFO_NAME + <usize>name.length) == 0)) return load<i32>(e);
  }
  return 0;
}

// ---- mounting ----------------------------------------------------------------

/**
 * Mount file server `fs` (driver `driver`, `minor`) as mount k, on vnode
 * `covered` (NO for the root). 0 or -errno.
 */
function mountAt(k: i32, fs: i32, driver: i32, minor: i32, covered: i32): i32 {
  mntFs[k] = fs;
  mntDriver[k] = driver;
  mntMinor[k] = minor;
  let r = fsGrant(k);
  if (r == 0) r = fsReadsuper(k, driver, minor);
  if (r < 0) { mntFs[k] = 0; return r; }
  const v = vnodeAlloc(VN_FS);
  if (v == NO) { fsUnmount(k); mntFs[k] = 0; return -ENFILE; }
  vnMount[v] = k;
  vnIno[v] = resIno;
  vnMode[v] = resMode;
  vnSize[v] = resSize;
  r = vnodeRef(v);
  if (r < 0) { vnKind[v] = 0; fsUnmount(k); mntFs[k] = 0; return r; }
  mntRoot[k] = v;
  mntCovered[k] = covered;
  return 0;
}

/** The root, by the names of its servers; a message on the console if it fails. */
function mountRoot(): void {
  const fs = findByName("mfs"), drv = findByName("blk");
  if (fs == 0 || drv == 0) return;
  const r = mountAt(0, fs, drv, ROOT_MINOR, NO);
  if (r < 0) {
    printErr("vfs: cannot mount the root file system: error ");
    printInt(-r, 2);
    printErr("\n");
  }
}

/** p0 grant, p1 length of the mount point, p2 file server, p3 driver, p4 minor. */
function doMount(m: Message): i32 {
  const slot = callerSlot(m);
  let r = fetchPath(m.m_source, m.p0, 0, m.p1, PATH1);
  if (r < 0) return r;
  if (mntFs[0] == 0) {
    // The root: "/" only.
    if (m.p1 != 1 || load<u8>(PATH1) != 0x2f) return -EINVAL;
    r = mountAt(0, m.p2, m.p3, m.p4, NO);
    if (r == 0) for (let s = 0; s < NR_PROCS; s++) if (procEp[s] != 0 && procCwd[s] == NO) { procCwd[s] = mntRoot[0]; vnodeRef(mntRoot[0]); }
    return r;
  }
  r = resolve(slot, PATH1, m.p1, false);
  if (r < 0) return r;
  if ((lkMode & S_IFMT) != S_IFDIR) return -ENOTDIR;
  let k = 1;
  while (k < NR_MOUNTS && mntFs[k] != 0) k++;
  if (k == NR_MOUNTS) return -ENFILE;
  const covered = vnodeFromLk();
  if (covered < 0) return covered;
  if (mountOn(covered) != NO || covered == mntRoot[lkMnt]) { vnodeUnref(covered); return -EBUSY; }
  r = mountAt(k, m.p2, m.p3, m.p4, covered);
  if (r < 0) vnodeUnref(covered);
  return r;
}

/** p0 grant, p1 length: the root of a mounted file system (not "/"), which nothing else holds. */
function doUmount(m: Message): i32 {
  const slot = callerSlot(m);
  let r = fetchPath(m.m_source, m.p0, 0, m.p1, PATH1);
  if (r < 0) return r;
  r = resolve(slot, PATH1, m.p1, false);
  if (r < 0) return r;
  const k = lkMnt;
  if (k == 0 || lkIno != vnIno[mntRoot[k]]) return -EINVAL;
  for (let v = 0; v < 256; v++) if (vnKind[v] != 0 && vnMount[v] == k && v != mntRoot[k]) return -EBUSY;
  if (vnRefs[mntRoot[k]] > 1) return -EBUSY;
  r = fsUnmount(k);
  vnodeUnref(mntRoot[k]);
  vnodeUnref(mntCovered[k]);
  mntFs[k] = 0;
  return r;
}

// ---- PM, RS and shutdown -------------------------------------------------------

/** From PM: p0 parent, p1 child. */
function doPmFork(m: Message): i32 {
  if (m.m_source != PM_EP) return -EPERM;
  const parent = m.p0 & 0xff, child = m.p1 & 0xff;
  if (parent >= NR_PROCS || child >= NR_PROCS) return -EINVAL;
  if (procEp[parent] != m.p0) { procForget(parent); procFresh(parent, m.p0); }
  procForget(child);
  procFresh(child, m.p1);
  for (let fd = 0; fd < OPEN_MAX; fd++) {
    const f = procFd[parent * OPEN_MAX + fd];
    procFd[child * OPEN_MAX + fd] = f;
    procCloexec[child * OPEN_MAX + fd] = procCloexec[parent * OPEN_MAX + fd];
    if (f != NO) filpRefs[f]++;
  }
  if (procCwd[child] != NO) vnodeUnref(procCwd[child]);
  procCwd[child] = procCwd[parent];
  if (procCwd[child] != NO) vnodeRef(procCwd[child]);
  return 0;
}

/** From PM: p0 the process that ended. */
function doPmExit(m: Message): i32 {
  if (m.m_source != PM_EP) return -EPERM;
  const slot = m.p0 & 0xff;
  if (slot < NR_PROCS && procEp[slot] == m.p0) procForget(slot);
  return 0;
}

/** From PM: p0 the process that execs: its close-on-exec descriptors close. */
function doPmExec(m: Message): i32 {
  if (m.m_source != PM_EP) return -EPERM;
  const slot = m.p0 & 0xff;
  if (slot >= NR_PROCS || procEp[slot] != m.p0) return 0;
  for (let fd = 0; fd < OPEN_MAX; fd++) if (procCloexec[slot * OPEN_MAX + fd]) fdClose(slot, fd);
  return 0;
}

/** From RS (or PM): p0 the driver's new endpoint, p1 kind (1 block, 2 character), p2 its major. */
function doDriverUp(m: Message): i32 {
  if (m.m_source != RS_EP && m.m_source != PM_EP) return -EPERM;
  if (m.p1 == 2) {
    cdevSetDriver(m.p2, m.p0);
    return 0;
  }
  if (m.p1 != 1) return -EINVAL;
  for (let k = 0; k < NR_MOUNTS; k++) {
    if (mntFs[k] == 0) continue;
    mntDriver[k] = m.p0;
    fsNewdriver(k, m.p0);
  }
  return 0;
}

/** From PM: write everything out and unmount, the root last. */
function doShutdown(m: Message): i32 {
  let err = 0;
  for (let k = NR_MOUNTS - 1; k >= 0; k--) {
    if (mntFs[k] == 0) continue;
    const r = fsUnmount(k);
    if (r < 0) err = r;
  }
  return err;
}

/** A driver has finished requests it suspended (CDEV_STATUS collects them). */
function onNotify(m: Message): void {
  const src = m.m_source;
  if (src == HARDWARE || src == CLOCK || src == RS_EP) return;
  cdevNotified(src);
}

export function main(): i32 {
  for (let s = 0; s < NR_PROCS; s++) procCwd[s] = NO;
  for (let i = 0; i < NR_PROCS * OPEN_MAX; i++) procFd[i] = NO;
  touch(ptab, KINFO_SIZE * NR_PROCS);
  serverInit("vfs", VFS_OPEN, VFS_SHUTDOWN - VFS_OPEN + 1);
  serverReplyType(VFS_REPLY);
  serverCall(VFS_OPEN, doOpen);
  serverCall(VFS_CLOSE, doClose);
  serverCall(VFS_READ, doRead);
  serverCall(VFS_WRITE, doWrite);
  serverCall(VFS_LSEEK, doLseek);
  serverCall(VFS_STAT, doStat);
  serverCall(VFS_FSTAT, doFstat);
  serverCall(VFS_MKDIR, doMkdir);
  serverCall(VFS_RMDIR, doRmdir);
  serverCall(VFS_UNLINK, doUnlink);
  serverCall(VFS_RENAME, doRename);
  serverCall(VFS_LINK, doLink);
  serverCall(VFS_CHDIR, doChdir);
  serverCall(VFS_GETCWD, doGetcwd);
  serverCall(VFS_GETDENTS, doGetdents);
  serverCall(VFS_PIPE, doPipe);
  serverCall(VFS_DUP2, doDup2);
  serverCall(VFS_SYNC, doSync);
  serverCall(VFS_FTRUNCATE, doFtruncate);
  serverCall(VFS_MKNOD, doMknod);
  serverCall(VFS_MOUNT, doMount);
  serverCall(VFS_UMOUNT, doUmount);
  serverCall(VFS_IOCTL, doIoctl);
  serverCall(VFS_CHMOD, doChmod);
  serverCall(VFS_ISATTY, doIsatty);
  serverCall(VFS_LSTAT, doLstat);
  serverCall(VFS_READLINK, doReadlink);
  serverCall(VFS_SYMLINK, doSymlink);
  serverCall(VFS_PM_FORK, doPmFork);
  serverCall(VFS_PM_EXIT, doPmExit);
  serverCall(VFS_PM_EXEC, doPmExec);
  serverCall(VFS_DRIVER_UP, doDriverUp);
  serverCall(VFS_SHUTDOWN, doShutdown);
  serverOnNotify(onNotify);
  const tty = findByName("tty");
  if (tty != 0) cdevSetDriver(MAJOR_TTY, tty);
  mountRoot();
  serverRun();
  return 0;
}
