// blk, the virtio-blk driver in user mode, under the resident kernel with a
// disk on slot 0: a test client speaks the block device protocol to it
// (test/fs/progs/blk_client.ts); the test checks its answers and the disk's
// bytes, and that the driver used the machine as it should (MMIO mapped,
// the rings in its memory, an interrupt per request, re-enabled each time).

import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer, buildTestProgram } from './build.ts';
import { bootFs, makeDisk, partition, results, type FsSystem } from './system.ts';
import { readMbr, SECTOR } from '../../toolchain/image/mbr.ts';
import { protoConstants } from './proto.ts';

const P = protoConstants();
const pattern = (len: number, seed: number): Buffer =>
  Buffer.from(Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed + (i >> 9)) & 0xff));
/** Whether the disk bytes equal the pattern (Buffer.equals: a failing toEqual on 100 KiB would print it all). */
const holds = (bytes: Uint8Array, len: number, seed: number): boolean => Buffer.from(bytes).equals(pattern(len, seed));

let blk: Uint8Array, client: Uint8Array;
beforeAll(async () => {
  [blk, client] = await Promise.all([buildServer('blk'), buildTestProgram('blk_client')]);
});

describe('blk', () => {
  let sys: FsSystem;
  let r: Map<string, string>;
  let disk: Uint8Array;

  beforeAll(() => {
    disk = makeDisk(8);
    sys = bootFs([{ name: 'blk', elf: blk }, { name: 'client', elf: client }], disk);
    const out = sys.runUntil((o) => o.includes('done\n') || o.includes('FAIL'));
    r = results(out);
    expect(out, out).toContain('done\n');
  });

  it('opens the whole disk and the partitions the MBR lists; others are ENXIO', () => {
    const parts = readMbr(disk);
    expect(r.get('open0')).toBe('0');
    expect(Number(r.get('size0'))).toBe(disk.length / SECTOR);
    expect(r.get('open2')).toBe('0');
    expect(Number(r.get('size2'))).toBe(parts.find((p) => p.index === 2)!.sectors);
    expect(r.get('sectorsize')).toBe('512');
    expect(r.get('open3')).toBe(String(-P.ENXIO));
    expect(r.get('open5')).toBe(String(-P.ENXIO));
  });

  it('reads the MBR through minor 0', () => {
    expect(r.get('mbr')).toBe('512');
    expect(r.get('sig')).toBe(String(0x55aa));
  });

  it('writes land on the disk at the partition offset, and read back', () => {
    const p2 = partition(disk, 2);
    expect(r.get('w1')).toBe('512');
    expect(holds(p2.subarray(0, 512), 512, 1)).toBe(true);
    expect(r.get('w3')).toBe('1536');
    expect(r.get('r3')).toBe('1536');
    expect(r.get('same3')).toBe('1');
    // Then 1024 bytes from offset 2048 of the grant replaced the first two of those sectors.
    expect(r.get('woff')).toBe('1024');
    expect(holds(p2.subarray(4096, 4096 + 1024), 1024, 4)).toBe(true);
    expect(Buffer.from(p2.subarray(5120, 5632)).equals(pattern(1536, 2).subarray(1024))).toBe(true);
  });

  it('a transfer larger than the bounce buffer goes through in pieces', () => {
    const p2 = partition(disk, 2);
    const big = 100 * 1024;
    expect(big).toBeGreaterThan(P.BDEV_MAX_IO);
    expect(r.get('wbig')).toBe(String(big));
    expect(holds(p2.subarray(65536, 65536 + big), big, 3)).toBe(true);
    expect(r.get('rbig')).toBe(String(big));
    expect(r.get('samebig')).toBe('1');
  });

  it('refuses unaligned, out-of-range and ungranted transfers', () => {
    expect(r.get('eunaligned')).toBe(String(-P.EINVAL));
    expect(r.get('ecount')).toBe(String(-P.EINVAL));
    expect(r.get('eend')).toBe(String(-P.EIO));
    expect(r.get('lastok')).toBe('512');
    expect(r.get('enogrant')).toBe(String(-P.EPERM));
    expect(r.get('eshort')).toBe(String(-P.EPERM));
    expect(r.get('eminor')).toBe(String(-P.ENXIO));
    expect(r.get('flush')).toBe('0');
  });

  it('drove the device through its own mappings, rings and interrupt', () => {
    const k = sys.kernel;
    const p = k.procs.byName('blk')!;
    // The MMIO slots are mapped into blk at the virtual address it asked for.
    expect(p.space!.translateUser(0x70000000, true)).toBe(0x10001000);
    // The queue's rings are in blk's memory: the device's descriptor table address is a page blk owns.
    const desc = sys.board.virtio[0].describe().join('\n');
    expect(desc).toMatch(/queue 0: ready 1 num 32/);
    // Every request completed through the interrupt: the line is re-enabled (not in service) and owned by blk.
    expect(k.irqOwner.get(1)).toBe(p.slot);
    expect(k.irqInService.has(1)).toBe(false);
    expect(sys.output()).not.toMatch(/kernel: .*stopped/);
  });
});

describe('blk without a disk', () => {
  it('says so and exits', () => {
    const sys = bootFs([{ name: 'blk', elf: blk }], undefined);
    sys.runUntil(() => false, 5_000_000);
    expect(sys.output()).toMatch(/blk: no virtio-blk device/);
    expect(sys.kernel.log.some((l) => /^exit blk 1$/.test(l))).toBe(true);
  });
});
