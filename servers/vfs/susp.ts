// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Calls VFS cannot finish now: a read of an empty pipe, a write to a full
// one, a console read waiting for a line. The caller gets no reply (it
// stays in its sendrec); VFS keeps what the call needs here, by the
// caller's slot, and answers when the pipe or the driver moves on, or
// drops it when PM says the process is gone.
//
// Entry points: SUSP_*, susp* arrays, suspend, resume, forget, suspended,
// pipeWaiters.

import { Message, sendnb } from "../lib/index";
import { NR_PROCS, VFS_REPLY } from "../lib/fs_proto";
import { newI32s } from "./arrays";

export const SUSP_NONE: i32 = 0;
export const SUSP_PIPE_READ: i32 = 1;
export const SUSP_PIPE_WRITE: i32 = 2;
export const SUSP_CDEV_READ: i32 = 3;
export const SUSP_CDEV_WRITE: i32 = 4;

export const suspKind = newI32s(NR_PROCS);
export const suspEp = newI32s(NR_PROCS);
export const suspFilp = newI32s(NR_PROCS);
export const suspGrant = newI32s(NR_PROCS);
export const suspCount = newI32s(NR_PROCS);
export const suspDone = newI32s(NR_PROCS);
/** The character-device I/O slot (cdev.ts) and the device of a suspended device call. */
export const suspIo = newI32s(NR_PROCS);
export const suspDev = newI32s(NR_PROCS);

const rm = new Message();
/** Calls suspended on pipes now (pipe.ts skips its scan when there are none). */
export let pipeWaiters: i32 = 0;

/** Remember the call of `ep` (slot `slot`) as suspended. */
export function suspend(slot: i32, ep: i32, kind: i32, filp: i32, grant: i32, count: i32, done: i32): void {
  if (kind == SUSP_PIPE_READ || kind == SUSP_PIPE_WRITE) pipeWaiters++;
  suspKind[slot] = kind;
  suspEp[slot] = ep;
  suspFilp[slot] = filp;
  suspGrant[slot] = grant;
  suspCount[slot] = count;
  suspDone[slot] = done;
  suspIo[slot] = -1;
}

/** Answer the suspended call of slot `slot` with `status` and forget it. */
export function resume(slot: i32, status: i32): void {
  const ep = suspEp[slot];
  forget(slot);
  rm.clear();
  rm.m_type = VFS_REPLY;
  rm.p0 = status;
  sendnb(ep, rm);
}

/** Drop the suspended call of slot `slot` without an answer (its process is gone). */
export function forget(slot: i32): void {
  const k = suspKind[slot];
  if (k == SUSP_PIPE_READ || k == SUSP_PIPE_WRITE) pipeWaiters--;
  suspKind[slot] = SUSP_NONE;
}

export function suspended(slot: i32): bool {
  return suspKind[slot] != SUSP_NONE;
}
