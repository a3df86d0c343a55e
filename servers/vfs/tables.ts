// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// VFS's tables, as MINIX's VFS keeps them: per process (by kernel slot) the
// descriptor table and the working directory; the open files (filps: a
// vnode, the open mode, the position, shared by dup and fork); the vnodes
// (an inode of a mounted file system, a pipe, or one of VFS's own devices);
// the mount table. A vnode of a file server is referenced in that server
// (REQ_GETNODE / REQ_PUTNODE) while VFS holds it, so an open file that loses
// its last name lives until it is closed.
//
// Entry points: NR_*, the tables' arrays, procSlot, procKnown, filpAlloc,
// filpRef, vnodeFind, vnodeRef, vnodeUnref, mountOf.

import { OPEN_MAX, NR_PROCS } from "../lib/fs_proto";
import { newI32s, newBytes } from "./arrays";

export const NR_FILPS: i32 = 256;
export const NR_VNODES: i32 = 256;
export const NR_MOUNTS: i32 = 8;
export const NO: i32 = -1;

// ---- processes (by kernel slot) ----------------------------------------------

/** The endpoint VFS knows in each slot (0: none). */
export const procEp = newI32s(NR_PROCS);
/** Descriptor -> filp (NO: closed), OPEN_MAX per process. */
export const procFd = newI32s(NR_PROCS * OPEN_MAX);
/** Close-on-exec bit per descriptor. */
export const procCloexec = newBytes(NR_PROCS * OPEN_MAX);
/** The working directory's vnode (its name is found from it: names.ts doGetcwd). */
export const procCwd = newI32s(NR_PROCS);

export function procSlot(ep: i32): i32 {
  return ep & 0xff;
}

// ---- open files ---------------------------------------------------------------

export const filpRefs = newI32s(NR_FILPS);
export const filpVnode = newI32s(NR_FILPS);
export const filpFlags = newI32s(NR_FILPS);
export const filpPos = newI32s(NR_FILPS);

/** A free filp (refs 1) on vnode `v` with `flags`, or NO. */
export function filpAlloc(v: i32, flags: i32): i32 {
  for (let f = 0; f < NR_FILPS; f++) {
    if (filpRefs[f] == 0) {
      filpRefs[f] = 1;
      filpVnode[f] = v;
      filpFlags[f] = flags;
      filpPos[f] = 0;
      return f;
    }
  }
  return NO;
}

// ---- vnodes --------------------------------------------------------------------

export const VN_FS: i32 = 1;     // an inode of a mounted file system
export const VN_PIPE: i32 = 2;   // a pipe (vnPipe names it)

export const vnKind = newI32s(NR_VNODES);
export const vnRefs = newI32s(NR_VNODES);
export const vnMount = newI32s(NR_VNODES);
export const vnIno = newI32s(NR_VNODES);
export const vnMode = newI32s(NR_VNODES);
export const vnSize = newI32s(NR_VNODES);
export const vnRdev = newI32s(NR_VNODES);
export const vnPipe = newI32s(NR_VNODES);

/** The vnode of inode `ino` of mount `mnt`, if VFS has one. */
export function vnodeFind(mnt: i32, ino: i32): i32 {
  for (let v = 0; v < NR_VNODES; v++) {
    if (vnKind[v] == VN_FS && vnMount[v] == mnt && vnIno[v] == ino) return v;
  }
  return NO;
}

/** A free vnode slot of `kind` (refs 0: the caller takes the first reference), or NO. */
export function vnodeAlloc(kind: i32): i32 {
  for (let v = 0; v < NR_VNODES; v++) {
    if (vnKind[v] == 0) {
      vnKind[v] = kind;
      vnRefs[v] = 0;
      vnMount[v] = NO;
      vnIno[v] = 0;
      vnMode[v] = 0;
      vnSize[v] = 0;
      vnRdev[v] = 0;
      vnPipe[v] = NO;
      return v;
    }
  }
  return NO;
}

// ---- mounts ----------------------------------------------------------------------

export const mntFs = newI32s(NR_MOUNTS);      // the file server's endpoint (0: free slot)
export const mntDriver = newI32s(NR_MOUNTS);
export const mntMinor = newI32s(NR_MOUNTS);
export const mntRoot = newI32s(NR_MOUNTS);    // the vnode of its root
export const mntCovered = newI32s(NR_MOUNTS); // the vnode it is mounted on (NO for the root)

/** The mount whose file system covers vnode `v` (a mount point), or NO. */
export function mountOn(v: i32): i32 {
  for (let i = 0; i < NR_MOUNTS; i++) if (mntFs[i] != 0 && mntCovered[i] == v) return i;
  return NO;
}

/** The mount whose root is vnode `v`, or NO. */
export function mountRootOf(v: i32): i32 {
  for (let i = 0; i < NR_MOUNTS; i++) if (mntFs[i] != 0 && mntRoot[i] == v) return i;
  return NO;
}
