// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// The services' privileges, as kernel/privileges.ts declares them: a table
// servers/system.ts appends to rs's ELF at PRIVTAB_BASE (so there is one
// declaration, read by the kernel at boot and by rs at every restart):
//
//   +0 u32 magic "TPRV", +4 u32 count, then per service:
//   name[16], u32 kernel-call bits, u32 flags (PRIV_*), u32 IRQ bits,
//   u32 MMIO base, u32 MMIO size, u32 number of targets, targets × name[16]
//
// Targets are names; rs turns them into kernel slots through ds when it
// gives a restarted service its privileges (PRIVCTL).
//
// Entry points: privFind, privApply.

import { sysPrivctl, dsLookup, cString, PRIV_SET_PRIORITY } from "../lib/server";
import { PM_EP, DS_EP, RS_EP } from "../lib/proto";

const PRIVTAB_BASE: usize = 0x00400000;
const PRIVTAB_MAGIC: u32 = 0x56525054; // "TPRV"
const NAME: i32 = 16;

function entrySize(e: usize): usize {
  return <usize>(NAME + 24) + <usize>load<u32>(e, NAME + 20) * <usize>NAME;
}

/** The table entry of service `name`, or 0. */
export function privFind(name: string): usize {
  if (load<u32>(PRIVTAB_BASE) != PRIVTAB_MAGIC) return 0;
  const count = <i32>load<u32>(PRIVTAB_BASE + 4);
  let e = PRIVTAB_BASE + 8;
  for (let i = 0; i < count; i++) {
    if (cString(e, NAME) == name) return e;
    e += entrySize(e);
  }
  return 0;
}

function slotOf(name: string): i32 {
  if (name == "pm") return PM_EP & 0xff;
  if (name == "ds") return DS_EP & 0xff;
  if (name == "rs") return RS_EP & 0xff;
  const ep = dsLookup(name);
  return ep > 0 ? ep & 0xff : -1;
}

/** Give process `ep` the privileges of table entry `e`, and `priority`. 0 or -errno. */
export function privApply(ep: i32, e: usize, priority: i32): i32 {
  let t0: u32 = 0;
  let t1: u32 = 0;
  const n = <i32>load<u32>(e, NAME + 20);
  for (let i = 0; i < n; i++) {
    const slot = slotOf(cString(e + <usize>(NAME + 24 + i * NAME), NAME));
    if (slot < 0) continue; // a server this system does not have
    if (slot < 32) t0 |= <u32>1 << slot;
    else t1 |= <u32>1 << (slot - 32);
  }
  return sysPrivctl(ep, <i32>load<u32>(e, NAME + 4) | PRIV_SET_PRIORITY, <i32>load<u32>(e, NAME), <i32>t0, <i32>t1,
    <i32>load<u32>(e, NAME + 8), <i32>load<u32>(e, NAME + 12), <i32>load<u32>(e, NAME + 16), priority);
}
