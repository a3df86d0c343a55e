// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The client side of the file system (docs/fs.md): the POSIX-style file
// calls a user program makes to VFS (open, close, read, write, lseek, stat,
// fstat, lstat, mkdir, rmdir, unlink, rename, link, symlink, readlink, chdir, getcwd, getdents, pipe,
// dup, dup2, sync, ftruncate, mknod, chmod, mount, isatty).
//
// A call copies its path into a static buffer, grants that buffer (or the
// caller's data buffer) to VFS and sends the request; results come back in
// the reply. The grants are the process's grant slots FS_GRANT_PATH and
// FS_GRANT_DATA, reused by every call (a call replaces the previous grant).
// So every process that uses these calls needs the kernel call SETGRANT.
// Only writeString and getcwd allocate (their strings). VFS is found in ds
// under "vfs" at the first call (setVfs overrides).
//
// Errors: a call returns -errno (fs_proto.ts), as the system calls do.
//
// Entry points: setVfs, vfsEndpoint, FS_GRANT_PATH, FS_GRANT_DATA, the file
// calls, Stat.

import { Message, sendrec } from "./index";
import { sysSetGrant, dsLookup } from "./server";
import {
  GRANT_READ, GRANT_WRITE, ENOSYS,
  VFS_OPEN, VFS_CLOSE, VFS_READ, VFS_WRITE, VFS_LSEEK, VFS_STAT, VFS_FSTAT, VFS_MKDIR, VFS_RMDIR,
  VFS_UNLINK, VFS_RENAME, VFS_LINK, VFS_CHDIR, VFS_GETCWD, VFS_GETDENTS, VFS_PIPE, VFS_DUP2,
  VFS_SYNC, VFS_FTRUNCATE, VFS_MKNOD, VFS_MOUNT, VFS_ISATTY, VFS_CHMOD, VFS_LSTAT, VFS_READLINK, VFS_SYMLINK, PATH_MAX, ENAMETOOLONG, EINVAL,
} from "./fs_proto";

// ---- the file calls ---------------------------------------------------------

/** VFS's endpoint: asked of ds ("vfs") at the first call, unless setVfs said. */
let vfsEp: i32 = 0;

export function setVfs(ep: i32): void {
  vfsEp = ep;
}

export function vfsEndpoint(): i32 {
  if (vfsEp <= 0) {
    const ep = dsLookup("vfs");
    if (ep > 0) vfsEp = ep;
  }
  return vfsEp;
}

/** The grant slots the file calls use. */
export const FS_GRANT_PATH: i32 = 62;
export const FS_GRANT_DATA: i32 = 63;

const pathBuf: usize = memory.data(2 * PATH_MAX + 8);
const vm = new Message();

/** Put `s` (UTF-8) into the path buffer at `at`; its length, or -ENAMETOOLONG. */
function putPath(s: string, at: i32): i32 {
  const n = String.UTF8.byteLength(s, false);
  if (n > PATH_MAX) return -ENAMETOOLONG;
  String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, pathBuf + <usize>at, false);
  return n;
}

function call(type: i32): i32 {
  vm.m_type = type;
  const ep = vfsEndpoint();
  if (ep <= 0) return -ENOSYS;
  const r = sendrec(ep, vm);
  return r < 0 ? r : vm.p0;
}

function grantPath(len: i32): i32 {
  return sysSetGrant(FS_GRANT_PATH, vfsEndpoint(), pathBuf, len > 0 ? len : 1, GRANT_READ);
}

/** A call whose only argument is a path, plus up to two words. */
function pathCall(type: i32, path: string, a: i32, b: i32): i32 {
  const n = putPath(path, 0);
  if (n < 0) return n;
  const g = grantPath(n);
  if (g < 0) return g;
  vm.p0 = FS_GRANT_PATH; vm.p1 = n; vm.p2 = a; vm.p3 = b;
  return call(type);
}

/** A call with two paths (rename, link): both in the buffer, one grant. */
function twoPathCall(type: i32, a: string, b: string): i32 {
  const n = putPath(a, 0);
  if (n < 0) return n;
  const m = putPath(b, n);
  if (m < 0) return m;
  const g = grantPath(n + m);
  if (g < 0) return g;
  vm.p0 = FS_GRANT_PATH; vm.p1 = n; vm.p2 = m;
  return call(type);
}

function dataCall(type: i32, fd: i32, buf: usize, len: i32, access: i32): i32 {
  if (len < 0) return -EINVAL;
  if (len > 0) {
    const g = sysSetGrant(FS_GRANT_DATA, vfsEndpoint(), buf, len, access);
    if (g < 0) return g;
  }
  vm.p0 = fd; vm.p1 = FS_GRANT_DATA; vm.p2 = len;
  return call(type);
}

export function open(path: string, flags: i32, mode: i32 = 0o644): i32 {
  return pathCall(VFS_OPEN, path, flags, mode);
}

export function close(fd: i32): i32 {
  vm.p0 = fd;
  return call(VFS_CLOSE);
}

/** Read up to `len` bytes into `buf`: bytes read, 0 at the end of the file. */
export function read(fd: i32, buf: usize, len: i32): i32 {
  return dataCall(VFS_READ, fd, buf, len, GRANT_WRITE);
}

export function write(fd: i32, buf: usize, len: i32): i32 {
  return dataCall(VFS_WRITE, fd, buf, len, GRANT_READ);
}

/** Write a string as UTF-8 (through the path buffer when it fits, else in pieces). */
export function writeString(fd: i32, s: string): i32 {
  const bytes = String.UTF8.encode(s, false);
  return write(fd, changetype<usize>(bytes), bytes.byteLength);
}

export function lseek(fd: i32, offset: i32, whence: i32): i32 {
  vm.p0 = fd; vm.p1 = offset; vm.p2 = whence;
  return call(VFS_LSEEK);
}

/** A file's attributes, as stat and fstat fill them in. */
@unmanaged
export class Stat {
  ino: i32; mode: i32; size: i32; nlinks: i32; uid: i32; gid: i32;
  atime: i32; mtime: i32; ctime: i32; rdev: i32;
}

function fillStat(st: Stat): void {
  st.ino = vm.p1; st.mode = vm.p2; st.size = vm.p3; st.nlinks = vm.p4; st.uid = vm.p5;
  st.gid = vm.p6; st.atime = vm.p7; st.mtime = vm.p8; st.ctime = vm.p9; st.rdev = vm.p10;
}

export function stat(path: string, st: Stat): i32 {
  const r = pathCall(VFS_STAT, path, 0, 0);
  if (r >= 0) fillStat(st);
  return r;
}

/** As stat, but of a symbolic link itself when the path names one. */
export function lstat(path: string, st: Stat): i32 {
  const r = pathCall(VFS_LSTAT, path, 0, 0);
  if (r >= 0) fillStat(st);
  return r;
}

/** A symbolic link `name` whose target is the text `target`. */
export function symlink(target: string, name: string): i32 {
  return twoPathCall(VFS_SYMLINK, target, name);
}

/** The target of symbolic link `path` into `buf` (no NUL, at most `len` bytes): its length, or -errno. */
export function readlink(path: string, buf: usize, len: i32): i32 {
  if (len <= 0) return -EINVAL;
  const n = putPath(path, 0);
  if (n < 0) return n;
  let g = grantPath(n);
  if (g < 0) return g;
  g = sysSetGrant(FS_GRANT_DATA, vfsEndpoint(), buf, len, GRANT_WRITE);
  if (g < 0) return g;
  vm.p0 = FS_GRANT_PATH; vm.p1 = n; vm.p2 = FS_GRANT_DATA; vm.p3 = len;
  return call(VFS_READLINK);
}

export function fstat(fd: i32, st: Stat): i32 {
  vm.p0 = fd;
  const r = call(VFS_FSTAT);
  if (r >= 0) fillStat(st);
  return r;
}

export function mkdir(path: string, mode: i32 = 0o755): i32 {
  return pathCall(VFS_MKDIR, path, mode, 0);
}

export function rmdir(path: string): i32 {
  return pathCall(VFS_RMDIR, path, 0, 0);
}

export function unlink(path: string): i32 {
  return pathCall(VFS_UNLINK, path, 0, 0);
}

export function rename(from: string, to: string): i32 {
  return twoPathCall(VFS_RENAME, from, to);
}

export function link(existing: string, name: string): i32 {
  return twoPathCall(VFS_LINK, existing, name);
}

export function chdir(path: string): i32 {
  return pathCall(VFS_CHDIR, path, 0, 0);
}

export function chmod(path: string, mode: i32): i32 {
  return pathCall(VFS_CHMOD, path, mode, 0);
}

/** Make a special file: mode S_IFCHR or S_IFBLK with permissions, dev = major << 8 | minor. */
export function mknod(path: string, mode: i32, dev: i32): i32 {
  return pathCall(VFS_MKNOD, path, mode, dev);
}

/** The working directory into `buf` (no NUL): its length, or -errno. */
export function getcwdInto(buf: usize, len: i32): i32 {
  const g = sysSetGrant(FS_GRANT_DATA, vfsEndpoint(), buf, len, GRANT_WRITE);
  if (g < 0) return g;
  vm.p0 = FS_GRANT_DATA; vm.p1 = len;
  return call(VFS_GETCWD);
}

/** The working directory as a string ("" if it cannot be had). */
export function getcwd(): string {
  const n = getcwdInto(pathBuf, PATH_MAX);
  return n < 0 ? "" : String.UTF8.decodeUnsafe(pathBuf, <usize>n, false);
}

/** Directory entries of open directory `fd` into `buf` (DIRENT records, fs_proto.ts): bytes, 0 at the end. */
export function getdents(fd: i32, buf: usize, len: i32): i32 {
  return dataCall(VFS_GETDENTS, fd, buf, len, GRANT_WRITE);
}

/** A pipe: 0 and fds[0] (read end), fds[1] (write end), or -errno. */
export function pipe(fds: StaticArray<i32>): i32 {
  const r = call(VFS_PIPE);
  if (r >= 0) {
    fds[0] = vm.p1;
    fds[1] = vm.p2;
  }
  return r;
}

export function dup2(fd: i32, to: i32): i32 {
  vm.p0 = fd; vm.p1 = to;
  return call(VFS_DUP2);
}

export function dup(fd: i32): i32 {
  return dup2(fd, -1);
}

export function sync(): i32 {
  return call(VFS_SYNC);
}

export function ftruncate(fd: i32, len: i32): i32 {
  vm.p0 = fd; vm.p1 = len;
  return call(VFS_FTRUNCATE);
}

export function isatty(fd: i32): i32 {
  vm.p0 = fd;
  return call(VFS_ISATTY);
}

/** Mount the file server `fs` (on block driver `driver`, `minor`) at `path`. */
export function mount(path: string, fs: i32, driver: i32, minor: i32): i32 {
  const n = putPath(path, 0);
  if (n < 0) return n;
  const g = grantPath(n);
  if (g < 0) return g;
  vm.p0 = FS_GRANT_PATH; vm.p1 = n; vm.p2 = fs; vm.p3 = driver; vm.p4 = minor;
  return call(VFS_MOUNT);
}
