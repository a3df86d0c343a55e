// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// tail [-n N | -N] [--] [file...]: the last N lines (10) of each file or of
// standard input, under "==> f <==" headers for several files as head has.
// The input is read once, front to back (a pipe as well as a file), keeping
// only its last N lines in a ring.
import { argc, argv, open, close, out, err } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, LineReader, Getopt, decimal } from "./util";

const USAGE = "usage: tail [-n N | -N] [file...]";

/** The last `n` lines of `fd` to standard output: 0, or -errno. */
function tail(fd: i32, n: i32): i32 {
  const r = new LineReader(fd);
  // (Grown as lines come, so a huge N costs only what the input has.)
  const ring = new Array<string>(0);
  let seen = 0;
  for (;;) {
    const line = r.next();
    if (line === null) break;
    if (ring.length < n) ring.push(line);
    else if (n > 0) ring[seen % n] = line;
    seen++;
  }
  if (r.error < 0) return r.error;
  const kept = seen < n ? seen : n;
  for (let i = seen - kept; i < seen; i++) out(ring[i % n]);
  return 0;
}

export function main(): i32 {
  if (!needVfs("tail")) return 1;
  let n = 10;
  const opts = new Getopt("tail", "n:", USAGE);
  // The old form -N: a count as the first word.
  if (argc() > 1) {
    const a = argv(1);
    const k = a.length > 1 && a.charCodeAt(0) == 0x2d ? decimal(a.substr(1)) : -1;
    if (k >= 0) { n = k; opts.optind = 2; }
  }
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c != 0x6e) return 2;
    n = decimal(opts.optarg);
    if (n < 0) { err("tail: bad line count: " + opts.optarg + "\n"); return 2; }
  }
  const first = opts.optind;
  if (first >= argc()) return tail(0, n) < 0 ? 1 : 0;
  let status = 0;
  for (let i = first; i < argc(); i++) {
    const fd = open(argv(i), O_RDONLY);
    if (fd < 0) { status = complain("tail", argv(i), fd); continue; }
    if (argc() - first > 1) out((i > first ? "\n" : "") + "==> " + argv(i) + " <==\n");
    const r = tail(fd, n);
    close(fd);
    if (r < 0) status = complain("tail", argv(i), r);
  }
  return status;
}
