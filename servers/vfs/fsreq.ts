// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// VFS's requests to file servers (fs_proto.ts REQ_*), one function per
// request. Names go through NAMEBUF, file data through IOBUF; both are
// granted to each mounted file server once (grant ids by mount). The
// attributes a server returns (lookup, stat, create, mkdir) are kept in
// the res* variables until the next request.
//
// Entry points: IOBUF, IO_MAX, NAMEBUF, fsGrant, fs*, res*.

import { Message, sendrec } from "../lib/index";
import { sysSetGrant } from "../lib/server";
import {
  REQ_READSUPER, REQ_LOOKUP, REQ_STAT, REQ_READ, REQ_WRITE, REQ_CREATE, REQ_MKDIR, REQ_UNLINK,
  REQ_RMDIR, REQ_RENAME, REQ_LINK, REQ_TRUNC, REQ_GETDENTS, REQ_SYNC, REQ_PUTNODE, REQ_GETNODE,
  REQ_UNMOUNT, REQ_CHMOD, REQ_NEWDRIVER, REQ_SYMLINK, FS_REPLY, GRANT_READ, GRANT_WRITE, EIO, NAME_MAX,
} from "../lib/fs_proto";
import { mntFs } from "./tables";
import { touch } from "./arrays";

/** The largest transfer between VFS and a file server. */
export const IO_MAX: i32 = 65536;
export const IOBUF: usize = heap.alloc(IO_MAX);
export const NAMEBUF: usize = memory.data(2 * NAME_MAX + 8);

const GRANT_NAME: i32 = 0;  // + mount
const GRANT_IO: i32 = 8;    // + mount

export let resIno: i32 = 0;
export let resMode: i32 = 0;
export let resSize: i32 = 0;
export let resNlinks: i32 = 0;
export let resRdev: i32 = 0;
export let resNext: i32 = 0;

const fm = new Message();

/** The attributes of the last reply, into p1..p10 of `m` (for stat). */
export function resAttrs(m: Message): void {
  for (let i = 1; i <= 10; i++) m.setI32(i, fm.getI32(i));
}

/** Grant mount `mnt`'s server the name and data buffers. */
export function fsGrant(mnt: i32): i32 {
  touch(IOBUF, IO_MAX);
  const ep = mntFs[mnt];
  const r = sysSetGrant(GRANT_NAME + mnt, ep, NAMEBUF, 2 * NAME_MAX + 8, GRANT_READ);
  if (r < 0) return r;
  return sysSetGrant(GRANT_IO + mnt, ep, IOBUF, IO_MAX, GRANT_READ | GRANT_WRITE);
}

function call(mnt: i32, type: i32): i32 {
  fm.m_type = type;
  const r = sendrec(mntFs[mnt], fm);
  if (r < 0) return r;
  if (fm.m_type != FS_REPLY) return -EIO;
  const s = fm.p0;
  if (s >= 0 && (type == REQ_LOOKUP || type == REQ_STAT || type == REQ_CREATE || type == REQ_MKDIR || type == REQ_SYMLINK || type == REQ_READSUPER)) {
    resIno = fm.p1; resMode = fm.p2; resSize = fm.p3; resNlinks = fm.p4; resRdev = fm.p10;
  }
  return s;
}

function nameReq(mnt: i32, dir: i32, name: usize, len: i32): void {
  memory.copy(NAMEBUF, name, <usize>len);
  fm.clear();
  fm.p0 = dir; fm.p1 = GRANT_NAME + mnt; fm.p2 = len;
}

export function fsReadsuper(mnt: i32, driver: i32, minor: i32): i32 {
  fm.clear();
  fm.p0 = driver; fm.p1 = minor;
  return call(mnt, REQ_READSUPER);
}

export function fsLookup(mnt: i32, dir: i32, name: usize, len: i32): i32 {
  nameReq(mnt, dir, name, len);
  return call(mnt, REQ_LOOKUP);
}

export function fsStat(mnt: i32, ino: i32): i32 {
  fm.clear();
  fm.p0 = ino;
  return call(mnt, REQ_STAT);
}

/** Read `count` (<= IO_MAX) bytes at `pos` into IOBUF: bytes read, or -errno. */
export function fsRead(mnt: i32, ino: i32, pos: i32, count: i32): i32 {
  fm.clear();
  fm.p0 = ino; fm.p1 = GRANT_IO + mnt; fm.p2 = pos; fm.p3 = count;
  return call(mnt, REQ_READ);
}

/** Write `count` bytes of IOBUF at `pos`: bytes written (resSize the new size), or -errno. */
export function fsWrite(mnt: i32, ino: i32, pos: i32, count: i32): i32 {
  fm.clear();
  fm.p0 = ino; fm.p1 = GRANT_IO + mnt; fm.p2 = pos; fm.p3 = count;
  const r = call(mnt, REQ_WRITE);
  if (r >= 0) resSize = fm.p1;
  return r;
}

export function fsCreate(mnt: i32, dir: i32, name: usize, len: i32, mode: i32, dev: i32): i32 {
  nameReq(mnt, dir, name, len);
  fm.p3 = mode; fm.p6 = dev;
  return call(mnt, REQ_CREATE);
}

/** A symbolic link `name` in `dir` whose target is the first `tlen` bytes of IOBUF. */
export function fsSymlink(mnt: i32, dir: i32, name: usize, len: i32, tlen: i32): i32 {
  nameReq(mnt, dir, name, len);
  fm.p3 = GRANT_IO + mnt; fm.p4 = tlen;
  return call(mnt, REQ_SYMLINK);
}

export function fsMkdir(mnt: i32, dir: i32, name: usize, len: i32, mode: i32): i32 {
  nameReq(mnt, dir, name, len);
  fm.p3 = mode;
  return call(mnt, REQ_MKDIR);
}

export function fsUnlink(mnt: i32, dir: i32, name: usize, len: i32): i32 {
  nameReq(mnt, dir, name, len);
  return call(mnt, REQ_UNLINK);
}

export function fsRmdir(mnt: i32, dir: i32, name: usize, len: i32): i32 {
  nameReq(mnt, dir, name, len);
  return call(mnt, REQ_RMDIR);
}

export function fsLink(mnt: i32, dir: i32, name: usize, len: i32, ino: i32): i32 {
  nameReq(mnt, dir, name, len);
  fm.p3 = ino;
  return call(mnt, REQ_LINK);
}

export function fsRename(mnt: i32, odir: i32, oname: usize, olen: i32, ndir: i32, nname: usize, nlen: i32): i32 {
  nameReq(mnt, odir, oname, olen);
  memory.copy(NAMEBUF + <usize>olen, nname, <usize>nlen);
  fm.p3 = ndir; fm.p4 = nlen;
  return call(mnt, REQ_RENAME);
}

export function fsTrunc(mnt: i32, ino: i32, size: i32): i32 {
  fm.clear();
  fm.p0 = ino; fm.p1 = size;
  return call(mnt, REQ_TRUNC);
}

/** Directory entries from entry `pos` into IOBUF (at most `size` bytes): bytes, resNext the next position. */
export function fsGetdents(mnt: i32, dir: i32, pos: i32, size: i32): i32 {
  fm.clear();
  fm.p0 = dir; fm.p1 = GRANT_IO + mnt; fm.p2 = pos; fm.p3 = size;
  const r = call(mnt, REQ_GETDENTS);
  if (r >= 0) resNext = fm.p1;
  return r;
}
export function fsChmod(mnt: i32, ino: i32, mode: i32): i32 {
  fm.clear();
  fm.p0 = ino; fm.p1 = mode; fm.p4 = 1;
  return call(mnt, REQ_CHMOD);
}

export function fsSimple(mnt: i32, type: i32, a: i32): i32 {
  fm.clear();
  fm.p0 = a;
  return call(mnt, type);
}

export function fsSync(mnt: i32): i32 { return fsSimple(mnt, REQ_SYNC, 0); }
export function fsUnmount(mnt: i32): i32 { return fsSimple(mnt, REQ_UNMOUNT, 0); }
export function fsGetnode(mnt: i32, ino: i32): i32 { return fsSimple(mnt, REQ_GETNODE, ino); }
export function fsPutnode(mnt: i32, ino: i32): i32 { return fsSimple(mnt, REQ_PUTNODE, ino); }
export function fsNewdriver(mnt: i32, ep: i32): i32 { return fsSimple(mnt, REQ_NEWDRIVER, ep); }
