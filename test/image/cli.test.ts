// `tessera mkimage` and `tessera inspect` (cli/image_cmd.ts) as a user runs
// them: stdout, stderr and the exit code checked, a child process per
// command (killed after 30 s) for the main paths, and cli/main.ts's main()
// in this process, its output captured, for the many malformed images and
// bad options (one process each would take half a minute). Every one gives
// exactly one line on stderr naming the problem and where, exit 2, no stack
// trace. The progress bar appears on a terminal (`script`, Debian package
// bsdutils, gives the command one) and nowhere else.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { crc32 } from '../../toolchain/image/bootpart.ts';
import { SECTOR } from '../../toolchain/image/mbr.ts';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { progressBar } from '../../cli/image_cmd.ts';
import { main } from '../../cli/main.ts';
import { defaultPrograms } from '../../firmware/build.ts';
import { MiB, expectFsckClean, mkfsMinix, useScratch } from './util_linux.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'cli/main.ts');

interface Result { code: number; stdout: string; stderr: string }

/** Run a command, stdin empty; killed after 30 s. */
function run(cmd: string, args: string[], killAfterMs = 30_000): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? (signal ? -1 : 0), stdout, stderr }); });
  });
}
const tessera = (...args: string[]): Promise<Result> => run(process.execPath, ['--import', 'tsx', MAIN, ...args]);

/** `tessera args` in this process: main()'s exit code and what it wrote. */
async function inProcess(...args: string[]): Promise<Result> {
  let stdout = '', stderr = '';
  const capture = (add: (s: string) => void) => (chunk: string | Uint8Array): boolean => { add(String(chunk)); return true; };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((s) => { stdout += s; }) as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((s) => { stderr += s; }) as typeof process.stderr.write);
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** One line on stderr matching `message`, exit 2, nothing on stdout, no stack trace. */
function expectOneLineError(r: Result, message: RegExp, what: string): void {
  expect(r.stderr, what).toMatch(/^[^\n]+\n$/);
  expect(r.stderr, what).toMatch(message);
  expect(r.stderr, what).not.toMatch(/\n\s+at /);
  expect(r.code, what).toBe(2);
  expect(r.stdout, what).toBe('');
}

const scratch = useScratch('image-cli');
const at = scratch.path;
let elf: Uint8Array;
let good: Uint8Array;

beforeAll(async () => {
  elf = assemble('.globl _start\n_start:\n  j _start\n', { filename: 'spin.s' }).elf;
  writeFileSync(at('spin.elf'), elf);
  writeFileSync(at('motd'), 'hello\n');
  const r = await tessera('mkimage', '-o', at('good.img'), '--size', '8M', '--bare', '--module', `pm=${at('spin.elf')}:pm+service:3`,
    '--module', `init=${at('spin.elf')}`, '--add', `${at('motd')}=/etc/motd`);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  good = new Uint8Array(readFileSync(at('good.img')));
}, 60_000);

describe('tessera mkimage and inspect', () => {
  it('mkimage writes an image of the size asked, quietly when stderr is not a terminal; partition 2 passes fsck.minix -f', () => {
    expect(good.length).toBe(8 * MiB);
    const img = DiskImage.fromBytes(good);
    expect(new TextDecoder().decode(img.fs.readFile('/etc/motd'))).toBe('hello\n');
    const p = img.location.partition!;
    expectFsckClean(scratch.save(good.subarray(p.start * SECTOR, (p.start + p.sectors) * SECTOR)));
  });

  it('inspect lists the partitions, the boot modules (size, crc, flags, priority) and the file tree (mode, size, path)', async () => {
    const r = await run(process.execPath, [join(ROOT, 'cli/tessera.js'), 'inspect', at('good.img')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const crc = '0x' + crc32(elf).toString(16).padStart(8, '0');
    const lines = r.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}1 {2}0x7f tessera-boot +2048 +2048 {2}1\.0 MiB {2}active$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  2  0x81 minix +4096 +${8 * MiB / SECTOR - 4096}  6\\.0 MiB$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  pm +512 +${elf.length}  ${crc}  pm,service +3  CRC ok$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  init +\\d+ +${elf.length}  ${crc}  - +7  CRC ok$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}-rw-r--r-- +0 +0 +6 {2}\/etc\/motd$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}drwxrwxrwt +0 +0 +128 {2}\/tmp$/));
    expect(lines).toContain('  consistency check: clean');
  });

  it('inspect reads a bare file system made by mkfs.minix -3', async () => {
    const ref = mkfsMinix(at('bare.img'), 2 * MiB);
    const r = await tessera('inspect', ref.path);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^disk: 2097152 bytes, no MBR: a bare MINIX v3 file system\nfile system \(at byte 0\): MINIX v3, 1024-byte blocks, 1\/688 inodes/);
  });

  // On a clean clone this builds every server and program first (asc, cold): minutes on a busy CI machine.
  it('mkimage without --module: the default boot modules and the default root; too small a size says how much is needed', async () => {
    const small = await run(process.execPath, ['--import', 'tsx', MAIN, 'mkimage', '-o', at('default.img'), '--size', '4M'], 280_000);
    expect(small.stderr).toMatch(/^tessera: image size 4194304 too small for the default root \(\d+ programs in \/bin, \/dev; --bare leaves them out\): the image needs at least \d+M \([^\n]*\)\n$/);
    expect(small.code).toBe(2);
    const need = Number(/at least (\d+)M/.exec(small.stderr)![1]);
    expect(need).toBeGreaterThan(4);
    // The size it names is enough, and one MiB less is not.
    const less = await inProcess('mkimage', '-o', at('less.img'), '--size', `${need - 1}M`);
    expectOneLineError(less, /too small for the default root/, `${need - 1}M`);
    const r = await inProcess('mkimage', '-o', at('default.img'), '--size', `${need}M`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const img = DiskImage.fromBytes(new Uint8Array(readFileSync(at('default.img'))));
    const names = (await defaultPrograms()).map((p) => p.name).sort();
    expect(img.fs.readdir('/bin').map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort()).toEqual(names);
    expect(img.fs.stat('/dev/null').type).toBe('chardev');
    const i = await tessera('inspect', at('default.img'));
    expect(i.stdout).toMatch(/^ {2}pm .* CRC ok$/m);
  }, 300_000);

  it('--module keeps the default root, --root and --add go on top of it; --bare leaves /bin empty and /dev out', async () => {
    const r = await inProcess('mkimage', '-o', at('mod.img'), '--size', '8M', '--module', `pm=${at('spin.elf')}:pm`,
      '--add', `${at('motd')}=/bin/echo`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fs = DiskImage.fromBytes(new Uint8Array(readFileSync(at('mod.img')))).fs;
    const progs = await defaultPrograms();
    for (const p of progs.filter((x) => x.name !== 'echo')) expect(Buffer.from(fs.readFile(`/bin/${p.name}`)).equals(Buffer.from(p.elf)), p.name).toBe(true);
    expect(new TextDecoder().decode(fs.readFile('/bin/echo'))).toBe('hello\n'); // --add replaced the program
    expect(fs.stat('/dev/console').type).toBe('chardev');
    expect(fs.check()).toEqual([]);
    const bare = DiskImage.fromBytes(good).fs;
    expect(bare.readdir('/').map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort()).toEqual(['bin', 'etc', 'home', 'tmp']);
    expect(bare.readdir('/bin').map((e) => e.name).filter((n) => n !== '.' && n !== '..')).toEqual([]);
  }, 300_000);

  it('mkimage --bare without --module: the default modules, pm carrying every program; an empty /bin', async () => {
    const r = await inProcess('mkimage', '-o', at('bare.img'), '--size', '8M', '--bare');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const img = DiskImage.fromBytes(new Uint8Array(readFileSync(at('bare.img'))));
    expect(img.fs.readdir('/bin').map((e) => e.name).filter((n) => n !== '.' && n !== '..')).toEqual([]);
    const i = await tessera('inspect', at('bare.img'));
    expect(i.stdout).toMatch(/^ {2}init .* CRC ok$/m);
  }, 300_000);

  it('the progress bar is drawn on a terminal (script gives one), on stderr', async () => {
    const cmd = [process.execPath, '--import', 'tsx', MAIN, 'mkimage', '-o', at('tty.img'), '--size', '4M', '--bare', '--module', `pm=${at('spin.elf')}`,
      '--add', `${at('spin.elf')}=/bin/spin`].map((a) => `'${a}'`).join(' ');
    const r = await run('script', ['-qec', `${cmd} 2>&1 >/dev/null`, '/dev/null']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\rmkimage \[#{30}\] 100%/);
  });

  it('progressBar draws nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (s: string) => { written.push(s); return true; } }) as unknown as NodeJS.WriteStream;
    const quiet = progressBar('x', stream(false));
    quiet.update(5, 10);
    quiet.end();
    expect(written).toEqual([]);
    const bar = progressBar('x', stream(true));
    bar.update(0, 10);
    bar.update(10, 10);
    bar.end();
    expect(written[0]).toMatch(/^\rx \[\.{30}\] {3}0%/);
    expect(written[1]).toMatch(/^\rx \[#{30}\] 100%/);
    expect(written[2]).toBe('\r\x1b[K');
  });
});

/** A copy of the good image with a change made through its file system (offsets in the whole disk). */
function damaged(change: (disk: Uint8Array, img: DiskImage, dv: DataView) => void): Uint8Array {
  const disk = good.slice();
  const img = DiskImage.fromBytes(disk);
  change(disk, img, new DataView(disk.buffer));
  return disk;
}

describe('malformed images: one line naming the problem and where, exit 2', () => {
  const fsByte = (img: DiskImage): number => img.location.offset;
  const entry = (img: DiskImage, dir: string, slot: number): number => fsByte(img) + img.fs.inode(img.fs.lookup(dir)!).zones[0] * 1024 + slot * 64;
  const inodeByte = (img: DiskImage, ino: number): number =>
    fsByte(img) + (2 + img.fs.sb.imapBlocks + img.fs.sb.zmapBlocks) * 1024 + (ino - 1) * 64;
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['truncated image', () => good.subarray(0, 5 * MiB), /partition table: partition 2 \(sectors 4096\.\.16383\) runs past the end of the disk \(10240 sectors\)/],
    ['empty file', () => new Uint8Array(0), /0 bytes: neither an MBR .* nor a MINIX v3 file system/],
    ['no MBR signature, no file system', () => damaged((d) => { d[510] = 0; }), /neither an MBR \(no 0x55 0xaa at bytes 510-511\)/],
    ['overlapping partitions', () => damaged((_d, _i, dv) => dv.setUint32(446 + 16 + 8, 3000, true)), /partition table: partitions 1 and 2 overlap/],
    ['bad status byte', () => damaged((d) => { d[446 + 16] = 0x33; }), /partition table: partition 2: bad status byte 0x33/],
    ['no known partition type', () => damaged((d) => { d[446 + 4] = 0x83; d[446 + 16 + 4] = 0x83; }), /neither a boot partition \(type 0x7f\) nor a MINIX partition/],
    ['bad boot partition magic', () => damaged((d) => { d[2048 * SECTOR] ^= 0xff; }), /partition 1: boot partition: bad magic/],
    ['bad superblock magic', () => damaged((d, img) => { d[fsByte(img) + 1024 + 24] = 0; }), /file system \(partition 2\): no MINIX v3 file system \(magic 0x4d00, expected 0x4d5a\)/],
    ['MINIX 4096-byte blocks', () => damaged((_d, img, dv) => dv.setUint16(fsByte(img) + 1024 + 28, 4096, true)), /file system \(partition 2\): block size 4096: only 1024/],
    ['inode out of range', () => damaged((_d, img, dv) => dv.setUint32(entry(img, '/etc', 2), 99_999, true)),
      /file system \(partition 2\): '\/etc\/motd': the entry names inode 99999, out of range 1\.\.\d+/],
    ['directory loop', () => damaged((_d, img, dv) => dv.setUint32(entry(img, '/etc', 2), img.fs.lookup('/etc')!, true)),
      /file system \(partition 2\): directory loop: '\/etc\/motd' is inode \d+, the directory '\/etc' that contains it/],
    ['zone outside the data area', () => damaged((_d, img, dv) => dv.setUint32(inodeByte(img, img.fs.lookup('/home')!) + 24, 0x7fffffff, true)),
      /file system \(partition 2\): \/home: block 0 maps to zone 2147483647, outside the data area/],
    ['symlink too long', () => damaged((_d, img, dv) => {
      const ino = img.fs.symlink('/etc/link', 'motd');
      dv.setUint32(inodeByte(img, ino) + 8, 5000, true);
    }), /file system \(partition 2\): '\/etc\/link': a symbolic link of 5000 bytes/],
  ];

  it.each(cases.map(([what, make, message]) => ({ what, make, message })))('$what', async ({ what, make, message }) => {
    const f = at(`bad-${what.replace(/\W+/g, '-')}.img`);
    writeFileSync(f, make());
    expectOneLineError(await inProcess('inspect', f), message, what);
  });

  it('as a child process too (a directory loop)', async () => {
    const [, make, message] = cases.find(([what]) => what === 'directory loop')!;
    writeFileSync(at('loop.img'), make());
    expectOneLineError(await tessera('inspect', at('loop.img')), message, 'directory loop');
  });

  it('a missing file, and a module CRC or consistency failure (exit 1, the listing printed)', async () => {
    writeFileSync(at('crc.img'), damaged((d) => { d[2048 * SECTOR + 512 + 100] ^= 1; }));
    writeFileSync(at('fsck.img'), damaged((d, img) => { d[fsByte(img) + 2048 + 100] = 0xff; }));
    const missing = await inProcess('inspect', at('nope.img'));
    const crc = await inProcess('inspect', at('crc.img'));
    const fsck = await inProcess('inspect', at('fsck.img'));
    expectOneLineError(missing, /cannot read '.*nope\.img': ENOENT/, 'missing');
    expect(crc.code).toBe(1);
    expect(crc.stdout).toMatch(/^ {2}pm .* CRC BAD \(bytes have 0x[0-9a-f]{8}\)$/m);
    expect(crc.stderr).toMatch(/^tessera: .*crc\.img: a module CRC or the file system check failed \(see above\)\n$/);
    expect(fsck.code).toBe(1);
    expect(fsck.stdout).toMatch(/^ {2}consistency: inode \d+ is marked in use, but no directory names it$/m);
  });
});

describe('bad options: one line, exit 2', () => {
  it('each', async () => {
    writeFileSync(at('not.elf'), 'not an elf');
    const out = at('x.img');
    const spin = `pm=${at('spin.elf')}`;
    // (--bare: the options are the subject here, not the programs a root gets by default.)
    const cases: [string[], RegExp][] = [
      [['mkimage', '--size', '8M'], /required option '-o, --output <disk\.img>' not specified/],
      [['mkimage', '-o', out, '--bare', '--size', '12Q', '--module', spin], /option '--size <size>' argument '12Q' is invalid/],
      [['mkimage', '-o', out, '--bare', '--size', '1M', '--module', spin], /image size 1048576 too small/],
      [['mkimage', '-o', out, '--bare', '--size', '1000', '--module', spin], /image size 1000: a positive multiple of 512 bytes/],
      [['mkimage', '-o', out, '--module', 'pm'], /'pm': expected NAME=ELF\[:FLAGS\[:PRIORITY\]\]/],
      [['mkimage', '-o', out, '--module', `pm=${at('not.elf')}`], /module 'pm': '.*not\.elf' is not an RV32 ELF/],
      [['mkimage', '-o', out, '--module', `pm=${at('spin.elf')}:pm:99`], /priority 99, expected 0 \(highest\) to 15/],
      [['mkimage', '-o', out, '--bare', '--module', spin, '--add', `${at('motd')}=etc/motd`], /the guest path 'etc\/motd' must be absolute/],
      [['mkimage', '-o', out, '--bare', '--module', spin, '--root', at('nope')], /--root: cannot read '.*nope': ENOENT/],
      [['mkimage', '-o', join(at('nope'), 'x.img'), '--bare', '--module', spin], /cannot write '.*x\.img': ENOENT/],
      [['inspect'], /missing required argument 'disk\.img'/],
    ];
    for (const [args, message] of cases) expectOneLineError(await inProcess(...args), message, args.join(' '));
    expectOneLineError(await tessera(...cases[1][0]), cases[1][1], 'as a child process');
  });
});
