// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mfs's block cache and its block driver: NBUF buffers of one 1 KiB block
// each, found by a hash on the block number, recycled least recently used
// first, written back when recycled (if dirty), on sync and at unmount.
// A buffer in use is pinned (bget .. bput) so nothing recycles it under the
// caller's feet.
//
// The driver (blk) reads and writes the buffers straight through one grant
// over the whole cache, so a transfer is one message and no copy in mfs.
// Runs of dirty blocks with consecutive numbers go out as one request
// through the staging buffer, and a read that misses fetches the blocks
// after it too (read-ahead) when the caller says the file goes on, into
// adjacent buffers.
//
// When the driver dies (EDEADSRCDST) mfs waits for its successor, which RS
// publishes in ds as "blk" (or someone sends REQ_NEWDRIVER); then the
// request is sent again. When ds names no "blk" at all (rs took it down for
// good: `service down blk`), there is nothing to wait for: the request
// fails with EIO, and changed blocks stay in the cache, dirty. A request that fails that way never half-happened in mfs:
// the buffers are untouched until the driver's answer is in.
//
// Entry points: BLOCK, bget, bput, bdirty, baddr, bcached, bsync, bdirtyCount, binvalidate,
// bdevOpen, bdevDriver, bdevSetDriver, bdevFromDs, bprefetch.

import { Message, sendrec, receive, sendnb, ANY } from "../lib/index";
import { sysSetGrant, dsLookup } from "../lib/server";
import { DS_EP } from "../lib/proto";
import {
  BDEV_OPEN, BDEV_READ, BDEV_WRITE, BDEV_FLUSH, BDEV_REPLY, BDEV_MAX_IO, GRANT_READ, GRANT_WRITE,
  EDEADSRCDST, EIO, EAGAIN, ESRCH, NOTIFY_MESSAGE, REQ_NEWDRIVER, FS_REPLY,
} from "../lib/fs_proto";

export const BLOCK: i32 = 1024;
const NBUF: i32 = 512;
const NHASH: i32 = 256;
const NONE: u32 = 0xffffffff;
const F_DIRTY: u8 = 1;
const F_VALID: u8 = 2;
/** The grant ids mfs gives its driver: the cache, the staging buffer. */
const GRANT_CACHE: i32 = 0;
const GRANT_STAGE: i32 = 1;
const STAGE_BLOCKS: i32 = BDEV_MAX_IO / BLOCK;

// On the heap, not in static data: a static buffer this size would be in the ELF.
// On the heap, not in static data: a static buffer this size would be in the ELF.
const CACHE: usize = heap.alloc(NBUF * BLOCK);
const STAGE: usize = heap.alloc(BDEV_MAX_IO);

// Per buffer, in plain memory (no objects for the collector to visit on
// every request): its block, flags, pins, hash chain and LRU links.
const BUF_BLOCK: usize = memory.data(NBUF * 4);
const BUF_FLAGS: usize = memory.data(NBUF);
const BUF_PIN: usize = memory.data(NBUF * 4);
const HASH_NEXT: usize = memory.data(NBUF * 4);
const LRU_PREV: usize = memory.data(NBUF * 4);
const LRU_NEXT: usize = memory.data(NBUF * 4);
const HASH_HEAD: usize = memory.data(NHASH * 4);

@inline function blockOf(i: i32): u32 { return load<u32>(BUF_BLOCK + (<usize>i << 2)); }
@inline function setBlockOf(i: i32, b: u32): void { store<u32>(BUF_BLOCK + (<usize>i << 2), b); }
@inline function flagsOf(i: i32): u8 { return load<u8>(BUF_FLAGS + <usize>i); }
@inline function setFlags(i: i32, f: u8): void { store<u8>(BUF_FLAGS + <usize>i, f); }
@inline function pinOf(i: i32): i32 { return load<i32>(BUF_PIN + (<usize>i << 2)); }
@inline function setPin(i: i32, n: i32): void { store<i32>(BUF_PIN + (<usize>i << 2), n); }
@inline function hnext(i: i32): i32 { return load<i32>(HASH_NEXT + (<usize>i << 2)); }
@inline function setHnext(i: i32, j: i32): void { store<i32>(HASH_NEXT + (<usize>i << 2), j); }
@inline function lprev(i: i32): i32 { return load<i32>(LRU_PREV + (<usize>i << 2)); }
@inline function setLprev(i: i32, j: i32): void { store<i32>(LRU_PREV + (<usize>i << 2), j); }
@inline function lnext(i: i32): i32 { return load<i32>(LRU_NEXT + (<usize>i << 2)); }
@inline function setLnext(i: i32, j: i32): void { store<i32>(LRU_NEXT + (<usize>i << 2), j); }
@inline function head(h: i32): i32 { return load<i32>(HASH_HEAD + (<usize>h << 2)); }
@inline function setHead(h: i32, i: i32): void { store<i32>(HASH_HEAD + (<usize>h << 2), i); }

// The LRU list: lruHead the least recently used, lruTail the most.
let lruHead: i32 = -1;
let lruTail: i32 = -1;
/** Where the next read-ahead run of buffers starts (a rotating cursor). */
let aheadAt: i32 = 0;

let driver: i32 = 0;
let minor: i32 = 0;
let reqId: i32 = 0;
const bm = new Message();
const wm = new Message();

/** Map [p, p+n) without changing it (read a byte of each page, write it back). */
function touch(p: usize, n: i32): void {
  for (let a = p; a < p + <usize>n; a += 4096) store<u8>(a, load<u8>(a));
}

/** Set up the (empty) cache. */
export function binvalidate(): void {
  // Touch every page the driver copies into: the kernel's safe copies do not map untouched heap pages.
  touch(CACHE, NBUF * BLOCK);
  touch(STAGE, BDEV_MAX_IO);
  for (let h = 0; h < NHASH; h++) setHead(h, -1);
  for (let i = 0; i < NBUF; i++) {
    setBlockOf(i, NONE);
    setFlags(i, 0);
    setPin(i, 0);
    setHnext(i, -1);
    setLprev(i, i - 1);
    setLnext(i, i + 1 < NBUF ? i + 1 : -1);
  }
  aheadAt = 0;
  lruHead = 0;
  lruTail = NBUF - 1;
}

export function baddr(i: i32): usize {
  return CACHE + <usize>(i * BLOCK);
}

export function bdirty(i: i32): void {
  setFlags(i, flagsOf(i) | F_DIRTY);
}

export function bput(i: i32): void {
  setPin(i, pinOf(i) - 1);
}

// ---- the driver -------------------------------------------------------------

export function bdevDriver(): i32 {
  return driver;
}

/** Use `ep` as the driver from now on: grant it the cache and the staging buffer. 0 or -errno. */
export function bdevSetDriver(ep: i32): i32 {
  driver = ep;
  let r = sysSetGrant(GRANT_CACHE, ep, CACHE, NBUF * BLOCK, GRANT_READ | GRANT_WRITE);
  if (r < 0) return r;
  r = sysSetGrant(GRANT_STAGE, ep, STAGE, BDEV_MAX_IO, GRANT_READ | GRANT_WRITE);
  return r;
}

/** Open `dev` on driver `ep`: its size in 512-byte sectors, or -errno. */
export function bdevOpen(ep: i32, dev: i32): i64 {
  minor = dev;
  let r = bdevSetDriver(ep);
  if (r < 0) return r;
  bm.clear();
  bm.m_type = BDEV_OPEN;
  bm.p0 = dev;
  r = sendrec(driver, bm);
  if (r < 0) return r;
  if (bm.p0 < 0) return bm.p0;
  return <i64>bm.p1 & 0xffffffff;
}

/**
 * The driver ds names "blk": 1 when it is a living one other than `dead`
 * (mfs uses it from now on), 0 when there is none yet (ds still names the
 * dead one: rs is restarting it), -1 when ds names none (rs took it down
 * for good).
 */
function driverFromDs(dead: i32): i32 {
  const ep = dsLookup("blk");
  if (ep == -ESRCH) return -1;
  return ep > 0 && ep != dead && bdevSetDriver(ep) == 0 ? 1 : 0;
}

/** Use the driver ds names "blk" now, if it is a living one other than `dead`: true if switched. */
export function bdevFromDs(dead: i32): bool {
  return driverFromDs(dead) > 0;
}

/**
 * Wait for the driver's successor: ds may already name it; else wait for a
 * notification from ds (mfs subscribes to "blk" when it mounts) and ask
 * again, or for REQ_NEWDRIVER (p0 the endpoint) from anyone who may send
 * to mfs. Other requests meanwhile are answered EAGAIN. False, at once,
 * when ds names no driver at all: there will be no successor to wait for.
 */
function waitDriver(dead: i32): bool {
  let s = driverFromDs(dead);
  if (s != 0) return s > 0;
  for (;;) {
    if (receive(ANY, wm) != 0) continue;
    if (wm.m_type == REQ_NEWDRIVER) {
      const ep = wm.p0;
      wm.m_type = FS_REPLY;
      wm.p0 = 0;
      sendnb(wm.m_source, wm);
      if (ep != dead && bdevSetDriver(ep) == 0) return true;
      continue;
    }
    if (wm.m_type == NOTIFY_MESSAGE) {
      if (wm.m_source != DS_EP) continue;
      s = driverFromDs(dead);
      if (s != 0) return s > 0;
      continue;
    }
    wm.m_type = FS_REPLY;
    wm.p0 = -EAGAIN;
    sendnb(wm.m_source, wm);
  }
  return false;
}

/**
 * One transfer with the driver: `count` bytes at byte `pos` of the device,
 * to or from offset `off` of grant `grant`. Retried on the driver's
 * successor if it dies. 0 or -errno.
 */
function bdevIo(type: i32, pos: u64, grant: i32, off: i32, count: i32): i32 {
  for (;;) {
    const id = ++reqId;
    bm.clear();
    bm.m_type = type;
    bm.p0 = minor; bm.p1 = grant; bm.p2 = <i32>pos; bm.p3 = <i32>(pos >> 32);
    bm.p4 = count; bm.p5 = id; bm.p6 = off;
    const dead = driver;
    const r = sendrec(driver, bm);
    if (r == -EDEADSRCDST) {
      if (waitDriver(dead)) continue;
      return -EIO;
    }
    if (r < 0) return r;
    if (bm.m_type != BDEV_REPLY || bm.p5 != id) return -EIO;
    if (bm.p0 < 0) return bm.p0;
    return bm.p0 == count ? 0 : -EIO;
  }
}

/** Ask the driver to put its write cache on the disk. 0 or -errno. */
function bdevFlush(): i32 {
  for (;;) {
    bm.clear();
    bm.m_type = BDEV_FLUSH;
    bm.p0 = minor;
    const dead = driver;
    const r = sendrec(driver, bm);
    if (r == -EDEADSRCDST) {
      if (waitDriver(dead)) continue;
      return -EIO;
    }
    if (r < 0) return r;
    return bm.p0 < 0 ? bm.p0 : 0;
  }
}

// ---- buffers ----------------------------------------------------------------

@inline function hashOf(b: u32): i32 {
  return <i32>(b & <u32>(NHASH - 1));
}

function find(b: u32): i32 {
  for (let i = head(hashOf(b)); i >= 0; i = hnext(i)) if (blockOf(i) == b) return i;
  return -1;
}

/** The buffer holding block b, if cached (not pinned: use it before the next bget), or -1. */
export function bcached(b: u32): i32 {
  return find(b);
}

function unhash(i: i32): void {
  const b = blockOf(i);
  if (b == NONE) return;
  const h = hashOf(b);
  if (head(h) == i) { setHead(h, hnext(i)); return; }
  for (let j = head(h); j >= 0; j = hnext(j)) {
    if (hnext(j) == i) { setHnext(j, hnext(i)); return; }
  }
}

function lruRemove(i: i32): void {
  const p = lprev(i), n = lnext(i);
  if (p >= 0) setLnext(p, n); else lruHead = n;
  if (n >= 0) setLprev(n, p); else lruTail = p;
}

/** Make buffer i the most recently used. */
function lruTouch(i: i32): void {
  if (lruTail == i) return;
  lruRemove(i);
  setLprev(i, lruTail);
  setLnext(i, -1);
  if (lruTail >= 0) setLnext(lruTail, i); else lruHead = i;
  lruTail = i;
}

/** Write buffer i to its block now. */
function writeOne(i: i32): i32 {
  const r = bdevIo(BDEV_WRITE, <u64>blockOf(i) * <u64>BLOCK, GRANT_CACHE, i * BLOCK, BLOCK);
  if (r == 0) setFlags(i, flagsOf(i) & ~F_DIRTY);
  return r;
}

/** Empty buffer i (written back first if dirty). 0 or -errno. */
function evict(i: i32): i32 {
  if ((flagsOf(i) & F_DIRTY) != 0) {
    const r = writeBack(i);
    if (r < 0) return r;
  }
  unhash(i);
  setBlockOf(i, NONE);
  setFlags(i, 0);
  return 0;
}

/** Whether buffer i is where the next read-ahead will go (a block put there would be evicted at once). */
@inline function aheadWindow(i: i32): bool {
  return i >= aheadAt && i < aheadAt + STAGE_BLOCKS;
}

/** A buffer to reuse for another block (the least recently used, outside the read-ahead window if it can), or -errno. */
function recycle(): i32 {
  let fallback = -1;
  for (let i = lruHead; i >= 0; i = lnext(i)) {
    if (pinOf(i) != 0) continue;
    if (aheadWindow(i)) {
      if (fallback < 0) fallback = i;
      continue;
    }
    const r = evict(i);
    return r < 0 ? r : i;
  }
  if (fallback < 0) return -EIO; // every buffer pinned: a bug in mfs
  const r = evict(fallback);
  return r < 0 ? r : fallback;
}

function install(i: i32, b: u32): void {
  setBlockOf(i, b);
  const h = hashOf(b);
  setHnext(i, head(h));
  setHead(h, i);
  setFlags(i, F_VALID);
}

/**
 * Block `b`, pinned: its buffer index, or -errno. With `read` false the
 * caller will overwrite the whole block (or wants a new, empty one), so it
 * is not read: the buffer comes back zeroed.
 */
export function bget(b: u32, read: bool): i32 {
  let i = find(b);
  if (i < 0) {
    i = recycle();
    if (i < 0) return i;
    if (read) {
      const r = bdevIo(BDEV_READ, <u64>b * <u64>BLOCK, GRANT_CACHE, i * BLOCK, BLOCK);
      if (r < 0) return r;
    }
    install(i, b);
  }
  if (!read) memory.fill(baddr(i), 0, BLOCK);
  setPin(i, pinOf(i) + 1);
  lruTouch(i);
  return i;
}

/**
 * Read ahead for a file read that goes on: the blocks b, b+1, .. (up to n)
 * that are not cached yet, in one request, straight into a run of adjacent
 * buffers (so the file's data also leaves in one copy per run). A hint:
 * errors are ignored.
 */
export function bprefetch(b: u32, n: i32): void {
  if (n > STAGE_BLOCKS) n = STAGE_BLOCKS;
  let k = 0;
  while (k < n && find(b + <u32>k) < 0) k++;
  if (k < 2) return;
  // k adjacent unpinned buffers from the cursor.
  let j = aheadAt;
  for (let tries = 0; ; tries++) {
    if (tries > NBUF) return;
    if (j + k > NBUF) j = 0;
    let free = true;
    for (let x = 0; x < k && free; x++) if (pinOf(j + x) != 0) { free = false; j += x + 1; }
    if (free) break;
  }
  for (let x = 0; x < k; x++) if (evict(j + x) < 0) return;
  if (bdevIo(BDEV_READ, <u64>b * <u64>BLOCK, GRANT_CACHE, j * BLOCK, k * BLOCK) < 0) return;
  for (let x = 0; x < k; x++) {
    install(j + x, b + <u32>x);
    lruTouch(j + x);
  }
  aheadAt = j + k;
}

/** Write every dirty buffer (runs of consecutive blocks as one request), then flush the driver. 0 or -errno. */
export function bsync(): i32 {
  let err = 0;
  for (let i = 0; i < NBUF; i++) {
    if ((flagsOf(i) & F_DIRTY) == 0) continue;
    const r = writeBack(i);
    if (r < 0) err = r;
  }
  const f = bdevFlush();
  return err < 0 ? err : f;
}

/** How many buffers hold changes not yet on the disk. */
export function bdirtyCount(): i32 {
  let n = 0;
  for (let i = 0; i < NBUF; i++) if ((flagsOf(i) & F_DIRTY) != 0) n++;
  return n;
}

/** Whether block b is cached and dirty. */
function dirtyBlock(b: u32): bool {
  const j = find(b);
  return j >= 0 && (flagsOf(j) & F_DIRTY) != 0;
}

/** Write dirty buffer i and the dirty cached blocks around it on the disk, as one request. */
function writeBack(i: i32): i32 {
  const b = blockOf(i);
  let start = b, n = 1;
  while (n < STAGE_BLOCKS && dirtyBlock(b + <u32>n)) n++;
  while (n < STAGE_BLOCKS && start > 0 && dirtyBlock(start - 1)) { start--; n++; }
  if (n == 1) return writeOne(i);
  for (let k = 0; k < n; k++) memory.copy(STAGE + <usize>(k * BLOCK), baddr(find(start + <u32>k)), BLOCK);
  const r = bdevIo(BDEV_WRITE, <u64>start * <u64>BLOCK, GRANT_STAGE, 0, n * BLOCK);
  if (r < 0) return r;
  for (let k = 0; k < n; k++) {
    const j = find(start + <u32>k);
    setFlags(j, flagsOf(j) & ~F_DIRTY);
  }
  return 0;
}
