// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A client of mfs speaking the file server protocol (fs_proto.ts REQ_*) as
// VFS does: mount partition 2 through blk, look names up, read files made by
// the host's image library, then create, write, rename, link, unlink,
// truncate and remove, list directories, and sync. Prints "key value"
// lines; test/fs/mfs.test.ts checks them and the disk (image library and
// fsck.minix).

import { Message, sendrec } from "../../../servers/lib/index";
import { sysSetGrant } from "../../../servers/lib/server";
import {
  REQ_READSUPER, REQ_LOOKUP, REQ_STAT, REQ_READ, REQ_WRITE, REQ_CREATE, REQ_MKDIR, REQ_UNLINK, REQ_RMDIR,
  REQ_RENAME, REQ_LINK, REQ_TRUNC, REQ_GETDENTS, REQ_SYNC, REQ_GETNODE, REQ_PUTNODE, FS_REPLY,
  GRANT_READ, GRANT_WRITE, S_IFREG, S_IFCHR, DIRENT_HEADER,
} from "../../../servers/lib/fs_proto";
import { findProc, kv, kvs, check, done, fill, same } from "./tlib";

const BUF_SIZE: i32 = 512 * 1024;
const buf: usize = heap.alloc(BUF_SIZE);
const names: usize = memory.data(256);
const m = new Message();
let mfs: i32 = 0;
const G_NAME: i32 = 3;
const G_BUF: i32 = 4;

function req(type: i32): i32 {
  m.m_type = type;
  const r = sendrec(mfs, m);
  if (r < 0) return r;
  check(m.m_type == FS_REPLY, "reply type");
  return m.p0;
}

/** Put one or two names in the name buffer and grant it. */
function setNames(a: string, b: string): i32 {
  const n = String.UTF8.encodeUnsafe(changetype<usize>(a), a.length, names, false);
  const k = String.UTF8.encodeUnsafe(changetype<usize>(b), b.length, names + n, false);
  check(sysSetGrant(G_NAME, mfs, names, <i32>(n + k) + 1, GRANT_READ) == 0, "grant names");
  return <i32>n;
}

function lookup(dir: i32, name: string): i32 {
  const n = setNames(name, "");
  m.p0 = dir; m.p1 = G_NAME; m.p2 = n;
  const r = req(REQ_LOOKUP);
  return r < 0 ? r : m.p1;
}

function create(dir: i32, name: string, mode: i32, dev: i32 = 0): i32 {
  const n = setNames(name, "");
  m.p0 = dir; m.p1 = G_NAME; m.p2 = n; m.p3 = mode; m.p4 = 7; m.p5 = 8; m.p6 = dev;
  const r = req(REQ_CREATE);
  return r < 0 ? r : m.p1;
}

function mkdir(dir: i32, name: string): i32 {
  const n = setNames(name, "");
  m.p0 = dir; m.p1 = G_NAME; m.p2 = n; m.p3 = 0o750; m.p4 = 0; m.p5 = 0;
  const r = req(REQ_MKDIR);
  return r < 0 ? r : m.p1;
}

function nameOp(type: i32, dir: i32, name: string, extra: i32): i32 {
  const n = setNames(name, "");
  m.p0 = dir; m.p1 = G_NAME; m.p2 = n; m.p3 = extra;
  return req(type);
}

function rename(odir: i32, a: string, ndir: i32, b: string): i32 {
  const n = setNames(a, b);
  m.p0 = odir; m.p1 = G_NAME; m.p2 = n; m.p3 = ndir; m.p4 = String.UTF8.byteLength(b, false);
  return req(REQ_RENAME);
}

function rw(type: i32, ino: i32, pos: i32, count: i32): i32 {
  check(sysSetGrant(G_BUF, mfs, buf, BUF_SIZE, type == REQ_READ ? GRANT_WRITE : GRANT_READ) == 0, "grant buf");
  m.p0 = ino; m.p1 = G_BUF; m.p2 = pos; m.p3 = count;
  return req(type);
}

function statSize(ino: i32): i32 {
  m.p0 = ino;
  const r = req(REQ_STAT);
  return r < 0 ? r : m.p3;
}

/** A checksum of [p, p+len) the host recomputes: sum of byte * (index % 251 + 1). */
function sum(p: usize, len: i32): i64 {
  let s: i64 = 0;
  for (let i = 0; i < len; i++) s += <i64>load<u8>(p + <usize>i) * <i64>(i % 251 + 1);
  return s;
}

/** The names in a directory, space-separated, from REQ_GETDENTS in small pieces. */
function list(dir: i32): string {
  let out = "";
  let pos = 0;
  for (;;) {
    check(sysSetGrant(G_BUF, mfs, buf, 200, GRANT_WRITE) == 0, "grant dents");
    m.p0 = dir; m.p1 = G_BUF; m.p2 = pos; m.p3 = 200;
    const n = req(REQ_GETDENTS);
    if (n <= 0) return n < 0 ? "error" : out;
    pos = m.p1;
    let at = 0;
    while (at < n) {
      const p = buf + <usize>at;
      const len = <i32>load<u8>(p, 4);
      out += String.UTF8.decodeUnsafe(p + <usize>DIRENT_HEADER, <usize>len, false);
      out += ":" + load<u8>(p, 5).toString() + " ";
      at += (DIRENT_HEADER + len + 3) & ~3;
    }
  }
  return out;
}

export function main(): void {
  // Touch the heap buffer: the kernel's safe copies do not map untouched pages.
  memory.fill(buf, 0, BUF_SIZE);
  mfs = findProc("mfs");
  const blk = findProc("blk");
  check(mfs != 0 && blk != 0, "servers running");
  kv("enosys", req(REQ_LOOKUP));
  m.p0 = blk; m.p1 = 2; m.p2 = 0;
  kv("mount", req(REQ_READSUPER));
  kv("rootino", m.p1);
  kv("rootmode", m.p2);
  kv("remount", req(REQ_READSUPER));

  // Reading what the host made.
  const hello = lookup(1, "hello.txt");
  kv("hello", hello);
  kv("hellosize", statSize(hello));
  const n = rw(REQ_READ, hello, 0, 100);
  kvs("hellotext", String.UTF8.decodeUnsafe(buf, <usize>n, false));
  kv("hellomid", rw(REQ_READ, hello, 6, 3));
  kvs("hellomidtext", String.UTF8.decodeUnsafe(buf, 3, false));
  kv("helloeof", rw(REQ_READ, hello, 1000, 10));
  const big = lookup(1, "big.bin");
  const bigSize = statSize(big);
  kv("bigread", rw(REQ_READ, big, 0, bigSize));
  kv("bigsum", sum(buf, bigSize));
  const sub = lookup(1, "dir");
  kv("nested", lookup(sub, "nested.txt"));
  kv("dotdot", lookup(sub, ".."));
  kv("enoent", lookup(1, "nope"));
  kv("enotdir", lookup(hello, "x"));
  kv("elong", lookup(1, "a123456789b123456789c123456789d123456789e123456789f123456789g"));
  kv("eslash", lookup(1, "dir/nested.txt"));

  // Creating and writing.
  const f = create(1, "new.txt", S_IFREG | 0o640);
  kv("create", f);
  kv("eexist", create(1, "new.txt", S_IFREG | 0o640));
  fill(buf, 5000, 11);
  kv("write", rw(REQ_WRITE, f, 0, 5000));
  kv("newsize", m.p1);
  fill(buf, 100, 12);
  kv("overwrite", rw(REQ_WRITE, f, 1000, 100));
  // A write far past the end leaves a hole.
  fill(buf, 10, 13);
  kv("holewrite", rw(REQ_WRITE, f, 20000, 10));
  kv("holesize", statSize(f));
  kv("holeread", rw(REQ_READ, f, 19990, 20));
  kv("holezero", load<u8>(buf) == 0 && load<u8>(buf + 9) == 0 && same(buf + 10, 10, 13) ? 1 : 0);

  // A file past the single indirect block (7 + 256 blocks): 400 KiB.
  const large = create(1, "large.bin", S_IFREG | 0o644);
  fill(buf, 400 * 1024, 21);
  kv("largewrite", rw(REQ_WRITE, large, 0, 400 * 1024));
  memory.fill(buf, 0, 400 * 1024);
  kv("largeread", rw(REQ_READ, large, 0, 400 * 1024));
  kv("largesame", same(buf, 400 * 1024, 21) ? 1 : 0);

  // Directories, names, links.
  const d1 = mkdir(1, "d1");
  kv("mkdir", d1);
  kv("d1links", m.p4);
  const inner = mkdir(d1, "inner");
  kv("inner", inner);
  const g = create(d1, "f", S_IFREG | 0o600);
  kv("rename", rename(d1, "f", d1, "g"));
  kv("renamed", lookup(d1, "g") == g ? 1 : 0);
  kv("renamegone", lookup(d1, "f"));
  kv("link", nameOp(REQ_LINK, 1, "h", g));
  m.p0 = g; req(REQ_STAT);
  kv("glinks", m.p4);
  kv("rmdirfull", nameOp(REQ_RMDIR, 1, "d1", 0));
  kv("rmdirfile", nameOp(REQ_RMDIR, d1, "g", 0));
  kv("unlinkdir", nameOp(REQ_UNLINK, 1, "d1", 0));
  kv("rmdirinner", nameOp(REQ_RMDIR, d1, "inner", 0));
  // Move a directory to another parent; and into itself, which is refused.
  const d2 = mkdir(1, "d2");
  const moved = mkdir(d1, "moved");
  kv("rendir", rename(d1, "moved", d2, "moved2"));
  kv("movedparent", lookup(moved, "..") == d2 ? 1 : 0);
  kv("renloop", rename(1, "d2", moved, "x"));
  // Replace an existing file by rename.
  const victim = create(1, "victim", S_IFREG | 0o644);
  kv("renreplace", rename(d1, "g", 1, "victim"));
  kv("replaced", lookup(1, "victim") == g ? 1 : 0);
  kv("victimfree", m.p4);
  kv("unlinkh", nameOp(REQ_UNLINK, 1, "h", 0));
  kv("unlinkhello", nameOp(REQ_UNLINK, 1, "hello.txt", 0));
  // An open file that loses its last name lives until its last reference goes.
  const tmp = create(1, "tmp", S_IFREG | 0o644);
  m.p0 = tmp; req(REQ_GETNODE);
  fill(buf, 3000, 31);
  rw(REQ_WRITE, tmp, 0, 3000);
  kv("unlinkopen", nameOp(REQ_UNLINK, 1, "tmp", 0));
  memory.fill(buf, 0, 3000);
  kv("readunlinked", rw(REQ_READ, tmp, 0, 3000));
  kv("unlinkedsame", same(buf, 3000, 31) ? 1 : 0);
  m.p0 = tmp;
  kv("putnode", req(REQ_PUTNODE));
  kv("victim", victim);
  // Special files and truncation.
  kv("mknod", create(1, "console", S_IFCHR | 0o600, 0x0400) > 0 ? 1 : 0);
  kv("rdev", m.p10);
  m.p0 = big; m.p1 = 10000;
  kv("trunc", req(REQ_TRUNC));
  kv("truncsize", statSize(big));
  m.p0 = large; m.p1 = 3000;
  kv("trunclarge", req(REQ_TRUNC));
  m.p0 = large; m.p1 = 8000;
  kv("grow", req(REQ_TRUNC));
  kv("growread", rw(REQ_READ, large, 0, 8000));
  kv("growsame", same(buf, 3000, 21) && load<u8>(buf + 3000) == 0 && load<u8>(buf + 7999) == 0 ? 1 : 0);

  kvs("root", list(1));
  kvs("d1list", list(d1));
  kv("sync", req(REQ_SYNC));
  done();
}
