// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Copies between user address spaces, in WebAssembly: the twin of
// kernel/copy.ts (TsCopy, userWalk), compiled by kernel/engines.ts with the
// memory imported, so it works on the board's own WebAssembly.Memory (guest
// RAM from host offset RAM_OFF, the page tables in it in Sv32's format).
//
// Same rules, same order as the TypeScript twin: the whole source range is
// checked for U-mode read, then the whole destination for U-mode write, page
// by page; only then are the bytes moved, chunk by chunk (a chunk never
// crosses a page on either side), each chunk walked again, as the twin does.
// A range inside one page on both sides (most IPC messages) is one walk a
// side. Addresses are unsigned: a range running past 0xffffffff is refused.
//
// Code pages: this module cannot see PhysMem.codePages (a JS array), so it
// logs where it wrote: (host offset, length) pairs at `logAt` (the scratch
// area set by init), adjacent chunks merged. The result is
// `code | entries << 2`; TS reports every logged range to mem.noteWrite
// before anything else runs. A copy that would overflow the log stops with
// code COPY_MORE (3) after a logged chunk; TS drains the log and calls
// copyMore() to go on, so no write ever goes unreported.
//
// Entry points: init, copy, copyMessage, copyMore, walk.

const RAM_BASE: u64 = 0x80000000;
const RAM_OFF: u64 = 0x10000;

const PTE_V: u32 = 1;
const PTE_R: u32 = 2;
const PTE_W: u32 = 4;
const PTE_X: u32 = 8;
const PTE_U: u32 = 16;

const COPY_OK: i32 = 0;
const COPY_BAD_SRC: i32 = 1;
const COPY_BAD_DST: i32 = 2;
const COPY_MORE: i32 = 3;

/** Exclusive guest physical end of RAM (PhysMem.ramEnd). */
let ramEnd: u64 = 0;
/** Host offset of the write log, and how many (offset, length) pairs it holds. */
let logAt: usize = 0;
let logCap: i32 = 0;
let logLen: i32 = 0;

// A copy interrupted by a full log (COPY_MORE), resumed by copyMore().
let pSrcRoot: u32 = 0;
let pSrcVa: u32 = 0;
let pDstRoot: u32 = 0;
let pDstVa: u32 = 0;
let pLen: u32 = 0;
let pDone: u32 = 0;

/** Set RAM's end and the write log's place and capacity (pairs); called once per memory. */
export function init(end: u32, log: u32, cap: i32): void {
  ramEnd = <u64>end;
  logAt = <usize>log;
  logCap = cap;
}

/**
 * Host offset of user virtual `va` under the page table at physical `root`
 * if a U-mode read (or write, when `write`) may touch it and it is RAM,
 * else -1. kernel/copy.ts userWalk line for line, addresses in u64 because
 * a PTE's PPN reaches 2^34.
 */
export function walk(root: u32, va: u32, write: bool): i32 {
  const need: u32 = write ? PTE_W : PTE_R;
  const l1: u64 = <u64>root + <u64>((va >>> 22) << 2);
  if (l1 < RAM_BASE || l1 + 4 > ramEnd) return -1;
  const pte1 = load<u32>(<usize>(l1 - RAM_BASE + RAM_OFF));
  // W without R is reserved at every level (priv. spec 4.3.2 step 3), pointers included.
  if ((pte1 & PTE_V) == 0 || (pte1 & (PTE_R | PTE_W)) == PTE_W) return -1;
  let pa: u64;
  let pte: u32;
  if ((pte1 & (PTE_R | PTE_X)) != 0) {
    if (((pte1 >>> 10) & 0x3ff) != 0) return -1; // misaligned megapage
    pte = pte1;
    pa = (<u64>(pte1 >>> 20) << 22) + <u64>(va & 0x3fffff);
  } else {
    const l0: u64 = (<u64>(pte1 >>> 10) << 12) + <u64>(((va >>> 12) & 0x3ff) << 2);
    if (l0 < RAM_BASE || l0 + 4 > ramEnd) return -1;
    pte = load<u32>(<usize>(l0 - RAM_BASE + RAM_OFF));
    if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_X)) == 0) return -1;
    pa = (<u64>(pte >>> 10) << 12) + <u64>(va & 0xfff);
  }
  if ((pte & PTE_U) == 0 || (pte & need) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W) return -1;
  if (pa < RAM_BASE || pa >= ramEnd) return -1;
  return <i32>(pa - RAM_BASE + RAM_OFF);
}

/** Is every page of [va, va+len) accessible? (TsCopy.check) */
function check(root: u32, va: u32, len: u32, write: bool): bool {
  if (<u64>va + <u64>len > 0x100000000) return false;
  const first = va >>> 12, last = (va + len - 1) >>> 12;
  if (walk(root, va, write) < 0) return false;
  for (let p = first + 1; p <= last; p++) {
    if (walk(root, p << 12, write) < 0) return false;
  }
  return true;
}

/** Append a written range to the log, merged with the last one when they touch. */
@inline function logWrite(off: u32, n: u32): void {
  if (logLen > 0) {
    const last = logAt + ((<usize>(logLen - 1)) << 3);
    const lo = load<u32>(last), ln = load<u32>(last, 4);
    if (lo + ln == off) { store<u32>(last, ln + n, 4); return; }
  }
  const at = logAt + ((<usize>logLen) << 3);
  store<u32>(at, off);
  store<u32>(at, n, 4);
  logLen++;
}

/** Move the bytes from `done` on; ranges already checked. Stops with COPY_MORE when the log is full. */
function move(srcRoot: u32, srcVa: u32, dstRoot: u32, dstVa: u32, len: u32, done: u32): i32 {
  while (done < len) {
    if (logLen >= logCap) {
      pSrcRoot = srcRoot; pSrcVa = srcVa; pDstRoot = dstRoot; pDstVa = dstVa; pLen = len; pDone = done;
      return COPY_MORE | (logLen << 2);
    }
    const s = srcVa + done, d = dstVa + done;
    let n = len - done;
    const sn: u32 = 4096 - (s & 0xfff), dn: u32 = 4096 - (d & 0xfff);
    if (sn < n) n = sn;
    if (dn < n) n = dn;
    const so = walk(srcRoot, s, false), dof = walk(dstRoot, d, true);
    // Only a copy that rewrote its own page tables can fail here (the kernel maps none to users).
    if (so < 0) return COPY_BAD_SRC | (logLen << 2);
    if (dof < 0) return COPY_BAD_DST | (logLen << 2);
    memory.copy(<usize>dof, <usize>so, <usize>n);
    logWrite(<u32>dof, n);
    done += n;
  }
  return COPY_OK | (logLen << 2);
}

/**
 * Copy `len` bytes from user `srcVa` (space `srcRoot`) to user `dstVa`
 * (space `dstRoot`): nothing unless every byte is accessible. Addresses and
 * the length are unsigned (a register's -4 is 0xfffffffc). Returns
 * code | logged ranges << 2 (code COPY_OK, COPY_BAD_SRC, COPY_BAD_DST, or
 * COPY_MORE: drain the log, then copyMore()).
 */
export function copy(srcRoot: u32, srcVa: u32, dstRoot: u32, dstVa: u32, len: u32): i32 {
  logLen = 0;
  if (len == 0) return COPY_OK;
  if ((srcVa & 0xfff) + len <= 4096 && (dstVa & 0xfff) + len <= 4096) {
    // Both sides within one page (an IPC message, mostly): the check is the walk.
    const so = walk(srcRoot, srcVa, false);
    if (so < 0) return COPY_BAD_SRC;
    const dof = walk(dstRoot, dstVa, true);
    if (dof < 0) return COPY_BAD_DST;
    memory.copy(<usize>dof, <usize>so, <usize>len);
    logWrite(<u32>dof, len);
    return COPY_OK | (1 << 2);
  }
  if (!check(srcRoot, srcVa, len, false)) return COPY_BAD_SRC;
  if (!check(dstRoot, dstVa, len, true)) return COPY_BAD_DST;
  return move(srcRoot, srcVa, dstRoot, dstVa, len, 0);
}

/**
 * An IPC message: copy() of 64 bytes, then `source` over its first word
 * (m_source), written through the walk like the rest (TsCopy.copyMessage).
 * The stamp lies inside the logged range; a 64-byte copy logs at most two
 * ranges, so it never stops with COPY_MORE (init's capacity is at least 2).
 */
export function copyMessage(srcRoot: u32, srcVa: u32, dstRoot: u32, dstVa: u32, source: i32): i32 {
  if ((srcVa & 0xfff) <= 4096 - 64 && (dstVa & 0xfff) <= 4096 - 64) {
    // Both within one page (nearly every message): one walk a side, the stamp through the same walk.
    logLen = 0;
    const so = walk(srcRoot, srcVa, false);
    if (so < 0) return COPY_BAD_SRC;
    const dof = walk(dstRoot, dstVa, true);
    if (dof < 0) return COPY_BAD_DST;
    memory.copy(<usize>dof, <usize>so, 64);
    store<i32>(<usize>dof, source);
    logWrite(<u32>dof, 64);
    return COPY_OK | (1 << 2);
  }
  const r = copy(srcRoot, srcVa, dstRoot, dstVa, 64);
  if ((r & 3) != COPY_OK) return r;
  if ((dstVa & 0xfff) <= 4092) {
    store<i32>(<usize>walk(dstRoot, dstVa, true), source);
  } else {
    for (let i: u32 = 0; i < 4; i++) store<u8>(<usize>walk(dstRoot, dstVa + i, true), <u8>(source >>> (i << 3)));
  }
  return r;
}

/** Go on with a copy that stopped with COPY_MORE (after its log was drained). */
export function copyMore(): i32 {
  logLen = 0;
  return move(pSrcRoot, pSrcVa, pDstRoot, pDstVa, pLen, pDone);
}
