// Bad images through `tessera boot`'s code path: the default image made bad
// by byte surgery (or cut short) stops with the firmware's one line on the
// console, nothing after it, and the firmware's exit code (docs/boot.md);
// a module the kernel cannot load, with the kernel's line and 42.

import { describe, expect, it } from 'vitest';
import { BOOT_FAILED_EXIT } from '../../kernel/boot.ts';
import { crc32 } from '../../toolchain/image/bootpart.ts';
import { firmwareExit } from '../../firmware/build.ts';
import { Surgery, runBoot } from '../boot/harness.ts';
import { SystemDisk } from './harness.ts';

const disk = new SystemDisk('bad');

/** Boot the image `edit` makes of the default one; its console must end with `line`, its exit code be `name`'s. */
async function expectFailure(tag: string, edit: (s: Surgery) => Uint8Array | void, name: string, line: string): Promise<void> {
  const path = await disk.edited(`${tag}.img`, (bytes) => edit(new Surgery(bytes)));
  const r = await runBoot(path, 'echo hi\nshutdown\n', {}, disk.place);
  expect(r.out).toBe(`Tessera boot firmware\n${line}\n`);
  expect(r.err).toBe('');
  expect(r.code).toBe(firmwareExit(name));
}

/** The partition's first byte (our images put it at LBA 2048). */
const part = (s: Surgery): number => s.dv.getUint32(446 + 8, true) * 512;

describe('bad images', () => {
  it('an empty file', () => expectFailure('empty', () => new Uint8Array(0), 'DISK_EMPTY', 'firmware: the disk is empty'), 300_000);

  it('no MBR signature', () => expectFailure('nombr', (s) => { s.disk[510] = 0; }, 'NO_MBR', 'firmware: no MBR signature'));

  it('no boot partition', () => expectFailure('nopart', (s) => { s.disk[446 + 4] = 0x83; }, 'NO_BOOT_PART', 'firmware: no boot partition (type 0x7f)'));

  it('an image cut short of its boot partition', () =>
    expectFailure('short', (s) => s.disk.slice(0, 2 << 20), 'BOOT_PART_RANGE', 'firmware: the boot partition does not lie inside the disk'));

  it('a bad boot header magic', () => expectFailure('magic', (s) => { s.disk[part(s)] ^= 0x20; }, 'BAD_MAGIC', 'firmware: bad boot header magic'));

  it('a module table that does not match its checksum', () =>
    expectFailure('table', (s) => { s.disk[s.entry(3) + 1] ^= 1; }, 'TABLE_CRC', 'firmware: boot module table: bad checksum'));

  it('a module whose bytes do not match their checksum (pm, the largest, near its end)', () =>
    expectFailure('modcrc', (s) => { s.disk[part(s) + s.get(0, 'offset') + s.get(0, 'size') - 9] ^= 0x40; }, 'MODULE_CRC', 'firmware: module pm: bad checksum'));

  it('no process manager', () =>
    expectFailure('nopm', (s) => { s.field(0, 'flags', 2).fixTable(); }, 'NO_PM', 'firmware: no process manager module (flags bit 0)'));

  it('a module the kernel cannot load: the kernel\'s line and exit 42', async () => {
    const path = await disk.edited('junk.img', (bytes) => {
      const s = new Surgery(bytes);
      const at = part(s) + s.get(7, 'offset');
      s.disk.fill(0x5a, at, at + 64); // init's ELF header
      s.field(7, 'crc', crc32(s.disk.subarray(at, at + s.get(7, 'size')))).fixTable();
    });
    const r = await runBoot(path, 'echo hi\n', {}, disk.place);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Tessera boot firmware', 'firmware: loaded 8 modules: pm ds rs vfs blk mfs tty init']);
    expect(lines[2]).toMatch(/^kernel: boot: init: .*ELF/i);
    expect(lines.length).toBe(3);
    expect(r.code).toBe(BOOT_FAILED_EXIT);
  });
});
