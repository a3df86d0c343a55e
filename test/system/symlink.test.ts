// Symbolic links from the shell of the default image: ln -s to a file and
// to a directory, cat, cd and exec through them, ls -l showing them, a
// dangling link and a loop, rm removing the link and not its target; after
// shutdown the host's image library reads the links back and util-linux
// fsck.minix -f finds the root file system clean.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { fsckMinix } from '../fs/system.ts';
import { SystemDisk, byCommand, session, type Session } from './harness.ts';

const disk = new SystemDisk('symlink');
const lines = [
  'echo hello > /tmp/a',
  'ln -s /tmp/a /tmp/la',
  'cat /tmp/la',
  'mkdir /tmp/d; echo in d > /tmp/d/f',
  'ln -s d /tmp/ld',
  'cat /tmp/ld/f',
  'cd /tmp/ld; pwd; cat f; cd /',
  'ln -s /bin/echo /tmp/e; /tmp/e through a link',
  'ls -l /tmp',
  'ls -l /tmp/la',
  'ln -s /nowhere /tmp/dang; cat /tmp/dang; echo $?',
  'ln -s loop /tmp/loop; cat /tmp/loop; echo $?',
  'cd /tmp/loop',
  'ln -s x /tmp/la; echo $?',
  'rm /tmp/la /tmp/loop /tmp/e; cat /tmp/a; ls /tmp',
  'shutdown',
];

let image = '';
let s: Session;
let out: (line: string) => string;

beforeAll(async () => {
  image = await disk.copy('symlink.img');
  s = await session(image, lines, {}, disk.place);
  out = byCommand(lines, s);
}, 300_000);

describe('symbolic links from the shell', () => {
  it('ln -s makes links that cat, cd and exec go through', () => {
    expect(out('ln -s /tmp/a /tmp/la')).toBe('');
    expect(out('cat /tmp/la')).toBe('hello\n');
    expect(out('cat /tmp/ld/f')).toBe('in d\n');
    expect(out('cd /tmp/ld; pwd; cat f; cd /')).toBe('/tmp/d\nin d\n');
    expect(out('ln -s /bin/echo /tmp/e; /tmp/e through a link')).toBe('through a link\n');
  });

  it('ls -l shows a link with type l and its target', () => {
    const listing = out('ls -l /tmp');
    expect(listing).toMatch(/^lrwxrwxrwx +1 +6 la -> \/tmp\/a$/m);
    expect(listing).toMatch(/^lrwxrwxrwx +1 +1 ld -> d$/m);
    expect(listing).toMatch(/^drwxr-xr-x +2 +\d+ d$/m);
    expect(out('ls -l /tmp/la')).toMatch(/^lrwxrwxrwx +1 +6 \/tmp\/la -> \/tmp\/a\n$/);
  });

  it('a dangling link is ENOENT, a loop ELOOP, an existing name EEXIST', () => {
    expect(out('ln -s /nowhere /tmp/dang; cat /tmp/dang; echo $?')).toBe('cat: /tmp/dang: No such file or directory\n1\n');
    expect(out('ln -s loop /tmp/loop; cat /tmp/loop; echo $?')).toBe('cat: /tmp/loop: Too many levels of symbolic links\n1\n');
    expect(out('cd /tmp/loop')).toBe('sh: cd: /tmp/loop: Too many levels of symbolic links\n');
    expect(out('ln -s x /tmp/la; echo $?')).toBe('ln: /tmp/la: File exists\n1\n');
  });

  it('rm removes the link, not its target', () => {
    expect(out('rm /tmp/la /tmp/loop /tmp/e; cat /tmp/a; ls /tmp')).toBe('hello\na\nd\ndang\nld\n');
  });

  it('after shutdown the links are on the disk and fsck.minix -f is clean', () => {
    expect(s.code).toBe(0);
    const fs = DiskImage.open(image).fs;
    expect(fs.readlink('/tmp/ld')).toBe('d');
    expect(fs.readlink('/tmp/dang')).toBe('/nowhere');
    expect(fs.stat('/tmp/ld').type).toBe('symlink');
    expect(fs.lookup('/tmp/la')).toBeUndefined();
    expect(fs.check()).toEqual([]);
    const r = fsckMinix(new Uint8Array(readFileSync(image)));
    expect(r.status, r.output).toBe(0);
  });
});
