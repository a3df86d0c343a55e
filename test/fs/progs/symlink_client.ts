// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Symbolic links through servers/lib/fs.ts: symlink, readlink, lstat; open,
// stat and chdir following links in every component (relative targets from
// the link's directory, absolute from the root, across a mount on /mnt);
// dangling links, loops (ELOOP), and the calls that act on the link itself
// (unlink, rename, rmdir). Prints "key value" lines for
// test/fs/symlink.test.ts.

import {
  open, close, read, write, stat, lstat, mkdir, rmdir, unlink, rename, chdir, getcwd, sync, mount,
  symlink, readlink, setVfs, Stat,
} from "../../../servers/lib/fs";
import { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } from "../../../servers/lib/fs_proto";
import { findProc, kv, kvs, check, done } from "./tlib";

const buf: usize = heap.alloc(4096);
const st = new Stat();

function writeFile(path: string, s: string): i32 {
  const fd = open(path, O_WRONLY | O_CREAT);
  if (fd < 0) return fd;
  const b = String.UTF8.encode(s, false);
  const r = write(fd, changetype<usize>(b), b.byteLength);
  close(fd);
  return r;
}

/** The contents of `path` (at most 100 bytes), or "E<errno>". */
function cat(path: string): string {
  const fd = open(path, O_RDONLY);
  if (fd < 0) return "E" + (-fd).toString();
  const r = read(fd, buf, 100);
  close(fd);
  return r < 0 ? "E" + (-r).toString() : String.UTF8.decodeUnsafe(buf, <usize>r, false);
}

function link(path: string): string {
  const n = readlink(path, buf, 4096);
  return n < 0 ? "E" + (-n).toString() : String.UTF8.decodeUnsafe(buf, <usize>n, false);
}

/** "mode size" of lstat (or E<errno>). */
function lattrs(path: string): string {
  const r = lstat(path, st);
  return r < 0 ? "E" + (-r).toString() : st.mode.toString(8) + " " + st.size.toString();
}

function attrs(path: string): string {
  const r = stat(path, st);
  return r < 0 ? "E" + (-r).toString() : st.mode.toString(8) + " " + st.size.toString();
}

export function main(): void {
  const vfs = findProc("vfs");
  check(vfs != 0, "vfs is running");
  setVfs(vfs);
  check(mkdir("/mnt") == 0, "mkdir /mnt");
  check(mount("/mnt", findProc("mfs2"), findProc("blk"), 3) == 0, "mount /mnt");
  check(writeFile("/a.txt", "hello") == 5, "write /a.txt");
  check(mkdir("/d") == 0, "mkdir /d");
  check(writeFile("/d/f", "in d") == 4, "write /d/f");

  // A link to a file.
  kv("mkla", symlink("a.txt", "/la"));
  kvs("readla", link("/la"));
  kvs("lstatla", lattrs("/la"));
  kvs("statla", attrs("/la"));
  kvs("catla", cat("/la"));
  kv("exists", symlink("b", "/la"));
  kv("excl", open("/la", O_WRONLY | O_CREAT | O_EXCL));
  kvs("readreg", link("/a.txt"));

  // A link to a directory: followed in the middle of a path, by chdir, with a trailing slash.
  kv("mkld", symlink("/d", "/ld"));
  kvs("catld", cat("/ld/f"));
  kvs("statslash", attrs("/ld/"));
  kv("cdld", chdir("/ld"));
  kvs("cwdld", getcwd());
  kvs("catrel", cat("f"));
  chdir("/");

  // Relative targets resolve from the link's own directory.
  kv("mklf", symlink("f", "/d/lf"));
  kvs("catlf", cat("/ld/lf"));
  kv("mkup", symlink("../a.txt", "/d/up"));
  kvs("catup", cat("/ld/up"));
  kv("mkchain", symlink("ld/lf", "/chain"));
  kvs("catchain", cat("/chain"));

  // Dangling links and loops.
  kv("mkdang", symlink("/nowhere", "/dang"));
  kvs("catdang", cat("/dang"));
  kvs("lstatdang", lattrs("/dang"));
  symlink("/loop2", "/loop1");
  symlink("/loop1", "/loop2");
  kvs("catloop", cat("/loop1"));
  kvs("statloop", attrs("/loop1/x"));
  kv("mkself", symlink("self", "/self"));
  kvs("catself", cat("/self"));
  kvs("lstatloop", lattrs("/loop1"));

  // Across the mount, both ways.
  kv("mklo", symlink("/mnt/other.txt", "/lo"));
  kvs("catlo", cat("/lo"));
  kv("mkback", symlink("../a.txt", "/mnt/back"));
  kvs("catback", cat("/mnt/back"));
  kv("mklm", symlink("mnt", "/lm"));
  kvs("catlm", cat("/lm/other.txt"));

  // The calls that act on the link itself.
  kv("rmla", unlink("/la"));
  kvs("lstatgone", lattrs("/la"));
  kvs("targetstays", cat("/a.txt"));
  kv("mvld", rename("/ld", "/ld2"));
  kvs("readld2", link("/ld2"));
  kv("mkthrough", mkdir("/ld2/sub"));
  kvs("statsub", attrs("/d/sub"));
  kv("rmdirlink", rmdir("/ld2"));
  kv("rmdirthrough", rmdir("/ld2/sub"));
  kv("rmself", unlink("/self"));

  // The target's length: 1 to PATH_MAX - 1 bytes (it must fit in a block with a NUL, as Linux's minix has it).
  kv("empty", symlink("", "/empty"));
  kv("toolong", symlink("x".repeat(1024), "/long"));
  kv("mklong", symlink("/".repeat(1022) + "a", "/long"));
  kv("readlong", readlink("/long", buf, 4096));
  kv("readshort", readlink("/long", buf, 10));
  kv("rmlong", unlink("/long"));
  kv("sync", sync());
  done();
}
