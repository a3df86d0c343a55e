// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// ps: the processes pm knows (PM_GETPROCS): pid, parent, process group,
// endpoint, state (R running or ready, S waiting, Z zombie) and name.
//
// Entry points: main, countProcesses (for uptime).
import { Message, sendrec } from "../lib/index";
import { sysSetGrant, zalloc, GRANT_WRITE } from "../lib/server";
import { out, err, strerror } from "../lib/posix";
import { PM_EP, PM_GETPROCS, PROCINFO_SIZE, PROCINFO_NAME, PS_ZOMBIE, PS_WAITING } from "../lib/proto";

const MAX: i32 = 128;
const GRANT: i32 = 59;

/** The table into a fresh buffer: entries, or -errno. */
function fetch(buf: usize): i32 {
  const r = sysSetGrant(GRANT, PM_EP, buf, MAX * PROCINFO_SIZE, GRANT_WRITE);
  if (r != 0) return r;
  const m = new Message();
  m.m_type = PM_GETPROCS;
  m.p0 = GRANT;
  m.p1 = MAX * PROCINFO_SIZE;
  const s = sendrec(PM_EP, m);
  return s != 0 ? s : m.m_type;
}

export function countProcesses(): i32 {
  const buf = zalloc(MAX * PROCINFO_SIZE);
  const n = fetch(buf);
  let alive = 0;
  for (let i = 0; i < n; i++) if (load<i32>(buf + <usize>(i * PROCINFO_SIZE), 16) != PS_ZOMBIE) alive++;
  heap.free(buf);
  return alive;
}

function pad(s: string, w: i32): string {
  let r = s;
  while (r.length < w) r = " " + r;
  return r;
}

export function main(): i32 {
  const buf = zalloc(MAX * PROCINFO_SIZE);
  const n = fetch(buf);
  if (n < 0) {
    err("ps: " + strerror(-n) + "\n");
    return 1;
  }
  let text = "  PID  PPID  PGRP     EP S NAME\n";
  for (let i = 0; i < n; i++) {
    const e = buf + <usize>(i * PROCINFO_SIZE);
    const state = load<i32>(e, 16);
    let len = 0;
    while (len < PROCINFO_SIZE - PROCINFO_NAME && load<u8>(e + <usize>(PROCINFO_NAME + len)) != 0) len++;
    const name = String.UTF8.decodeUnsafe(e + <usize>PROCINFO_NAME, <usize>len);
    text += pad(load<i32>(e).toString(), 5) + " " + pad(load<i32>(e, 4).toString(), 5) + " " +
      pad(load<i32>(e, 8).toString(), 5) + " " + pad(load<i32>(e, 12).toString(16), 6) + " " +
      (state == PS_ZOMBIE ? "Z" : state == PS_WAITING ? "S" : "R") + " " + name + "\n";
  }
  heap.free(buf);
  out(text);
  return 0;
}
