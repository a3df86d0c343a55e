// The boot firmware (firmware/firmware.s), booted in-process on the board:
// a good image reaches the demo's prompt through the resident kernel; every
// failure the firmware can be driven into (an image made bad by byte
// surgery, a missing disk, a failing disk, too little RAM, no kernel behind
// the handover) prints its one documented line and powers off with its own
// exit code. The codes and lines are checked against firmware.s's E_*
// table, and that table against docs/boot.md.

import { readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../vm/devices/virtio_blk.ts';
import { BOOT_FAILED_EXIT, readBootInfo } from '../../kernel/boot.ts';
import { Board } from '../../vm/board.ts';
import { loadProgram } from '../../cli/run.ts';
import { firmwareErrors, firmwareExit, REPO_ROOT } from '../../firmware/build.ts';
import { MODULE_FLAGS, type BootModule } from '../../toolchain/image/bootpart.ts';
import { PART, Surgery, bootInProcess, buildDisk, expectFirmwareLine, firmware, goodModules, scratch } from './harness.ts';

const tmp = scratch('fw');
const place = { cacheDir: tmp.path('cache') };
let mods: BootModule[];
let good: Uint8Array;

beforeAll(async () => {
  mods = await goodModules();
  good = buildDisk(mods);
});

const copy = (): Surgery => new Surgery(good.slice());

async function expectFailure(disk: Uint8Array | MemoryBackend | undefined, name: string, line: string, o: { mem?: number; kernel?: boolean } = {}): Promise<void> {
  const { r, text } = await bootInProcess(place, disk, o);
  expect(text.startsWith('Tessera boot firmware\n'), text).toBe(true);
  expectFirmwareLine(text, name, line);
  expect(r).toMatchObject({ kind: 'fail', code: firmwareExit(name) });
}

describe('a good image', () => {
  it('boots: banner, the modules loaded, the kernel starts them, the demo prompt', async () => {
    const { r, text, machine } = await bootInProcess(place, good);
    expect(r.kind).toBe('idle'); // waiting for a key
    expect(text).toBe('Tessera boot firmware\nfirmware: loaded 3 modules: pm init tty\nTessera booted: 3 modules\n$ ');
    expect(machine!.started!.map((p) => p.name)).toEqual(['pm', 'init', 'tty']);
    expect(machine!.isIdle()).toBe(true);
  });

  it('hands over a boot-info block naming every module where it was loaded: 4 KiB aligned, from 0x8100_0000 up', async () => {
    // No kernel behind the register: the block stays as the firmware left it (it then stops with NO_KERNEL).
    let at: number | undefined;
    const board = new Board({ disk: new MemoryBackend(good), output: () => {}, onHandover: (pa) => { at = pa; } });
    loadProgram(board, await firmware(place));
    board.run(50_000_000);
    expect(at).toBeDefined();
    const list = readBootInfo(board, at!);
    expect(list.map((m) => m.name)).toEqual(['pm', 'init', 'tty']);
    expect(list[0].pa).toBe(0x81000000);
    list.forEach((m, i) => {
      const off = board.mem.hostOffset(m.pa, m.size, false);
      expect(Buffer.from(board.mem.u8.subarray(off, off + m.size)).equals(Buffer.from(mods[i].elf)), m.name).toBe(true);
      expect(m.pa % 4096).toBe(0);
      if (i > 0) expect(m.pa).toBe(list[i - 1].pa + Math.ceil(list[i - 1].size / 4096) * 4096);
    });
    expect(list.map((m) => m.flags)).toEqual(mods.map((m) => m.flags));
    expect(list.map((m) => m.priority)).toEqual(mods.map((m) => m.priority));
  });
});

describe('the disk', () => {
  it('none: no virtio-blk device in any slot', () => expectFailure(undefined, 'NO_DISK', 'firmware: no virtio-blk disk'));

  it('an empty disk', () => expectFailure(new Uint8Array(0), 'DISK_EMPTY', 'firmware: the disk is empty'));

  it('a read the host cannot do: the sector it failed at', async () => {
    // The tty module's first sector fails (an I/O error on the host side).
    const s = copy();
    const bad = (PART + s.get(2, 'offset')) / 512;
    const disk = new MemoryBackend(s.disk);
    const read = disk.read.bind(disk);
    disk.read = (offset, dst) => {
      if (offset <= bad * 512 && bad * 512 < offset + dst.length) throw new Error('host I/O error');
      read(offset, dst);
    };
    await expectFailure(disk, 'DISK_IO', `firmware: disk read error at sector ${bad}`);
  });
});

describe('the MBR and the boot header', () => {
  it('no MBR signature', () => {
    const s = copy();
    s.disk[510] = 0;
    return expectFailure(s.disk, 'NO_MBR', 'firmware: no MBR signature');
  });

  it('a disk of zeros has no MBR', () => expectFailure(new Uint8Array(1 << 20), 'NO_MBR', 'firmware: no MBR signature'));

  it('no partition of type 0x7f', () => {
    const s = copy();
    s.disk[446 + 4] = 0x83;
    return expectFailure(s.disk, 'NO_BOOT_PART', 'firmware: no boot partition (type 0x7f)');
  });

  it('a boot partition running past the end of the disk', () => {
    const s = copy().u32(446 + 12, good.length / 512);
    return expectFailure(s.disk, 'BOOT_PART_RANGE', 'firmware: the boot partition does not lie inside the disk');
  });

  it('a boot partition at sector 0 (over the MBR)', () => {
    const s = copy().u32(446 + 8, 0);
    return expectFailure(s.disk, 'BOOT_PART_RANGE', 'firmware: the boot partition does not lie inside the disk');
  });

  it('a bad header magic', () => {
    const s = copy();
    s.disk[PART] = 'X'.charCodeAt(0);
    return expectFailure(s.disk, 'BAD_MAGIC', 'firmware: bad boot header magic');
  });

  it('a boot partition of zeros', () => {
    const s = copy();
    s.disk.fill(0, PART, PART + 512);
    return expectFailure(s.disk, 'BAD_MAGIC', 'firmware: bad boot header magic');
  });

  it('an unknown header version', () => expectFailure(copy().header('version', 2).disk, 'BAD_VERSION', 'firmware: unsupported boot header version 2'));

  it.each([0, 33])('a module count of %i', (n) =>
    expectFailure(copy().header('count', n).disk, 'BAD_COUNT', `firmware: bad boot module count ${n}`));

  it.each([100, 0, 4096 * 1024])('a header size of %i', (n) =>
    expectFailure(copy().header('size', n).disk, 'BAD_HEADER_SIZE', `firmware: bad boot header size ${n}`));

  it('a module table that does not match its CRC', () => {
    const s = copy();
    s.disk[s.entry(1)] ^= 0x20; // "init" -> "Init", the CRC left alone
    return expectFailure(s.disk, 'TABLE_CRC', 'firmware: boot module table: bad checksum');
  });
});

describe('the modules', () => {
  it('an unprintable name (entries count from 1)', () =>
    expectFailure(copy().name(1, new Uint8Array([0x69, 0x01, 0x69])).fixTable().disk, 'MODULE_NAME', 'firmware: bad name in module entry 2'));

  it('a name without its NUL', () =>
    expectFailure(copy().name(2, 'x'.repeat(32)).fixTable().disk, 'MODULE_NAME', 'firmware: bad name in module entry 3'));

  it('an empty name', () => expectFailure(copy().name(0, '').fixTable().disk, 'MODULE_NAME', 'firmware: bad name in module entry 1'));

  it('a name used twice', () => expectFailure(copy().name(2, 'init').fixTable().disk, 'MODULE_DUP', 'firmware: module init: name used twice'));

  it('unknown flags', () => expectFailure(copy().field(1, 'flags', 4).fixTable().disk, 'MODULE_FIELDS', 'firmware: module init: bad flags or priority'));

  it('a priority above 15', () => expectFailure(copy().field(2, 'priority', 16).fixTable().disk, 'MODULE_FIELDS', 'firmware: module tty: bad flags or priority'));

  it('a module past the end of the boot partition', () => {
    const s = copy();
    const sectors = s.dv.getUint32(446 + 12, true);
    return expectFailure(s.field(2, 'offset', sectors * 512).fixTable().disk, 'MODULE_RANGE', 'firmware: module tty: outside the boot partition');
  });

  it('a module inside the header', () => expectFailure(copy().field(1, 'offset', 0).fixTable().disk, 'MODULE_RANGE', 'firmware: module init: outside the boot partition'));

  it('a module of 0 bytes', () => expectFailure(copy().field(0, 'size', 0).fixTable().disk, 'MODULE_RANGE', 'firmware: module pm: outside the boot partition'));

  it('a module that does not fit in RAM (--mem 16M: the load area starts at 16 MiB)', () =>
    expectFailure(good, 'MODULE_FIT', 'firmware: module pm: does not fit in RAM', { mem: 16 * 1024 * 1024 }));

  it('a module whose bytes do not match its CRC', () => {
    const s = copy();
    s.disk[PART + s.get(2, 'offset') + 100] ^= 1;
    return expectFailure(s.disk, 'MODULE_CRC', 'firmware: module tty: bad checksum');
  });

  it('no process manager: a missing module', () => {
    const noPm = mods.map((m) => ({ ...m, flags: m.flags & ~MODULE_FLAGS.PM }));
    return expectFailure(buildDisk(noPm), 'NO_PM', 'firmware: no process manager module (flags bit 0)');
  });

  it('no process manager: the image without pm at all', () =>
    expectFailure(buildDisk(mods.filter((m) => m.name !== 'pm')), 'NO_PM', 'firmware: no process manager module (flags bit 0)'));

  it('two process managers', () => {
    const two = mods.map((m) => (m.name === 'init' ? { ...m, flags: m.flags | MODULE_FLAGS.PM } : m));
    return expectFailure(buildDisk(two), 'TWO_PM', 'firmware: module init: a second process manager');
  });

  it('every check comes before the first module is loaded: a bad last entry leaves the load area untouched', async () => {
    const { board, text } = await bootInProcess(place, copy().field(2, 'priority', 99).fixTable().disk);
    expect(text).toContain('module tty: bad flags or priority');
    const o = board.mem.hostOffset(0x81000000, 4096, false);
    expect(board.mem.u8.subarray(o, o + 4096).every((b) => b === 0)).toBe(true);
  });
});

describe('the handover', () => {
  it('with no kernel behind the handover register, the firmware says so', () =>
    expectFailure(good, 'NO_KERNEL', 'firmware: no kernel took over', { kernel: false }));

  it('a module the kernel cannot load: the kernel\'s line and its exit code', async () => {
    const junk = new TextEncoder().encode('not an ELF file at all');
    const disk = buildDisk(mods.map((m) => (m.name === 'tty' ? { ...m, elf: junk } : m)));
    const { r, text } = await bootInProcess(place, disk);
    expect(text).toContain('firmware: loaded 3 modules: pm init tty\n');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^kernel: boot: tty: .*ELF/i);
    expect(r).toEqual({ kind: 'fail', code: BOOT_FAILED_EXIT });
  });
});

describe('the firmware\'s CRC-32', () => {
  /** Run the firmware's routine `name` with `args` in a0.. on a bare board; a0 when it returns. */
  function call(board: Board, syms: Map<string, number>, name: string, args: number[]): number {
    const h = board.hart;
    const done = 0x80f00000; // a `j .` the routine returns to
    const o = board.mem.hostOffset(done, 4, true);
    board.mem.i32[o >> 2] = 0x0000006f;
    args.forEach((v, i) => { h.x[10 + i] = v | 0; });
    h.x[1] = done;
    h.x[2] = syms.get('stack_top')!;
    h.pc = syms.get(name)!;
    for (let n = 0; (h.pc >>> 0) !== done; n++) {
      if (n > 1000) throw new Error(`${name} did not return`);
      board.run(20_000);
    }
    return h.x[10] >>> 0;
  }

  it('is zlib\'s, for every alignment of the start and lengths around the 8-byte blocks', async () => {
    const board = new Board({ output: () => {} });
    const fw = loadProgram(board, await firmware(place));
    call(board, fw.symbols, 'crc_init', []);
    const base = 0x81000000;
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + (i >> 7) * 17) & 0xff);
    const at = board.mem.hostOffset(base, data.length, true);
    board.mem.u8.set(data, at);
    for (const align of [0, 1, 2, 3, 4, 5, 6, 7]) {
      for (const len of [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 64, 100, 1029, 4096 - align]) {
        const want = zlibCrc32(data.subarray(align, align + len)) >>> 0;
        expect(call(board, fw.symbols, 'crc32', [base + align, len]), `start +${align}, ${len} bytes`).toBe(want);
      }
    }
  });
});

describe('the exit codes', () => {
  const errors = firmwareErrors();

  it('are distinct, none is 0, 1 or 2 (tessera keeps those), and the kernel\'s is not among them', () => {
    const codes = errors.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => c >= 3 && c < 124)).toBe(true);
    expect(codes).not.toContain(BOOT_FAILED_EXIT);
  });

  it('each has its console string in firmware.s, as its comment gives it', () => {
    const src = readFileSync(join(REPO_ROOT, 'firmware/firmware.s'), 'utf8');
    const strings = new Map([...src.matchAll(/^(m_\w+):\s+\.asciz "(.*)"$/gm)].map((m) => [m[1], m[2]]));
    for (const e of errors) {
      const s = strings.get(`m_${e.name.toLowerCase()}`);
      expect(s, `m_${e.name.toLowerCase()}`).toBeDefined();
      expect(e.text, e.name).toContain(s!.trim());
    }
  });

  it('docs/boot.md lists each code with its name and line, and the kernel\'s', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/boot.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| (\d+) \| `?(\w+)`? \| (.*?) \|$/gm)].map((m) => [Number(m[1]), { name: m[2], text: m[3] }]));
    for (const e of errors) expect(rows.get(e.code), `E_${e.name}`).toEqual({ name: e.name, text: `\`firmware: ${e.text}\`` });
    expect(rows.get(BOOT_FAILED_EXIT)?.name).toBe('BOOT_FAILED');
  });
});
