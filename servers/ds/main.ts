// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// ds: the data store (docs/servers.md, "ds"): names to endpoints, with a
// small value each, so clients find a service after rs restarts it under a
// new endpoint. At start it publishes every boot process under its boot
// name (from the kernel's process table); afterwards rs publishes the
// services it (re)starts, and any process may publish itself.
//
// A server keeps a little state across its restarts the same way: it
// publishes a name of its own with the value (tty's foreground process
// group is "tty.fg"), and a fresh copy looks it up.
//
// A subscriber of a name is notified whenever the name is published again
// (or deleted); it then looks the name up (MINIX's ds_subscribe/ds_check,
// reduced to one name per subscription).
//
// Entry points: main.

import { Message, printErr } from "../lib/index";
import {
  serverInit, serverCall, serverRun, serverNotify, setName, getName, sysGetProcTab, KINFO_SIZE, KINFO_NAME, cString, zalloc,
} from "../lib/server";
import {
  DS_BASE, DS_NCALLS, DS_PUBLISH, DS_LOOKUP, DS_DELETE, DS_SUBSCRIBE, DS_REVERSE, RS_EP,
  ESRCH, EPERM, ENOSPC, EINVAL,
} from "../lib/proto";

const MAX_ENTRIES: i32 = 64;
const MAX_SUBS: i32 = 32;

const names = new StaticArray<string>(MAX_ENTRIES);
const eps = new StaticArray<i32>(MAX_ENTRIES);
const values = new StaticArray<i32>(MAX_ENTRIES);
let count: i32 = 0;

const subNames = new StaticArray<string>(MAX_SUBS);
const subEps = new StaticArray<i32>(MAX_SUBS);
let subs: i32 = 0;

function find(name: string): i32 {
  for (let i = 0; i < count; i++) if (names[i] == name) return i;
  return -1;
}

function tellSubscribers(name: string): void {
  for (let i = 0; i < subs; i++) {
    if (subNames[i] == name) serverNotify(subEps[i]);
  }
}

/** Set `name` -> `ep`, `value`: 0 or -ENOSPC. */
function publish(name: string, ep: i32, value: i32): i32 {
  let i = find(name);
  if (i < 0) {
    if (count >= MAX_ENTRIES) return -ENOSPC;
    i = count++;
    names[i] = name;
  }
  eps[i] = ep;
  values[i] = value;
  return 0;
}

function doPublish(m: Message): i32 {
  const name = getName(m);
  if (name.length == 0) return -EINVAL;
  // rs publishes services; anyone else only itself (p0 0 means the caller).
  if (m.p0 == 0) m.p0 = m.m_source;
  if (m.m_source != RS_EP && m.p0 != m.m_source) return -EPERM;
  const r = publish(name, m.p0, m.p1);
  if (r == 0) tellSubscribers(name);
  return r;
}

function doLookup(m: Message): i32 {
  const i = find(getName(m));
  if (i < 0) return -ESRCH;
  m.p0 = eps[i];
  m.p1 = values[i];
  return 0;
}

function doDelete(m: Message): i32 {
  const name = getName(m);
  const i = find(name);
  if (i < 0) return -ESRCH;
  if (m.m_source != RS_EP && eps[i] != m.m_source) return -EPERM;
  count--;
  names[i] = names[count];
  eps[i] = eps[count];
  values[i] = values[count];
  names[count] = "";
  tellSubscribers(name);
  return 0;
}

function doSubscribe(m: Message): i32 {
  const name = getName(m);
  for (let i = 0; i < subs; i++) if (subEps[i] == m.m_source && subNames[i] == name) return 0;
  if (subs >= MAX_SUBS) return -ENOSPC;
  subNames[subs] = name;
  subEps[subs] = m.m_source;
  subs++;
  return 0;
}

function doReverse(m: Message): i32 {
  for (let i = 0; i < count; i++) {
    if (eps[i] == m.p0) {
      setName(m, names[i]);
      return 0;
    }
  }
  return -ESRCH;
}

/** Every boot process under its boot name. */
function publishBootProcesses(): void {
  const buf = zalloc(64 * KINFO_SIZE);
  const n = sysGetProcTab(buf, 64 * KINFO_SIZE);
  if (n < 0) printErr("ds: cannot read the kernel's process table\n");
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * KINFO_SIZE);
    const name = cString(e + <usize>KINFO_NAME, 16);
    if (find(name) < 0) publish(name, load<i32>(e), 0);
  }
  heap.free(buf);
}

export function main(): i32 {
  for (let i = 0; i < MAX_ENTRIES; i++) names[i] = "";
  for (let i = 0; i < MAX_SUBS; i++) subNames[i] = "";
  publishBootProcesses();
  serverInit("ds", DS_BASE, DS_NCALLS);
  serverCall(DS_PUBLISH, doPublish);
  serverCall(DS_LOOKUP, doLookup);
  serverCall(DS_DELETE, doDelete);
  serverCall(DS_SUBSCRIBE, doSubscribe);
  serverCall(DS_REVERSE, doReverse);
  serverRun();
  return 0;
}
