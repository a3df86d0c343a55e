// Symbolic links under vfs and mfs: a user program
// (test/fs/progs/symlink_client.ts) makes them and goes through them; the
// test checks its answers, the links on the disk through the host's image
// library, and that util-linux fsck.minix -f accepts both file systems.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer, buildTestProgram } from './build.ts';
import { bootFs, fsckMinix, makeDisk, partition, results } from './system.ts';
import { MinixFs } from '../../toolchain/image/minixfs.ts';
import { protoConstants } from './proto.ts';

const P = protoConstants();
const E = (name: string): string => `E${P[name]}`;
const DRIVER_PRIV = { kcalls: ['safecopyfrom', 'safecopyto'], targets: 'any' as const };

describe('symbolic links', () => {
  let disk: Uint8Array;
  let r: Map<string, string>;

  beforeAll(async () => {
    const names = ['vfs', 'mfs', 'blk', 'ds'] as const;
    const progs = ['pm_stub', 'cdev_stub', 'symlink_client'] as const;
    const elfs = await Promise.all([...names.map((n) => buildServer(n)), ...progs.map((p) => buildTestProgram(p))]);
    const elf = Object.fromEntries([...names, ...progs].map((n, i) => [n, elfs[i]]));
    disk = makeDisk(8, undefined, (f) => f.writeFile('/other.txt', new TextEncoder().encode('from partition 3')));
    const sys = bootFs([
      { name: 'pm', elf: elf.pm_stub, role: 'client' },
      { name: 'ds', elf: elf.ds, role: 'ds', priority: 1 },
      { name: 'vfs', elf: elf.vfs, priority: 3 },
      { name: 'mfs', elf: elf.mfs, priority: 3 },
      { name: 'mfs2', elf: elf.mfs, role: 'mfs', priority: 3 },
      { name: 'blk', elf: elf.blk, priority: 2 },
      { name: 'tty', elf: elf.cdev_stub, priv: DRIVER_PRIV, priority: 2 },
      { name: 'client', elf: elf.symlink_client },
    ], disk);
    const out = sys.runUntil((o) => o.includes('done\n') || o.includes('FAIL'), 600_000_000);
    expect(out, out).toContain('done\n');
    r = results(out);
  }, 300_000);

  it('symlink makes a link; readlink and lstat see it, stat and open go through it', () => {
    expect(r.get('mkla')).toBe('0');
    expect(r.get('readla')).toBe('a.txt');
    expect(r.get('lstatla')).toBe('120777 5');
    expect(r.get('statla')).toBe('100644 5');
    expect(r.get('catla')).toBe('hello');
    expect(r.get('exists')).toBe(String(-P.EEXIST));
    expect(r.get('excl')).toBe(String(-P.EEXIST));
    expect(r.get('readreg')).toBe(E('EINVAL'));
  });

  it('a link to a directory is followed in a path, by chdir and with a trailing slash', () => {
    expect(r.get('mkld')).toBe('0');
    expect(r.get('catld')).toBe('in d');
    expect(r.get('statslash')).toMatch(/^40755 /);
    expect(r.get('cdld')).toBe('0');
    expect(r.get('cwdld')).toBe('/d');
    expect(r.get('catrel')).toBe('in d');
  });

  it('a relative target resolves from the directory holding the link', () => {
    expect([r.get('mklf'), r.get('catlf')]).toEqual(['0', 'in d']);
    expect([r.get('mkup'), r.get('catup')]).toEqual(['0', 'hello']);
    expect([r.get('mkchain'), r.get('catchain')]).toEqual(['0', 'in d']);
  });

  it('a dangling link gives ENOENT, a loop ELOOP; lstat still sees the link', () => {
    expect(r.get('mkdang')).toBe('0');
    expect(r.get('catdang')).toBe(E('ENOENT'));
    expect(r.get('lstatdang')).toBe('120777 8');
    expect(r.get('catloop')).toBe(E('ELOOP'));
    expect(r.get('statloop')).toBe(E('ELOOP'));
    expect(r.get('mkself')).toBe('0');
    expect(r.get('catself')).toBe(E('ELOOP'));
    expect(r.get('lstatloop')).toBe('120777 6');
  });

  it('links cross a mount point both ways', () => {
    expect([r.get('mklo'), r.get('catlo')]).toEqual(['0', 'from partition 3']);
    expect([r.get('mkback'), r.get('catback')]).toEqual(['0', 'hello']);
    expect([r.get('mklm'), r.get('catlm')]).toEqual(['0', 'from partition 3']);
  });

  it('unlink, rename and rmdir act on the link, not its target', () => {
    expect(r.get('rmla')).toBe('0');
    expect(r.get('lstatgone')).toBe(E('ENOENT'));
    expect(r.get('targetstays')).toBe('hello');
    expect(r.get('mvld')).toBe('0');
    expect(r.get('readld2')).toBe('/d');
    expect(r.get('mkthrough')).toBe('0');
    expect(r.get('statsub')).toMatch(/^40755 /);
    expect(r.get('rmdirlink')).toBe(String(-P.ENOTDIR));
    expect(r.get('rmdirthrough')).toBe('0');
    expect(r.get('rmself')).toBe('0');
  });

  it('a target is 1 to PATH_MAX - 1 bytes (one 1 KiB block, with room for a NUL); readlink cuts it at the buffer\'s size', () => {
    expect(r.get('empty')).toBe(String(-P.ENOENT));
    expect(r.get('toolong')).toBe(String(-P.ENAMETOOLONG));
    expect(r.get('mklong')).toBe('0');
    expect(r.get('readlong')).toBe(String(P.PATH_MAX - 1));
    expect(r.get('readshort')).toBe('10');
    expect(r.get('rmlong')).toBe('0');
  });

  it('the links are on the disk as MINIX v3 symlinks, and fsck.minix -f is clean', () => {
    expect(r.get('sync')).toBe('0');
    const root = MinixFs.open(partition(disk, 2));
    expect(root.stat('/d/lf').type).toBe('symlink');
    expect(root.readlink('/d/lf')).toBe('f');
    expect(root.readlink('/ld2')).toBe('/d');
    expect(root.readlink('/lo')).toBe('/mnt/other.txt');
    expect(root.lookup('/la')).toBeUndefined();
    expect(new TextDecoder().decode(root.readFile('/a.txt'))).toBe('hello');
    expect(root.check()).toEqual([]);
    const third = MinixFs.open(partition(disk, 3));
    expect(third.readlink('/back')).toBe('../a.txt');
    const f = fsckMinix(disk);
    expect(f.status, f.output).toBe(0);
  });
});
