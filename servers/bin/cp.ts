// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// cp src dst: copy a file (into dst/src's name if dst is a directory).
import { argc, argv, open, close } from "../lib/posix";
import { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC } from "../lib/fs_proto";
import { needVfs, complain, copyFd, isDir, joinPath, baseName } from "./util";

export function main(): i32 {
  if (!needVfs("cp")) return 1;
  if (argc() != 3) { complain("cp", "usage: cp src dst", 22); return 2; }
  const src = argv(1);
  const dst = isDir(argv(2)) ? joinPath(argv(2), baseName(src)) : argv(2);
  const from = open(src, O_RDONLY);
  if (from < 0) return complain("cp", src, from);
  const to = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
  if (to < 0) { close(from); return complain("cp", dst, to); }
  const r = copyFd(from, to);
  close(from);
  close(to);
  return r < 0 ? complain("cp", dst, r) : 0;
}
