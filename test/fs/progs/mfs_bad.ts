// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// mfs given bad file systems (test/fs/mfs.test.ts): mount, then look up and
// read /bad.txt (whose inode the test points at the inode bitmap), truncate
// it, stat the root and sync; prints each answer. mfs must answer every request with
// an error, never die.

import { Message, sendrec } from "../../../servers/lib/index";
import { sysSetGrant } from "../../../servers/lib/server";
import {
  REQ_READSUPER, REQ_LOOKUP, REQ_READ, REQ_TRUNC, REQ_STAT, REQ_SYNC, GRANT_READ, GRANT_WRITE,
} from "../../../servers/lib/fs_proto";
import { findProc, kv, done } from "./tlib";

const m = new Message();
const name: usize = memory.data<u8>([0x62, 0x61, 0x64, 0x2e, 0x74, 0x78, 0x74]); // "bad.txt"
const buf: usize = memory.data(4096);

function req(mfs: i32, type: i32): i32 {
  m.m_type = type;
  const r = sendrec(mfs, m);
  return r < 0 ? r : m.p0;
}

export function main(): void {
  const mfs = findProc("mfs");
  m.clear(); m.p0 = findProc("blk"); m.p1 = 2;
  kv("mount", req(mfs, REQ_READSUPER));
  sysSetGrant(5, mfs, name, 7, GRANT_READ);
  m.clear(); m.p0 = 1; m.p1 = 5; m.p2 = 7;
  const r = req(mfs, REQ_LOOKUP);
  kv("lookup", r);
  const ino = m.p1;
  sysSetGrant(6, mfs, buf, 4096, GRANT_WRITE);
  m.clear(); m.p0 = ino; m.p1 = 6; m.p2 = 0; m.p3 = 4096;
  kv("read", req(mfs, REQ_READ));
  m.clear(); m.p0 = ino; m.p1 = 0;
  kv("trunc", req(mfs, REQ_TRUNC));
  m.clear(); m.p0 = 1;
  kv("stat", req(mfs, REQ_STAT));
  m.clear();
  kv("sync", req(mfs, REQ_SYNC));
  done();
}
