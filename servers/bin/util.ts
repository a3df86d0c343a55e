// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// What the /bin programs that use files share: the check that the system
// has a file system, error messages in the usual "prog: what: reason"
// form, copying between descriptors, and reading a stream line by line.
//
// Entry points: needVfs, complain, copyFd, LineReader, joinPath, baseName,
// isDir.
import { hasVfs, read, write, err, strerror } from "../lib/posix";
import * as fs from "../lib/fs";
import { S_IFMT, S_IFDIR } from "../lib/fs_proto";

const CHUNK: i32 = 4096;
const buf = new StaticArray<u8>(CHUNK);

/** True if the system has VFS; else says so (as `prog`) and returns false. */
export function needVfs(prog: string): bool {
  if (hasVfs()) return true;
  err(prog + ": no file system\n");
  return false;
}

/** "prog: what: reason" on stderr; returns 1 (an exit status). */
export function complain(prog: string, what: string, e: i32): i32 {
  err(prog + ": " + what + ": " + strerror(e < 0 ? -e : e) + "\n");
  return 1;
}

/** Copy `from` to `to` until the end: 0, or -errno. */
export function copyFd(from: i32, to: i32): i32 {
  const p = changetype<usize>(buf);
  for (;;) {
    const n = read(from, p, CHUNK);
    if (n < 0) return n;
    if (n == 0) return 0;
    let off = 0;
    while (off < n) {
      const w = write(to, p + <usize>off, n - off);
      if (w <= 0) return w < 0 ? w : -5;
      off += w;
    }
  }
  return 0;
}

/** Lines of a descriptor, one at a time (the last may lack its newline). */
export class LineReader {
  private pending: string = "";
  private done: bool = false;
  error: i32 = 0;
  constructor(private fd: i32) {}

  /** The next line with its newline (if it had one), or null at the end. */
  next(): string | null {
    for (;;) {
      const nl = this.pending.indexOf("\n");
      if (nl >= 0) {
        const line = this.pending.substring(0, nl + 1);
        this.pending = this.pending.substring(nl + 1);
        return line;
      }
      if (this.done) {
        if (this.pending.length == 0) return null;
        const last = this.pending;
        this.pending = "";
        return last;
      }
      const n = read(this.fd, changetype<usize>(buf), CHUNK);
      if (n <= 0) {
        if (n < 0) this.error = n;
        this.done = true;
        continue;
      }
      this.pending += String.UTF8.decodeUnsafe(changetype<usize>(buf), <usize>n, false);
    }
    return null;
  }
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : dir + "/" + name;
}

export function baseName(path: string): string {
  let p = path;
  while (p.length > 1 && p.endsWith("/")) p = p.substring(0, p.length - 1);
  const i = p.lastIndexOf("/");
  return i < 0 ? p : p.substring(i + 1);
}

/** Is `path` a directory? */
export function isDir(path: string): bool {
  const st = new fs.Stat();
  return fs.stat(path, st) >= 0 && (st.mode & S_IFMT) == S_IFDIR;
}
