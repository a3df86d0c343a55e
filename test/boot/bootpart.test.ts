// The boot partition format (toolchain/image/bootpart.ts, docs/boot.md):
// CRC-32 against zlib's, the writer's layout field by field, the reader's
// round trip, and one BootPartError naming the problem for each malformed
// field (never a RangeError).

import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BootPartError, MAX_MODULES, MODULE_FLAGS, bootPartitionSize, crc32, readBootPartition, writeBootPartition, type BootModule,
} from '../../toolchain/image/bootpart.ts';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);
const MODS: BootModule[] = [
  { name: 'pm', elf: bytes(1000, 1), flags: MODULE_FLAGS.PM | MODULE_FLAGS.SERVICE, priority: 3 },
  { name: 'init', elf: bytes(512, 2), flags: 0, priority: 7 },
  { name: 'a-long-name-of-31-characters-xy', elf: bytes(1, 3), flags: MODULE_FLAGS.SERVICE, priority: 15 },
];

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const put32 = (b: Uint8Array, at: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
/** The table's CRC recomputed, so only the edit under test is wrong. */
const fixCrc = (b: Uint8Array): Uint8Array => { put32(b, 20, crc32(b.subarray(32, 32 + 64 * u32(b, 12)))); return b; };

describe('crc32', () => {
  it('is zlib\'s CRC-32 (the check value, and random inputs)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => crc32(b) === zlibCrc32(b)));
  });
});

describe('writeBootPartition', () => {
  const part = writeBootPartition(MODS);

  it('lays out the header as docs/boot.md says', () => {
    expect(new TextDecoder().decode(part.subarray(0, 8))).toBe('TSRABOOT');
    expect([u32(part, 8), u32(part, 12), u32(part, 16)]).toEqual([1, 3, 512]);
    expect(u32(part, 20)).toBe(zlibCrc32(part.subarray(32, 32 + 64 * 3)));
    expect(part.subarray(24, 32).every((b) => b === 0)).toBe(true);
    expect(part.length).toBe(bootPartitionSize(MODS));
    expect(part.length).toBe(512 + 1024 + 512 + 512);
  });

  it('writes each entry and its ELF on a sector boundary, in table order', () => {
    let offset = 512;
    MODS.forEach((m, i) => {
      const e = 32 + 64 * i;
      const name = part.subarray(e, e + 32);
      expect(new TextDecoder().decode(name.subarray(0, m.name.length))).toBe(m.name);
      expect(name.subarray(m.name.length).every((b) => b === 0)).toBe(true);
      expect([u32(part, e + 32), u32(part, e + 36), u32(part, e + 40), u32(part, e + 44), u32(part, e + 48)])
        .toEqual([offset, m.elf.length, zlibCrc32(m.elf), m.flags, m.priority]);
      expect(part.subarray(e + 52, e + 64).every((b) => b === 0)).toBe(true);
      expect(Buffer.from(part.subarray(offset, offset + m.elf.length)).equals(Buffer.from(m.elf))).toBe(true);
      offset += Math.ceil(m.elf.length / 512) * 512;
    });
  });

  it('a header of 32 modules takes five sectors', () => {
    const many = Array.from({ length: MAX_MODULES }, (_, i) => ({ name: `m${i}`, elf: bytes(10, i), flags: 0, priority: 7 }));
    expect(u32(writeBootPartition(many), 16)).toBe(5 * 512);
  });

  it.each([
    ['no modules', [], /1 to 32 modules, not 0/],
    ['33 modules', Array.from({ length: 33 }, (_, i) => ({ name: `m${i}`, elf: bytes(1, 0), flags: 0, priority: 0 })), /not 33/],
    ['an empty name', [{ ...MODS[0], name: '' }], /printable ASCII/],
    ['a space in a name', [{ ...MODS[0], name: 'p m' }], /printable ASCII/],
    ['a name of 32 characters', [{ ...MODS[0], name: 'x'.repeat(32) }], /longer than 31/],
    ['a name twice', [MODS[0], { ...MODS[1], name: 'pm' }], /used twice/],
    ['an empty ELF', [{ ...MODS[0], elf: new Uint8Array(0) }], /ELF is empty/],
    ['unknown flags', [{ ...MODS[0], flags: 4 }], /bad flags 4/],
    ['priority 16', [{ ...MODS[0], priority: 16 }], /bad priority 16/],
  ] as [string, BootModule[], RegExp][])('refuses %s', (_what, mods, message) => {
    expect(() => writeBootPartition(mods)).toThrow(BootPartError);
    expect(() => writeBootPartition(mods)).toThrow(message);
  });
});

describe('readBootPartition', () => {
  it('reads back what was written', () => {
    const bp = readBootPartition(writeBootPartition(MODS));
    expect(bp.headerSize).toBe(512);
    expect(bp.modules.map((m) => [m.name, m.size, m.flags, m.priority, m.crc === m.actualCrc])).toEqual(
      MODS.map((m) => [m.name, m.elf.length, m.flags, m.priority, true]));
  });

  const edits: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['too short for a header', (b) => b.subarray(0, 20), /too small for a header/],
    ['a bad magic', (b) => { b[0] = 0x58; return b; }, /bad magic/],
    ['version 2', (b) => { put32(b, 8, 2); return b; }, /version 2, only 1/],
    ['0 modules', (b) => { put32(b, 12, 0); return b; }, /0 modules/],
    ['a header size not a multiple of 512', (b) => { put32(b, 16, 700); return b; }, /bad header size 700/],
    ['a header past the partition', (b) => { put32(b, 16, 1 << 20); return b; }, /runs past the partition/],
    ['a table CRC mismatch', (b) => { b[40] ^= 1; return b; }, /module table CRC mismatch/],
    ['an unprintable name (shown escaped)', (b) => { b[32 + 64] = 1; return fixCrc(b); }, /^boot partition: module 2 '\\x01nit': bad name/],
    ['an offset not on a sector', (b) => { put32(b, 32 + 32, 513); return fixCrc(b); }, /offset 513 is not a multiple of 512/],
    ['an offset inside the header', (b) => { put32(b, 32 + 32, 0); return fixCrc(b); }, /lies inside the header/],
    ['a size of 0', (b) => { put32(b, 32 + 64 + 36, 0); return fixCrc(b); }, /size 0/],
    ['a module past the end', (b) => { put32(b, 32 + 36, 1 << 20); return fixCrc(b); }, /outside the partition/],
    ['unknown flags', (b) => { put32(b, 32 + 44, 8); return fixCrc(b); }, /unknown flag bits/],
    ['priority 99', (b) => { put32(b, 32 + 48, 99); return fixCrc(b); }, /priority 99/],
    ['a name twice', (b) => { b.set(b.subarray(32, 64), 96); return fixCrc(b); }, /'pm' used twice/],
    ['two modules overlapping', (b) => { put32(b, 96 + 32, u32(b, 32 + 32)); return fixCrc(b); }, /overlap/],
    ['a module\'s bytes changed', (b) => { b[512 + 5] ^= 1; return b; }, /module 'pm' CRC mismatch/],
  ];

  it.each(edits)('names the problem: %s', (_what, edit, message) => {
    const bad = edit(writeBootPartition(MODS));
    expect(() => readBootPartition(bad)).toThrow(BootPartError);
    expect(() => readBootPartition(bad)).toThrow(message);
  });

  it('with checkCrc false, a changed module is reported, not refused', () => {
    const b = writeBootPartition(MODS);
    b[512 + 5] ^= 1;
    const pm = readBootPartition(b, { checkCrc: false }).modules[0];
    expect(pm.crc).not.toBe(pm.actualCrc);
    expect(pm.actualCrc).toBe(zlibCrc32(b.subarray(512, 1512)));
  });

  it('never throws anything but BootPartError on random damage', () => {
    const good = writeBootPartition(MODS);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), fc.boolean(), (hits, fix) => {
      const b = good.slice();
      for (const [at, v] of hits) b[at] = v;
      if (fix && u32(b, 12) >= 1 && u32(b, 12) <= MAX_MODULES) fixCrc(b);
      try {
        readBootPartition(b);
      } catch (e) {
        if (!(e instanceof BootPartError)) throw e;
      }
    }), { numRuns: 500 });
  });
});
