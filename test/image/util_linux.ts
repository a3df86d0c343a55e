// Helpers for the image tests: util-linux's mkfs.minix, fsck.minix and partx
// (Debian package util-linux) run as child processes, each killed after
// 30 s so a test never hangs; a missing tool fails the test with the package
// to install, never skips it. Plus scratch files and byte comparisons that
// stay fast on images of tens of MiB (vitest's toEqual on a Uint8Array
// compares element by element and takes minutes at that size).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

export interface Run { code: number; stdout: string; stderr: string }

const TOOL_TIMEOUT_MS = 30_000;

/** Run a util-linux tool found on PATH, the sbin directories added (where root's tools live). */
export function tool(name: string, args: string[]): Run {
  const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C' };
  const r = spawnSync(name, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' });
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') throw new Error(`${name} not found: install the Debian package util-linux`);
  if (err?.code === 'ETIMEDOUT' || r.signal) throw new Error(`${name} ${args.join(' ')}: killed after ${TOOL_TIMEOUT_MS / 1000} s (${r.signal ?? err?.code})`);
  if (err) throw err;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch folder for the calling test file, removed afterwards; `scratch.path(name)` names a file in it. */
export function useScratch(prefix: string): { path: (name: string) => string; save: (bytes: Uint8Array) => string } {
  let dir = '';
  let n = 0;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), `tessera-${prefix}-`)); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
  const path = (name: string): string => join(dir, name);
  return {
    path,
    save(bytes) {
      const f = path(`scratch${n++}.img`);
      writeFileSync(f, bytes);
      return f;
    },
  };
}

/** fsck.minix -f on a file system file: exit 0 and only its banner. */
export function expectFsckClean(file: string): void {
  const r = tool('fsck.minix', ['-f', file]);
  expect(r.stdout + r.stderr).toBe(`Forcing filesystem check on ${file}.\n`);
  expect(r.code).toBe(0);
}

/** fsck.minix -flv's listing: path → [inode, mode, links], and its counts of used inodes and zones. */
export function fsckList(file: string): { entries: Map<string, [number, number, number]>; inodesUsed: number; zonesUsed: number } {
  const r = tool('fsck.minix', ['-flv', file]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const entries = new Map<string, [number, number, number]>();
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(\d+) (\d{7})\s+(\d+) (\/.*?):?$/.exec(line);
    if (m) entries.set(m[4], [Number(m[1]), parseInt(m[2], 8), Number(m[3])]);
  }
  const count = (re: RegExp): number => Number(re.exec(r.stdout)?.[1] ?? NaN);
  return { entries, inodesUsed: count(/^\s*(\d+) inodes used/m), zonesUsed: count(/^\s*(\d+) zones used/m) };
}

/** A file of `bytes` bytes made by `mkfs.minix -3`: its path, its bytes and what mkfs printed. */
export function mkfsMinix(file: string, bytes: number): { path: string; img: Uint8Array; stdout: string } {
  writeFileSync(file, new Uint8Array(0));
  truncateSync(file, bytes);
  const r = tool('mkfs.minix', ['-3', file]);
  expect(r.code, r.stderr).toBe(0);
  return { path: file, img: new Uint8Array(readFileSync(file)), stdout: r.stdout };
}

/** The index of the first byte where a and b differ (-1 when equal; the shorter length when one is a prefix). */
export function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const x = Buffer.from(a.buffer, a.byteOffset, a.byteLength), y = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (x.equals(y)) return -1;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return i;
  return Math.min(x.length, y.length);
}

/** Deterministic bytes (xorshift32). */
export function pseudoRandom(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const MiB = 1024 * 1024;
