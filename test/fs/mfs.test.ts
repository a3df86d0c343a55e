// mfs, the MINIX v3 file server, mounted on partition 2 through blk, driven
// by a test client that speaks the file server protocol as VFS does
// (test/fs/progs/mfs_client.ts). The disk is made by the host's image
// library, or by util-linux mkfs.minix -3; afterwards the test reads the
// result back with the image library and runs fsck.minix -f on it.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer, buildTestProgram } from './build.ts';
import { bootFs, fsckMinix, makeDisk, mkfsMinixDisk, partition, results } from './system.ts';
import { MinixFs, S_IFMT, S_IFCHR, writeInode } from '../../toolchain/image/minixfs.ts';
import { protoConstants } from './proto.ts';

const P = protoConstants();
const pattern = (len: number, seed: number): Buffer =>
  Buffer.from(Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed + (i >> 9)) & 0xff));
const BIG = 300 * 1024 + 123;
const bigData = Buffer.from(Uint8Array.from({ length: BIG }, (_, i) => (i * 31 + (i >> 8) * 17) & 0xff));
const checksum = (b: Uint8Array): number => b.reduce((s, v, i) => s + v * ((i % 251) + 1), 0);

function populate(fs: MinixFs): void {
  fs.writeFile('/hello.txt', new TextEncoder().encode('hello world\n'));
  fs.mkdir('/dir');
  fs.writeFile('/dir/nested.txt', new TextEncoder().encode('nested'));
  fs.writeFile('/big.bin', bigData);
}

let elfs: { mfs: Uint8Array; blk: Uint8Array; ds: Uint8Array; client: Uint8Array; bad: Uint8Array };
beforeAll(async () => {
  const [mfs, blk, ds, client, bad] = await Promise.all([
    buildServer('mfs'), buildServer('blk'), buildServer('ds'), buildTestProgram('mfs_client'), buildTestProgram('mfs_bad'),
  ]);
  elfs = { mfs, blk, ds, client, bad };
});

/** Boot the client, ds (in its fixed slot, 1: mfs subscribes to "blk" there), mfs and blk. */
function run(disk: Uint8Array, client = elfs.client): { r: Map<string, string>; out: string } {
  const sys = bootFs([
    { name: 'client', elf: client },
    { name: 'ds', elf: elfs.ds, role: 'ds', priority: 1 },
    { name: 'mfs', elf: elfs.mfs },
    { name: 'blk', elf: elfs.blk },
  ], disk);
  const out = sys.runUntil((o) => o.includes('done\n') || o.includes('FAIL'), 400_000_000);
  return { r: results(out), out };
}

for (const [what, makeIt] of [
  ['an image made by the host library', () => makeDisk(8, populate)],
  ['a file system made by mkfs.minix -3', () => {
    const d = mkfsMinixDisk(8);
    populate(MinixFs.open(partition(d, 2)));
    return d;
  }],
] as const) {
  describe(`mfs on ${what}`, () => {
    let disk: Uint8Array;
    let r: Map<string, string>;
    let fs: MinixFs;

    beforeAll(() => {
      disk = makeIt();
      const res = run(disk);
      r = res.r;
      expect(res.out, res.out).toContain('done\n');
      fs = MinixFs.open(partition(disk, 2));
    });

    it('answers only a mount before it is mounted, and mounts once', () => {
      expect(r.get('enosys')).toBe(String(-P.ENOSYS));
      expect(r.get('mount')).toBe('0');
      expect(r.get('rootino')).toBe('1');
      expect(Number(r.get('rootmode')) & 0o170000).toBe(0o040000);
      expect(r.get('remount')).toBe(String(-P.EBUSY));
    });

    it('looks names up and reads files the host wrote', () => {
      expect(Number(r.get('hello'))).toBeGreaterThan(1);
      expect(r.get('hellosize')).toBe('12');
      expect(r.get('hellotext')).toBe('hello world');
      expect(r.get('hellomid')).toBe('3');
      expect(r.get('hellomidtext')).toBe('wor');
      expect(r.get('helloeof')).toBe('0');
      expect(r.get('bigread')).toBe(String(BIG));
      expect(Number(r.get('bigsum'))).toBe(checksum(bigData));
      expect(Number(r.get('nested'))).toBeGreaterThan(0);
      expect(r.get('dotdot')).toBe('1');
    });

    it('gives the lookup errors', () => {
      expect(r.get('enoent')).toBe(String(-P.ENOENT));
      expect(r.get('enotdir')).toBe(String(-P.ENOTDIR));
      expect(r.get('elong')).toBe(String(-P.ENAMETOOLONG));
      expect(r.get('eslash')).toBe(String(-P.EINVAL));
    });

    it('creates and writes files, with holes, that the image library reads back', () => {
      expect(r.get('eexist')).toBe(String(-P.EEXIST));
      expect(r.get('write')).toBe('5000');
      expect(r.get('newsize')).toBe('5000');
      expect(r.get('holesize')).toBe('20010');
      expect(r.get('holezero')).toBe('1');
      const want = Buffer.alloc(20010);
      pattern(5000, 11).copy(want, 0);
      pattern(100, 12).copy(want, 1000);
      pattern(10, 13).copy(want, 20000);
      expect(Buffer.from(fs.readFile('/new.txt')).equals(want)).toBe(true);
      const st = fs.stat('/new.txt');
      expect(st.mode & 0o7777).toBe(0o640);
      expect([st.uid, st.gid]).toEqual([7, 8]);
    });

    it('a file through the double indirect block, then truncated and grown with a hole', () => {
      expect(r.get('largewrite')).toBe(String(400 * 1024));
      expect(r.get('largesame')).toBe('1');
      expect(r.get('trunclarge')).toBe('0');
      expect(r.get('grow')).toBe('0');
      expect(r.get('growread')).toBe('8000');
      expect(r.get('growsame')).toBe('1');
      const want = Buffer.alloc(8000);
      pattern(3000, 21).copy(want, 0);
      expect(Buffer.from(fs.readFile('/large.bin')).equals(want)).toBe(true);
      expect(r.get('trunc')).toBe('0');
      expect(r.get('truncsize')).toBe('10000');
      expect(Buffer.from(fs.readFile('/big.bin')).equals(bigData.subarray(0, 10000))).toBe(true);
    });

    it('mkdir, rename, link, unlink and rmdir keep names and link counts right', () => {
      expect(r.get('d1links')).toBe('2');
      expect(r.get('renamed')).toBe('1');
      expect(r.get('renamegone')).toBe(String(-P.ENOENT));
      expect(r.get('link')).toBe('0');
      expect(r.get('glinks')).toBe('2');
      expect(r.get('rmdirfull')).toBe(String(-P.ENOTEMPTY));
      expect(r.get('rmdirfile')).toBe(String(-P.ENOTDIR));
      expect(r.get('unlinkdir')).toBe(String(-P.EISDIR));
      expect(r.get('rmdirinner')).toBe('0');
      expect(r.get('rendir')).toBe('0');
      expect(r.get('movedparent')).toBe('1');
      expect(r.get('renloop')).toBe(String(-P.EINVAL));
      expect(r.get('renreplace')).toBe('0');
      expect(r.get('replaced')).toBe('1');
      expect(r.get('unlinkh')).toBe('0');
      expect(r.get('unlinkhello')).toBe('0');
      // (readdir lists neither "." nor "..")
      expect(fs.readdir('/d1').map((e) => e.name)).toEqual([]);
      expect(fs.readdir('/d2').map((e) => e.name)).toEqual(['moved2']);
      expect(fs.lookup('/hello.txt')).toBeUndefined();
      expect(fs.lookup('/h')).toBeUndefined();
      expect(fs.stat('/victim').nlinks).toBe(1);
      expect(fs.inodeInUse(Number(r.get('victim')))).toBe(false);
      expect(fs.stat('/d2').nlinks).toBe(3);
      expect(fs.stat('/d1').nlinks).toBe(2);
    });

    it('an unlinked file lives while referenced and is freed with the last reference', () => {
      expect(r.get('unlinkopen')).toBe('0');
      expect(r.get('readunlinked')).toBe('3000');
      expect(r.get('unlinkedsame')).toBe('1');
      expect(r.get('putnode')).toBe('0');
      expect(fs.lookup('/tmp')).toBeUndefined();
    });

    it('special files keep their device number', () => {
      expect(r.get('mknod')).toBe('1');
      expect(r.get('rdev')).toBe(String(0x400));
      const ino = fs.lookup('/console')!;
      expect(fs.inode(ino).mode & S_IFMT).toBe(S_IFCHR);
      expect(fs.inode(ino).zones[0]).toBe(0x400);
    });

    it('lists directories in pieces, with types', () => {
      const names = r.get('root')!.trim().split(' ').sort();
      expect(names).toEqual(['.:4', '..:4', 'big.bin:8', 'console:2', 'd1:4', 'd2:4', 'dir:4', 'large.bin:8', 'new.txt:8', 'victim:8'].sort());
      expect(r.get('d1list')!.trim().split(' ').sort()).toEqual(['..:4', '.:4']);
    });

    it('after sync the file system is consistent: the image library and fsck.minix agree', () => {
      expect(r.get('sync')).toBe('0');
      expect(fs.check()).toEqual([]);
      const f = fsckMinix(disk);
      expect(f.output).not.toMatch(/error|corrupt|not cleared|bad/i);
      expect(f.status).toBe(0);
    });
  });
}

describe('mfs on bad file systems', () => {
  it('refuses to mount a partition without a MINIX v3 superblock', () => {
    const disk = makeDisk(4);
    partition(disk, 2)[1024 + 24] ^= 0xff; // the magic
    const { r, out } = run(disk, elfs.bad);
    expect(out, out).toContain('done\n');
    expect(r.get('mount')).toBe(String(-P.EINVAL));
    expect(r.get('lookup')).toBe(String(-P.ENOSYS));
  });

  it('answers EIO for a file whose zones point into the tables, and keeps running', () => {
    const disk = makeDisk(4, (fs) => fs.writeFile('/bad.txt', new Uint8Array(3000).fill(7)));
    const fs = MinixFs.open(partition(disk, 2));
    const ino = fs.lookup('/bad.txt')!;
    const n = fs.inode(ino);
    n.zones[1] = 2; // the inode bitmap
    writeInode(partition(disk, 2), fs.sb, ino, n);
    const { r, out } = run(disk, elfs.bad);
    expect(out, out).toContain('done\n');
    expect(r.get('mount')).toBe('0');
    expect(r.get('lookup')).toBe('0');
    expect(r.get('read')).toBe('1024'); // the first block is fine; the read stops at the bad one
    expect(r.get('trunc')).toBe(String(-P.EIO));
    expect(r.get('stat')).toBe('0');
    expect(out).not.toMatch(/kernel: .* stopped/);
    // Nothing was freed: after the sync the file's good zone is still in use.
    expect(r.get('sync')).toBe('0');
    const after = MinixFs.open(partition(disk, 2));
    expect(after.zoneInUse(n.zones[0])).toBe(true);
    expect(after.inode(ino).zones[0]).toBe(n.zones[0]);
  });
});
