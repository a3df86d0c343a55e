// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// wc [file...]: lines, words and bytes of each file (or standard input),
// and a total for more than one.
import { argc, argv, open, close, read, out } from "../lib/posix";
import { O_RDONLY } from "../lib/fs_proto";
import { needVfs, complain } from "./util";

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

export function main(): i32 {
  if (!needVfs("wc")) return 1;
  if (argc() < 2) {
    if (count(0) < 0) return 1;
    out(pad(lines) + " " + pad(words) + " " + pad(bytes) + "\n");
    return 0;
  }
  let status = 0;
  let tl = 0, tw = 0, tb = 0;
  for (let i = 1; i < argc(); i++) {
    const fd = open(argv(i), O_RDONLY);
    if (fd < 0) { status = complain("wc", argv(i), fd); continue; }
    const r = count(fd);
    close(fd);
    if (r < 0) { status = complain("wc", argv(i), r); continue; }
    out(pad(lines) + " " + pad(words) + " " + pad(bytes) + " " + argv(i) + "\n");
    tl += lines; tw += words; tb += bytes;
  }
  if (argc() > 2) out(pad(tl) + " " + pad(tw) + " " + pad(tb) + " total\n");
  return status;
}
