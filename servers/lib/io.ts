// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Console output and exit for user programs, without allocating: strings
// are encoded from UTF-16 to UTF-8 through a small static buffer and written
// with the WRITE call, so a server's steady state can print and still leave
// its heap untouched.
//
// Entry points: print, printErr, printInt, write, writeBytes, exit.

import { syscall1, syscall3, SYS_EXIT, SYS_WRITE } from "./syscall";

const STDOUT: i32 = 1;
const STDERR: i32 = 2;
const BUF_SIZE: i32 = 256;
const buf: usize = memory.data(BUF_SIZE);

/** Write `len` bytes at `ptr` to file descriptor `fd` (1 stdout, 2 stderr); bytes written or -errno. */
export function writeBytes(fd: i32, ptr: usize, len: i32): i32 {
  return syscall3(SYS_WRITE, fd, <i32>ptr, len);
}

/** Write a string to `fd` as UTF-8. */
export function write(fd: i32, s: string): void {
  const len = s.length;
  let n = 0;
  for (let i = 0; i < len; i++) {
    let c = <u32>s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < len) {
      const d = <u32>s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (n > BUF_SIZE - 4) {
      writeBytes(fd, buf, n);
      n = 0;
    }
    const p = buf + <usize>n;
    if (c < 0x80) {
      store<u8>(p, c);
      n += 1;
    } else if (c < 0x800) {
      store<u8>(p, 0xc0 | (c >> 6));
      store<u8>(p, 0x80 | (c & 0x3f), 1);
      n += 2;
    } else if (c < 0x10000) {
      store<u8>(p, 0xe0 | (c >> 12));
      store<u8>(p, 0x80 | ((c >> 6) & 0x3f), 1);
      store<u8>(p, 0x80 | (c & 0x3f), 2);
      n += 3;
    } else {
      store<u8>(p, 0xf0 | (c >> 18));
      store<u8>(p, 0x80 | ((c >> 12) & 0x3f), 1);
      store<u8>(p, 0x80 | ((c >> 6) & 0x3f), 2);
      store<u8>(p, 0x80 | (c & 0x3f), 3);
      n += 4;
    }
  }
  if (n > 0) writeBytes(fd, buf, n);
}

/** Print a string on standard output (no newline is added). */
export function print(s: string): void {
  write(STDOUT, s);
}

/** Print a string on standard error. */
export function printErr(s: string): void {
  write(STDERR, s);
}

/** Print a signed integer in decimal on `fd`, without allocating. */
export function printInt(v: i64, fd: i32 = STDOUT): void {
  const digits = buf + <usize>(BUF_SIZE - 24);
  let n: i32 = 0;
  let u: u64 = v < 0 ? <u64>(-v) : <u64>v;
  do {
    store<u8>(digits + <usize>(23 - n), <u32>(u % 10) + 0x30);
    u /= 10;
    n++;
  } while (u != 0);
  if (v < 0) {
    store<u8>(digits + <usize>(23 - n), 0x2d);
    n++;
  }
  writeBytes(fd, digits + <usize>(24 - n), n);
}

/** End the program with `code` (0-255) as its exit status. */
export function exit(code: i32): void {
  syscall1(SYS_EXIT, code);
  unreachable();
}
