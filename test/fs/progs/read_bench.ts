// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Reads /big.bin (written by the host) through VFS in CHUNK-byte reads, as
// cat does, and prints the byte count and the machine time it took (mtime
// ticks of 100 ns): the file_read figure of the storage stack.

import { print } from "../../../servers/lib/index";
import { sysNow } from "../../../servers/lib/server";
import { open, read, close, setVfs } from "../../../servers/lib/fs";
import { O_RDONLY } from "../../../servers/lib/fs_proto";
import { findProc, kv } from "./tlib";

const CHUNK: i32 = 4096;
const buf: usize = memory.data(CHUNK);

export function main(): void {
  setVfs(findProc("vfs"));
  const fd = open("/big.bin", O_RDONLY);
  const t0 = sysNow();
  let total = 0;
  for (;;) {
    const n = read(fd, buf, CHUNK);
    if (n <= 0) break;
    total += n;
  }
  const t1 = sysNow();
  close(fd);
  kv("bytes", total);
  kv("ticks", t1 - t0);
  print("done\n");
}
