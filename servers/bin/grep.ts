// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// grep [-v] [-c] STRING [file...]: the lines that contain STRING (a fixed
// string; -v: that do not; -c: only how many). Status 0 if any line
// matched, 1 if none, 2 on an error.
import { argc, argv, open, close, out, err } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, LineReader, Getopt } from "./util";

let invert = false;
let countOnly = false;

function grep(fd: i32, pattern: string, prefix: string): i32 {
  const r = new LineReader(fd);
  let n = 0;
  for (;;) {
    const line = r.next();
    if (line === null) break;
    if ((line.indexOf(pattern) >= 0) != invert) {
      n++;
      if (!countOnly) out(prefix + (line.endsWith("\n") ? line : line + "\n"));
    }
  }
  if (countOnly) out(prefix + n.toString() + "\n");
  return n;
}

export function main(): i32 {
  if (!needVfs("grep")) return 2;
  const opts = new Getopt("grep", "vc", "usage: grep [-v] [-c] STRING [file...]");
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x76) invert = true;
    else if (c == 0x63) countOnly = true;
    else return 2;
  }
  let i = opts.optind;
  if (i >= argc()) { err("usage: grep [-v] [-c] STRING [file...]\n"); return 2; }
  const pattern = argv(i++);
  if (i >= argc()) return grep(0, pattern, "") > 0 ? 0 : 1;
  const many = argc() - i > 1;
  let matched = 0;
  let status = 0;
  for (; i < argc(); i++) {
    const fd = open(argv(i), O_RDONLY);
    if (fd < 0) { complain("grep", argv(i), fd); status = 2; continue; }
    matched += grep(fd, pattern, many ? argv(i) + ":" : "");
    close(fd);
  }
  return status != 0 ? status : matched > 0 ? 0 : 1;
}
