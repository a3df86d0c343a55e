// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Descriptors and open files: the caller's slot (a process VFS has not seen
// in its slot before starts fresh: no descriptors, "/" as its working
// directory), descriptor lookup and allocation, and closing, which for the
// last reference of an open file tells its device, its pipe and its vnode.
//
// Entry points: callerSlot, procFresh, procForget, fdFilp, fdFree, fdClose,
// filpPut, vnodeDrop, rootVnode.

import { Message } from "../lib/index";
import { OPEN_MAX, O_ACCMODE, O_RDONLY, S_IFMT, S_IFCHR, EBADF, EMFILE, NR_PROCS } from "../lib/fs_proto";
import {
  NO, procEp, procFd, procCloexec, procCwd, filpRefs, filpVnode, filpFlags,
  vnKind, vnRefs, vnMode, vnRdev, VN_PIPE, mntFs, mntRoot,
} from "./tables";
import { vnodeRef, vnodeUnref } from "./path";
import { pipeClose, pipeFree } from "./pipe";
import { cdevClose, cdevCancel } from "./cdev";
import { suspKind, forget, SUSP_CDEV_READ, SUSP_CDEV_WRITE } from "./susp";

/** The root's vnode, or NO before the root is mounted. */
export function rootVnode(): i32 {
  return mntFs[0] != 0 ? mntRoot[0] : NO;
}

/** Slot `slot` now holds `ep`: no descriptors, the root as working directory. */
export function procFresh(slot: i32, ep: i32): void {
  procEp[slot] = ep;
  for (let fd = 0; fd < OPEN_MAX; fd++) {
    procFd[slot * OPEN_MAX + fd] = NO;
    procCloexec[slot * OPEN_MAX + fd] = false;
  }
  const root = rootVnode();
  procCwd[slot] = root;
  if (root != NO) vnodeRef(root);
  forget(slot);
}

/** The process in `slot` is gone: close everything it had. */
export function procForget(slot: i32): void {
  if (procEp[slot] == 0) return;
  const ep = procEp[slot];
  const k = suspKind[slot];
  if (k == SUSP_CDEV_READ || k == SUSP_CDEV_WRITE) cdevCancel(slot, ep);
  forget(slot);
  for (let fd = 0; fd < OPEN_MAX; fd++) fdClose(slot, fd);
  if (procCwd[slot] != NO) vnodeUnref(procCwd[slot]);
  procCwd[slot] = NO;
  procEp[slot] = 0;
}

/** The caller's slot, starting it fresh if VFS has not seen this endpoint there. */
export function callerSlot(m: Message): i32 {
  const ep = m.m_source;
  const slot = ep & 0xff;
  if (slot >= NR_PROCS) return 0;
  if (procEp[slot] != ep) {
    procForget(slot);
    procFresh(slot, ep);
  }
  return slot;
}

/** The filp of descriptor fd, or -EBADF. */
export function fdFilp(slot: i32, fd: i32): i32 {
  if (fd < 0 || fd >= OPEN_MAX) return -EBADF;
  const f = procFd[slot * OPEN_MAX + fd];
  return f == NO ? -EBADF : f;
}

/** The lowest free descriptor (from `from`), or -EMFILE. */
export function fdFree(slot: i32, from: i32): i32 {
  for (let fd = from; fd < OPEN_MAX; fd++) if (procFd[slot * OPEN_MAX + fd] == NO) return fd;
  return -EMFILE;
}

/** Close descriptor fd: 0 or -EBADF. */
export function fdClose(slot: i32, fd: i32): i32 {
  const f = fdFilp(slot, fd);
  if (f < 0) return f;
  procFd[slot * OPEN_MAX + fd] = NO;
  procCloexec[slot * OPEN_MAX + fd] = false;
  filpPut(f, procEp[slot]);
  return 0;
}

/** Drop a reference to filp f (of process `ep`); the last one closes the file. */
export function filpPut(f: i32, ep: i32): void {
  if (--filpRefs[f] > 0) return;
  const v = filpVnode[f];
  if (vnKind[v] == VN_PIPE) pipeClose(v, (filpFlags[f] & O_ACCMODE) != O_RDONLY);
  else if ((vnMode[v] & S_IFMT) == S_IFCHR) cdevClose(vnRdev[v], ep);
  vnodeDrop(v);
}

/** Drop a vnode reference; a pipe's buffer goes with its vnode. */
export function vnodeDrop(v: i32): void {
  const pipe = vnKind[v] == VN_PIPE && vnRefs[v] == 1;
  vnodeUnref(v);
  if (pipe) pipeFree(v);
}
