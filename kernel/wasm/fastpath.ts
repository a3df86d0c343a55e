// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The IPC fast path's one crossing into wasm: the twin of kernel/switch.ts
// ipcSwapWith (TypeScript). A message copy and a context switch, fused: the
// message goes from the sender's buffer to the waiting receiver's, and only
// if it arrived are the sender's registers saved and the receiver's loaded,
// with the receiver's a0 (its receive's result) set to 0. The kernel has
// checked everything else (kernel.ts fastIpc) before calling.
//
// Entry points: ipcSwap.

import { copyMessage } from './copy';
import { swap } from './switch';

/** Host offset of the hart's a0 (x10) in the register file. */
const REG_A0: usize = 40;

/**
 * Copy the 64-byte message (copyMessage's arguments and result); if it is
 * COPY_OK, swap(from, pc, to) and a0 = 0. The receiver's pc stays in its
 * save area for the caller to read.
 */
export function ipcSwap(srcRoot: u32, srcVa: u32, dstRoot: u32, dstVa: u32, source: i32, from: u32, pc: i32, to: u32): i32 {
  const r = copyMessage(srcRoot, srcVa, dstRoot, dstVa, source);
  if ((r & 3) != 0) return r;
  swap(from, pc, to);
  store<i32>(REG_A0, 0);
  return r;
}
