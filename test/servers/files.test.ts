// The whole system with a disk: pm, ds, rs, vfs, blk, mfs, tty and init
// from the boot list, a MINIX v3 root on partition 2. Through the shell:
// init's console on /dev/console, pipes and redirection, cd and pwd, the
// /bin file utilities, exec of a program that only the disk has (pm reads
// it through VFS), a console read through VFS ended by ^C and by ^D, and
// `shutdown` syncing the disk (fsck.minix clean afterwards).

import { beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../vm/board.ts';
import { Kernel, type BootImage } from '../../kernel/kernel.ts';
import { MemoryBackend } from '../../vm/devices/virtio_blk.ts';
import { buildSystem, buildProgram } from '../../servers/system.ts';
import { makeDisk, fsckMinix, partition } from '../fs/system.ts';
import { MinixFs } from '../../toolchain/image/minixfs.ts';
import { Session, TEST_PROGRAMS } from './session.ts';

const SERVERS = ['pm', 'ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init'];

let images: BootImage[];
let diskOnly: Uint8Array;
beforeAll(async () => {
  images = await buildSystem({ servers: SERVERS, programs: TEST_PROGRAMS });
  diskOnly = await buildProgram('test/servers/progs/exitcode.ts');
});

/** A session on a board with `disk` on virtio-blk slot 0. */
class DiskSession extends Session {
  constructor(imgs: readonly BootImage[], readonly disk: Uint8Array) {
    super(imgs, (opts) => new Board({ ...opts, disk: new MemoryBackend(disk) }));
  }
}

function freshDisk(): Uint8Array {
  return makeDisk(8, (fs) => {
    fs.mkdir('/bin');
    fs.mkdir('/tmp');
    fs.mkdir('/home');
    fs.writeFile('/bin/onlydisk', diskOnly);
    fs.writeFile('/home/notes', new TextEncoder().encode('alpha\nbeta\ngamma\nbeta two\n'));
  });
}

describe('a system with a file system', () => {
  let s: DiskSession;
  beforeAll(() => {
    s = new DiskSession(images, freshDisk());
    expect(s.prompt(50_000_000)).toBe(true);
  });

  it('init put the console on /dev/console (made on a root that had none)', () => {
    expect(s.command('ls -l /dev')).toBe('crw-------   1     4, 0 console\n');
  });

  it('redirection: >, >>, <', () => {
    expect(s.command('echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f')).toBe('one\ntwo\n');
    expect(s.command('echo over > /tmp/f; cat /tmp/f')).toBe('over\n');
    expect(s.command('cat < /tmp/nosuch; echo $?')).toBe('sh: /tmp/nosuch: No such file or directory\n1\n');
  });

  it('pipes connect programs; the last one\'s status is $?', () => {
    expect(s.command('cat /home/notes | grep beta')).toBe('beta\nbeta two\n');
    expect(s.command('cat /home/notes | grep beta | wc')).toBe('      2       3      14\n');
    expect(s.command('echo x | grep y; echo $?')).toBe('1\n');
    expect(s.command('grep -c a /home/notes')).toBe('4\n');
  });

  it('cd and pwd, relative paths', () => {
    expect(s.command('cd /home; pwd; cat notes | head -n 1')).toBe('/home\nalpha\n');
    expect(s.command('cd ..; pwd')).toBe('/\n');
    expect(s.command('cd /nosuch; echo $?')).toBe('sh: cd: /nosuch: No such file or directory\n1\n');
  });

  it('the file utilities', () => {
    expect(s.command('mkdir /tmp/d; touch /tmp/d/a; cp /home/notes /tmp/d; ls /tmp/d')).toBe('a\nnotes\n');
    expect(s.command('mv /tmp/d/a /tmp/d/b; ln /tmp/d/b /tmp/d/c; ls -l /tmp/d')).toBe(
      '-rw-r--r--   2        0 b\n-rw-r--r--   2        0 c\n-rw-r--r--   1       26 notes\n');
    expect(s.command('rm /tmp/d/b /tmp/d/c /tmp/d/notes; rmdir /tmp/d; ls /tmp/d; echo $?')).toBe(
      'ls: /tmp/d: No such file or directory\n1\n');
    expect(s.command('rmdir /home; echo $?')).toBe('rmdir: /home: Directory not empty\n1\n');
    expect(s.command('head -n 2 /home/notes')).toBe('alpha\nbeta\n');
    expect(s.command('wc /home/notes /home/notes')).toBe(
      '      4       5      26 /home/notes\n      4       5      26 /home/notes\n      8      10      52 total\n');
  });

  it('a program only the disk has is exec\'d from it (pm reads /bin through VFS)', () => {
    expect(s.command('onlydisk 23; echo $?')).toBe('23\n');
    expect(s.command('/bin/onlydisk 24; echo $?')).toBe('24\n');
  });

  it('a console read through VFS: ^D is end of file, ^C ends the reader', () => {
    let from = s.output().length;
    s.type('cat > /tmp/typed\n');
    s.runFor(3_000_000);
    s.type('line one\nline two\n\x04');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(s.command('cat /tmp/typed')).toBe('line one\nline two\n');
    from = s.output().length;
    s.type('cat\n');
    s.runFor(3_000_000);
    s.type('\x03');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(s.output().slice(from)).toBe('cat\n^C\n$ ');
    expect(s.command('echo $?')).toBe('130\n');
  });
});

describe('shutdown', () => {
  it('syncs the disk and powers off with the code; the file system is clean and has the files', () => {
    const disk = freshDisk();
    const s = new DiskSession(images, disk);
    expect(s.prompt(50_000_000)).toBe(true);
    s.command('echo kept > /home/kept; mkdir /home/dir');
    s.type('shutdown 3\n');
    s.runUntil(() => s.board.finished !== undefined);
    expect(s.board.finished).toEqual({ kind: 'fail', code: 3 });
    const fs = MinixFs.open(partition(disk, 2));
    expect(new TextDecoder().decode(fs.readFile('/home/kept'))).toBe('kept\n');
    expect(fsckMinix(disk).status).toBe(0);
  });
});
