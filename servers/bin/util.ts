// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// What the /bin programs that use files share: the check that the system
// has a file system, error messages in the usual "prog: what: reason"
// form, copying between descriptors, and reading a stream line by line.
//
// Also the option parsing every program with options uses (Getopt: single
// letters, combined as -rf, "--" ending them) and a directory's names.
//
// Entry points: needVfs, complain, copyFd, LineReader, joinPath, baseName,
// isDir, decimal, Getopt, readNames.
import { hasVfs, read, write, err, strerror, argc, argv, open, close } from "../lib/posix";
import * as fs from "../lib/fs";
import { S_IFMT, S_IFDIR, O_RDONLY, O_DIRECTORY, DIRENT_HEADER } from "../lib/fs_proto";

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

/** `s` as a count: one to nine decimal digits, else -1. */
export function decimal(s: string): i32 {
  if (s.length == 0 || s.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
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

/**
 * The options of the command line, as POSIX getopt reads them. `spec` names
 * the option letters; a letter followed by ':' takes an argument (the rest
 * of the word, or the next word). Options end at the first word that is not
 * one ("-" alone is an operand) or after "--". Call next() until it returns
 * -1; then `optind` is the first operand. An unknown letter or a missing
 * argument is reported on stderr ("prog: invalid option -- 'x'" and the
 * usage line) and next() returns '?' (0x3f): the program exits 2.
 */
export class Getopt {
  optind: i32 = 1;
  optarg: string = "";
  private at: i32 = 1;
  constructor(private prog: string, private spec: string, private usage: string) {}

  next(): i32 {
    if (this.optind >= argc()) return -1;
    const a = argv(this.optind);
    if (this.at == 1) {
      if (a.length < 2 || a.charCodeAt(0) != 0x2d) return -1;
      if (a == "--") { this.optind++; return -1; }
    }
    const c = a.charCodeAt(this.at);
    const letter = String.fromCharCode(c);
    this.at++;
    const last = this.at >= a.length;
    const k = c == 0x3a ? -1 : this.spec.indexOf(letter);
    if (k < 0) {
      if (last) this.step();
      return this.bad("invalid option -- '" + letter + "'");
    }
    if (k + 1 < this.spec.length && this.spec.charCodeAt(k + 1) == 0x3a) {
      if (!last) this.optarg = a.substring(this.at);
      else {
        this.optind++;
        if (this.optind >= argc()) { this.at = 1; return this.bad("option requires an argument -- '" + letter + "'"); }
        this.optarg = argv(this.optind);
      }
      this.step();
      return c;
    }
    if (last) this.step();
    return c;
  }

  /** Says `why` and the usage on stderr; '?'. */
  bad(why: string): i32 {
    err(this.prog + ": " + why + "\n" + this.usage + "\n");
    return 0x3f;
  }

  private step(): void {
    this.optind++;
    this.at = 1;
  }
}

/**
 * The names in directory `path` into `names` (unsorted; "." and ".." only
 * if `dots`): 0, or -errno.
 */
export function readNames(path: string, names: Array<string>, dots: bool): i32 {
  const fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return fd;
  const p = changetype<usize>(buf);
  for (;;) {
    const n = fs.getdents(fd, p, CHUNK);
    if (n < 0) { close(fd); return n; }
    if (n == 0) break;
    let at = 0;
    while (at + DIRENT_HEADER <= n) {
      const len = <i32>load<u8>(p + <usize>at, 4);
      const name = String.UTF8.decodeUnsafe(p + <usize>(at + DIRENT_HEADER), <usize>len, false);
      if (dots || (name != "." && name != "..")) names.push(name);
      at += (DIRENT_HEADER + len + 3) & ~3;
    }
  }
  close(fd);
  return 0;
}

/** Sort names as ls shows them (by code unit). */
export function sortNames(names: Array<string>): void {
  names.sort((a: string, b: string): i32 => a < b ? -1 : a > b ? 1 : 0);
}
