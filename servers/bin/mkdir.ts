// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mkdir [-p] dir...: make directories. -p: make missing parents too, and
// say nothing of one that already is a directory.
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { EEXIST } from "../lib/fs_proto";
import { needVfs, complain, isDir, Getopt } from "./util";

const USAGE = "usage: mkdir [-p] dir...";

/** mkdir -p of `path`: 0, or 1 after saying why not. */
function makeAll(path: string): i32 {
  // Each prefix that ends before a '/' (not the root's), then the whole path.
  for (let i = 1; i < path.length; i++) {
    if (path.charCodeAt(i) != 0x2f || path.charCodeAt(i - 1) == 0x2f) continue;
    const part = path.substring(0, i);
    const r = fs.mkdir(part, 0o755);
    if (r < 0 && r != -EEXIST) return complain("mkdir", part, r);
  }
  const r = fs.mkdir(path, 0o755);
  if (r == -EEXIST && isDir(path)) return 0;
  return r < 0 ? complain("mkdir", path, r) : 0;
}

export function main(): i32 {
  if (!needVfs("mkdir")) return 1;
  const opts = new Getopt("mkdir", "p", USAGE);
  let parents = false;
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x70) parents = true;
    else return 2;
  }
  if (opts.optind >= argc()) { complain("mkdir", "missing operand", 22); return 2; }
  let status = 0;
  for (let i = opts.optind; i < argc(); i++) {
    if (parents) {
      if (makeAll(argv(i)) != 0) status = 1;
      continue;
    }
    const r = fs.mkdir(argv(i), 0o755);
    if (r < 0) status = complain("mkdir", argv(i), r);
  }
  return status;
}
