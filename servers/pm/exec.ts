// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Where programs come from, and exec. A program on the disk is read by the
// process that execs it (posix.ts execv: through VFS, into its own memory)
// and granted to pm with the request: pm itself never waits for VFS
// (vfs.ts says why). A program the caller did not send, a bare name, or
// anything in a system without VFS comes from the boot bundle: ELF images
// that `servers/system.ts` appends to pm's own ELF as one read-only segment
// at BUNDLE_BASE (so pm needs no file system to start the shell, and rs can
// always restart a service from it):
//
//   BUNDLE_BASE + 0   u32 magic "TBND"
//               + 4   u32 count
//               + 8   count entries of 32 bytes: name[24] (NUL-padded),
//                     u32 offset from BUNDLE_BASE, u32 size
//   then the images
//
// The kernel's EXEC call reads the image straight from pm's memory and
// names the process after the program (its last path component), so the
// kernel's fault lines and `ps` say what runs.
//
// Entry points: BUNDLE_BASE, bundleFind, basename, doExec, doGetargs,
// doSrvFork, doSrvExec.

import { Message } from "../lib/index";
import { sysExec, sysFork, sysSafecopyFrom, sysSafecopyTo, cString, getName, zalloc } from "../lib/server";
import { SUSPEND, ARG_MAX, IMAGE_MAX, RS_EP, E2BIG, EINVAL, ENOENT, ENOEXEC, ENOMEM, EPERM, EAGAIN, ESRCH } from "../lib/proto";
import { Mproc, allocProc, newPid, findEp, P_ALIVE, F_SYSTEM, F_SRVNEW } from "./table";
import { vfsExec } from "./vfs";

export const BUNDLE_BASE: usize = 0x00400000;
const BUNDLE_MAGIC: u32 = 0x444e4254; // "TBND", little-endian
const ENTRY_SIZE: usize = 32;
const ENTRY_NAME: i32 = 24;
const scratch: usize = zalloc(ARG_MAX);

/** The bundle entry named `name`, or -1. */
export function bundleFind(name: string): i32 {
  if (load<u32>(BUNDLE_BASE) != BUNDLE_MAGIC) return -1;
  const count = <i32>load<u32>(BUNDLE_BASE + 4);
  for (let i = 0; i < count; i++) {
    const e = BUNDLE_BASE + 8 + <usize>i * ENTRY_SIZE;
    if (cString(e, ENTRY_NAME) == name) return i;
  }
  return -1;
}

function bundleImage(i: i32): usize {
  return BUNDLE_BASE + <usize>load<u32>(BUNDLE_BASE + 8 + <usize>i * ENTRY_SIZE + <usize>ENTRY_NAME);
}

function bundleSize(i: i32): i32 {
  return <i32>load<u32>(BUNDLE_BASE + 8 + <usize>i * ENTRY_SIZE + <usize>ENTRY_NAME + 4);
}

/** The last component of `path`. */
export function basename(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? path : path.substring(slash + 1);
}

function kernelExec(ep: i32, image: usize, size: i32, name: string): i32 {
  const r = sysExec(ep, image, size, name);
  if (r == -EINVAL) return -ENOEXEC;
  return r;
}

/** Replace `ep`'s program with the image `size` bytes long the caller granted (`grant`). */
function execGranted(ep: i32, grant: i32, size: i32, name: string): i32 {
  if (size > IMAGE_MAX) return -ENOEXEC;
  const image = heap.alloc(<usize>size);
  let r = sysSafecopyFrom(ep, grant, 0, image, size);
  if (r == 0) r = kernelExec(ep, image, size, name);
  heap.free(image);
  return r;
}

/** Replace `ep`'s program with the bundle's image of `name`. */
function execBundled(ep: i32, name: string): i32 {
  const i = bundleFind(name);
  if (i < 0) return -ENOENT;
  return kernelExec(ep, bundleImage(i), bundleSize(i), name);
}

/**
 * PM_EXEC from `p`: p0 grant of "path\0args...", p1 its length, p2 argc;
 * p3 grant of the program's image, p4 its size (0: the bundle's program
 * named as the path's last component). No reply when it works.
 */
export function doExec(p: Mproc, m: Message): i32 {
  const len = m.p1;
  if (len > ARG_MAX) return -E2BIG;
  if (len <= 0 || m.p2 < 0 || m.p4 < 0) return -EINVAL;
  const r = sysSafecopyFrom(p.ep, m.p0, 0, scratch, len);
  if (r != 0) return r;
  if (load<u8>(scratch + <usize>(len - 1)) != 0) return -EINVAL;
  const path = cString(scratch, len);
  let pathLen = 0;
  while (load<u8>(scratch + <usize>pathLen) != 0) pathLen++;
  const name = basename(path);
  const e = m.p4 > 0 ? execGranted(p.ep, m.p3, m.p4, name) : execBundled(p.ep, name);
  if (e != 0) return e;
  memory.copy(p.args, scratch, <usize>len);
  p.argLen = len;
  p.argOff = pathLen + 1;
  p.argc = m.p2;
  p.name = name;
  vfsExec(p.ep);
  return SUSPEND; // it runs the new program: no reply is owed
}

/** PM_GETARGS from `p`: p0 grant (writable), p1 its length -> bytes, p0 argc. */
export function doGetargs(p: Mproc, m: Message): i32 {
  let n = p.argLen - p.argOff;
  if (n > m.p1) n = m.p1;
  if (n > 0) {
    const r = sysSafecopyTo(p.ep, m.p0, 0, p.args + <usize>p.argOff, n);
    if (r != 0) return r;
  } else {
    n = 0;
  }
  m.p0 = p.argc;
  return n;
}

/** PM_SRV_FORK from rs: a copy of rs that waits, unreplied, for PM_SRV_EXEC. -> pid, p0 endpoint. */
export function doSrvFork(p: Mproc, m: Message): i32 {
  if (p.ep != RS_EP) return -EPERM;
  const c = allocProc();
  if (c === null) return -EAGAIN;
  const ep = sysFork(p.ep);
  if (ep < 0) return ep;
  c.state = P_ALIVE;
  c.pid = newPid();
  c.ppid = p.pid;
  c.pgrp = c.pid;
  c.sid = c.pid;
  c.ep = ep;
  c.flags = F_SYSTEM | F_SRVNEW;
  c.name = "";
  // VFS is not told: a service has no descriptors, and VFS takes a new endpoint in a slot as a fresh process.
  m.p0 = ep;
  return c.pid;
}

/** PM_SRV_EXEC from rs: p0 the child's endpoint, name the bundle image to run. */
export function doSrvExec(p: Mproc, m: Message): i32 {
  if (p.ep != RS_EP) return -EPERM;
  const c = findEp(m.p0);
  if (c === null) return -ESRCH;
  if ((c.flags & F_SRVNEW) == 0 || c.ppid != p.pid) return -EINVAL;
  const name = getName(m);
  const r = execBundled(c.ep, name);
  if (r != 0) return r;
  c.flags &= ~F_SRVNEW;
  c.name = name;
  c.argLen = 0;
  c.argOff = 0;
  c.argc = 0;
  return 0;
}
