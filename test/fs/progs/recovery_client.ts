// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// test/fs/recovery.test.ts: a user program writing and reading a file
// through VFS while the test kills blk under it. Every call must still
// succeed (mfs retries on blk's successor); prints the counts, whether the
// data read back is what was written, and "done".

import { print } from "../../../servers/lib/index";
import { open, close, read, write, sync, setVfs } from "../../../servers/lib/fs";
import { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC } from "../../../servers/lib/fs_proto";
import { findProc, kv, check, done, fill, same } from "./tlib";

const N: i32 = 600 * 1024;
const CHUNK: i32 = 4096;
const buf: usize = heap.alloc(N);

export function main(): void {
  memory.fill(buf, 0, N);
  setVfs(findProc("vfs"));
  fill(buf, N, 77);
  print("writing\n");
  const fd = open("/survivor.bin", O_WRONLY | O_CREAT | O_TRUNC);
  check(fd >= 0, "open for writing");
  let written = 0;
  for (let off = 0; off < N; off += CHUNK) {
    const r = write(fd, buf + <usize>off, CHUNK);
    if (r != CHUNK) { kv("writeerr", r); break; }
    written += r;
  }
  kv("written", written);
  close(fd);
  kv("sync1", sync());
  memory.fill(buf, 0, N);
  const rd = open("/survivor.bin", O_RDONLY);
  let got = 0;
  for (;;) {
    const r = read(rd, buf + <usize>got, min(CHUNK, N - got));
    if (r <= 0) { kv("readlast", r); break; }
    got += r;
  }
  close(rd);
  kv("read", got);
  kv("same", same(buf, N, 77) ? 1 : 0);
  kv("sync2", sync());
  done();
}
