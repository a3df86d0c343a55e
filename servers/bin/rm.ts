// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// rm [-fr] file...: remove files (-f: say nothing about missing ones;
// -r or -R: a directory with everything in it, symbolic links removed and
// not followed).
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { ENOENT, EINVAL, S_IFMT, S_IFDIR } from "../lib/fs_proto";
import { needVfs, complain, joinPath, baseName, readNames, Getopt } from "./util";

const USAGE = "usage: rm [-fr] file...";
let force = false;
let recursive = false;

/** Remove `path` (a directory's entries first with -r): 0, or 1. */
function remove(path: string): i32 {
  if (recursive) {
    const st = new fs.Stat();
    const r = fs.lstat(path, st);
    if (r < 0) return force && r == -ENOENT ? 0 : complain("rm", path, r);
    if ((st.mode & S_IFMT) == S_IFDIR) {
      const base = baseName(path);
      if (base == "." || base == "..") return complain("rm", path, EINVAL);
      const names = new Array<string>(0);
      const e = readNames(path, names, false);
      if (e < 0) return complain("rm", path, e);
      let status = 0;
      for (let i = 0; i < names.length; i++) if (remove(joinPath(path, names[i])) != 0) status = 1;
      if (status != 0) return status;
      const d = fs.rmdir(path);
      return d < 0 ? complain("rm", path, d) : 0;
    }
  }
  const r = fs.unlink(path);
  if (r < 0 && !(force && r == -ENOENT)) return complain("rm", path, r);
  return 0;
}

export function main(): i32 {
  if (!needVfs("rm")) return 1;
  const opts = new Getopt("rm", "frR", USAGE);
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x66) force = true;
    else if (c == 0x72 || c == 0x52) recursive = true;
    else return 2;
  }
  if (opts.optind >= argc()) {
    if (force) return 0;
    complain("rm", "missing operand", 22);
    return 2;
  }
  let status = 0;
  for (let i = opts.optind; i < argc(); i++) if (remove(argv(i)) != 0) status = 1;
  return status;
}
