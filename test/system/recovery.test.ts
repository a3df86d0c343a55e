// The default image keeps working when things die under it: a program
// killed with ^C in the middle of writing a file (the file keeps what was
// written, the shell goes on with status 130), blk and tty killed and
// restarted by rs (`service restart`) between file operations (the files are
// intact, the console stays), and the file system is clean afterwards.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { defaultPrograms } from '../../firmware/build.ts';
import { fsckMinix } from '../fs/system.ts';
import { runBoot, lf } from '../boot/harness.ts';
import { BANNER, SystemDisk, byCommand, session, type Session } from './harness.ts';

const disk = new SystemDisk('recovery');

describe('a program killed mid-operation', () => {
  it('^C ends cat writing a file: the file has the lines typed, $? is 130, the shell goes on', async () => {
    const image = await disk.copy('ctrlc.img');
    const r = await runBoot(image, 'cat > /home/typed\nline one\nline two\n\x03\necho $?\ncat /home/typed\nshutdown\n', {}, disk.place);
    const out = lf(r.out);
    expect(out.startsWith(`${BANNER}$ cat > /home/typed\nline one\nline two\n^C\n`)).toBe(true);
    expect(out).toContain('$ echo $?\n130\n$ cat /home/typed\nline one\nline two\n$ shutdown\n');
    expect(r.code).toBe(0);
    expect(new TextDecoder().decode(DiskImage.open(image).fs.readFile('/home/typed'))).toBe('line one\nline two\n');
    expect(fsckMinix(new Uint8Array(readFileSync(image))).status).toBe(0);
  }, 300_000);
});

describe('servers restarted under a session', () => {
  const lines = [
    'echo before > /home/f; cp /bin/sh /home/sh2',
    'service restart blk',
    'cat /home/f',
    'cat /home/sh2 | wc',
    'echo after >> /home/f',
    'service restart tty',
    'echo still here',
    'service list',
    'cat /home/f',
    'shutdown',
  ];
  let image = '';
  let s: Session;
  let out: (line: string) => string;
  beforeAll(async () => {
    image = await disk.copy('restart.img');
    s = await session(image, lines, {}, disk.place);
    out = byCommand(lines, s);
  }, 300_000);

  it('rs says what it restarts; the shell\'s next commands read and write the disk through the new blk', async () => {
    expect(out('service restart blk')).toBe('rs: blk died (signal 9), restarting in 0 ms\n');
    expect(s.outputs[2]).toBe('before\n');
    const sh = (await defaultPrograms()).find((p) => p.name === 'sh')!.elf;
    expect(out('cat /home/sh2 | wc')).toMatch(new RegExp(` ${sh.length}\n$`));
    expect(out('echo after >> /home/f')).toBe('');
    expect(s.outputs[8]).toBe('before\nafter\n');
  });

  it('the console survives tty\'s restart; service list counts one restart each', () => {
    expect(out('service restart tty')).toBe('rs: tty died (signal 9), restarting in 0 ms\n');
    expect(out('echo still here')).toBe('still here\n');
    const rows = out('service list').trimEnd().split('\n').slice(1).map((l) => l.split(/ +/));
    expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual([['vfs', 'up', '0'], ['blk', 'up', '1'], ['mfs', 'up', '0'], ['tty', 'up', '1']]);
  });

  it('the files are whole after the power-off, and fsck is clean', () => {
    expect(s.code).toBe(0);
    const fs = DiskImage.open(image).fs;
    expect(new TextDecoder().decode(fs.readFile('/home/f'))).toBe('before\nafter\n');
    expect(Buffer.from(fs.readFile('/home/sh2')).equals(Buffer.from(fs.readFile('/bin/sh')))).toBe(true);
    const r = fsckMinix(new Uint8Array(readFileSync(image)));
    expect(r.status, r.output).toBe(0);
  });
});
