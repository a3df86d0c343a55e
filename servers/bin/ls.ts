// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// ls [-l] [path...]: the names in each directory (sorted; those starting
// with "." only with -a), or the file itself. -l adds the type and
// permissions, the link count and the size, and shows a symbolic link
// itself ("name -> target"; a link named on the command line too).
import { argc, argv, open, close, out } from "../lib/posix";
import * as fs from "../lib/fs";
import { zalloc } from "../lib/server";
import { O_RDONLY, O_DIRECTORY, S_IFMT, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFLNK, DIRENT_HEADER } from "../lib/fs_proto";
import { needVfs, complain, joinPath } from "./util";

let long = false;
let all = false;

function modeString(mode: i32): string {
  const t = mode & S_IFMT;
  let s = t == S_IFDIR ? "d" : t == S_IFCHR ? "c" : t == S_IFBLK ? "b" : t == S_IFIFO ? "p" : t == S_IFLNK ? "l" : "-";
  const rwx = "rwxrwxrwx";
  for (let i = 0; i < 9; i++) s += (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : "-";
  return s;
}

function pad(s: string, w: i32): string {
  let r = s;
  while (r.length < w) r = " " + r;
  return r;
}

function show(path: string, name: string): i32 {
  if (!long) { out(name + "\n"); return 0; }
  const st = new fs.Stat();
  const r = fs.lstat(path, st);
  if (r < 0) return complain("ls", path, r);
  let target = "";
  if ((st.mode & S_IFMT) == S_IFLNK) {
    const buf = zalloc(1024);
    const n = fs.readlink(path, buf, 1024);
    if (n >= 0) target = " -> " + String.UTF8.decodeUnsafe(buf, <usize>n, false);
    heap.free(buf);
  }
  const size = (st.mode & S_IFMT) == S_IFCHR || (st.mode & S_IFMT) == S_IFBLK
    ? (st.rdev >> 8).toString() + ", " + (st.rdev & 0xff).toString() : st.size.toString();
  out(modeString(st.mode) + " " + pad(st.nlinks.toString(), 3) + " " + pad(size, 8) + " " + name + target + "\n");
  return 0;
}

function list(path: string): i32 {
  const st = new fs.Stat();
  if (long && fs.lstat(path, st) >= 0 && (st.mode & S_IFMT) == S_IFLNK) return show(path, path);
  const r = fs.stat(path, st);
  if (r < 0) return complain("ls", path, r);
  if ((st.mode & S_IFMT) != S_IFDIR) return show(path, path);
  const fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return complain("ls", path, fd);
  const names = new Array<string>(0);
  const buf = zalloc(4096);
  for (;;) {
    const n = fs.getdents(fd, buf, 4096);
    if (n < 0) { close(fd); heap.free(buf); return complain("ls", path, n); }
    if (n == 0) break;
    let at = 0;
    while (at + DIRENT_HEADER <= n) {
      const len = <i32>load<u8>(buf + <usize>at, 4);
      const name = String.UTF8.decodeUnsafe(buf + <usize>(at + DIRENT_HEADER), <usize>len, false);
      if (all || !name.startsWith(".")) names.push(name);
      at += (DIRENT_HEADER + len + 3) & ~3;
    }
  }
  close(fd);
  heap.free(buf);
  names.sort((a: string, b: string): i32 => a < b ? -1 : a > b ? 1 : 0);
  let status = 0;
  for (let i = 0; i < names.length; i++) if (show(joinPath(path, names[i]), names[i]) != 0) status = 1;
  return status;
}

export function main(): i32 {
  if (!needVfs("ls")) return 1;
  const paths = new Array<string>(0);
  for (let i = 1; i < argc(); i++) {
    const a = argv(i);
    if (a == "-l") long = true;
    else if (a == "-a") all = true;
    else if (a == "-la" || a == "-al") { long = true; all = true; }
    else paths.push(a);
  }
  if (paths.length == 0) paths.push(".");
  let status = 0;
  for (let i = 0; i < paths.length; i++) {
    if (paths.length > 1) out((i > 0 ? "\n" : "") + paths[i] + ":\n");
    if (list(paths[i]) != 0) status = 1;
  }
  return status;
}
