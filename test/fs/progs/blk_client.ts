// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// A client of blk speaking the block device protocol (fs_proto.ts BDEV_*)
// as a file server does: open minors, read the MBR, write patterns to
// partition 2 (one sector, several, more than one bounce buffer), read them
// back, flush, and the errors blk must give. Prints "key value" lines for
// the host test (test/fs/blk.test.ts), which also checks the disk itself.

import { Message, sendrec } from "../../../servers/lib/index";
import {
  BDEV_OPEN, BDEV_READ, BDEV_WRITE, BDEV_FLUSH, BDEV_REPLY, GRANT_READ, GRANT_WRITE, BDEV_MAX_IO,
} from "../../../servers/lib/fs_proto";
import { sysSetGrant as setgrant } from "../../../servers/lib/server";
import { findProc, kv, check, done, fill, same } from "./tlib";

const BIG: i32 = 100 * 1024;
const buf: usize = memory.data(BIG + 4096, 4096);
const m = new Message();
let blk: i32 = 0;

function open(minor: i32): i32 {
  m.m_type = BDEV_OPEN; m.p0 = minor;
  const r = sendrec(blk, m);
  return r < 0 ? r : m.p0;
}

function io(type: i32, minor: i32, grant: i32, pos: i64, count: i32, offset: i32 = 0): i32 {
  m.m_type = type;
  m.p0 = minor; m.p1 = grant; m.p2 = <i32>pos; m.p3 = <i32>(pos >> 32); m.p4 = count; m.p5 = 0x1234; m.p6 = offset;
  const r = sendrec(blk, m);
  if (r < 0) return r;
  check(m.m_type == BDEV_REPLY && m.p5 == 0x1234, "reply type and id");
  return m.p0;
}

function rw(write: bool, minor: i32, pos: i64, count: i32): i32 {
  check(setgrant(1, blk, buf, BIG + 4096, write ? GRANT_READ : GRANT_WRITE) == 0, "setgrant");
  return io(write ? BDEV_WRITE : BDEV_READ, minor, 1, pos, count);
}

export function main(): void {
  blk = findProc("blk");
  check(blk != 0, "blk is running");
  kv("open0", open(0));
  kv("size0", m.p1);
  kv("open2", open(2));
  kv("size2", m.p1);
  kv("sectorsize", m.p2);
  kv("open5", open(5));
  kv("open3", open(3));

  // The MBR through minor 0.
  kv("mbr", rw(false, 0, 0, 512));
  kv("sig", <i64>load<u8>(buf + 510) << 8 | <i64>load<u8>(buf + 511));

  // One sector, then three, at partition 2.
  fill(buf, 512, 1);
  kv("w1", rw(true, 2, 0, 512));
  fill(buf, 1536, 2);
  kv("w3", rw(true, 2, 4096, 1536));
  memory.fill(buf, 0, 1536);
  kv("r3", rw(false, 2, 4096, 1536));
  kv("same3", same(buf, 1536, 2) ? 1 : 0);

  // More than the driver's bounce buffer in one request.
  fill(buf, BIG, 3);
  kv("wbig", rw(true, 2, 65536, BIG));
  memory.fill(buf, 0, BIG);
  kv("rbig", rw(false, 2, 65536, BIG));
  kv("samebig", same(buf, BIG, 3) ? 1 : 0);
  check(BIG > BDEV_MAX_IO, "BIG spans two bounce buffers");

  // A transfer at an offset into the grant: sectors 8..9 of partition 2 from buf + 2048.
  fill(buf + 2048, 1024, 4);
  check(setgrant(1, blk, buf, BIG + 4096, GRANT_READ) == 0, "setgrant");
  kv("woff", io(BDEV_WRITE, 2, 1, 4096, 1024, 2048));

  // Errors: unaligned position and count, past the end, no grant, bad minor.
  kv("eunaligned", rw(false, 2, 100, 512));
  kv("ecount", rw(false, 2, 0, 100));
  open(2);
  const end = <i64>m.p1 * 512;
  kv("eend", rw(false, 2, end - 512, 1024));
  kv("lastok", rw(false, 2, end - 512, 512));
  kv("enogrant", io(BDEV_READ, 2, 7, 0, 512));
  kv("eminor", rw(false, 9, 0, 512));
  // A grant too small for the count: the copy fails, nothing is claimed.
  check(setgrant(2, blk, buf, 512, GRANT_WRITE) == 0, "setgrant small");
  kv("eshort", io(BDEV_READ, 2, 2, 0, 1024));

  m.m_type = BDEV_FLUSH; m.p0 = 2;
  check(sendrec(blk, m) == 0, "flush sendrec");
  kv("flush", m.p0);
  done();
}
