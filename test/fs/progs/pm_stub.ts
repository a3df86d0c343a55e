// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A stand-in for PM in test/fs (boot slot 0, PM's endpoint): it sends VFS the
// notices PM sends about processes, when a test client asks:
//   1 FORK  p0 parent, p1 child: VFS_PM_FORK, then "go" (m_type 9) to the child
//   2 EXEC  p0 process: VFS_PM_EXEC
//   3 EXIT  p0 process, once it is waiting in VFS (its sendrec's receive half)
//   4 SHUTDOWN: VFS_SHUTDOWN (every file system synced and unmounted)
// and answers each request with VFS's status in p0.

import { Message, receive, sendrec, send, ANY } from "../../../servers/lib/index";
import { VFS_PM_FORK, VFS_PM_EXEC, VFS_PM_EXIT, VFS_SHUTDOWN, SYSTEM, KC_GETINFO, GETINFO_PROCTAB, PROCINFO_SIZE, NR_PROCS } from "../../../servers/lib/fs_proto";
import { findProc } from "./tlib";

const m = new Message();
const v = new Message();
const k = new Message();
const table: usize = memory.data(PROCINFO_SIZE * NR_PROCS);

function tellVfs(vfs: i32, type: i32, a: i32, b: i32): i32 {
  v.clear();
  v.m_type = type; v.p0 = a; v.p1 = b;
  const r = sendrec(vfs, v);
  return r < 0 ? r : v.p0;
}

/** Whether `ep` is blocked receiving from `from` (state 3, blocked-on). */
function waitingOn(ep: i32, from: i32): bool {
  k.m_type = KC_GETINFO;
  k.p0 = GETINFO_PROCTAB; k.p1 = <i32>table; k.p2 = PROCINFO_SIZE * NR_PROCS;
  if (sendrec(SYSTEM, k) < 0 || k.m_type < 0) return false;
  for (let i = 0; i < k.p0; i++) {
    const e = table + <usize>(i * PROCINFO_SIZE);
    if (load<i32>(e) == ep) return load<i32>(e, 4) == 3 && load<i32>(e, 40) == from;
  }
  return false;
}

export function main(): void {
  let vfs = 0;
  for (;;) {
    if (receive(ANY, m) < 0) continue;
    if (vfs == 0) vfs = findProc("vfs");
    const src = m.m_source;
    let r = 0;
    if (m.m_type == 1) {
      r = tellVfs(vfs, VFS_PM_FORK, m.p0, m.p1);
      const child = m.p1;
      m.p0 = r;
      send(src, m);
      m.clear();
      m.m_type = 9;
      send(child, m);
      continue;
    }
    if (m.m_type == 2) r = tellVfs(vfs, VFS_PM_EXEC, m.p0, 0);
    else if (m.m_type == 3) {
      for (let i = 0; i < 100000 && !waitingOn(m.p0, vfs); i++) {}
      r = tellVfs(vfs, VFS_PM_EXIT, m.p0, 0);
    } else if (m.m_type == 4) r = tellVfs(vfs, VFS_SHUTDOWN, 0, 0);
    else r = -38;
    m.p0 = r;
    send(src, m);
  }
}
