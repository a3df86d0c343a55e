// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// ls [-adlR] [path...]: the names in each directory (sorted; those starting
// with "." only with -a), or the file itself (a directory too with -d). -l adds the type and
// permissions, the link count and the size, and shows a symbolic link
// itself ("name -> target"; a link named on the command line too). -R: then
// each subdirectory listed (not through symbolic links), after a blank line
// and a "path:" header, as every directory gets one then. -d: each path
// named is shown as itself (no headers, nothing under it; -R has no effect).
import { argc, argv, out } from "../lib/posix";
import * as fs from "../lib/fs";
import { zalloc } from "../lib/server";
import { S_IFMT, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFLNK } from "../lib/fs_proto";
import { needVfs, complain, joinPath, readNames, sortNames, isDir, Getopt } from "./util";

let long = false;
let all = false;
let recursive = false;
let dirsOnly = false;
/** Directories still to list with -R, in order. */
const pending = new Array<string>(0);

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
  if (dirsOnly) {
    const e = fs.lstat(path, st);
    return e < 0 ? complain("ls", path, e) : show(path, path);
  }
  if (long && fs.lstat(path, st) >= 0 && (st.mode & S_IFMT) == S_IFLNK) return show(path, path);
  const r = fs.stat(path, st);
  if (r < 0) return complain("ls", path, r);
  if ((st.mode & S_IFMT) != S_IFDIR) return show(path, path);
  const names = new Array<string>(0);
  const e = readNames(path, names, true);
  if (e < 0) return complain("ls", path, e);
  const shown = new Array<string>(0);
  for (let i = 0; i < names.length; i++) if (all || !names[i].startsWith(".")) shown.push(names[i]);
  sortNames(shown);
  let status = 0;
  const subdirs = new Array<string>(0);
  for (let i = 0; i < shown.length; i++) {
    const p = joinPath(path, shown[i]);
    if (show(p, shown[i]) != 0) status = 1;
    if (recursive && shown[i] != "." && shown[i] != "..") {
      const sub = new fs.Stat();
      if (fs.lstat(p, sub) >= 0 && (sub.mode & S_IFMT) == S_IFDIR) subdirs.push(p);
    }
  }
  // Depth first: this directory's subdirectories before the ones after it.
  for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i]);
  return status;
}

export function main(): i32 {
  if (!needVfs("ls")) return 1;
  const opts = new Getopt("ls", "adlR", "usage: ls [-adlR] [path...]");
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x6c) long = true;
    else if (c == 0x61) all = true;
    else if (c == 0x52) recursive = true;
    else if (c == 0x64) dirsOnly = true;
    else return 2;
  }
  const paths = new Array<string>(0);
  for (let i = opts.optind; i < argc(); i++) paths.push(argv(i));
  if (paths.length == 0) paths.push(".");
  let status = 0;
  let printed = false;
  for (let i = 0; i < paths.length; i++) {
    // A header for a directory among several paths (or under -R); a file or a missing path has none, as in GNU ls.
    if (!dirsOnly && (paths.length > 1 || recursive) && isDir(paths[i])) { out((printed ? "\n" : "") + paths[i] + ":\n"); printed = true; }
    if (list(paths[i]) != 0) status = 1;
    while (pending.length > 0) {
      const dir = pending.pop();
      out("\n" + dir + ":\n");
      if (list(dir) != 0) status = 1;
    }
  }
  return status;
}
