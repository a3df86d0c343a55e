// The storage servers' memory stays flat however long they work: a client
// repeats a mix of file calls (test/fs/progs/soak_client.ts: 15,600 requests
// to VFS, and about as many to mfs); the servers' mapped pages after warming
// up and at the end must be the same.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer, buildTestProgram } from './build.ts';
import { bootFs, fsckMinix, makeDisk, results } from './system.ts';

let elf: Record<string, Uint8Array>;
beforeAll(async () => {
  const [vfs, mfs, blk, ds, client] = await Promise.all([
    buildServer('vfs'), buildServer('mfs'), buildServer('blk'), buildServer('ds'), buildTestProgram('soak_client'),
  ]);
  elf = { vfs, mfs, blk, ds, client };
});

describe('soak', () => {
  it('vfs, mfs and blk map no new pages between the warm-up and the end', () => {
    const disk = makeDisk(8);
    const sys = bootFs([
      { name: 'client', elf: elf.client },
      { name: 'ds', elf: elf.ds, role: 'ds', priority: 1 },
      { name: 'vfs', elf: elf.vfs, priority: 3 },
      { name: 'mfs', elf: elf.mfs, priority: 3 },
      { name: 'blk', elf: elf.blk, priority: 2 },
    ], disk);
    const pages = (): number[] => ['vfs', 'mfs', 'blk'].map((n) => sys.kernel.procs.byName(n)!.space!.pages);
    sys.runUntil((o) => o.includes('warm\n') || o.includes('FAIL'), 1_000_000_000);
    expect(sys.output()).toContain('warm\n');
    const warm = pages();
    const out = sys.runUntil((o) => o.includes('done\n') || o.includes('FAIL'), 4_000_000_000);
    expect(out, out).toContain('done\n');
    expect(Number(results(out).get('calls'))).toBeGreaterThanOrEqual(15_000);
    expect(pages()).toEqual(warm);
    expect(fsckMinix(disk).status).toBe(0);
  });
});
