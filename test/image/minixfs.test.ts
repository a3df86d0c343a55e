// The MINIX v3 file system (toolchain/image/minixfs*.ts) against util-linux:
// mkfs.minix -3 is the reference for the layout (byte for byte, time stamps
// aside), fsck.minix -f for consistency (exit 0 and nothing printed but its
// banner), and fsck.minix -flv lists the tree independently of our reader.
// Both tools come from the Debian package util-linux (test/image/util_linux.ts);
// a missing tool fails the test with that name, never skips it.

import { closeSync, openSync, readFileSync, readSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, MinixError, MinixFs, mkfsGeometry, writeSuperblock, zonesForBlocks } from '../../toolchain/image/minixfs.ts';
import { MiB, expectFsckClean, firstDiff, fsckList, mkfsMinix, pseudoRandom, text, tool, useScratch } from './util_linux.ts';

const scratch = useScratch('minixfs');
let n = 0;
const fresh = (name: string): string => scratch.path(`${name}${n++}.img`);
const fsckClean = (bytes: Uint8Array): void => expectFsckClean(scratch.save(bytes));
const listing = (bytes: Uint8Array): Map<string, [number, number, number]> => fsckList(scratch.save(bytes)).entries;

/** Bytes equal, reported by the first difference (toEqual on MiBs of bytes would take minutes). */
const expectSame = (got: Uint8Array, want: Uint8Array): void => expect(firstDiff(got, want)).toBe(-1);

describe('mkfs: the layout of mkfs.minix -3', () => {
  it.each([1, 8, 64])('a %i MiB file system is byte for byte what mkfs.minix -3 writes (given its time stamp)', (mib) => {
    const ref = mkfsMinix(fresh('ref'), mib * MiB);
    const theirs = MinixFs.open(ref.img);
    const ours = new Uint8Array(mib * MiB);
    MinixFs.mkfs(ours, { time: theirs.inode(1).mtime });
    expect(MinixFs.open(ours).sb).toEqual(theirs.sb);
    expectSame(ours, ref.img);
  });

  it('the superblock matches mkfs.minix -3 for sizes from 10 blocks to 600 MiB (1 inode per 3 blocks, per 8 above 512 Ki blocks)', () => {
    for (const bytes of [10 * 1024, 100 * 1024, 333 * 1024, 5 * MiB + 7 * 1024, 63 * MiB, 100 * MiB, 600 * MiB]) {
      const f = fresh('geo');
      writeFileSync(f, new Uint8Array(0));
      truncateSync(f, bytes);
      expect(tool('mkfs.minix', ['-3', f]).code).toBe(0);
      const theirs = new Uint8Array(BLOCK_SIZE);
      const fd = openSync(f, 'r');
      readSync(fd, theirs, 0, BLOCK_SIZE, BLOCK_SIZE);
      closeSync(fd);
      rmSync(f);
      const ours = new Uint8Array(2 * BLOCK_SIZE);
      writeSuperblock(ours, mkfsGeometry(Math.floor(bytes / BLOCK_SIZE)));
      expect([...ours.subarray(BLOCK_SIZE)], `${bytes} bytes`).toEqual([...theirs]);
    }
  });

  it('refuses fewer than 10 blocks', () => {
    expect(() => MinixFs.mkfs(new Uint8Array(9 * BLOCK_SIZE))).toThrow(/at least 10 blocks/);
  });
});

describe('our file systems pass fsck.minix -f', () => {
  it('empty', () => {
    const dev = new Uint8Array(4 * MiB);
    const fs = MinixFs.mkfs(dev);
    expect(fs.check()).toEqual([]);
    expect(fs.readdir('/')).toEqual([]);
    fsckClean(dev);
  });

  it('many files in several directories, modes, owners, symlinks and hard links, as fsck.minix -l lists them', () => {
    const dev = new Uint8Array(16 * MiB);
    const fs = MinixFs.mkfs(dev, { time: 1_700_000_000 });
    const want = new Map<string, [number, number]>(); // path → mode, links
    for (const d of ['/bin', '/etc', '/home', '/home/user']) { fs.mkdir(d); want.set(d, [0o40755, 2]); }
    fs.mkdir('/tmp', { mode: 0o1777 }); want.set('/tmp', [0o41777, 2]);
    want.set('/home', [0o40755, 3]);
    for (let i = 0; i < 600; i++) {
      const p = `/${['bin', 'etc', 'home/user'][i % 3]}/file${i}`;
      const mode = i % 2 ? 0o755 : 0o600;
      fs.writeFile(p, pseudoRandom((i * 97) % 9000, i + 1), { mode, uid: i % 5, gid: 7 });
      want.set(p, [0o100000 | mode, 1]);
    }
    fs.symlink('/bin/sh', '/bin/file1'); want.set('/bin/sh', [0o120777, 1]);
    fs.link('/etc/file4', '/tmp/hard'); want.set('/tmp/hard', [0o100600, 2]); want.set('/etc/file4', [0o100600, 2]);
    expect(fs.check()).toEqual([]);
    fsckClean(dev);
    const listed = listing(dev);
    expect(new Map([...listed].map(([p, [, mode, links]]) => [p, [mode, links]]))).toEqual(want);
    expect(listed.get('/tmp/hard')![0]).toBe(listed.get('/etc/file4')![0]);
    for (let i = 0; i < 600; i += 37) {
      const p = `/${['bin', 'etc', 'home/user'][i % 3]}/file${i}`;
      expectSame(fs.readFile(p), pseudoRandom((i * 97) % 9000, i + 1));
      expect(fs.stat(p)).toMatchObject({ uid: i % 5, gid: 7, size: (i * 97) % 9000, ino: listed.get(p)![0] });
    }
    expect(fs.readlink('/bin/sh')).toBe('/bin/file1');
  });

  it('a file big enough for double-indirect zones, read back whole, its blocks counted as fsck.minix counts them', () => {
    const dev = new Uint8Array(8 * MiB);
    const fs = MinixFs.mkfs(dev);
    const size = (7 + 256 + 3 * 256 + 5) * 1024 + 123; // into the fourth block of the double-indirect tree
    const data = pseudoRandom(size, 42);
    fs.writeFile('/big', data);
    expect(fs.inode(fs.lookup('/big')!).zones[8]).not.toBe(0);
    expectSame(fs.readFile('/big'), data);
    const used = fs.usage().blocks - fs.usage().freeBlocks;
    expect(used).toBe(fs.sb.firstDataZone + 1 + zonesForBlocks(Math.ceil(size / 1024)));
    fsckClean(dev);
    expect(fsckList(scratch.save(dev)).zonesUsed).toBe(used);
  });

  it('deep directories (45 levels, within fsck.minix\'s 50) with a file at the bottom', () => {
    const dev = new Uint8Array(2 * MiB);
    const fs = MinixFs.mkfs(dev);
    let p = '';
    for (let i = 0; i < 45; i++) { p += `/level${i}`; fs.mkdir(p); }
    fs.writeFile(`${p}/bottom`, text('deep\n'));
    fsckClean(dev);
    expect(listing(dev).get(`${p}/bottom`)?.[1]).toBe(0o100644);
    expect(new TextDecoder().decode(fs.readFile(`${p}/bottom`))).toBe('deep\n');
    expect(fs.lookup(`${p}/../level44/bottom`)).toBe(fs.lookup(`${p}/bottom`));
  });

  it('1500 entries in one directory (its entries reach the indirect zone), 60-byte and UTF-8 names', () => {
    const dev = new Uint8Array(8 * MiB);
    const fs = MinixFs.mkfs(dev);
    fs.mkdir('/many');
    const names: string[] = [];
    for (let i = 0; i < 1500; i++) names.push(i === 0 ? 'x'.repeat(60) : i === 1 ? 'ünïcødé-名前' : `entry-${i}`);
    for (const [i, name] of names.entries()) fs.writeFile(`/many/${name}`, text(String(i)));
    const dirIno = fs.lookup('/many')!;
    expect(fs.inode(dirIno).size).toBe((1500 + 2) * 64);
    expect(fs.inode(dirIno).zones[7]).not.toBe(0);
    expect(fs.readdir('/many').map((e) => e.name)).toEqual(names);
    expect(() => fs.writeFile(`/many/${'y'.repeat(61)}`, text(''))).toThrow(/longer than 60 bytes/);
    fsckClean(dev);
    const listed = listing(dev);
    expect(listed.has(`/many/${'x'.repeat(59)}`)).toBe(true); // fsck.minix prints at most 59 bytes of a name
    expect(listed.has('/many/ünïcødé-名前')).toBe(true);
    expect(listed.size).toBe(1501);
  });

  it('after unlink, rmdir, rewrites that shrink and grow, and slot reuse', () => {
    const dev = new Uint8Array(16 * MiB);
    const fs = MinixFs.mkfs(dev);
    fs.mkdir('/a');
    fs.mkdir('/a/b');
    for (let i = 0; i < 40; i++) fs.writeFile(`/a/f${i}`, pseudoRandom(200 * 1024, i));
    fs.link('/a/f0', '/a/b-link');
    const before = fs.usage();
    for (let i = 0; i < 40; i += 2) fs.unlink(`/a/f${i}`);
    fs.rmdir('/a/b');
    fs.writeFile('/a/f1', text('short'));
    fs.writeFile('/a/f3', pseudoRandom(600 * 1024, 3));
    fs.writeFile('/a/new', text('in a reused slot'));
    expect(fs.readdir('/a').map((e) => e.name)[0]).toBe('new');
    expect(() => fs.rmdir('/a')).toThrow(/not empty/);
    expect(fs.usage().freeInodes).toBe(before.freeInodes + 19 + 1 - 1); // f0 lives on as b-link
    expect(fs.stat('/a/b-link').nlinks).toBe(1);
    expectSame(fs.readFile('/a/b-link'), pseudoRandom(200 * 1024, 0));
    expect(fs.check()).toEqual([]);
    fsckClean(dev);
    expectSame(fs.readFile('/a/f3'), pseudoRandom(600 * 1024, 3));
    expect(listing(dev).get('/a')?.[2]).toBe(2);
  });

  it('a file into the triple-indirect zone (past 64.26 MiB)', () => {
    const dev = new Uint8Array(72 * MiB);
    const fs = MinixFs.mkfs(dev);
    const size = (7 + 256 + 65536 + 300) * 1024 + 1;
    const data = pseudoRandom(size, 7);
    fs.writeFile('/huge', data);
    expect(fs.inode(fs.lookup('/huge')!).zones[9]).not.toBe(0);
    expectSame(fs.readFile('/huge'), data);
    fsckClean(dev);
    fs.unlink('/huge');
    expect(fs.usage().freeBlocks).toBe(fs.sb.zones - fs.sb.firstDataZone - 1);
    fsckClean(dev);
  });

  it('a full disk is one MinixError and leaves the file system consistent', () => {
    const dev = new Uint8Array(256 * 1024);
    const fs = MinixFs.mkfs(dev);
    fs.writeFile('/fits', pseudoRandom(100 * 1024, 1));
    expect(() => fs.writeFile('/too-big', pseudoRandom(200 * 1024, 2))).toThrow(MinixError);
    expect(() => fs.writeFile('/fits', pseudoRandom(300 * 1024, 2))).toThrow(/no space left/);
    expect(fs.lookup('/too-big')).toBeUndefined();
    expectSame(fs.readFile('/fits'), pseudoRandom(100 * 1024, 1));
    expect(fs.check()).toEqual([]);
    fsckClean(dev);
    let i = 0;
    expect(() => { for (;; i++) fs.writeFile(`/e${i}`, new Uint8Array(0)); }).toThrow(/no free inode/);
    expect(fs.check()).toEqual([]);
    fsckClean(dev);
  });
});

describe('file systems made by mkfs.minix -3', () => {
  it('open with the parameters mkfs.minix printed, take files from our writer, and stay fsck-clean', () => {
    const ref = mkfsMinix(fresh('ref'), 20 * MiB);
    const num = (re: RegExp): number => Number(re.exec(ref.stdout)?.[1]);
    const fs = MinixFs.open(ref.img);
    expect(fs.sb.ninodes).toBe(num(/^(\d+) inodes$/m));
    expect(fs.sb.zones).toBe(num(/^(\d+) blocks$/m));
    expect(fs.sb.firstDataZone).toBe(num(/^Firstdatazone=(\d+)/m));
    expect(fs.stat('/')).toMatchObject({ type: 'dir', mode: 0o40755, nlinks: 2, size: 128 });
    expect(fs.readdir('/')).toEqual([]);
    expect(fs.check()).toEqual([]);
    fs.mkdir('/bin');
    fs.mkdir('/etc');
    fs.writeFile('/etc/motd', text('hello from tessera\n'));
    fs.writeFile('/bin/prog', pseudoRandom(500 * 1024, 9), { mode: 0o755 });
    fs.symlink('/bin/link', 'prog');
    fsckClean(ref.img);
    const listed = listing(ref.img);
    expect([...listed.keys()].sort()).toEqual(['/bin', '/bin/link', '/bin/prog', '/etc', '/etc/motd']);
    expect(listed.get('/bin/prog')?.[1]).toBe(0o100755);
    const again = MinixFs.open(ref.img);
    expectSame(again.readFile('/bin/prog'), pseudoRandom(500 * 1024, 9));
    expect(again.stat('/')).toMatchObject({ nlinks: 4 });
  });

  it('a MINIX v2 file system is refused by name; garbage is not a file system', () => {
    const f = fresh('v2');
    writeFileSync(f, new Uint8Array(MiB));
    expect(tool('mkfs.minix', ['-2', f]).code).toBe(0);
    expect(() => MinixFs.open(new Uint8Array(readFileSync(f)))).toThrow(/MINIX v2 file system: only MINIX v3/);
    expect(() => MinixFs.open(pseudoRandom(MiB, 3))).toThrow(MinixError);
    expect(() => MinixFs.open(new Uint8Array(100))).toThrow(/too small/);
  });
});

describe('the consistency check agrees with fsck.minix', () => {
  /** A small populated file system and where its pieces are. */
  function sample(): { dev: Uint8Array; fs: MinixFs } {
    const dev = new Uint8Array(MiB);
    const fs = MinixFs.mkfs(dev);
    fs.mkdir('/d');
    fs.writeFile('/d/a', pseudoRandom(5000, 1));
    fs.writeFile('/d/b', pseudoRandom(3000, 2));
    return { dev, fs };
  }
  const imap = 2 * BLOCK_SIZE;
  const inodeAt = (fs: MinixFs, ino: number): number => (2 + fs.sb.imapBlocks + fs.sb.zmapBlocks) * BLOCK_SIZE + (ino - 1) * 64;
  /** Point slot `slot` of a directory at inode `ino`. */
  const setEntryIno = (dev: Uint8Array, fs: MinixFs, dir: string, slot: number, ino: number): void => {
    new DataView(dev.buffer).setUint32(fs.inode(fs.lookup(dir)!).zones[0] * BLOCK_SIZE + slot * 64, ino, true);
  };
  const corruptions: [string, (dev: Uint8Array, fs: MinixFs) => void][] = [
    ['a used inode marked free', (dev, fs) => { const i = fs.lookup('/d/a')!; dev[imap + (i >> 3)] &= ~(1 << (i & 7)); }],
    ['a free inode marked used', (dev) => { dev[imap + 3] |= 0x10; }],
    ['a free zone marked used', (dev, fs) => { dev[(2 + fs.sb.imapBlocks) * BLOCK_SIZE + 10] |= 0x01; }],
    ['a used zone marked free', (dev, fs) => {
      const z = fs.inode(fs.lookup('/d/b')!).zones[0] - fs.sb.firstDataZone + 1;
      dev[(2 + fs.sb.imapBlocks) * BLOCK_SIZE + (z >> 3)] &= ~(1 << (z & 7));
    }],
    ['a wrong link count', (dev, fs) => {
      const o = (2 + fs.sb.imapBlocks + fs.sb.zmapBlocks) * BLOCK_SIZE + (fs.lookup('/d/a')! - 1) * 64 + 2;
      dev[o] = 3;
    }],
    ['two files sharing a zone', (dev, fs) => {
      const a = fs.inode(fs.lookup('/d/a')!).zones[0];
      const o = (2 + fs.sb.imapBlocks + fs.sb.zmapBlocks) * BLOCK_SIZE + (fs.lookup('/d/b')! - 1) * 64 + 24;
      new DataView(dev.buffer).setUint32(o, a, true);
    }],
    ['a zone number outside the data area', (dev, fs) => {
      const o = (2 + fs.sb.imapBlocks + fs.sb.zmapBlocks) * BLOCK_SIZE + (fs.lookup('/d/b')! - 1) * 64 + 28;
      new DataView(dev.buffer).setUint32(o, fs.sb.zones + 5, true);
    }],
    ['\'..\' missing from a directory', (dev, fs) => {
      const z = fs.inode(fs.lookup('/d')!).zones[0];
      dev.fill(0, z * BLOCK_SIZE + 64 + 4, z * BLOCK_SIZE + 128);
    }],
    ['an entry naming an inode out of range', (dev, fs) => { setEntryIno(dev, fs, '/d', 2, fs.sb.ninodes + 100); }],
    ['a directory loop (an entry naming the root)', (dev, fs) => { setEntryIno(dev, fs, '/d', 2, 1); }],
    ['a directory whose zone lies outside the data area', (dev, fs) => {
      new DataView(dev.buffer).setUint32(inodeAt(fs, fs.lookup('/d')!) + 24, fs.sb.zones + 5, true);
    }],
  ];
  it.each(corruptions)('%s', (_what, corrupt) => {
    const { dev, fs } = sample();
    expect(fs.check()).toEqual([]);
    corrupt(dev, fs);
    const f = scratch.save(dev);
    const r = tool('fsck.minix', ['-f', f]);
    expect(r.stdout).not.toBe(`Forcing filesystem check on ${f}.\n`);
    expect(MinixFs.open(dev).check().length).toBeGreaterThan(0);
  });

  it('the reader names the problem: an inode out of range, a loop, a zone outside the data area', () => {
    const cases: [(dev: Uint8Array, fs: MinixFs) => void, RegExp][] = [
      [(dev, fs) => setEntryIno(dev, fs, '/d', 2, fs.sb.ninodes + 100), /'\/d\/a': the entry names inode \d+, out of range 1\.\.\d+/],
      [(dev, fs) => setEntryIno(dev, fs, '/d', 2, 1), /directory loop: '\/d\/a' is inode 1, the directory '\/'/],
      [(dev, fs) => new DataView(dev.buffer).setUint32(inodeAt(fs, fs.lookup('/d')!) + 24, 3, true), /\/d: block 0 maps to zone 3, outside the data area/],
    ];
    for (const [corrupt, message] of cases) {
      const { dev, fs } = sample();
      corrupt(dev, fs);
      const damaged = MinixFs.open(dev);
      expect(() => damaged.walk()).toThrow(message);
      expect(() => damaged.walk()).toThrow(MinixError);
    }
  });
});
