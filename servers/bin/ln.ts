// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// ln [-s] [--] existing new: a second name (a hard link) for a file.
// ln -s target name: a symbolic link `name` holding the text `target`
// (resolved when the link is used, from the link's directory if relative).
// If the new name is a directory, the link goes in it under the last name
// of the existing file (or target).
import { argc, argv } from "../lib/posix";
import * as fs from "../lib/fs";
import { needVfs, complain, isDir, joinPath, baseName, Getopt } from "./util";

export function main(): i32 {
  if (!needVfs("ln")) return 1;
  const opts = new Getopt("ln", "s", "usage: ln [-s] existing new");
  let sym = false;
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x73) sym = true;
    else return 2;
  }
  const i = opts.optind;
  if (argc() - i != 2) { complain("ln", "usage: ln [-s] existing new", 22); return 2; }
  const from = argv(i), to = argv(i + 1);
  const dst = isDir(to) ? joinPath(to, baseName(from)) : to;
  const r = sym ? fs.symlink(from, dst) : fs.link(from, dst);
  return r < 0 ? complain("ln", dst, r) : 0;
}
