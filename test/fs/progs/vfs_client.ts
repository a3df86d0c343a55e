// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A user program of VFS through servers/lib/fs.ts: files (create, write,
// read, seek, append, truncate, exclusive create), directories (mkdir,
// getdents, chdir, getcwd, rmdir), names (rename, link, unlink), stat and
// fstat, descriptors (dup, dup2, close), a pipe within one process, the
// memory devices, the console (served by the test's stand-in driver), a
// second file system mounted on /mnt, and sync. Prints "key value" lines
// for test/fs/vfs.test.ts.

import {
  open, close, read, write, lseek, stat, fstat, mkdir, rmdir, unlink, rename, link, chdir, getcwd,
  getdents, pipe, dup, dup2, sync, ftruncate, mknod, mount, isatty, setVfs, Stat,
} from "../../../servers/lib/fs";
import {
  O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, SEEK_SET, SEEK_CUR, SEEK_END,
  S_IFCHR, S_IFMT, DIRENT_HEADER, VFS_OPEN, VFS_READ, VFS_REPLY,
} from "../../../servers/lib/fs_proto";
import { findProc, kv, kvs, check, done, fill, same } from "./tlib";
import { Message, sendrec } from "../../../servers/lib/index";

const BUF: i32 = 200 * 1024;
const buf: usize = heap.alloc(BUF);
const st = new Stat();

function writeStr(fd: i32, s: string): i32 {
  const b = String.UTF8.encode(s, false);
  return write(fd, changetype<usize>(b), b.byteLength);
}

function readStr(fd: i32, n: i32): string {
  const r = read(fd, buf, n);
  return r < 0 ? "E" + (-r).toString() : String.UTF8.decodeUnsafe(buf, <usize>r, false);
}

/** A directory's names, sorted, from getdents in small reads. */
function list(path: string): string {
  const fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return "E" + (-fd).toString();
  const names = new Array<string>();
  for (;;) {
    const n = getdents(fd, buf, 100);
    if (n <= 0) break;
    let at = 0;
    while (at < n) {
      const p = buf + <usize>at;
      const len = <i32>load<u8>(p, 4);
      names.push(String.UTF8.decodeUnsafe(p + <usize>DIRENT_HEADER, <usize>len, false));
      at += (DIRENT_HEADER + len + 3) & ~3;
    }
  }
  close(fd);
  names.sort();
  return names.join(",");
}

function files(): void {
  kv("enoent", open("/nope", O_RDONLY));
  const fd = open("/a.txt", O_RDWR | O_CREAT, 0o640);
  kv("fd", fd);
  kv("w1", writeStr(fd, "hello, "));
  kv("w2", writeStr(fd, "world\n"));
  kv("seek", lseek(fd, 7, SEEK_SET));
  kvs("r1", readStr(fd, 100));
  kv("seekend", lseek(fd, 0, SEEK_END));
  kv("seekcur", lseek(fd, -6, SEEK_CUR));
  kvs("r2", readStr(fd, 5));
  kv("fstat", fstat(fd, st));
  kv("fsize", st.size);
  kv("fmode", st.mode);
  kv("close", close(fd));
  kv("closeagain", close(fd));
  kv("readbad", read(fd, buf, 10));
  kv("excl", open("/a.txt", O_WRONLY | O_CREAT | O_EXCL));
  // Append, then truncate on open.
  const ap = open("/a.txt", O_WRONLY | O_APPEND);
  kv("append", writeStr(ap, "more\n"));
  close(ap);
  kv("stat", stat("/a.txt", st));
  kv("ssize", st.size);
  kv("slinks", st.nlinks);
  const rd = open("/a.txt", O_RDONLY);
  kv("writerdonly", writeStr(rd, "x"));
  close(rd);
  const tr = open("/t.txt", O_WRONLY | O_CREAT | O_TRUNC);
  writeStr(tr, "0123456789");
  close(tr);
  const tr2 = open("/t.txt", O_RDWR | O_TRUNC);
  writeStr(tr2, "ab");
  kv("ftrunc", ftruncate(tr2, 5));
  close(tr2);
  // A big file in pieces larger than VFS's buffer.
  fill(buf, BUF, 5);
  const big = open("/big", O_WRONLY | O_CREAT);
  kv("bigw", write(big, buf, BUF));
  close(big);
  memory.fill(buf, 0, BUF);
  const big2 = open("/big", O_RDONLY);
  kv("bigr", read(big2, buf, BUF));
  kv("bigsame", same(buf, BUF, 5) ? 1 : 0);
  kv("bigeof", read(big2, buf, 10));
  close(big2);
}

function dirs(): void {
  kv("mkdir", mkdir("/d"));
  kv("mkdirexists", mkdir("/d"));
  kv("mkdirroot", mkdir("/"));
  kv("mkdirnested", mkdir("/d/e"));
  kv("mkdirnoparent", mkdir("/x/y"));
  const f = open("/d/e/f", O_WRONLY | O_CREAT);
  writeStr(f, "in e");
  close(f);
  kvs("listd", list("/d"));
  kvs("listroot", list("/"));
  kv("notdir", open("/a.txt/x", O_RDONLY));
  kv("opendirw", open("/d", O_WRONLY));
  kv("chdir", chdir("/d/e"));
  kvs("cwd", getcwd());
  const r = open("f", O_RDONLY);
  kvs("relread", readStr(r, 10));
  close(r);
  kv("chdirdotdot", chdir("../.."));
  kvs("cwd2", getcwd());
  kv("chdirfile", chdir("/a.txt"));
  chdir("d");
  kvs("cwd3", getcwd());
  chdir("/");
  // Names.
  kv("rename", rename("/d/e/f", "/d/g"));
  kv("link", link("/d/g", "/h"));
  stat("/h", st);
  kv("hlinks", st.nlinks);
  kv("unlink", unlink("/d/g"));
  kv("rmdirfull", rmdir("/d"));
  kv("rmdire", rmdir("/d/e"));
  kv("rmdird", rmdir("/d"));
  kv("linkdir", link("/", "/r"));
  kvs("listroot2", list("/"));
}

function descriptors(): void {
  const fd = open("/h", O_RDONLY);
  const d = dup(fd);
  kv("dup", d > fd ? 1 : 0);
  kvs("dupread", readStr(d, 2));
  kvs("dupshares", readStr(fd, 2)); // the position is shared
  kv("dup2", dup2(fd, 15));
  kv("dup2same", dup2(15, 15));
  kv("dup2bad", dup2(19, 3));
  close(fd); close(d); close(15);
  // A pipe in one process.
  const fds = new StaticArray<i32>(2);
  kv("pipe", pipe(fds));
  kv("pipew", writeStr(fds[1], "through the pipe"));
  kvs("piper", readStr(fds[0], 100));
  kv("pipeseek", lseek(fds[0], 0, SEEK_SET));
  close(fds[1]);
  kv("pipeeof", read(fds[0], buf, 10));
  close(fds[0]);
  const p2 = new StaticArray<i32>(2);
  pipe(p2);
  close(p2[0]);
  kv("epipe", writeStr(p2[1], "x"));
  close(p2[1]);
}

function devices(): void {
  kv("mknodnull", mknod("/null", S_IFCHR | 0o666, (1 << 8) | 2));
  mknod("/zero", S_IFCHR | 0o666, (1 << 8) | 3);
  const n = open("/null", O_RDWR);
  kv("nullw", writeStr(n, "gone"));
  kv("nullr", read(n, buf, 10));
  kv("nulltty", isatty(n));
  close(n);
  const z = open("/zero", O_RDONLY);
  fill(buf, 5000, 1);
  kv("zeror", read(z, buf, 5000));
  kv("zeroes", load<u8>(buf) == 0 && load<u8>(buf + 4999) == 0 ? 1 : 0);
  close(z);
  kv("mknodtty", mknod("/console", S_IFCHR | 0o600, (4 << 8) | 0));
  const c = open("/console", O_RDWR);
  kv("ttyopen", c >= 0 ? 1 : 0);
  kv("isatty", isatty(c));
  kv("ttyw", writeStr(c, "to the console\n"));
  kvs("ttyr", readStr(c, 100));
  kvs("ttyr2", readStr(c, 100));
  stat("/console", st);
  kv("ttyrdev", st.rdev);
  kv("ttymode", st.mode & S_IFMT);
  close(c);
}

function mounts(): void {
  const mfs2 = findProc("mfs2");
  const blk = findProc("blk");
  kv("mkmnt", mkdir("/mnt"));
  kv("mount", mount("/mnt", mfs2, blk, 3));
  kvs("listmnt", list("/mnt"));
  const f = open("/mnt/other.txt", O_RDONLY);
  kvs("other", readStr(f, 100));
  close(f);
  const g = open("/mnt/new", O_WRONLY | O_CREAT);
  kv("mntwrite", writeStr(g, "on the second fs"));
  close(g);
  chdir("/mnt");
  const up = open("../a.txt", O_RDONLY);
  kvs("dotdotmnt", readStr(up, 5));
  close(up);
  kv("mksub", mkdir("/mnt/sub"));
  chdir("/mnt/sub");
  kvs("cwdmnt", getcwd());
  chdir("/");
  kv("rmsub", rmdir("/mnt/sub"));
  kv("xdev", rename("/mnt/new", "/new"));
  kv("rmdirmnt", rmdir("/mnt"));
}

/** Requests no fs.ts call would make: VFS must refuse them. */
function badRequests(vfs: i32): void {
  const m = new Message();
  m.m_type = VFS_OPEN; m.p0 = 40; m.p1 = 10; m.p2 = O_RDONLY;  // a grant that does not exist
  check(sendrec(vfs, m) == 0, "sendrec");
  kv("badgrant", m.p0);
  m.m_type = VFS_OPEN; m.p0 = 40; m.p1 = 100000; m.p2 = O_RDONLY;  // longer than PATH_MAX
  sendrec(vfs, m);
  kv("longpath", m.p0);
  m.m_type = VFS_READ; m.p0 = -3; m.p1 = 0; m.p2 = 10;
  sendrec(vfs, m);
  kv("badfd", m.p0);
  m.m_type = 0x3ff;
  sendrec(vfs, m);
  kv("badtype", m.m_type == VFS_REPLY ? m.p0 : -1);
}

export function main(): void {
  memory.fill(buf, 0, BUF);
  const vfs = findProc("vfs");
  check(vfs != 0, "vfs is running");
  setVfs(vfs);
  badRequests(vfs);
  files();
  dirs();
  descriptors();
  devices();
  mounts();
  kv("sync", sync());
  done();
}
