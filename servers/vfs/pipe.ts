// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Pipes, kept in VFS: a ring buffer of PIPE_SIZE bytes per pipe, its count
// of readers and writers (open filps of each end). A read of an empty pipe
// with writers waits; with none it is the end of the file (0). A write
// takes what fits and waits for room for the rest; with no readers it fails
// with EPIPE. Every read, write and close wakes the waiting side.
//
// Entry points: pipeCreate, pipeRead, pipeWrite, pipeClose, pipeRetry.

import { sysSafecopyFrom, sysSafecopyTo } from "../lib/server";
import { SUSPEND } from "../lib/proto";
import { EAGAIN, EPIPE, ENFILE, NR_PROCS, S_IFIFO } from "../lib/fs_proto";
import { NO, vnMode, vnPipe, vnodeAlloc, VN_PIPE } from "./tables";
import {
  suspend, resume, suspKind, suspFilp, suspGrant, suspCount, suspDone, suspEp,
  SUSP_PIPE_READ, SUSP_PIPE_WRITE, pipeWaiters,
} from "./susp";
import { filpVnode } from "./tables";
import { newI32s, newBytes, touch } from "./arrays";

const NR_PIPES: i32 = 32;
export const PIPE_SIZE: i32 = 4096;

const pipeBuf = newI32s(NR_PIPES);
const pipeHead = newI32s(NR_PIPES);
const pipeLen = newI32s(NR_PIPES);
export const pipeReaders = newI32s(NR_PIPES);
export const pipeWriters = newI32s(NR_PIPES);
const pipeUsed = newBytes(NR_PIPES);

/** A new pipe's vnode (refs 0; one reader and one writer counted), or -ENFILE. */
export function pipeCreate(): i32 {
  let p = 0;
  while (p < NR_PIPES && pipeUsed[p]) p++;
  if (p == NR_PIPES) return -ENFILE;
  const v = vnodeAlloc(VN_PIPE);
  if (v == NO) return -ENFILE;
  if (pipeBuf[p] == 0) {
    pipeBuf[p] = <i32>heap.alloc(PIPE_SIZE);
    touch(<usize>pipeBuf[p], PIPE_SIZE);
  }
  pipeUsed[p] = true;
  pipeHead[p] = 0;
  pipeLen[p] = 0;
  pipeReaders[p] = 1;
  pipeWriters[p] = 1;
  vnPipe[v] = p;
  vnMode[v] = S_IFIFO | 0o600;
  return v;
}

/** Copy up to `want` bytes out of pipe p into `ep`'s grant at `off`. Bytes, or -errno. */
function takeOut(p: i32, ep: i32, grant: i32, off: i32, want: i32): i32 {
  let done = 0;
  while (done < want && pipeLen[p] > 0) {
    const n = min(want - done, min(pipeLen[p], PIPE_SIZE - pipeHead[p]));
    const r = sysSafecopyTo(ep, grant, off + done, <usize>pipeBuf[p] + <usize>pipeHead[p], n);
    if (r < 0) return done > 0 ? done : r;
    pipeHead[p] = (pipeHead[p] + n) % PIPE_SIZE;
    pipeLen[p] -= n;
    done += n;
  }
  if (pipeLen[p] == 0) pipeHead[p] = 0;
  return done;
}

/** Copy up to `want` bytes from `ep`'s grant at `off` into pipe p. Bytes, or -errno. */
function putIn(p: i32, ep: i32, grant: i32, off: i32, want: i32): i32 {
  let done = 0;
  while (done < want && pipeLen[p] < PIPE_SIZE) {
    const tail = (pipeHead[p] + pipeLen[p]) % PIPE_SIZE;
    const n = min(want - done, min(PIPE_SIZE - pipeLen[p], PIPE_SIZE - tail));
    const r = sysSafecopyFrom(ep, grant, off + done, <usize>pipeBuf[p] + <usize>tail, n);
    if (r < 0) return done > 0 ? done : r;
    pipeLen[p] += n;
    done += n;
  }
  return done;
}

/**
 * A read of `count` bytes from the pipe of vnode v by `ep` (slot `slot`),
 * for filp `filp`: bytes, 0 at the end, -EAGAIN, or SUSPEND.
 */
export function pipeRead(slot: i32, ep: i32, filp: i32, v: i32, grant: i32, count: i32, nonblock: bool): i32 {
  const p = vnPipe[v];
  if (count == 0) return 0;
  if (pipeLen[p] > 0) {
    const n = takeOut(p, ep, grant, 0, count);
    if (n > 0) pipeRetry(p);
    return n;
  }
  if (pipeWriters[p] == 0) return 0;
  if (nonblock) return -EAGAIN;
  suspend(slot, ep, SUSP_PIPE_READ, filp, grant, count, 0);
  return SUSPEND;
}

/** A write of `count` bytes: bytes, -EPIPE, -EAGAIN, or SUSPEND (some may be in already). */
export function pipeWrite(slot: i32, ep: i32, filp: i32, v: i32, grant: i32, count: i32, nonblock: bool): i32 {
  const p = vnPipe[v];
  if (pipeReaders[p] == 0) return -EPIPE;
  const n = putIn(p, ep, grant, 0, count);
  if (n < 0) return n;
  if (n == count || nonblock) {
    if (n > 0) pipeRetry(p);
    return n == count || n > 0 ? n : -EAGAIN;
  }
  // Wait first, then let the readers take what is in: the room they make is
  // this write's to fill (and it is answered from there when it is done).
  // Retrying before waiting left a write larger than the pipe stuck with a
  // drained pipe, its reader waiting for more.
  suspend(slot, ep, SUSP_PIPE_WRITE, filp, grant, count, n);
  pipeRetry(p);
  return SUSPEND;
}

/** Let every call waiting on pipe p go as far as it can now; finished ones are answered. */
export function pipeRetry(p: i32): void {
  if (pipeWaiters == 0) return;
  let moved = true;
  while (moved) {
    moved = false;
    for (let s = 0; s < NR_PROCS; s++) {
      const k = suspKind[s];
      if (k != SUSP_PIPE_READ && k != SUSP_PIPE_WRITE) continue;
      if (vnPipe[filpVnode[suspFilp[s]]] != p) continue;
      if (k == SUSP_PIPE_READ) {
        if (pipeLen[p] > 0) {
          const n = takeOut(p, suspEp[s], suspGrant[s], 0, suspCount[s]);
          resume(s, n);
          moved = true;
        } else if (pipeWriters[p] == 0) {
          resume(s, 0);
        }
      } else {
        if (pipeReaders[p] == 0) {
          resume(s, suspDone[s] > 0 ? suspDone[s] : -EPIPE);
          continue;
        }
        const n = putIn(p, suspEp[s], suspGrant[s], suspDone[s], suspCount[s] - suspDone[s]);
        if (n < 0) { resume(s, suspDone[s] > 0 ? suspDone[s] : n); continue; }
        if (n > 0) moved = true;
        suspDone[s] += n;
        if (suspDone[s] == suspCount[s]) resume(s, suspDone[s]);
      }
    }
  }
}

/** A filp of vnode v closed its last reference: one reader (or writer) fewer. */
export function pipeClose(v: i32, writer: bool): void {
  const p = vnPipe[v];
  if (writer) pipeWriters[p]--;
  else pipeReaders[p]--;
  pipeRetry(p);
}

/** The pipe's vnode is gone: its buffer is free for the next pipe. */
export function pipeFree(v: i32): void {
  pipeUsed[vnPipe[v]] = false;
}

/** Bytes waiting in the pipe of vnode v (fstat's size). */
export function pipeCount(v: i32): i32 {
  return pipeLen[vnPipe[v]];
}
