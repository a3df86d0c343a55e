// Files persist across a shutdown and a second boot of the same image, and
// the root file system (partition 2) passes util-linux `fsck.minix -f`
// before any boot, after the first session and after the second; what the
// guest wrote is what the host's image library reads back.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { fsckMinix } from '../fs/system.ts';
import { SystemDisk, byCommand, session } from './harness.ts';

const disk = new SystemDisk('persist');
let image = '';

beforeAll(async () => {
  image = await disk.copy('persist.img');
}, 300_000);

const fsck = (): { status: number; output: string } => fsckMinix(new Uint8Array(readFileSync(image)));

describe('a disk across two sessions', () => {
  it('the new image is clean', () => {
    const r = fsck();
    expect(r.output).not.toMatch(/error|corrupt|not cleared|unused/i);
    expect(r.status).toBe(0);
  });

  it('the first session writes files and directories, then powers off (exit 0); fsck is clean', async () => {
    const lines = [
      'echo kept > /home/kept',
      'mkdir /home/dir; mkdir /home/dir/sub',
      'cp /bin/cat /home/dir/cat2',
      'echo gone > /tmp/gone; rm /tmp/gone',
      'echo first > /home/dir/sub/log',
      'shutdown',
    ];
    const s = await session(image, lines, {}, disk.place);
    expect(s.outputs.every((o) => o === '')).toBe(true);
    expect(s.code).toBe(0);
    const r = fsck();
    expect(r.status, r.output).toBe(0);
    const fs = DiskImage.open(image).fs;
    expect(new TextDecoder().decode(fs.readFile('/home/kept'))).toBe('kept\n');
    expect(Buffer.from(fs.readFile('/home/dir/cat2')).equals(Buffer.from(fs.readFile('/bin/cat')))).toBe(true);
    expect(fs.lookup('/tmp/gone')).toBeUndefined();
  });

  it('the second boot of the same image finds them, adds to them; fsck is still clean', async () => {
    const lines = [
      'cat /home/kept',
      'ls /home/dir',
      'ls /tmp',
      'echo second >> /home/dir/sub/log; cat /home/dir/sub/log',
      '/home/dir/cat2 /home/kept',
      'rm /home/dir/cat2',
      'shutdown',
    ];
    const s = await session(image, lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out('cat /home/kept')).toBe('kept\n');
    expect(out('ls /home/dir')).toBe('cat2\nsub\n');
    expect(out('ls /tmp')).toBe('');
    expect(out('echo second >> /home/dir/sub/log; cat /home/dir/sub/log')).toBe('first\nsecond\n');
    expect(out('/home/dir/cat2 /home/kept')).toBe('kept\n'); // a program exec'd from a copy on the disk
    expect(s.code).toBe(0);
    const r = fsck();
    expect(r.status, r.output).toBe(0);
    const fs = DiskImage.open(image).fs;
    expect(fs.lookup('/home/dir/cat2')).toBeUndefined();
    expect(fs.check()).toEqual([]);
  });
});
