// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// What the test clients of test/fs share: finding a boot process by name
// (GETINFO, which the tests grant them), printing results as lines the host
// test parses ("name value"), and a check that prints "FAIL ..." and exits 1.
//
// Entry points: findProc, kv, kvs, check, done, fill, same, askPm, PM_STUB.

import { Message, sendrec, print, printInt, exit } from "../../../servers/lib/index";
import { SYSTEM, KC_GETINFO, GETINFO_PROCTAB, PROCINFO_SIZE, NR_PROCS } from "../../../servers/lib/fs_proto";

const table: usize = memory.data(PROCINFO_SIZE * NR_PROCS);
const km = new Message();

function nameIs(entry: usize, name: string): bool {
  const n = name.length;
  for (let i = 0; i < n; i++) if (<i32>load<u8>(entry + 24 + <usize>i) != name.charCodeAt(i)) return false;
  return n == 16 || load<u8>(entry + 24 + <usize>n) == 0;
}

/** The endpoint of the living process named `name`, or 0. */
export function findProc(name: string): i32 {
  km.m_type = KC_GETINFO;
  km.p0 = GETINFO_PROCTAB; km.p1 = <i32>table; km.p2 = PROCINFO_SIZE * NR_PROCS;
  if (sendrec(SYSTEM, km) < 0 || km.m_type < 0) return 0;
  const n = km.p0;
  for (let i = 0; i < n; i++) {
    const e = table + <usize>(i * PROCINFO_SIZE);
    if (nameIs(e, name)) return load<i32>(e);
  }
  return 0;
}

/** Print "key value\n". */
export function kv(key: string, v: i64): void {
  print(key); print(" "); printInt(v); print("\n");
}

/** Print "key text\n". */
export function kvs(key: string, s: string): void {
  print(key); print(" "); print(s); print("\n");
}

export function check(ok: bool, what: string): void {
  if (ok) return;
  print("FAIL "); print(what); print("\n");
  exit(1);
}

/** Print "done\n" and exit 0: the host test waits for this line. */
export function done(): void {
  print("done\n");
  exit(0);
}

/** Fill [p, p+len) with a pattern that depends on `seed` and the offset. */
export function fill(p: usize, len: i32, seed: i32): void {
  for (let i = 0; i < len; i++) store<u8>(p + <usize>i, <u8>((i * 7 + seed + (i >> 9)) & 0xff));
}

/** Whether [p, p+len) holds the pattern of fill(..., seed). */
export function same(p: usize, len: i32, seed: i32): bool {
  for (let i = 0; i < len; i++) if (load<u8>(p + <usize>i) != <u8>((i * 7 + seed + (i >> 9)) & 0xff)) return false;
  return true;
}

/** The stand-in PM's endpoint (boot slot 0). */
export const PM_STUB: i32 = 0x100;
const pm = new Message();

/** Ask the stand-in PM (pm_stub.ts) for `type` with p0 a, p1 b: VFS's answer. */
export function askPm(type: i32, a: i32, b: i32): i32 {
  pm.clear();
  pm.m_type = type; pm.p0 = a; pm.p1 = b;
  const r = sendrec(PM_STUB, pm);
  return r < 0 ? r : pm.p0;
}
