// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The console's line discipline (POSIX canonical mode): typed bytes are
// edited in a line buffer and echoed; a completed line (NL, or CR, which
// becomes NL) moves to the cooked queue, where reads take it. Editing keys:
//   DEL or BS   erase the last character (a whole UTF-8 sequence)
//   ^U          erase the line
//   ^C, ^\      flush the input, echo ^C / ^\ and signal the foreground
//               process group (SIGINT, SIGQUIT; main.ts asks pm)
//   ^D          end of file: the line so far goes to the reader without a
//               newline; on an empty line a read returns 0
// A CR LF pair is one line end, so piped input with either convention works.
// Output gets ONLCR (NL becomes CR NL), as a terminal in raw mode needs.
//
// The cooked queue holds records: a line, or an end of file (length 0). A
// read takes bytes of the first record only, so it never returns more than
// one line.
//
// Entry points: lineInput, LINE_*, cookedReady, cookedPeek, cookedConsume,
// flushInput, outWrite, outString, outFlush, ttyFlags, setTtyFlags.

import { uartPut } from "./uart";
import { TTY_ECHO, TTY_ICANON } from "../lib/proto";

export const LINE_NONE: i32 = 0;
/** A record was completed: readers may be served. */
export const LINE_READY: i32 = 1;
export const LINE_INTR: i32 = 2;
export const LINE_QUIT: i32 = 3;

const LINE_MAX: i32 = 255;
const RING: i32 = 4096;
const RECORDS: i32 = 256;
const OUT_MAX: i32 = 512;

const edit = new StaticArray<u8>(LINE_MAX + 1);
let editLen: i32 = 0;
const ring = new StaticArray<u8>(RING);
let ringHead: i32 = 0;
let ringCount: i32 = 0;
const records = new StaticArray<i32>(RECORDS);
let recHead: i32 = 0;
let recCount: i32 = 0;
let afterCR: bool = false;
let flags: i32 = TTY_ECHO | TTY_ICANON;

const obuf = new StaticArray<u8>(OUT_MAX + 2);
let olen: i32 = 0;

export function ttyFlags(): i32 {
  return flags;
}

/** Set the flags; only canonical mode exists, so TTY_ICANON must stay set. 0 or -1. */
export function setTtyFlags(f: i32): i32 {
  if ((f & TTY_ICANON) == 0 || (f & ~(TTY_ECHO | TTY_ICANON)) != 0) return -1;
  flags = f;
  return 0;
}

// --- output -----------------------------------------------------------------

function outByte(c: u8): void {
  if (olen >= OUT_MAX) outFlush();
  if (c == 0x0a) unchecked(obuf[olen++] = 0x0d);
  unchecked(obuf[olen++] = c);
}

/** Queue `len` bytes at `p` for output (NL as CR NL). */
export function outWrite(p: usize, len: i32): void {
  for (let i = 0; i < len; i++) outByte(load<u8>(p + <usize>i));
}

/** Queue an ASCII string for output. */
export function outString(s: string): void {
  for (let i = 0; i < s.length; i++) outByte(<u8>s.charCodeAt(i));
}

/** Send what is queued to the UART. */
export function outFlush(): void {
  if (olen > 0) uartPut(changetype<usize>(obuf), olen);
  olen = 0;
}

function echo(c: u8): void {
  if ((flags & TTY_ECHO) != 0) outByte(c);
}

function echoString(s: string): void {
  if ((flags & TTY_ECHO) != 0) outString(s);
}

// --- the cooked queue ----------------------------------------------------------

/** Move the edit line (plus `nl` if not 0) to the cooked queue as one record. False if it does not fit. */
function commit(nl: u8): bool {
  const n = editLen + (nl != 0 ? 1 : 0);
  if (recCount >= RECORDS || ringCount + n > RING) return false;
  for (let i = 0; i < editLen; i++) pushRing(unchecked(edit[i]));
  if (nl != 0) pushRing(nl);
  unchecked(records[(recHead + recCount) % RECORDS] = n);
  recCount++;
  editLen = 0;
  return true;
}

function pushRing(c: u8): void {
  unchecked(ring[(ringHead + ringCount) % RING] = c);
  ringCount++;
}

/** Is there a record (a line or an end of file) for a reader? */
export function cookedReady(): bool {
  return recCount > 0;
}

/** Copy up to `max` bytes of the first record to `dst` without taking them: the count (0 for an end of file). */
export function cookedPeek(dst: usize, max: i32): i32 {
  if (recCount == 0) return 0;
  let n = unchecked(records[recHead]);
  if (n > max) n = max;
  for (let i = 0; i < n; i++) store<u8>(dst + <usize>i, unchecked(ring[(ringHead + i) % RING]));
  return n;
}

/** Take the `n` bytes cookedPeek returned (an end of file: n = 0 takes the record). */
export function cookedConsume(n: i32): void {
  if (recCount == 0) return;
  ringHead = (ringHead + n) % RING;
  ringCount -= n;
  const left = unchecked(records[recHead]) - n;
  if (left > 0) {
    unchecked(records[recHead] = left);
    return;
  }
  recHead = (recHead + 1) % RECORDS;
  recCount--;
}

/** Drop everything typed and not yet read (^C). */
export function flushInput(): void {
  editLen = 0;
  ringHead = 0;
  ringCount = 0;
  recHead = 0;
  recCount = 0;
}

// --- input ------------------------------------------------------------------------

function eraseChar(): void {
  if (editLen == 0) return;
  // A UTF-8 character: its continuation bytes (10xxxxxx), then its lead byte.
  while (editLen > 1 && (unchecked(edit[editLen - 1]) & 0xc0) == 0x80) editLen--;
  editLen--;
  echoString("\b \b");
}

/** One byte from the UART: what it means for main.ts (LINE_*). */
export function lineInput(c: u8): i32 {
  const wasCR = afterCR;
  afterCR = false;
  if (c == 0x0d) {
    afterCR = true;
    c = 0x0a;
  } else if (c == 0x0a && wasCR) {
    return LINE_NONE; // the LF of a CR LF
  }
  if (c == 0x0a) {
    echo(0x0a);
    return commit(0x0a) ? LINE_READY : LINE_NONE;
  }
  if (c == 0x7f || c == 0x08) { eraseChar(); return LINE_NONE; }
  if (c == 0x15) { // ^U
    while (editLen > 0) eraseChar();
    return LINE_NONE;
  }
  if (c == 0x03 || c == 0x1c) { // ^C, ^\
    flushInput();
    echoString(c == 0x03 ? "^C\n" : "^\\\n");
    return c == 0x03 ? LINE_INTR : LINE_QUIT;
  }
  if (c == 0x04) { // ^D
    return commit(0) ? LINE_READY : LINE_NONE;
  }
  if (c < 0x20 && c != 0x09) return LINE_NONE; // other control characters are ignored
  if (editLen >= LINE_MAX) return LINE_NONE;  // the line is full
  unchecked(edit[editLen++] = c);
  echo(c);
  return LINE_NONE;
}
