// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// test/fs/vfs.test.ts, processes: the sleeper holds an unlinked file open
// and waits on an empty pipe of its own, until the stand-in PM tells VFS it
// exited: VFS then drops the call (no answer) and closes its descriptors,
// which frees the file.

import { print } from "../../../servers/lib/index";
import { open, read, write, pipe, unlink, setVfs } from "../../../servers/lib/fs";
import { O_RDWR, O_CREAT } from "../../../servers/lib/fs_proto";
import { findProc, kv, fill } from "./tlib";

const buf: usize = memory.data(3000);

export function main(): void {
  setVfs(findProc("vfs"));
  const f = open("/sleep.txt", O_RDWR | O_CREAT);
  fill(buf, 3000, 4);
  kv("swrite", write(f, buf, 3000));
  kv("sunlink", unlink("/sleep.txt"));
  const fds = new StaticArray<i32>(2);
  pipe(fds);
  print("sleeper blocks\n");
  kv("sleeperwoke", read(fds[0], buf, 10)); // never printed
}
