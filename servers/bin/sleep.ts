// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// sleep SECONDS: wait that long (machine time; a decimal fraction such as
// 0.25 is allowed).
import { argc, argv, sleep, err } from "../lib/posix";

/** "1.5" -> 1500; -1 if it is not a number. */
function millis(s: string): i32 {
  let ms = 0;
  let scale = 0;
  if (s.length == 0) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x2e && scale == 0) { scale = 1000; continue; }
    if (c < 0x30 || c > 0x39) return -1;
    if (scale == 0) ms = ms * 10 + (c - 0x30);
    else if (scale > 1) { scale /= 10; ms = ms * 10 + (c - 0x30); }
  }
  if (scale == 0) return ms * 1000;
  while (scale > 1) { ms *= 10; scale /= 10; }
  return ms;
}

export function main(): i32 {
  if (argc() != 2) {
    err("usage: sleep SECONDS\n");
    return 2;
  }
  const ms = millis(argv(1));
  if (ms < 0) {
    err("sleep: invalid time '" + argv(1) + "'\n");
    return 2;
  }
  sleep(ms);
  return 0;
}
