// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// test/fs/vfs.test.ts, processes: the reader waits for the stand-in PM's go
// (after the writer's descriptors were copied to it), closes its copy of the
// write end, reads the pipe to its end and prints the count and a checksum.

import { Message, receive, print } from "../../../servers/lib/index";
import { close, read, setVfs } from "../../../servers/lib/fs";
import { findProc, kv, check, PM_STUB } from "./tlib";

const buf: usize = memory.data(4096);
const m = new Message();

export function main(): void {
  setVfs(findProc("vfs"));
  check(receive(PM_STUB, m) == 0 && m.m_type == 9, "go from pm");
  close(1);
  let total = 0;
  let sum: i64 = 0;
  for (;;) {
    const n = read(0, buf, 3000);
    if (n <= 0) { kv("rlast", n); break; }
    for (let i = 0; i < n; i++) sum += <i64>load<u8>(buf + <usize>i) * <i64>((total + i) % 251 + 1);
    total += n;
  }
  kv("rtotal", total);
  kv("rsum", sum);
  close(0);
  print("reader done\n");
}
