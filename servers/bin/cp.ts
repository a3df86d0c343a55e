// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// cp [-r] src dst, cp [-r] src... dir: copy a file (into dst/src's name if
// dst is a directory). -r or -R: a directory with everything in it (into
// an existing directory dst, else as dst); symbolic links are copied as
// links, not followed. Without -r a directory is not copied.
import { argc, argv, open, close } from "../lib/posix";
import { zalloc } from "../lib/server";
import * as fs from "../lib/fs";
import { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, EEXIST, EISDIR, EINVAL, ENOTDIR, S_IFMT, S_IFDIR, S_IFLNK } from "../lib/fs_proto";
import { needVfs, complain, copyFd, isDir, joinPath, baseName, readNames, Getopt } from "./util";

const USAGE = "usage: cp [-r] src dst | cp [-r] src... dir";
let recursive = false;

function copyFile(src: string, dst: string): i32 {
  const from = open(src, O_RDONLY);
  if (from < 0) return complain("cp", src, from);
  const to = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
  if (to < 0) { close(from); return complain("cp", dst, to); }
  const r = copyFd(from, to);
  close(from);
  close(to);
  return r < 0 ? complain("cp", dst, r) : 0;
}

/** Copy `src` as `dst` (a tree with -r): 0, or 1. */
function copy(src: string, dst: string): i32 {
  const st = new fs.Stat();
  const r = recursive ? fs.lstat(src, st) : fs.stat(src, st);
  if (r < 0) return complain("cp", src, r);
  const t = st.mode & S_IFMT;
  if (t == S_IFDIR) {
    if (!recursive) return complain("cp", src, EISDIR);
    const m = fs.mkdir(dst, st.mode & 0o7777);
    if (m < 0 && !(m == -EEXIST && isDir(dst))) return complain("cp", dst, m);
    const names = new Array<string>(0);
    const e = readNames(src, names, false);
    if (e < 0) return complain("cp", src, e);
    let status = 0;
    for (let i = 0; i < names.length; i++) {
      if (copy(joinPath(src, names[i]), joinPath(dst, names[i])) != 0) status = 1;
    }
    return status;
  }
  if (t == S_IFLNK) {
    const buf = zalloc(1024);
    const n = fs.readlink(src, buf, 1024);
    const target = n >= 0 ? String.UTF8.decodeUnsafe(buf, <usize>n, false) : "";
    heap.free(buf);
    if (n < 0) return complain("cp", src, n);
    const s = fs.symlink(target, dst);
    return s < 0 ? complain("cp", dst, s) : 0;
  }
  return copyFile(src, dst);
}

/** Is `inner` `outer` or inside it (by the names as given)? */
function within(inner: string, outer: string): bool {
  let o = outer;
  while (o.length > 1 && o.endsWith("/")) o = o.substring(0, o.length - 1);
  return inner == o || inner.startsWith(o == "/" ? o : o + "/");
}

export function main(): i32 {
  if (!needVfs("cp")) return 1;
  const opts = new Getopt("cp", "rR", USAGE);
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x72 || c == 0x52) recursive = true;
    else return 2;
  }
  const first = opts.optind;
  const n = argc() - first;
  if (n < 2) { complain("cp", "usage: cp src dst", 22); return 2; }
  const last = argv(argc() - 1);
  const intoDir = isDir(last);
  if (n > 2 && !intoDir) return complain("cp", last, ENOTDIR);
  let status = 0;
  for (let i = first; i < argc() - 1; i++) {
    const src = argv(i);
    const dst = intoDir ? joinPath(last, baseName(src)) : last;
    if (recursive && isDir(src) && within(dst, src)) {
      status = complain("cp", "cannot copy " + src + " into itself", EINVAL);
      continue;
    }
    if (copy(src, dst) != 0) status = 1;
  }
  return status;
}
