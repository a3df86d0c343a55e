// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// test/fs/soak.test.ts: the same mix of file calls many times over (create,
// write, seek, read, close, stat, a pipe, mkdir and rmdir): "warm" after
// WARM rounds, "done" after ROUNDS. The test compares the servers' pages
// at the two points: they must not grow with the work.

import { print } from "../../../servers/lib/index";
import { open, close, read, write, lseek, stat, pipe, mkdir, rmdir, setVfs, Stat } from "../../../servers/lib/fs";
import { O_RDWR, O_CREAT, O_TRUNC, SEEK_SET } from "../../../servers/lib/fs_proto";
import { findProc, kv, check, fill, same } from "./tlib";

const WARM: i32 = 200;
const ROUNDS: i32 = 1200;
const buf: usize = memory.data(256);
const st = new Stat();
const fds = new StaticArray<i32>(2);

export function main(): void {
  setVfs(findProc("vfs"));
  let calls = 0;
  for (let i = 0; i < ROUNDS; i++) {
    if (i == WARM) print("warm\n");
    fill(buf, 100, i);
    const fd = open("/soak", O_RDWR | O_CREAT | O_TRUNC);
    check(write(fd, buf, 100) == 100, "write");
    lseek(fd, 0, SEEK_SET);
    memory.fill(buf, 0, 100);
    check(read(fd, buf, 100) == 100 && same(buf, 100, i), "read back");
    close(fd);
    check(stat("/soak", st) == 0 && st.size == 100, "stat");
    check(pipe(fds) == 0, "pipe");
    check(write(fds[1], buf, 10) == 10 && read(fds[0], buf, 10) == 10, "pipe i/o");
    close(fds[0]);
    close(fds[1]);
    check(mkdir("/sd") == 0 && rmdir("/sd") == 0, "mkdir, rmdir");
    calls += 13;
  }
  kv("calls", calls);
  print("done\n");
}
