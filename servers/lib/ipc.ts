// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// MINIX-style IPC for servers (docs/abi.md, "IPC"): fixed 64-byte messages
// and the five calls. The kernel implements them (issue #5); under
// `tessera run --user` every IPC call returns -ENOSYS.
//
// Entry points: Message, send, receive, sendrec, notify, sendnb, replyrecv, ANY, NONE,
// SELF, MESSAGE_SIZE.

import { syscall1, syscall2, syscall3, SYS_SEND, SYS_RECEIVE, SYS_SENDREC, SYS_NOTIFY, SYS_SENDNB, SYS_REPLYRECV } from "./syscall";

/** Receive from any sender; "no endpoint"; the caller itself (MINIX 3's values). */
export const ANY: i32 = 0x7ace;
export const NONE: i32 = 0x6ace;
export const SELF: i32 = 0x8ace;

export const MESSAGE_SIZE: i32 = 64;
export const PAYLOAD_SIZE: i32 = 56;

/**
 * A message: who sent it (filled in by the kernel), its type, and 56 bytes
 * of payload whose layout each message type defines. Unmanaged: a server
 * allocates its messages once (or in static memory) and reuses them.
 */
@unmanaged
export class Message {
  m_source: i32;
  m_type: i32;
  p0: i32; p1: i32; p2: i32; p3: i32; p4: i32; p5: i32; p6: i32;
  p7: i32; p8: i32; p9: i32; p10: i32; p11: i32; p12: i32; p13: i32;

  /** Address of the payload. */
  payload(): usize {
    return changetype<usize>(this) + 8;
  }

  /** Payload word `i` (0-13). */
  getI32(i: i32): i32 {
    return load<i32>(this.payload() + (<usize>i << 2));
  }

  setI32(i: i32, v: i32): void {
    store<i32>(this.payload() + (<usize>i << 2), v);
  }

  /** Payload byte at `off` (0-55). */
  getU8(off: i32): u8 {
    return load<u8>(this.payload() + <usize>off);
  }

  setU8(off: i32, v: u8): void {
    store<u8>(this.payload() + <usize>off, v);
  }

  /** Zero the whole message. */
  clear(): void {
    memory.fill(changetype<usize>(this), 0, MESSAGE_SIZE);
  }
}

// The layout is ABI: a message is exactly 64 bytes.
if (offsetof<Message>() != MESSAGE_SIZE) ERROR("Message must be 64 bytes");
if (offsetof<Message>("m_type") != 4 || offsetof<Message>("p0") != 8) ERROR("Message layout changed");

function addr(m: Message): i32 {
  return <i32>changetype<usize>(m);
}

/** Send `m` to `dest`, blocking until it is received. 0 or -errno. */
export function send(dest: i32, m: Message): i32 {
  return syscall2(SYS_SEND, dest, addr(m));
}

/** Receive a message from `src` (or ANY) into `m`. 0 or -errno. */
export function receive(src: i32, m: Message): i32 {
  return syscall2(SYS_RECEIVE, src, addr(m));
}

/** Send `m` to `dest` and wait for its reply in `m`. 0 or -errno. */
export function sendrec(dest: i32, m: Message): i32 {
  return syscall2(SYS_SENDREC, dest, addr(m));
}

/** Notify `dest` (never blocks). 0 or -errno. */
export function notify(dest: i32): i32 {
  return syscall1(SYS_NOTIFY, dest);
}

/** Send `m` to `dest` only if it is waiting for it (never blocks). 0 or -errno. */
export function sendnb(dest: i32, m: Message): i32 {
  return syscall2(SYS_SENDNB, dest, addr(m));
}

/**
 * A server's reply to `dest` (as sendnb) and its next receive from `src` into
 * the same `m`, in one system call. 0 or -errno; if the reply fails, nothing
 * was received.
 */
export function replyrecv(dest: i32, m: Message, src: i32): i32 {
  return syscall3(SYS_REPLYRECV, dest, addr(m), src);
}
