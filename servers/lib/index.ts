// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The user runtime of Tessera programs and servers (AssemblyScript): console
// output and exit, raw system calls, IPC, and the collector hook.
//
// Memory: programs are built with asc's `minimal` runtime (TLSF allocator and
// a mark-and-sweep collector that never runs by itself). A server calls
// collect() at the top of its receive loop, where no object is live on the
// stack, so garbage from one request is reclaimed before the next and the
// heap stays flat however long it runs.
//
// Entry points: re-exports of io, syscall and ipc; collect.

export { print, printErr, printInt, write, writeBytes, exit } from "./io";
export * from "./syscall";
export { Message, send, receive, sendrec, notify, sendnb, replyrecv, ANY, NONE, SELF, MESSAGE_SIZE, PAYLOAD_SIZE } from "./ipc";

/** Reclaim unreachable objects. Call only where no object is referenced from the stack (the top of a receive loop). */
export function collect(): void {
  __collect();
}
