// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// pm's view of VFS: its endpoint (asked of ds once; a system without VFS
// has none, and pm then tells nobody about forks, execs and exits), and the
// notices MINIX's PM sends it: a fork copies the parent's descriptors, an
// exec closes the close-on-exec ones, an exit closes them all (signal.ts).
//
// Entry points: vfsEndpoint, vfsFork, vfsExec, vfsShutdown.

import { Message, sendrec } from "../lib/index";
import { dsLookup } from "../lib/server";
import { VFS_PM_FORK, VFS_PM_EXEC, VFS_SHUTDOWN } from "../lib/fs_proto";

/** 0 not asked yet, -1 none. */
let vfsEp: i32 = 0;
const vmsg = new Message();

export function vfsEndpoint(): i32 {
  if (vfsEp == 0) {
    const ep = dsLookup("vfs");
    vfsEp = ep > 0 ? ep : -1;
  }
  return vfsEp;
}

function tell(type: i32, a: i32, b: i32): i32 {
  const vfs = vfsEndpoint();
  if (vfs <= 0) return 0;
  vmsg.clear();
  vmsg.m_type = type;
  vmsg.p0 = a;
  vmsg.p1 = b;
  const r = sendrec(vfs, vmsg);
  return r != 0 ? r : vmsg.p0;
}

export function vfsFork(parent: i32, child: i32): i32 {
  return tell(VFS_PM_FORK, parent, child);
}

export function vfsExec(ep: i32): i32 {
  return tell(VFS_PM_EXEC, ep, 0);
}

/** Sync and unmount every file system before the power goes. */
export function vfsShutdown(): i32 {
  return tell(VFS_SHUTDOWN, 0, 0);
}
