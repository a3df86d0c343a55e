// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// wc [-lwc] [file...]: lines, words and bytes of each file (or standard
// input), and a total for more than one. With options, only the counts
// they name, in that fixed order (lines, words, bytes); one count of
// standard input is printed bare, as GNU wc does.
import { argc, argv, open, close, read, out } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain, Getopt } from "./util";

let lines: i32 = 0;
let words: i32 = 0;
let bytes: i32 = 0;
const buf = new StaticArray<u8>(4096);

function count(fd: i32): i32 {
  lines = 0; words = 0; bytes = 0;
  let inWord = false;
  for (;;) {
    const n = read(fd, changetype<usize>(buf), 4096);
    if (n < 0) return n;
    if (n == 0) return 0;
    bytes += n;
    for (let i = 0; i < n; i++) {
      const c = buf[i];
      if (c == 0x0a) lines++;
      const space = c == 0x20 || c == 0x0a || c == 0x09 || c == 0x0d;
      if (!space && !inWord) words++;
      inWord = !space;
    }
  }
  return 0;
}

function pad(n: i32): string {
  let s = n.toString();
  while (s.length < 7) s = " " + s;
  return s;
}

let showL = true, showW = true, showC = true;
let bare = false;

function report(l: i32, w: i32, b: i32, name: string): void {
  let s = "";
  if (showL) s += (s.length ? " " : "") + (bare ? l.toString() : pad(l));
  if (showW) s += (s.length ? " " : "") + (bare ? w.toString() : pad(w));
  if (showC) s += (s.length ? " " : "") + (bare ? b.toString() : pad(b));
  out(s + (name.length ? " " + name : "") + "\n");
}

export function main(): i32 {
  if (!needVfs("wc")) return 1;
  let picked = 0;
  const opts = new Getopt("wc", "lwc", "usage: wc [-lwc] [file...]");
  for (let c = opts.next(); c >= 0; c = opts.next()) {
    // (Status 1 for a bad option, as GNU wc; test/system/pipes.test.ts holds it.)
    if (c == 0x3f) return 1;
    if (picked == 0) { showL = false; showW = false; showC = false; }
    if (c == 0x6c) showL = true;
    else if (c == 0x77) showW = true;
    else showC = true;
    picked++;
  }
  const first = opts.optind;
  const files = argc() - first;
  if (files == 0) {
    // (An i32 first: AssemblyScript would type the sum as bool, from `bare`.)
    const shown: i32 = (showL ? 1 : 0) + (showW ? 1 : 0) + (showC ? 1 : 0);
    bare = shown == 1;
    if (count(0) < 0) return 1;
    report(lines, words, bytes, "");
    return 0;
  }
  let status = 0;
  let tl = 0, tw = 0, tb = 0;
  for (let i = first; i < argc(); i++) {
    const fd = open(argv(i), O_RDONLY);
    if (fd < 0) { status = complain("wc", argv(i), fd); continue; }
    const r = count(fd);
    close(fd);
    if (r < 0) { status = complain("wc", argv(i), r); continue; }
    report(lines, words, bytes, argv(i));
    tl += lines; tw += words; tb += bytes;
  }
  if (files > 1) report(tl, tw, tb, "total");
  return status;
}
