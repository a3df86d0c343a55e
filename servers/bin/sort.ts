// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// sort [-r] [-n] [-u] [--] [file...]: the lines of all the files (or of
// standard input), merged and sorted by byte value. -n: by the leading
// integer instead (blanks skipped, an optional "-"; none counts as 0), lines
// with equal numbers by byte value. -r: the reverse order. -u: each distinct line
// once. A missing last newline is added.
// An unreadable file is an error (status 2) and nothing is printed, as GNU
// sort does.
import { argc, argv, open, close, out } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, LineReader, Getopt } from "./util";

let numeric = false;
let reverse = false;
let unique = false;

/** Where the digits of `s`'s leading integer start (after blanks and a "-"). */
function digitsAt(s: string): i32 {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) == 0x20 || s.charCodeAt(i) == 0x09)) i++;
  if (i < s.length && s.charCodeAt(i) == 0x2d) i++;
  return i;
}

/** The digits of `s`'s leading integer without leading zeros ("" for 0 or none). */
function magnitude(s: string, at: i32): string {
  let i = at;
  while (i < s.length && s.charCodeAt(i) == 0x30) i++;
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
  return s.substring(i, j);
}

/** -1, 0, 1 as the leading integer of a is below, equal to, above b's (any length: no overflow). */
function numCompare(a: string, b: string): i32 {
  const ia = digitsAt(a), ib = digitsAt(b);
  const ma = magnitude(a, ia), mb = magnitude(b, ib);
  const sa = ma.length == 0 ? 0 : ia > 0 && a.charCodeAt(ia - 1) == 0x2d ? -1 : 1;
  const sb = mb.length == 0 ? 0 : ib > 0 && b.charCodeAt(ib - 1) == 0x2d ? -1 : 1;
  if (sa != sb) return sa < sb ? -1 : 1;
  let r = ma.length != mb.length ? (ma.length < mb.length ? -1 : 1) : ma < mb ? -1 : ma > mb ? 1 : 0;
  return sa < 0 ? -r : r;
}

function compare(a: string, b: string): i32 {
  let r = 0;
  if (numeric) r = numCompare(a, b);
  if (r == 0) r = a < b ? -1 : a > b ? 1 : 0;
  return reverse ? -r : r;
}

/** The lines of `fd` into `lines`, without their newlines: 0, or -errno. */
function gather(fd: i32, lines: Array<string>): i32 {
  const r = new LineReader(fd);
  for (;;) {
    const line = r.next();
    if (line === null) break;
    lines.push(line.endsWith("\n") ? line.substring(0, line.length - 1) : line);
  }
  return r.error;
}

export function main(): i32 {
  if (!needVfs("sort")) return 2;
  const opts = new Getopt("sort", "rnu", "usage: sort [-r] [-n] [-u] [file...]");
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    if (c == 0x72) reverse = true;
    else if (c == 0x6e) numeric = true;
    else if (c == 0x75) unique = true;
    else return 2;
  }
  const lines = new Array<string>(0);
  if (opts.optind >= argc()) {
    if (gather(0, lines) < 0) return 2;
  }
  for (let i = opts.optind; i < argc(); i++) {
    const fd = open(argv(i), O_RDONLY);
    if (fd < 0) { complain("sort", argv(i), fd); return 2; }
    const r = gather(fd, lines);
    close(fd);
    if (r < 0) { complain("sort", argv(i), r); return 2; }
  }
  lines.sort((a: string, b: string): i32 => compare(a, b));
  let text = "";
  for (let i = 0; i < lines.length; i++) {
    if (unique && i > 0 && compare(lines[i - 1], lines[i]) == 0) continue;
    text += lines[i] + "\n";
    // (Written in pieces, so a long input is not one huge string.)
    if (text.length >= 4096) { out(text); text = ""; }
  }
  if (text.length > 0) out(text);
  return 0;
}
