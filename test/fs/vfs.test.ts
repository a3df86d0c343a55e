// vfs with its file servers and drivers under the kernel: a user program
// (test/fs/progs/vfs_client.ts) makes the POSIX file calls through
// servers/lib/fs.ts; three processes share a pipe through a stand-in PM
// that sends VFS the fork, exec and exit notices (pm_stub.ts); a stand-in
// console driver answers the character-device protocol (cdev_stub.ts).
// The test checks the answers, the disk through the host's image library,
// and fsck.minix.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildServer, buildTestProgram } from './build.ts';
import { bootFs, fsckMinix, makeDisk, partition, results, type BootEntry, type FsSystem } from './system.ts';
import { MinixFs } from '../../toolchain/image/minixfs.ts';
import { protoConstants } from './proto.ts';

const P = protoConstants();
const pattern = (len: number, seed: number): Buffer =>
  Buffer.from(Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed + (i >> 9)) & 0xff));
const checksum = (b: Uint8Array): number => b.reduce((s, v, i) => s + v * ((i % 251) + 1), 0);

const DRIVER_PRIV = { kcalls: ['safecopyfrom', 'safecopyto'], targets: 'any' as const };

async function servers(): Promise<Record<string, Uint8Array>> {
  const names = ['vfs', 'mfs', 'blk', 'ds'] as const;
  const progs = ['pm_stub', 'cdev_stub', 'vfs_client', 'pipe_writer', 'pipe_reader', 'sleeper'] as const;
  const elfs = await Promise.all([...names.map((n) => buildServer(n)), ...progs.map((p) => buildTestProgram(p))]);
  return Object.fromEntries([...names, ...progs].map((n, i) => [n, elfs[i]]));
}

let elf: Record<string, Uint8Array>;
beforeAll(async () => { elf = await servers(); });

/** The boot list: the stand-in PM in PM's slot (0), ds in DS's (1), then the storage servers and `clients`. */
function boot(disk: Uint8Array, clients: BootEntry[]): FsSystem {
  return bootFs([
    { name: 'pm', elf: elf.pm_stub, role: 'client' },
    { name: 'ds', elf: elf.ds, role: 'ds', priority: 1 },
    { name: 'vfs', elf: elf.vfs, priority: 3 },
    { name: 'mfs', elf: elf.mfs, priority: 3 },
    { name: 'mfs2', elf: elf.mfs, role: 'mfs', priority: 3 },
    { name: 'blk', elf: elf.blk, priority: 2 },
    { name: 'tty', elf: elf.cdev_stub, priv: DRIVER_PRIV, priority: 2 },
    ...clients,
  ], disk);
}

describe('vfs: the file calls of one process', () => {
  let disk: Uint8Array;
  let r: Map<string, string>;
  let out: string;
  let fs: MinixFs;

  beforeAll(() => {
    disk = makeDisk(8, undefined, (f) => f.writeFile('/other.txt', new TextEncoder().encode('from partition 3')));
    const sys = boot(disk, [{ name: 'client', elf: elf.vfs_client }]);
    out = sys.runUntil((o) => o.includes('done\n') || o.includes('FAIL'), 600_000_000);
    r = results(out);
    expect(out, out).toContain('done\n');
    fs = MinixFs.open(partition(disk, 2));
  });

  it('refuses malformed requests with an error', () => {
    expect(r.get('badgrant')).toBe(String(-P.EPERM));
    expect(r.get('longpath')).toBe(String(-P.ENAMETOOLONG));
    expect(r.get('badfd')).toBe(String(-P.EBADF));
    expect(r.get('badtype')).toBe(String(-P.ENOSYS));
  });

  it('creates, writes, seeks, reads, appends and truncates files', () => {
    expect(r.get('enoent')).toBe(String(-P.ENOENT));
    expect(r.get('fd')).toBe('0');
    expect([r.get('w1'), r.get('w2')]).toEqual(['7', '6']);
    expect(r.get('seek')).toBe('7');
    expect(r.get('r1')).toBe('world');
    expect(r.get('seekend')).toBe('13');
    expect(r.get('seekcur')).toBe('7');
    expect(r.get('r2')).toBe('world');
    expect(r.get('fsize')).toBe('13');
    expect(Number(r.get('fmode'))).toBe(0o100640);
    expect(r.get('close')).toBe('0');
    expect(r.get('closeagain')).toBe(String(-P.EBADF));
    expect(r.get('readbad')).toBe(String(-P.EBADF));
    expect(r.get('excl')).toBe(String(-P.EEXIST));
    expect(r.get('append')).toBe('5');
    expect(r.get('ssize')).toBe('18');
    expect(r.get('writerdonly')).toBe(String(-P.EBADF));
    expect(new TextDecoder().decode(fs.readFile('/a.txt'))).toBe('hello, world\nmore\n');
    expect(r.get('ftrunc')).toBe('0');
    expect([...fs.readFile('/t.txt')]).toEqual([0x61, 0x62, 0, 0, 0]);
  });

  it('moves files larger than its buffer in pieces', () => {
    const n = 200 * 1024;
    expect(r.get('bigw')).toBe(String(n));
    expect(r.get('bigr')).toBe(String(n));
    expect(r.get('bigsame')).toBe('1');
    expect(r.get('bigeof')).toBe('0');
    expect(Buffer.from(fs.readFile('/big')).equals(pattern(n, 5))).toBe(true);
  });

  it('resolves paths: directories, relative names, the working directory', () => {
    expect(r.get('mkdir')).toBe('0');
    expect(r.get('mkdirexists')).toBe(String(-P.EEXIST));
    expect(r.get('mkdirroot')).toBe(String(-P.EEXIST));
    expect(r.get('mkdirnoparent')).toBe(String(-P.ENOENT));
    expect(r.get('listd')).toBe('.,..,e');
    expect(r.get('notdir')).toBe(String(-P.ENOTDIR));
    expect(r.get('opendirw')).toBe(String(-P.EISDIR));
    expect(r.get('chdir')).toBe('0');
    expect(r.get('cwd')).toBe('/d/e');
    expect(r.get('relread')).toBe('in e');
    expect(r.get('cwd2')).toBe('/');
    expect(r.get('chdirfile')).toBe(String(-P.ENOTDIR));
    expect(r.get('cwd3')).toBe('/d');
  });

  it('renames, links, unlinks and removes directories', () => {
    expect(r.get('rename')).toBe('0');
    expect(r.get('link')).toBe('0');
    expect(r.get('hlinks')).toBe('2');
    expect(r.get('unlink')).toBe('0');
    expect(r.get('rmdirfull')).toBe(String(-P.ENOTEMPTY));
    expect(r.get('rmdire')).toBe('0');
    expect(r.get('rmdird')).toBe('0');
    expect(r.get('linkdir')).toBe(String(-P.EPERM));
    expect(new TextDecoder().decode(fs.readFile('/h'))).toBe('in e');
    expect(fs.stat('/h').nlinks).toBe(1);
    expect(fs.lookup('/d')).toBeUndefined();
  });

  it('dup and dup2 share the open file; a pipe carries bytes, then its end', () => {
    expect(r.get('dup')).toBe('1');
    expect(r.get('dupread')).toBe('in');
    expect(r.get('dupshares')).toBe(' e');
    expect(r.get('dup2')).toBe('15');
    expect(r.get('dup2same')).toBe('15');
    expect(r.get('dup2bad')).toBe(String(-P.EBADF));
    expect(r.get('pipe')).toBe('0');
    expect(r.get('pipew')).toBe('16');
    expect(r.get('piper')).toBe('through the pipe');
    expect(r.get('pipeseek')).toBe(String(-P.ESPIPE));
    expect(r.get('pipeeof')).toBe('0');
    expect(r.get('epipe')).toBe(String(-P.EPIPE));
  });

  it('the memory devices, and the console through the character-device protocol', () => {
    expect(r.get('mknodnull')).toBe('0');
    expect(r.get('nullw')).toBe('4');
    expect(r.get('nullr')).toBe('0');
    expect(r.get('nulltty')).toBe('0');
    expect(r.get('zeror')).toBe('5000');
    expect(r.get('zeroes')).toBe('1');
    expect(r.get('ttyopen')).toBe('1');
    expect(r.get('isatty')).toBe('1');
    expect(r.get('ttyw')).toBe('15');
    expect(out).toContain('tty: to the console\n');
    expect(r.get('ttyr')).toBe('line 1\n'.trimEnd());
    // The second read was suspended by the driver and revived through CDEV_STATUS.
    expect(r.get('ttyr2')).toBe('line 2');
    expect(r.get('ttyrdev')).toBe(String(0x400));
    expect(r.get('ttymode')).toBe(String(P.S_IFCHR));
  });

  it('mounts a second file system on /mnt and crosses it both ways', () => {
    expect(r.get('mkmnt')).toBe('0');
    expect(r.get('mount')).toBe('0');
    expect(r.get('listmnt')).toBe('.,..,other.txt');
    expect(r.get('other')).toBe('from partition 3');
    expect(r.get('mntwrite')).toBe('16');
    expect(r.get('dotdotmnt')).toBe('hello');
    // getcwd names a directory of the mounted file system through the mount point.
    expect([r.get('mksub'), r.get('cwdmnt'), r.get('rmsub')]).toEqual(['0', '/mnt/sub', '0']);
    expect(r.get('xdev')).toBe(String(-P.EXDEV));
    expect(r.get('rmdirmnt')).toBe(String(-P.EBUSY));
    const fs3 = MinixFs.open(partition(disk, 3));
    expect(new TextDecoder().decode(fs3.readFile('/new'))).toBe('on the second fs');
    expect(fs3.check()).toEqual([]);
  });

  it('after sync both file systems pass fsck', () => {
    expect(r.get('sync')).toBe('0');
    expect(fs.check()).toEqual([]);
    const f = fsckMinix(disk);
    expect(f.status, f.output).toBe(0);
  });
});

describe('vfs: processes share a pipe; PM\'s fork, exec, exit and shutdown notices', () => {
  let disk: Uint8Array;
  let r: Map<string, string>;
  let out: string;

  beforeAll(() => {
    disk = makeDisk(8);
    const sys = boot(disk, [
      { name: 'writer', elf: elf.pipe_writer },
      { name: 'reader', elf: elf.pipe_reader },
      { name: 'sleeper', elf: elf.sleeper },
    ]);
    out = sys.runUntil((o) => o.includes('writer done') && o.includes('reader done'), 600_000_000);
    r = results(out);
    expect(out, out).toContain('writer done');
    expect(out).toContain('reader done');
  });

  it('a forked descriptor table shares the pipe; the writer waits for the reader', () => {
    expect(r.get('wfork')).toBe('0');
    expect(r.get('wwrite')).toBe('10000');
    expect(r.get('rtotal')).toBe('10000');
    expect(Number(r.get('rsum'))).toBe(checksum(pattern(10000, 9)));
    expect(r.get('rlast')).toBe('0');
  });

  it('exec closes close-on-exec descriptors only', () => {
    expect(r.get('wexec')).toBe('0');
    expect(r.get('wcloexec')).toBe(String(-P.EBADF));
    expect(r.get('wkept')).toBe('0');
  });

  it('exit drops a waiting call unanswered and closes the descriptors', () => {
    expect(r.get('swrite')).toBe('3000');
    expect(r.get('sunlink')).toBe('0');
    expect(out).toContain('sleeper blocks');
    expect(r.get('wexit')).toBe('0');
    expect(r.has('sleeperwoke')).toBe(false);
    // The file the sleeper held open is freed with its descriptors: after the writer's sync no inode is left without a name.
    expect(r.get('wsync')).toBe('0');
    expect(MinixFs.open(partition(disk, 2)).check()).toEqual([]);
    expect(fsckMinix(disk).status).toBe(0);
  });

  it('shutdown writes out what was never synced', () => {
    expect(r.get('wlast')).toBe('2500');
    expect(r.get('wshutdown')).toBe('0');
    const fs = MinixFs.open(partition(disk, 2));
    expect(Buffer.from(fs.readFile('/last.txt')).equals(pattern(2500, 3))).toBe(true);
    expect(fs.check()).toEqual([]);
  });
});

