// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// head [-n N | -nN | -N] [--] [file...]: the first N lines (10) of each
// file or of standard input. (Any other option is a bad line count, as
// the -N form reads it.)
import { argc, argv, open, close, out, err } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, LineReader } from "./util";

function head(fd: i32, n: i32): void {
  const r = new LineReader(fd);
  for (let i = 0; i < n; i++) {
    const line = r.next();
    if (line === null) return;
    out(line);
  }
}

/** A line count: decimal digits only, else -1. */
function count(s: string): i32 {
  if (s.length == 0 || s.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

export function main(): i32 {
  if (!needVfs("head")) return 1;
  let n = 10;
  let first = 1;
  if (argc() > 1) {
    const a = argv(1);
    if (a == "--") first = 2;
    else if (a == "-n" && argc() > 2) { n = count(argv(2)); first = 3; }
    else if (a.startsWith("-n")) { n = count(a.substr(2)); first = 2; }
    else if (a.length > 1 && a.startsWith("-")) { n = count(a.substr(1)); first = 2; }
    if (n < 0) { err("head: bad line count\n"); return 2; }
    if (a != "--" && first < argc() && argv(first) == "--") first++;
  }
  if (first >= argc()) { head(0, n); return 0; }
  let status = 0;
  for (let i = first; i < argc(); i++) {
    const fd = open(argv(i), O_RDONLY);
    if (fd < 0) { status = complain("head", argv(i), fd); continue; }
    if (argc() - first > 1) out((i > first ? "\n" : "") + "==> " + argv(i) + " <==\n");
    head(fd, n);
    close(fd);
  }
  return status;
}
