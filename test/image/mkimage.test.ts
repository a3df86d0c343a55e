// Disk images (toolchain/image/mkimage.ts, disk.ts, mbr.ts): the MBR as
// util-linux partx reads it, the boot partition, partition 2 clean under
// fsck.minix -f before and after the library writes and removes files, what
// --root and --add copy, and file systems made by mkfs.minix -3 (in an MBR
// partition and bare) opened through DiskImage.

import { chmodSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIB_SECTORS, MbrError, PART_TYPE, SECTOR, readMbr, writeMbr } from '../../toolchain/image/mbr.ts';
import { readBootPartition, type BootModule } from '../../toolchain/image/bootpart.ts';
import { ImageError, buildImage, imageLayout } from '../../toolchain/image/mkimage.ts';
import { DiskImage, findFs } from '../../toolchain/image/disk.ts';
import { MiB, expectFsckClean, firstDiff, fsckList, mkfsMinix, pseudoRandom, text, tool, useScratch } from './util_linux.ts';

const scratch = useScratch('mkimage');
const MODULES: BootModule[] = [
  { name: 'pm', elf: pseudoRandom(5000, 1), flags: 3, priority: 3 },
  { name: 'vfs', elf: pseudoRandom(70_000, 2), flags: 2, priority: 5 },
];
const T = 1_700_000_000;

/** Partition 2 of an image, as its own file (what fsck.minix checks). */
function partitionFile(disk: Uint8Array): string {
  const p = readMbr(disk).find((x) => x.index === 2)!;
  return scratch.save(disk.subarray(p.start * SECTOR, (p.start + p.sectors) * SECTOR));
}

describe('the MBR', () => {
  it('partx reads the partitions we write: 1 MiB aligned, boot 0x7f then MINIX 0x81 to the end of the disk', () => {
    const disk = buildImage({ size: 16 * MiB, modules: MODULES, time: T });
    const r = tool('partx', ['--show', '--noheadings', '-o', 'NR,START,SECTORS,TYPE', scratch.save(disk)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '))).toEqual(['1 2048 2048 0x7f', `2 4096 ${16 * MiB / SECTOR - 4096} 0x81`]);
    expect(readMbr(disk)).toEqual([
      { index: 1, type: 0x7f, active: true, start: 2048, sectors: 2048 },
      { index: 2, type: 0x81, active: false, start: 4096, sectors: 16 * MiB / SECTOR - 4096 },
    ]);
  });

  it('refuses overlapping partitions, bad status bytes, a missing signature and partitions past the disk', () => {
    const part = (index: number, start: number, sectors: number) => ({ index, type: 0x81, active: false, start, sectors });
    expect(() => writeMbr([part(1, 2048, 4096), part(2, 4096, 100)])).toThrow(/partitions 1 and 2 overlap/);
    expect(() => writeMbr([part(1, 2048, 4096)], 3000)).toThrow(/runs past the end of the disk \(3000 sectors\)/);
    const mbr = writeMbr([part(1, 2048, 100)]);
    expect(readMbr(mbr)).toHaveLength(1);
    const bad = mbr.slice();
    bad[446] = 0x12;
    expect(() => readMbr(bad)).toThrow(/partition 1: bad status byte 0x12/);
    bad[510] = 0;
    expect(() => readMbr(bad)).toThrow(MbrError);
    expect(() => readMbr(new Uint8Array(100))).toThrow(/less than one sector/);
  });

  it('the layout grows the boot partition by whole MiB and refuses sizes that leave no room', () => {
    expect(imageLayout(64 * MiB, 3 * MiB + 1).fs.start).toBe(MIB_SECTORS + 4 * MIB_SECTORS);
    expect(() => imageLayout(2 * MiB, 1000)).toThrow(/too small.*at least 3M/);
    expect(() => imageLayout(16 * MiB + 100, 1000)).toThrow(/multiple of 512/);
    expect(() => imageLayout(4 * 1024 ** 3, 1000)).toThrow(/at most 2G/);
  });
});

describe('buildImage', () => {
  it('the boot partition holds the modules; partition 2 has /bin /etc /home /tmp and passes fsck.minix -f', () => {
    const disk = buildImage({ size: 16 * MiB, modules: MODULES, time: T });
    const boot = readMbr(disk).find((p) => p.type === PART_TYPE.TESSERA_BOOT)!;
    const bp = readBootPartition(disk.subarray(boot.start * SECTOR, (boot.start + boot.sectors) * SECTOR));
    expect(bp.modules.map((m) => [m.name, m.size, m.flags, m.priority])).toEqual([['pm', 5000, 3, 3], ['vfs', 70_000, 2, 5]]);
    expect(firstDiff(disk.subarray(boot.start * SECTOR + bp.modules[1].offset, boot.start * SECTOR + bp.modules[1].offset + 70_000), MODULES[1].elf)).toBe(-1);
    const f = partitionFile(disk);
    expectFsckClean(f);
    const listed = fsckList(f);
    expect([...listed.entries].map(([p, [, mode, links]]) => [p, mode, links])).toEqual([
      ['/bin', 0o40755, 2], ['/etc', 0o40755, 2], ['/home', 0o40755, 2], ['/tmp', 0o41777, 2],
    ]);
    const { fs } = DiskImage.fromBytes(disk);
    expect(fs.stat('/')).toMatchObject({ nlinks: 6, mtime: T });
    expect(listed.inodesUsed).toBe(fs.usage().inodes - fs.usage().freeInodes);
    expect(listed.zonesUsed).toBe(fs.usage().blocks - fs.usage().freeBlocks);
  });

  it('copies --root and --add: contents, permission bits, mtimes, symlinks, nested trees, GUEST/ taking the host name', () => {
    const root = scratch.path('root');
    mkdirSync(`${root}/etc`, { recursive: true });
    mkdirSync(`${root}/home/ann/notes`, { recursive: true });
    writeFileSync(`${root}/etc/motd`, 'welcome\n');
    writeFileSync(`${root}/home/ann/notes/big`, pseudoRandom(300 * 1024, 5));
    symlinkSync('../../etc/motd', `${root}/home/ann/motd`);
    writeFileSync(`${root}/home/ann/run`, '#!/bin/sh\n');
    chmodSync(`${root}/home/ann/run`, 0o750);
    utimesSync(`${root}/etc/motd`, 1_600_000_000, 1_600_000_000);
    const prog = scratch.path('prog.elf');
    writeFileSync(prog, pseudoRandom(12_345, 6));
    const progress: number[] = [];
    const disk = buildImage({
      size: 16 * MiB, modules: MODULES, time: T, root,
      add: [{ host: prog, guest: '/bin/sh' }, { host: prog, guest: '/bin/' }, { host: `${root}/etc`, guest: '/usr/share/etc' }],
      onProgress: (done) => progress.push(done),
    });
    expectFsckClean(partitionFile(disk));
    const { fs } = DiskImage.fromBytes(disk);
    expect(new TextDecoder().decode(fs.readFile('/etc/motd'))).toBe('welcome\n');
    expect(fs.stat('/etc/motd')).toMatchObject({ mtime: 1_600_000_000, uid: 0, gid: 0, mode: 0o100644 });
    expect(firstDiff(fs.readFile('/home/ann/notes/big'), pseudoRandom(300 * 1024, 5))).toBe(-1);
    expect(fs.readlink('/home/ann/motd')).toBe('../../etc/motd');
    expect(fs.stat('/home/ann/run').mode).toBe(0o100750);
    expect(fs.readdir('/bin').map((e) => e.name)).toEqual(['sh', 'prog.elf']);
    expect(firstDiff(fs.readFile('/bin/prog.elf'), pseudoRandom(12_345, 6))).toBe(-1);
    expect(fs.readdir('/usr/share/etc').map((e) => e.name)).toEqual(['motd']);
    expect(fs.stat('/tmp').mode).toBe(0o41777);
    const total = 8 + 300 * 1024 + 10 + 2 * 12_345 + 8; // symlinks are not counted
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(total);
    expect(progress.every((d, i) => i === 0 || d >= progress[i - 1])).toBe(true);
  });

  it('bad input is one ImageError naming it: missing host file, relative guest path, a file over a directory, no space', () => {
    const f = scratch.path('one');
    writeFileSync(f, 'x');
    const build = (add: { host: string; guest: string }[], size = 4 * MiB) => () => buildImage({ size, modules: MODULES, add });
    expect(build([{ host: scratch.path('nope'), guest: '/x' }])).toThrow(/--add .*nope=\/x: cannot read .*ENOENT/);
    expect(build([{ host: f, guest: 'x' }])).toThrow(/guest path 'x' must be absolute/);
    expect(build([{ host: f, guest: '/bin' }])).toThrow(/'\/bin' exists and is not a regular file/);
    const big = scratch.path('big');
    writeFileSync(big, new Uint8Array(3 * MiB));
    expect(build([{ host: big, guest: '/big' }])).toThrow(ImageError);
    expect(build([{ host: big, guest: '/big' }])).toThrow(/\/big: '\/big': no space left/);
  });
});

describe('DiskImage: the library the system tests use', () => {
  it('opens an image file, reads, lists, writes and removes files, saves; partition 2 stays fsck-clean', () => {
    const path = scratch.path('session.img');
    writeFileSync(path, buildImage({ size: 16 * MiB, modules: MODULES, time: T }));
    const img = DiskImage.open(path, { time: T + 60 });
    expect(img.location).toMatchObject({ offset: 4096 * SECTOR, partition: { index: 2 } });
    img.fs.mkdir('/home/guest');
    for (let i = 0; i < 30; i++) img.fs.writeFile(`/home/guest/f${i}`, pseudoRandom(i * 1000, i));
    img.fs.writeFile('/etc/motd', text('hello\n'));
    img.fs.symlink('/etc/issue', 'motd');
    img.save();
    expectFsckClean(partitionFile(new Uint8Array(readFileSync(path))));

    const again = DiskImage.open(path);
    expect(again.fs.readdir('/home/guest')).toHaveLength(30);
    expect(firstDiff(again.fs.readFile('/home/guest/f29'), pseudoRandom(29_000, 29))).toBe(-1);
    for (let i = 0; i < 30; i += 3) again.fs.unlink(`/home/guest/f${i}`);
    again.fs.writeFile('/home/guest/f1', pseudoRandom(100_000, 100));
    again.fs.mkdir('/home/empty');
    again.fs.rmdir('/home/empty');
    expect(() => again.fs.rmdir('/home/guest')).toThrow(/not empty/);
    again.save();
    const f = partitionFile(new Uint8Array(readFileSync(path)));
    expectFsckClean(f);
    expect(fsckList(f).entries.get('/home/guest/f1')?.[0]).toBe(again.fs.lookup('/home/guest/f1'));
    expect(DiskImage.open(path).fs.stat('/etc').mtime).toBe(T + 60);
  });

  it('reads a file system made by mkfs.minix -3 in partition 2 of an MBR disk, and writes into it', () => {
    const ref = mkfsMinix(scratch.path('ref.img'), 8 * MiB);
    const disk = new Uint8Array(9 * MiB);
    disk.set(writeMbr([{ index: 2, type: PART_TYPE.MINIX, active: false, start: MIB_SECTORS, sectors: 8 * MIB_SECTORS }], disk.length / SECTOR));
    disk.set(ref.img, MiB);
    const img = DiskImage.fromBytes(disk);
    expect(img.fs.stat('/')).toMatchObject({ type: 'dir', nlinks: 2, size: 128 });
    img.fs.mkdir('/bin');
    img.fs.writeFile('/bin/prog', pseudoRandom(400 * 1024, 3), { mode: 0o755 });
    const f = partitionFile(disk);
    expectFsckClean(f);
    expect(fsckList(f).entries.get('/bin/prog')?.[1]).toBe(0o100755);
  });

  it('opens a bare file system (no MBR) as mkfs.minix -3 makes it, or at a given offset', () => {
    const ref = mkfsMinix(scratch.path('bare.img'), 4 * MiB);
    const img = DiskImage.open(ref.path);
    expect(img.location).toEqual({ offset: 0, size: 4 * MiB, partitions: [] });
    img.fs.writeFile('/hello', text('hi'));
    img.save();
    expectFsckClean(ref.path);
    const padded = new Uint8Array(5 * MiB);
    padded.set(readFileSync(ref.path), MiB);
    expect(new TextDecoder().decode(DiskImage.fromBytes(padded, { at: { offset: MiB, size: 4 * MiB } }).fs.readFile('/hello'))).toBe('hi');
    expect(() => findFs(padded)).toThrow(/neither an MBR .* nor a MINIX v3 file system/);
  });
});
