// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// head [-n N | -nN | -N] [--] [file...]: the first N lines (10) of each
// file or of standard input. (Any other option is a bad line count, as
// the -N form reads it.)
import { argc, argv, open, close, out, err } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, LineReader, decimal } from "./util";

function head(fd: i32, n: i32): void {
  const r = new LineReader(fd);
  for (let i = 0; i < n; i++) {
    const line = r.next();
    if (line === null) return;
    out(line);
  }
}

export function main(): i32 {
  if (!needVfs("head")) return 1;
  let n = 10;
  let first = 1;
  if (argc() > 1) {
    const a = argv(1);
    if (a == "--") first = 2;
    else if (a == "-n" && argc() > 2) { n = decimal(argv(2)); first = 3; }
    else if (a.startsWith("-n")) { n = decimal(a.substr(2)); first = 2; }
    else if (a.length > 1 && a.startsWith("-")) { n = decimal(a.substr(1)); first = 2; }
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
