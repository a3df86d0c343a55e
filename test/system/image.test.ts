// What the default image holds (firmware/build.ts): the real servers as
// boot modules in servers/system.ts's order, flags and priorities, pm's
// bundle with the services and the shell; a root with every program in
// /bin, byte for byte, the device nodes, /etc, /home and /tmp. And
// `tessera boot` with no disk builds it on first use, saying so first.

import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boot } from '../../cli/boot_cmd.ts';
import { DEFAULT_IMAGE_SIZE, defaultPrograms, BUNDLED_PROGRAMS } from '../../firmware/build.ts';
import { SERVERS, BUNDLE_BASE, PROTO } from '../../servers/system.ts';
import { readBootPartition, MODULE_FLAGS } from '../../toolchain/image/bootpart.ts';
import { openFs, readPartitions } from '../../toolchain/image/disk.ts';
import { parseElf, PT_LOAD } from '../../toolchain/elf.ts';
import { FakeIo, lf, scratch } from '../boot/harness.ts';
import { BANNER, SystemDisk } from './harness.ts';

const disk = new SystemDisk('image');

/** The names in pm's bundle (servers/system.ts makeBundle: "TBND", count, 32-byte entries). */
function bundleNames(pm: Uint8Array): string[] {
  const seg = parseElf(pm).segments.find((s) => s.type === PT_LOAD && s.vaddr === BUNDLE_BASE);
  expect(seg, 'pm has a segment at BUNDLE_BASE').toBeDefined();
  const dv = new DataView(seg!.data.buffer, seg!.data.byteOffset, seg!.data.byteLength);
  expect(dv.getUint32(0, true)).toBe(PROTO.BUNDLE_MAGIC);
  return Array.from({ length: dv.getUint32(4, true) }, (_, i) => {
    const name = seg!.data.subarray(8 + 32 * i, 8 + 32 * i + 24);
    return Buffer.from(name.subarray(0, name.indexOf(0))).toString('latin1');
  });
}

describe('the default image', () => {
  it('boot modules: the servers in boot order, pm the process manager, the services flagged, their priorities', async () => {
    const bytes = new Uint8Array(readFileSync(await disk.pristine()));
    expect(bytes.length).toBe(DEFAULT_IMAGE_SIZE);
    const p1 = readPartitions(bytes)!.find((p) => p.index === 1)!;
    const bp = readBootPartition(bytes.subarray(p1.start * 512, (p1.start + p1.sectors) * 512), { checkCrc: true });
    const { PM, SERVICE } = MODULE_FLAGS;
    expect(bp.modules.map((m) => [m.name, m.flags, m.priority])).toEqual(
      SERVERS.map((s) => [s.name, (s.pm ? PM : 0) | (s.system ? SERVICE : 0), s.priority]));
    expect(bp.modules.map((m) => m.name)).toEqual(['pm', 'ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init']);
    for (const m of bp.modules) expect(m.actualCrc, m.name).toBe(m.crc);
    const pm = bytes.subarray(p1.start * 512 + bp.modules[0].offset, p1.start * 512 + bp.modules[0].offset + bp.modules[0].size);
    // The services, for rs to restart, and the programs a system with its disk down still needs (sh, service, shutdown).
    expect(bundleNames(pm)).toEqual(['ds', 'rs', 'vfs', 'blk', 'mfs', 'tty', 'init', ...BUNDLED_PROGRAMS]);
  }, 300_000);

  it('the root: every program in /bin (mode 755, the built bytes), /dev, /etc, /home, /tmp', async () => {
    const { fs } = openFs(new Uint8Array(readFileSync(await disk.pristine())));
    expect(fs.readdir('/').map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort()).toEqual(['bin', 'dev', 'etc', 'home', 'tmp']);
    const progs = await defaultPrograms();
    expect(fs.readdir('/bin').map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort()).toEqual(progs.map((p) => p.name).sort());
    for (const p of progs) {
      expect(fs.stat(`/bin/${p.name}`).mode & 0o7777, p.name).toBe(0o755);
      expect(Buffer.from(fs.readFile(`/bin/${p.name}`)).equals(Buffer.from(p.elf)), p.name).toBe(true);
    }
    const dev = (path: string): [string, number, number] => {
      const st = fs.stat(path);
      return [st.type, st.mode & 0o777, fs.inode(st.ino).zones[0]];
    };
    expect(dev('/dev/console')).toEqual(['chardev', 0o600, (4 << 8) | 0]);
    expect(dev('/dev/null')).toEqual(['chardev', 0o666, (1 << 8) | 2]);
    expect(dev('/dev/zero')).toEqual(['chardev', 0o666, (1 << 8) | 3]);
    expect(fs.stat('/tmp').mode & 0o7777).toBe(0o1777);
    expect(fs.check()).toEqual([]);
  });
});

describe('tessera boot without a disk', () => {
  const tmp = scratch('sys-default');
  it('builds the default image on first use (a line before, one after), boots it, and not again the next time', async () => {
    const place = { cacheDir: tmp.path('cache') };
    const run = async (): Promise<{ code: number; out: string; err: string }> => {
      const io = new FakeIo();
      io.type('echo hi\nshutdown\n', true);
      const code = await boot(undefined, {}, io, place);
      await new Promise((r) => setImmediate(r));
      return { code, out: lf(io.out), err: io.err };
    };
    const first = await run();
    const img = tmp.path('cache/default.img');
    expect(first.err).toBe(`tessera: building the default image (first use) ...\ntessera: built the default image ${img}\n`);
    expect(first.out).toBe(`${BANNER}$ echo hi\nhi\n$ shutdown\n`);
    expect(first.code).toBe(0);
    const second = await run();
    expect(second.err).toBe(''); // not built again
    expect(second.code).toBe(0);
    expect(statSync(img).size).toBe(DEFAULT_IMAGE_SIZE);
    expect(readFileSync(`${img}.stamp`, 'utf8')).toMatch(/^system [0-9a-f]{64}\n$/);
  }, 300_000);
});
