// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// test/fs/vfs.test.ts, processes: the writer makes a pipe, has the stand-in
// PM (pm_stub.ts) "fork" its descriptors to the reader, writes more than a
// pipe holds (so it waits for the reader), closes both ends; then opens a
// file close-on-exec, has PM "exec" it, and has PM "exit" the sleeper;
// last it writes a file and has PM shut VFS down (which must write it out).

import { print } from "../../../servers/lib/index";
import { open, close, read, write, pipe, sync, setVfs } from "../../../servers/lib/fs";
import { O_RDONLY, O_RDWR, O_CREAT, O_CLOEXEC } from "../../../servers/lib/fs_proto";
import { findProc, kv, check, fill, askPm } from "./tlib";

const N: i32 = 10000;
const buf: usize = memory.data(N);

export function main(): void {
  setVfs(findProc("vfs"));
  const me = findProc("writer");
  const fds = new StaticArray<i32>(2);
  check(pipe(fds) == 0 && fds[0] == 0 && fds[1] == 1, "pipe on 0 and 1");
  kv("wfork", askPm(1, me, findProc("reader")));
  fill(buf, N, 9);
  kv("wwrite", write(fds[1], buf, N));
  close(fds[1]);
  close(fds[0]);
  const f = open("/cloexec", O_RDWR | O_CREAT | O_CLOEXEC);
  const g = open("/cloexec", O_RDONLY);
  kv("wexec", askPm(2, me, 0));
  kv("wcloexec", read(f, buf, 1));
  kv("wkept", read(g, buf, 1));
  kv("wexit", askPm(3, findProc("sleeper"), 0));
  kv("wsync", sync());
  // Written, not synced: the shutdown notice must put it on the disk.
  const last = open("/last.txt", O_RDWR | O_CREAT);
  fill(buf, 2500, 3);
  kv("wlast", write(last, buf, 2500));
  close(last);
  kv("wshutdown", askPm(4, 0, 0));
  print("writer done\n");
}
