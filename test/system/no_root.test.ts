// A root file system that does not mount (its superblock overwritten):
// vfs says so, init finds no /dev/console, and the shell still reaches the
// user on the console itself (posix read/write: descriptors 0-2 that VFS
// does not have are the console), so `shutdown`, from pm's bundle, powers
// off cleanly instead of init restarting a shell that cannot read.

import { describe, expect, it } from 'vitest';
import { readPartitions } from '../../toolchain/image/disk.ts';
import { runBoot, lf } from '../boot/harness.ts';
import { SystemDisk, BANNER } from './harness.ts';

const disk = new SystemDisk('no-root');

describe('no root file system', () => {
  it('the shell works on the console and shutdown powers off', async () => {
    const image = await disk.edited('noroot.img', (d) => {
      const p2 = readPartitions(d)!.find((p) => p.index === 2)!;
      d.fill(0xa5, p2.start * 512 + 1024, p2.start * 512 + 1024 + 64); // the superblock
    });
    const r = await runBoot(image, 'echo still here\nls /\nshutdown\n', {}, disk.place);
    const out = lf(r.out);
    expect(out.startsWith(BANNER)).toBe(true);
    expect(out).toContain('vfs: cannot mount the root file system');
    expect(out).toContain('init: cannot open /dev/console');
    expect(out).toContain('$ echo still here\nstill here\n');
    expect(out).toContain('$ ls /\nsh: ls: not found\n');
    expect(out).not.toContain('cannot read standard input');
    expect(r.code).toBe(0);
  }, 300_000);
});
