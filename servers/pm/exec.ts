// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Where programs come from, and exec. A path with a '/' is read through VFS
// (a system that has one: /bin on the root file system); a program VFS
// does not have, or any program in a system without VFS, comes from the
// boot bundle: ELF images that `servers/system.ts` appends to pm's own ELF
// as one read-only segment at BUNDLE_BASE (so pm needs no file system to
// start the shell, and rs can always restart a service from it):
//
//   BUNDLE_BASE + 0   u32 magic "TBND"
//               + 4   u32 count
//               + 8   count entries of 32 bytes: name[24] (NUL-padded),
//                     u32 offset from BUNDLE_BASE, u32 size
//   then the images
//
// The kernel's EXEC call reads the image straight from pm's memory.
//
// Entry points: BUNDLE_BASE, bundleFind, doExec, doGetargs, doSrvFork,
// doSrvExec.

import { Message } from "../lib/index";
import { sysExec, sysFork, sysSafecopyFrom, sysSafecopyTo, cString, getName, serverForget, zalloc } from "../lib/server";
import * as fs from "../lib/fs";
import { SUSPEND, ARG_MAX, RS_EP, E2BIG, EINVAL, ENOENT, ENOEXEC, ENOMEM, EPERM, EAGAIN, ESRCH } from "../lib/proto";
import { O_RDONLY } from "../lib/fs_proto";
import { Mproc, allocProc, newPid, findEp, P_ALIVE, F_SYSTEM, F_SRVNEW } from "./table";
import { vfsEndpoint, vfsExec, vfsFork } from "./vfs";

export const BUNDLE_BASE: usize = 0x00400000;
const BUNDLE_MAGIC: u32 = 0x444e4254; // "TBND", little-endian
const ENTRY_SIZE: usize = 32;
const ENTRY_NAME: i32 = 24;
/** Largest program read through VFS. */
const MAX_IMAGE: i32 = 8 << 20;

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

function kernelExec(ep: i32, image: usize, size: i32): i32 {
  const r = sysExec(ep, image, size);
  if (r == -EINVAL) return -ENOEXEC;
  return r;
}

/** Read `path` through VFS and exec it: 0, -ENOENT (VFS does not have it) or another -errno. */
function execFromVfs(ep: i32, path: string): i32 {
  fs.setVfs(vfsEndpoint());
  const fd = fs.open(path, O_RDONLY, 0);
  if (fd < 0) return fd;
  const st = new fs.Stat();
  let r = fs.fstat(fd, st);
  if (r >= 0 && (st.size <= 0 || st.size > MAX_IMAGE)) r = -ENOEXEC;
  if (r < 0) {
    fs.close(fd);
    return r;
  }
  const size = st.size;
  const image = zalloc(size);
  let got = 0;
  while (got < size) {
    const n = fs.read(fd, image + <usize>got, size - got);
    if (n <= 0) break;
    got += n;
  }
  fs.close(fd);
  r = got == size ? kernelExec(ep, image, size) : -ENOEXEC;
  heap.free(image);
  return r;
}

/** Replace `ep`'s program with the one `path` names. */
function loadAndExec(ep: i32, path: string): i32 {
  if (path.indexOf("/") >= 0 && vfsEndpoint() > 0) {
    const r = execFromVfs(ep, path);
    if (r != -ENOENT) return r;
  }
  const i = bundleFind(basename(path));
  if (i < 0) return -ENOENT;
  return kernelExec(ep, bundleImage(i), bundleSize(i));
}

/** PM_EXEC from `p`: p0 grant of "path\0args...", p1 its length, p2 argc. No reply when it works. */
export function doExec(p: Mproc, m: Message): i32 {
  const len = m.p1;
  if (len > ARG_MAX) return -E2BIG;
  if (len <= 0 || m.p2 < 0) return -EINVAL;
  const r = sysSafecopyFrom(p.ep, m.p0, 0, scratch, len);
  if (r != 0) return r;
  if (load<u8>(scratch + <usize>(len - 1)) != 0) return -EINVAL;
  const path = cString(scratch, len);
  let pathLen = 0;
  while (load<u8>(scratch + <usize>pathLen) != 0) pathLen++;
  const e = loadAndExec(p.ep, path);
  if (e != 0) return e;
  memory.copy(p.args, scratch, <usize>len);
  p.argLen = len;
  p.argOff = pathLen + 1;
  p.argc = m.p2;
  p.name = basename(path);
  serverForget(p.ep); // it runs the new program: no reply is owed
  vfsExec(p.ep);
  return SUSPEND;
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
  vfsFork(p.ep, ep);
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
  const i = bundleFind(name);
  if (i < 0) return -ENOENT;
  const r = kernelExec(c.ep, bundleImage(i), bundleSize(i));
  if (r != 0) return r;
  c.flags &= ~F_SRVNEW;
  c.name = name;
  c.argLen = 0;
  c.argOff = 0;
  c.argc = 0;
  return 0;
}
