// The servers' shared numbers and formats, checked on the host:
// servers/lib/proto.ts (read as text, as the AssemblyScript compiler sees
// it) against the kernel's ABI, the storage protocols and servers/system.ts;
// message types that never collide; records that fit a message; the
// kernel-call numbers of servers/lib/server.ts; the bundle and the
// privilege table appended to pm's and rs's ELFs; and the boot list's rules.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENDPOINT, KCALL, KERR, SIG, NOTIFY_MESSAGE, SIGNAL_MESSAGE, PROCINFO_SIZE, PRIV, makeEndpoint, MESSAGE, NR_PROCS } from '../../kernel/abi.ts';
import { SERVER_PRIVILEGES, USER_PRIVILEGES } from '../../kernel/privileges.ts';
import { STATE } from '../../kernel/proc.ts';
import { parseElf, PT_LOAD, PF } from '../../toolchain/elf.ts';
import { assemble } from '../../toolchain/asm/index.ts';
import { PROTO, SERVERS, CORE_SERVERS, BUNDLE_BASE, appendSegment, makeBundle, makePrivilegeTable, buildSystem } from '../../servers/system.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `export const NAME: i32 = VALUE;` lines of an AssemblyScript file. */
function constants(file: string): Map<string, number> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^export const (\w+): [iu]32 = (-?(?:0x[0-9a-fA-F]+|\d+)|0o[0-7]+);/gm)) out.set(m[1], Number(m[2]));
  return out;
}

const proto = constants('servers/lib/proto.ts');
const fsProto = constants('servers/lib/fs_proto.ts');
const server = constants('servers/lib/server.ts');
const get = (m: Map<string, number>, k: string): number => {
  const v = m.get(k);
  if (v === undefined) throw new Error(`no constant ${k}`);
  return v;
};

describe('servers/lib/proto.ts', () => {
  it('the fixed endpoints are the first three boot modules\' (slots 0, 1, 2, generation 1)', () => {
    expect(SERVERS.slice(0, 3).map((s) => s.name)).toEqual(['pm', 'ds', 'rs']);
    expect(CORE_SERVERS.slice(0, 3)).toEqual(['pm', 'ds', 'rs']);
    for (const [i, name] of ['PM_EP', 'DS_EP', 'RS_EP'].entries()) {
      expect(get(proto, name)).toBe(makeEndpoint(i, 1));
      expect(get(proto, name)).toBe(PROTO[name as keyof typeof PROTO]);
    }
  });

  it('kernel endpoints, notification and signal message types are the kernel\'s', () => {
    expect(get(proto, 'SYSTEM')).toBe(ENDPOINT.SYSTEM);
    expect(get(proto, 'CLOCK')).toBe(ENDPOINT.CLOCK);
    expect(get(proto, 'HARDWARE')).toBe(ENDPOINT.HARDWARE);
    expect(get(proto, 'KERNEL')).toBe(ENDPOINT.KERNEL);
    expect(get(proto, 'NOTIFY_MESSAGE')).toBe(NOTIFY_MESSAGE);
    expect(get(proto, 'SIGNAL_MESSAGE')).toBe(SIGNAL_MESSAGE);
  });

  it('error numbers agree with the kernel\'s and the storage protocol\'s', () => {
    for (const [name, v] of Object.entries(KERR)) if (proto.has(name)) expect([name, get(proto, name)]).toEqual([name, v]);
    let shared = 0;
    for (const [name, v] of proto) {
      if (/^E[A-Z0-9]+$/.test(name) && fsProto.has(name)) { expect([name, v]).toEqual([name, fsProto.get(name)]); shared++; }
    }
    expect(shared).toBeGreaterThan(10);
  });

  it('signal numbers agree with the kernel\'s (the ones it reports)', () => {
    for (const [name, v] of Object.entries(SIG)) expect([name, get(proto, name)]).toEqual([name, v]);
  });

  it('each server\'s calls lie in its own range; no range meets another protocol\'s or the kernel\'s', () => {
    const ranges: [string, number, number][] = [
      ['pm', get(proto, 'PM_BASE'), get(proto, 'PM_NCALLS')],
      ['rs', get(proto, 'RS_BASE'), get(proto, 'RS_NCALLS')],
      ['ds', get(proto, 'DS_BASE'), get(proto, 'DS_NCALLS')],
      ['kernel', KCALL.FORK, 16],
      ['notify', NOTIFY_MESSAGE, 2],
    ];
    for (const [prefix, base, n] of ranges.slice(0, 3)) {
      const calls = [...proto].filter(([k]) => k.startsWith(prefix.toUpperCase() + '_') && !/_(BASE|NCALLS|EP|NOREPLY)$/.test(k) && !/^(RSINFO|RSS)_/.test(k));
      expect(calls.length).toBe(n);
      expect(new Set(calls.map(([, v]) => v)).size).toBe(n);
      for (const [k, v] of calls) expect([k, v >= base && v < base + n]).toEqual([k, true]);
    }
    // The storage protocols' message types (fs_proto.ts) are outside all of these.
    const storage = [...fsProto].filter(([k]) => /^(VFS|REQ|BDEV|CDEV|FS)_/.test(k) && !/(MAX|MAX_IO|SUSPEND|SECTOR|MINORS)$/.test(k)).map(([, v]) => v);
    expect(storage.length).toBeGreaterThan(40);
    for (const t of storage) for (const [name, base, n] of ranges) expect([name, t, t >= base && t < base + n]).toEqual([name, t, false]);
  });

  it('records fit: names in the payload, the process and service lists, wait status', () => {
    expect(get(proto, 'NAME_OFF') + get(proto, 'NAME_MAX')).toBeLessThanOrEqual(MESSAGE.payloadSize);
    expect(get(proto, 'PROCINFO_NAME')).toBe(24);
    expect(get(proto, 'PROCINFO_SIZE') - get(proto, 'PROCINFO_NAME')).toBeGreaterThanOrEqual(16);
    expect(get(proto, 'RSINFO_SIZE') - get(proto, 'RSINFO_NAME')).toBe(16);
    expect(get(proto, 'ARG_MAX')).toBeGreaterThanOrEqual(1024);
    // TIOC* are Linux's numbers.
    expect(get(proto, 'TIOCGPGRP')).toBe(0x540f);
    expect(get(proto, 'TIOCSPGRP')).toBe(0x5410);
  });
});

describe('servers/lib/server.ts kernel calls', () => {
  it('K_* are the kernel\'s call numbers; KINFO is GETINFO\'s entry', () => {
    for (const [name, v] of Object.entries(KCALL)) expect([name, get(server, `K_${name}`)]).toEqual([name, v]);
    expect(get(server, 'KINFO_SIZE')).toBe(PROCINFO_SIZE);
    expect(get(server, 'PRIV_ANY_TARGET')).toBe(PRIV.ANY_TARGET);
    expect(get(server, 'PRIV_SYSTEM')).toBe(PRIV.SYSTEM_SERVICE);
    expect(get(server, 'PRIV_SET_PRIORITY')).toBe(PRIV.SET_PRIORITY);
    expect(get(server, 'NR_KPROCS')).toBe(NR_PROCS);
    for (const n of ['RUNNABLE', 'SENDING', 'RECEIVING', 'STOPPED'] as const) expect([n, get(server, `KSTATE_${n}`)]).toEqual([n, STATE[n]]);
  });
});

describe('the bundle and the privilege table', () => {
  it('the bundle: magic, count, 32-byte entries naming each image by offset and size', () => {
    const a = Uint8Array.of(1, 2, 3), b = new Uint8Array(1000).fill(7);
    const bundle = makeBundle([{ name: 'sh', elf: a }, { name: 'echo', elf: b }]);
    const dv = new DataView(bundle.buffer);
    expect(dv.getUint32(0, true)).toBe(PROTO.BUNDLE_MAGIC);
    expect(Buffer.from(bundle.subarray(0, 4)).toString('latin1')).toBe('TBND');
    expect(dv.getUint32(4, true)).toBe(2);
    const entry = (i: number): [string, number, number] => [
      Buffer.from(bundle.subarray(8 + 32 * i, 8 + 32 * i + 24)).toString('latin1').replace(/\0+$/, ''),
      dv.getUint32(8 + 32 * i + 24, true), dv.getUint32(8 + 32 * i + 28, true)];
    const [n0, o0, s0] = entry(0), [n1, o1, s1] = entry(1);
    expect([n0, s0, n1, s1]).toEqual(['sh', 3, 'echo', 1000]);
    expect(bundle.subarray(o0, o0 + s0)).toEqual(a);
    expect(bundle.subarray(o1, o1 + s1)).toEqual(b);
    expect(o1 % 4).toBe(0);
    expect(() => makeBundle([{ name: 'x'.repeat(24), elf: a }])).toThrow(/shorter than 24/);
    expect(() => makeBundle([{ name: 'a b', elf: a }])).toThrow(/printable/);
  });

  it('the privilege table says what kernel/privileges.ts says, for every server', () => {
    const t = makePrivilegeTable();
    const dv = new DataView(t.buffer);
    expect(Buffer.from(t.subarray(0, 4)).toString('latin1')).toBe('TPRV');
    const count = dv.getUint32(4, true);
    expect(count).toBe(Object.keys(SERVER_PRIVILEGES).length);
    let at = 8;
    for (let i = 0; i < count; i++) {
      const str = (o: number): string => Buffer.from(t.subarray(o, o + 16)).toString('latin1').replace(/\0+$/, '');
      const name = str(at) as keyof typeof SERVER_PRIVILEGES;
      const p = SERVER_PRIVILEGES[name];
      expect(p).toBeDefined();
      const kcalls = Object.entries(KCALL).filter(([, v]) => (dv.getUint32(at + 16, true) >>> (v - KCALL.FORK)) & 1).map(([k]) => k.toLowerCase());
      expect([name, kcalls.sort()]).toEqual([name, [...p.kcalls].sort()]);
      const flags = dv.getUint32(at + 20, true);
      expect([name, (flags & PRIV.ANY_TARGET) !== 0]).toEqual([name, p.targets === 'any']);
      expect(flags & PRIV.SYSTEM_SERVICE).toBe(PRIV.SYSTEM_SERVICE);
      const irqs = [...Array(32).keys()].filter((l) => (dv.getUint32(at + 24, true) >>> l) & 1);
      expect([name, irqs]).toEqual([name, [...p.irqs]]);
      expect([name, dv.getUint32(at + 28, true), dv.getUint32(at + 32, true)]).toEqual([name, p.mmio[0]?.base ?? 0, p.mmio[0]?.size ?? 0]);
      const n = dv.getUint32(at + 36, true);
      const targets = [...Array(n).keys()].map((j) => str(at + 40 + 16 * j));
      expect([name, targets]).toEqual([name, p.targets === 'any' ? [] : [...p.targets]]);
      at += 40 + 16 * n;
    }
    expect(at).toBe(t.length);
  });

  it('every service may answer rs\'s pings; a user process may make grants and reach pm, vfs, ds', () => {
    for (const [name, p] of Object.entries(SERVER_PRIVILEGES)) {
      if (name === 'init') continue;
      expect([name, p.targets === 'any' || p.targets.includes('rs')]).toEqual([name, true]);
    }
    expect(USER_PRIVILEGES.kcalls).toEqual(['setgrant']);
    expect(USER_PRIVILEGES.targets).toEqual(expect.arrayContaining(['pm', 'vfs', 'ds']));
    expect(SERVER_PRIVILEGES.init).toEqual(USER_PRIVILEGES);
  });
});

describe('appendSegment', () => {
  const elf = assemble('    .globl _start\n_start: j _start\n    .data\nd: .word 1\n', { filename: 'a.s', base: 0x10000 }).elf;

  it('adds a read-only PT_LOAD with the data at its address; the old segments are kept', () => {
    const data = new Uint8Array(5000).map((_, i) => i & 0xff);
    const out = appendSegment(elf, BUNDLE_BASE, data);
    const before = parseElf(elf).segments.filter((s) => s.type === PT_LOAD);
    const after = parseElf(out).segments.filter((s) => s.type === PT_LOAD);
    expect(after.length).toBe(before.length + 1);
    expect(after.slice(0, -1).map((s) => [s.vaddr, s.memsz, s.flags])).toEqual(before.map((s) => [s.vaddr, s.memsz, s.flags]));
    const seg = after[after.length - 1];
    expect([seg.vaddr, seg.filesz, seg.memsz, seg.flags]).toEqual([BUNDLE_BASE, 5000, 5000, PF.R]);
    expect(seg.offset % 4096).toBe(BUNDLE_BASE % 4096);
    expect(seg.data).toEqual(data);
    expect(parseElf(out).entry).toBe(parseElf(elf).entry);
  });

  it('refuses a segment that overlaps one the ELF has', () => {
    expect(() => appendSegment(elf, 0x10000, new Uint8Array(16))).toThrow(/overlaps/);
  });
});

describe('the boot list', () => {
  it('names no unknown server and starts with pm, ds, rs', async () => {
    await expect(buildSystem({ servers: ['pm', 'ds', 'rs', 'nosuch'] })).rejects.toThrow(/no server named 'nosuch'/);
    await expect(buildSystem({ servers: ['ds', 'rs', 'tty', 'init'] })).rejects.toThrow(/starts with pm, ds and rs/);
  });
});
