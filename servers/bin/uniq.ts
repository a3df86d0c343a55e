// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// uniq [-c] [--] [file]: the lines of the file (or of standard input), each
// run of equal adjacent lines once. -c: each preceded by how many there
// were, as "%7d " (right-aligned in seven columns, then a space). A missing
// last newline is added.
import { argc, argv, open, close, out, err } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, LineReader, Getopt } from "./util";

const USAGE = "usage: uniq [-c] [file]";
let counts = false;

function emit(line: string, n: i32): void {
  if (!counts) { out(line + "\n"); return; }
  let s = n.toString();
  while (s.length < 7) s = " " + s;
  out(s + " " + line + "\n");
}

function uniq(fd: i32): i32 {
  const r = new LineReader(fd);
  let prev = "";
  let n = 0;
  for (;;) {
    const raw = r.next();
    if (raw === null) break;
    const line = raw.endsWith("\n") ? raw.substring(0, raw.length - 1) : raw;
    if (n > 0 && line == prev) { n++; continue; }
    if (n > 0) emit(prev, n);
    prev = line;
    n = 1;
  }
  if (n > 0) emit(prev, n);
  return r.error;
}

export function main(): i32 {
  if (!needVfs("uniq")) return 1;
  const opts = new Getopt("uniq", "c", USAGE);
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x63) counts = true;
    else return 2;
  }
  const i = opts.optind;
  if (argc() - i > 1) { err("uniq: extra operand " + argv(i + 1) + "\n" + USAGE + "\n"); return 2; }
  if (i >= argc()) return uniq(0) < 0 ? 1 : 0;
  const fd = open(argv(i), O_RDONLY);
  if (fd < 0) return complain("uniq", argv(i), fd);
  const r = uniq(fd);
  close(fd);
  return r < 0 ? complain("uniq", argv(i), r) : 0;
}
