// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mfs: the MINIX v3 file system server (docs/fs.md, "mfs"). VFS mounts it on
// a block device (REQ_READSUPER names the driver and the minor) and then
// asks for inodes by number: lookups of single names, reads and writes
// through VFS's grants, the name-space changes of ops.ts, directory
// listings, truncation, sync. A symbolic link's target is read as its data
// (REQ_READ); REQ_SYMLINK makes one. It runs on the common server skeleton
// (lib/server.ts), replying FS_REPLY with the status in p0.
//
// The on-disk layout is util-linux's `mkfs.minix -3` (super.ts, inode.ts,
// dir.ts); blocks go through the cache (cache.ts), written back when
// recycled, on REQ_SYNC and at REQ_UNMOUNT. Reads do not update atime.
//
// Privileges: safecopyfrom, safecopyto, setgrant, times; sends to its block
// driver (blk) and ds.
//
// Entry points: main.

import { Message, printErr, printInt } from "../lib/index";
import {
  serverInit, serverCall, serverReplyType, serverOnNotify, serverRun, sysSafecopyFrom, sysSafecopyTo, dsSubscribe,
} from "../lib/server";
import { DS_EP } from "../lib/proto";
import {
  REQ_READSUPER, REQ_LOOKUP, REQ_STAT, REQ_READ, REQ_WRITE, REQ_CREATE, REQ_MKDIR, REQ_UNLINK, REQ_RMDIR,
  REQ_RENAME, REQ_LINK, REQ_TRUNC, REQ_GETDENTS, REQ_SYNC, REQ_PUTNODE, REQ_GETNODE, REQ_UNMOUNT,
  REQ_NEWDRIVER, REQ_CHMOD, REQ_SYMLINK, FS_REPLY, DIRENT_HEADER, EBUSY, EINVAL, EISDIR, ENOTDIR, EFBIG, DT_UNKNOWN,
  DT_REG, DT_DIR, DT_CHR, DT_LNK, S_IFMT, S_IFREG, S_IFDIR, S_IFCHR, S_IFLNK,
} from "../lib/fs_proto";
import { BLOCK, bget, bput, bdirty, baddr, bcached, bsync, bdirtyCount, binvalidate, bdevOpen, bdevSetDriver, bdevDriver, bdevFromDs, bprefetch } from "./cache";
import { readSuper, sbMaxSize } from "./super";
import {
  INODE_SIZE, iget, iput, isDir, bmap, itruncate, i_size, i_mode, i_mtime, i_ctime,
  set_size, set_mtime, set_ctime, set_mode, set_uid, set_gid, setEpoch, now,
} from "./inode";
import { DIRENT, dirSearch, dirEntryAt } from "./dir";
import {
  NAME1, fetchName, putAttrs, refGet, refPut, refsClear, releaseIfUnused,
} from "./names";
import { doCreate, doSymlink, doMkdir, doUnlink, doRmdir, doLink, doRename } from "./ops";

const ROOT_INO: u32 = 1;
const IP: usize = memory.data(INODE_SIZE);
const EP: usize = memory.data(INODE_SIZE);
const FOUND: usize = memory.data(4);
const ZERO: usize = memory.data(BLOCK);
const ENT: usize = memory.data(DIRENT);
const DENTS_MAX: i32 = 4096;
const DENTS: usize = memory.data(DENTS_MAX);
/** Blocks read ahead when a file read misses the cache. */
const READ_AHEAD: i32 = 32;

let mounted = false;

function doReadsuper(m: Message): i32 {
  if (mounted) return -EBUSY;
  binvalidate();
  refsClear();
  const sectors = bdevOpen(m.p0, m.p1);
  if (sectors < 0) return <i32>sectors;
  let r = readSuper(<u32>(sectors / 2));
  if (r < 0) return r;
  r = iget(ROOT_INO, IP);
  if (r < 0) return r;
  if (!isDir(IP)) return -EINVAL;
  setEpoch(max(i_mtime(IP), i_ctime(IP)));
  mounted = true;
  registerCalls(true);
  // A restarted driver is published again in ds: be told (no ds, no matter).
  dsSubscribe("blk");
  putAttrs(m, ROOT_INO, IP);
  return 0;
}

function doLookup(m: Message): i32 {
  let r = fetchName(m, m.p1, 0, m.p2, NAME1);
  if (r < 0) return r;
  r = iget(<u32>m.p0, IP);
  if (r < 0) return r;
  if (!isDir(IP)) return -ENOTDIR;
  const s = dirSearch(IP, NAME1, m.p2, FOUND);
  if (s < 0) return <i32>s;
  const ino = load<u32>(FOUND);
  r = iget(ino, IP);
  if (r < 0) return r;
  putAttrs(m, ino, IP);
  return 0;
}

function doStat(m: Message): i32 {
  const r = iget(<u32>m.p0, IP);
  if (r < 0) return r;
  putAttrs(m, <u32>m.p0, IP);
  return 0;
}

/**
 * The bytes of the file (slot IP) from block k, offset off, that lie in one
 * run of adjacent cache buffers starting at buffer i: at most `want`.
 */
function runLength(i: i32, z: u32, k: u32, off: i32, want: i32): i32 {
  let n = min(BLOCK - off, want);
  for (let x = 1; n < want; x++) {
    const zx = bmap(IP, k + <u32>x, false);
    if (zx != <i64>(z + <u32>x) || bcached(<u32>zx) != i + x) break;
    n += min(BLOCK, want - n);
  }
  return n;
}

/** p0 inode, p1 grant, p2 position, p3 count -> bytes. */
function doRead(m: Message): i32 {
  let r = iget(<u32>m.p0, IP);
  if (r < 0) return r;
  const pos = <u32>m.p2, size = i_size(IP);
  if (m.p2 < 0 || m.p3 < 0) return -EINVAL;
  if (pos >= size) return 0;
  const count = <i32>min(<u32>m.p3, size - pos);
  let done = 0;
  while (done < count) {
    const at = pos + <u32>done;
    const k = at / <u32>BLOCK;
    const off = <i32>(at % <u32>BLOCK);
    const z = bmap(IP, k, false);
    if (z < 0) return done > 0 ? done : <i32>z;
    let n: i32;
    if (z == 0) {
      n = min(BLOCK - off, count - done);
      r = sysSafecopyTo(m.m_source, m.p1, done, ZERO, n);
    } else {
      // Read ahead to the end of the file (a reader that goes on gets the rest from the cache).
      const left = <i32>((size - at + <u32>off + <u32>BLOCK - 1) / <u32>BLOCK);
      if (left > 1 && bcached(<u32>z) < 0) bprefetch(<u32>z, min(left, READ_AHEAD));
      const i = bget(<u32>z, true);
      if (i < 0) return done > 0 ? done : i;
      // As much as lies in adjacent buffers goes in one copy.
      n = runLength(i, <u32>z, k, off, count - done);
      r = sysSafecopyTo(m.m_source, m.p1, done, baddr(i) + <usize>off, n);
      bput(i);
    }
    if (r < 0) return done > 0 ? done : r;
    done += n;
  }
  return done;
}

/** p0 inode, p1 grant, p2 position, p3 count -> bytes, p1 the new size. */
function doWrite(m: Message): i32 {
  const ino = <u32>m.p0;
  let r = iget(ino, IP);
  if (r < 0) return r;
  if (isDir(IP)) return -EISDIR;
  if (m.p2 < 0 || m.p3 < 0) return -EINVAL;
  const pos = <u32>m.p2, count = m.p3;
  if (<u64>pos + <u64>count > <u64>sbMaxSize) return -EFBIG;
  let done = 0, err = 0;
  while (done < count) {
    const at = pos + <u32>done;
    const off = <i32>(at % <u32>BLOCK);
    const n = min(BLOCK - off, count - done);
    const z = bmap(IP, at / <u32>BLOCK, true);
    if (z < 0) { err = <i32>z; break; }
    // A whole block is overwritten: no need to read it first.
    const i = bget(<u32>z, n < BLOCK);
    if (i < 0) { err = i; break; }
    r = sysSafecopyFrom(m.m_source, m.p1, done, baddr(i) + <usize>off, n);
    if (r == 0) bdirty(i);
    bput(i);
    if (r < 0) { err = r; break; }
    done += n;
  }
  if (pos + <u32>done > i_size(IP)) set_size(IP, pos + <u32>done);
  if (done > 0) {
    const t = now();
    set_mtime(IP, t);
    set_ctime(IP, t);
  }
  r = iput(ino, IP);
  if (r < 0) return r;
  m.p1 = <i32>i_size(IP);
  return done > 0 || err == 0 ? done : err;
}

/** p0 inode, p1 size. */
function doTrunc(m: Message): i32 {
  const ino = <u32>m.p0;
  let r = iget(ino, IP);
  if (r < 0) return r;
  if (isDir(IP)) return -EISDIR;
  if (m.p1 < 0 || <u32>m.p1 > sbMaxSize) return -EINVAL;
  r = itruncate(IP, <u32>m.p1);
  if (r < 0) return r;
  const t = now();
  set_mtime(IP, t);
  set_ctime(IP, t);
  return iput(ino, IP);
}

function dtype(mode: u32): u8 {
  const t = mode & <u32>S_IFMT;
  if (t == <u32>S_IFREG) return <u8>DT_REG;
  if (t == <u32>S_IFDIR) return <u8>DT_DIR;
  if (t == <u32>S_IFCHR) return <u8>DT_CHR;
  if (t == <u32>S_IFLNK) return <u8>DT_LNK;
  return <u8>DT_UNKNOWN;
}

/** p0 dir, p1 grant, p2 position (entry index), p3 buffer size -> bytes, p1 next position. */
function doGetdents(m: Message): i32 {
  let r = iget(<u32>m.p0, IP);
  if (r < 0) return r;
  if (!isDir(IP)) return -ENOTDIR;
  if (m.p2 < 0 || m.p3 <= 0) return -EINVAL;
  const room = min(m.p3, DENTS_MAX);
  const size = i_size(IP);
  let index = <u32>m.p2, out = 0;
  while (index * <u32>DIRENT < size) {
    r = dirEntryAt(IP, index * <u32>DIRENT, ENT);
    if (r < 0) return r;
    if (r == 1) {
      let len = 0;
      while (len < 60 && load<u8>(ENT + 4 + <usize>len) != 0) len++;
      const rec = (DIRENT_HEADER + len + 3) & ~3;
      if (out + rec > room) {
        if (out == 0) return -EINVAL;
        break;
      }
      const ino = load<u32>(ENT);
      const rp = DENTS + <usize>out;
      store<u32>(rp, ino);
      store<u8>(rp, <u8>len, 4);
      store<u8>(rp, iget(ino, EP) == 0 ? dtype(i_mode(EP)) : <u8>DT_UNKNOWN, 5);
      store<u16>(rp, 0, 6);
      memory.copy(rp + <usize>DIRENT_HEADER, ENT + 4, <usize>len);
      memory.fill(rp + <usize>(DIRENT_HEADER + len), 0, <usize>(rec - DIRENT_HEADER - len));
      out += rec;
    }
    index++;
  }
  if (out > 0) {
    r = sysSafecopyTo(m.m_source, m.p1, 0, DENTS, out);
    if (r < 0) return r;
  }
  m.p1 = <i32>index;
  return out;
}

/** p0 inode, p1 mode (permissions), p2 uid, p3 gid, p4 which (1 mode, 2 owner). */
function doChmod(m: Message): i32 {
  const ino = <u32>m.p0;
  const r = iget(ino, IP);
  if (r < 0) return r;
  if ((m.p4 & 1) != 0) set_mode(IP, (i_mode(IP) & <u32>S_IFMT) | (<u32>m.p1 & 0o7777));
  if ((m.p4 & 2) != 0) { set_uid(IP, <u32>m.p2); set_gid(IP, <u32>m.p3); }
  set_ctime(IP, now());
  return iput(ino, IP);
}

function doSync(m: Message): i32 { return bsync(); }

function doGetnode(m: Message): i32 { return refGet(<u32>m.p0); }

function doPutnode(m: Message): i32 {
  const r = refPut(<u32>m.p0);
  if (r < 0) return r;
  return r == 1 ? releaseIfUnused(<u32>m.p0) : 0;
}

/**
 * Write everything back and stop serving the file system. At shutdown a
 * failure is the last word anyone hears of these changes: say it on the
 * console.
 */
function doUnmount(m: Message): i32 {
  const r = bsync();
  if (r < 0) {
    printErr("mfs: unmount: ");
    printInt(bdirtyCount(), 2);
    printErr(" changed blocks not written to the disk (error ");
    printInt(-r, 2);
    printErr(")\n");
  }
  mounted = false;
  registerCalls(false);
  return r;
}

function doNewdriver(m: Message): i32 { return bdevSetDriver(m.p0); }

/**
 * The call table: before a mount only REQ_READSUPER and REQ_NEWDRIVER (the
 * rest answer -ENOSYS), after it everything.
 */
function registerCalls(all: bool): void {
  serverInit("mfs", REQ_READSUPER, REQ_SYMLINK - REQ_READSUPER + 1);
  serverCall(REQ_READSUPER, doReadsuper);
  serverCall(REQ_NEWDRIVER, doNewdriver);
  if (!all) return;
  serverCall(REQ_LOOKUP, doLookup);
  serverCall(REQ_STAT, doStat);
  serverCall(REQ_READ, doRead);
  serverCall(REQ_WRITE, doWrite);
  serverCall(REQ_CREATE, doCreate);
  serverCall(REQ_MKDIR, doMkdir);
  serverCall(REQ_UNLINK, doUnlink);
  serverCall(REQ_RMDIR, doRmdir);
  serverCall(REQ_RENAME, doRename);
  serverCall(REQ_LINK, doLink);
  serverCall(REQ_TRUNC, doTrunc);
  serverCall(REQ_GETDENTS, doGetdents);
  serverCall(REQ_SYNC, doSync);
  serverCall(REQ_PUTNODE, doPutnode);
  serverCall(REQ_GETNODE, doGetnode);
  serverCall(REQ_UNMOUNT, doUnmount);
  serverCall(REQ_CHMOD, doChmod);
  serverCall(REQ_SYMLINK, doSymlink);
}

/** ds says a name changed: the driver may have been restarted. */
function onNotify(m: Message): void {
  if (m.m_source == DS_EP) bdevFromDs(bdevDriver());
}

export function main(): i32 {
  binvalidate();
  registerCalls(false);
  serverReplyType(FS_REPLY);
  serverOnNotify(onNotify);
  serverRun();
  return 0;
}
