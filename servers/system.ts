// The system's boot list, built from the servers' sources (host side, run
// by the tests and `tessera boot`): which servers boot, in what order, with
// which flags and priorities; the programs pm can exec without a file
// system; and the two data segments appended to ELFs after translation:
//
//   pm  + the bundle: every program and service image, by name, so pm can
//         exec `sh` before any disk is read and rs can always restart a
//         service (servers/pm/exec.ts reads it)
//   rs  + the privilege table: each service's privileges from
//         kernel/privileges.ts, the one place they are declared, so rs gives
//         a restarted service exactly what the boot gave it (servers/rs)
//
// Builds are cached on disk (node_modules/.cache/tessera/servers), keyed by
// a hash of the program's sources, servers/lib and the toolchain, so a test
// file or a boot pays for asc only when something changed.
//
// The first three boot modules are pm, ds and rs, in that order: their
// endpoints are fixed (servers/lib/proto.ts PM_EP, DS_EP, RS_EP); every
// other server is found by name through ds.
//
// Entry points: SERVERS, PROGRAMS, PROTO, buildProgram, buildSystem,
// appendSegment, makeBundle, makePrivilegeTable, BUNDLE_BASE,
// SystemOptions, ServerSpec, ProgramSpec, ExtraService.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFile, ASC_FLAGS } from '../toolchain/build.ts';
import { parseElf, PT_LOAD, PF } from '../toolchain/elf.ts';
import { privilegesFor, SERVER_PRIVILEGES, type ServerPrivileges } from '../kernel/privileges.ts';
import { KCALL, PRIV } from '../kernel/abi.ts';
import type { BootImage } from '../kernel/kernel.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
export const DEFAULT_BUILD_CACHE = join(ROOT, 'node_modules/.cache/tessera/servers');

/** Numbers the host shares with servers/lib/proto.ts (a test checks they agree). */
export const PROTO = {
  PM_EP: 0x100, DS_EP: 0x101, RS_EP: 0x102,
  BUNDLE_MAGIC: 0x444e4254, PRIVTAB_MAGIC: 0x56525054,
} as const;

/** Where the bundle (in pm) and the privilege table (in rs) are mapped: above any server's code, below its wasm memory. */
export const BUNDLE_BASE = 0x0040_0000;
const BUNDLE_LIMIT = 0x0100_0000;

export interface ServerSpec {
  name: string;
  /** Repo-relative AssemblyScript entry file. */
  source: string;
  pm?: boolean;
  system?: boolean;
  priority: number;
}

export interface ProgramSpec {
  name: string;
  /** AssemblyScript entry file: repo-relative, or absolute (test programs). */
  source: string;
}

/**
 * Every server, in boot order. The storage servers (vfs, mfs, blk) join a
 * boot list only when asked for (SystemOptions.servers): a system of pm, ds,
 * rs, tty and init has a console and runs programs without any disk.
 * User processes inherit init's priority through fork.
 */
export const SERVERS: readonly ServerSpec[] = [
  { name: 'pm', source: 'servers/pm/main.ts', pm: true, system: true, priority: 1 },
  { name: 'ds', source: 'servers/ds/main.ts', system: true, priority: 1 },
  { name: 'rs', source: 'servers/rs/main.ts', system: true, priority: 1 },
  { name: 'vfs', source: 'servers/vfs/main.ts', system: true, priority: 3 },
  { name: 'blk', source: 'servers/blk/main.ts', system: true, priority: 2 },
  { name: 'mfs', source: 'servers/mfs/main.ts', system: true, priority: 3 },
  { name: 'tty', source: 'servers/tty/main.ts', system: true, priority: 2 },
  { name: 'init', source: 'servers/init/main.ts', priority: 7 },
];

/** The servers a boot list has unless told otherwise. */
export const CORE_SERVERS = ['pm', 'ds', 'rs', 'tty', 'init'] as const;

/** /bin programs (servers/bin/NAME.ts), in pm's bundle. */
export const PROGRAMS: readonly ProgramSpec[] = [
  'sh', 'echo', 'true', 'false', 'kill', 'ps', 'sleep', 'uptime', 'shutdown', 'service',
  'cat', 'ls', 'mkdir', 'rmdir', 'rm', 'cp', 'mv', 'ln', 'touch', 'sync', 'wc', 'head', 'tail', 'sort', 'uniq', 'grep', 'trace',
].map((name) => ({ name, source: `servers/bin/${name}.ts` }));

/** A service outside SERVERS (tests): booted after the servers, before init, with its own privileges. */
export interface ExtraService extends ServerSpec {
  privileges: ServerPrivileges;
}

export interface SystemOptions {
  /** Server names, in any order (boot order is SERVERS'); default CORE_SERVERS. */
  servers?: readonly string[];
  /** More services, watched by rs like the others (their privileges join rs's table). */
  services?: readonly ExtraService[];
  /** Extra programs for the bundle (tests). */
  programs?: readonly ProgramSpec[];
  /** Where built ELFs are kept between runs. */
  cacheDir?: string;
}

// --- building, cached ---------------------------------------------------------

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  }).sort();
}

let toolchainHash: string | undefined;

/** What every build depends on: the toolchain, asc's flags and version, servers/lib. */
function baseHash(): string {
  if (toolchainHash === undefined) {
    const h = createHash('sha256');
    h.update(JSON.stringify(ASC_FLAGS));
    h.update(readFileSync(join(ROOT, 'node_modules/assemblyscript/package.json')));
    for (const f of [join(ROOT, 'toolchain/build.ts'), join(ROOT, 'toolchain/elf.ts'), ...tsFiles(join(ROOT, 'toolchain/wasm'))]) {
      h.update(f.slice(ROOT.length)).update(readFileSync(f));
    }
    toolchainHash = h.digest('hex');
  }
  const h = createHash('sha256').update(toolchainHash);
  for (const f of tsFiles(join(ROOT, 'servers/lib'))) h.update(f.slice(ROOT.length)).update(readFileSync(f));
  return h.digest('hex');
}

/** The files a program's build reads besides servers/lib: its own file and what it imports, transitively. */
function sourcesOf(path: string): string[] {
  const lib = join(ROOT, 'servers/lib') + '/';
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || file.startsWith(lib) || !existsSync(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
      visit(resolve(dirname(file), m[1].endsWith('.ts') ? m[1] : `${m[1]}.ts`));
    }
  };
  visit(path);
  return [...seen].sort();
}

let queue: Promise<unknown> = Promise.resolve();
const inFlight = new Map<string, Promise<Uint8Array>>();

/** Build an AssemblyScript program (repo-relative or absolute path) to an ELF, from the cache when nothing changed. */
export function buildProgram(source: string, cacheDir = DEFAULT_BUILD_CACHE): Promise<Uint8Array> {
  const path = resolve(ROOT, source);
  const h = createHash('sha256').update(baseHash()).update(path);
  for (const f of sourcesOf(path)) h.update(f).update(readFileSync(f));
  const key = h.digest('hex').slice(0, 32);
  const file = join(cacheDir, `${key}.elf`);
  if (existsSync(file)) return Promise.resolve(new Uint8Array(readFileSync(file)));
  let p = inFlight.get(key);
  if (p === undefined) {
    // asc runs in this process: one build at a time.
    p = queue.then(async () => {
      const { elf } = await buildFile(path);
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, elf);
      renameSync(tmp, file);
      return elf;
    });
    queue = p.catch(() => undefined);
    inFlight.set(key, p);
    p.finally(() => inFlight.delete(key)).catch(() => undefined);
  }
  return p;
}

// --- ELF segments --------------------------------------------------------------

/**
 * `elf` with one more PT_LOAD segment: `data` read-only at `vaddr`. The data
 * and a new program header table go at the end of the file; the old table
 * stays where it was, unused.
 */
export function appendSegment(elf: Uint8Array, vaddr: number, data: Uint8Array): Uint8Array {
  const file = parseElf(elf);
  for (const s of file.segments) {
    if (s.type === PT_LOAD && s.memsz > 0 && s.vaddr < vaddr + data.length && vaddr < s.vaddr + s.memsz) {
      throw new Error(`appendSegment: 0x${vaddr.toString(16)} overlaps a segment at 0x${s.vaddr.toString(16)}`);
    }
  }
  const dv0 = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const phoff = dv0.getUint32(0x1c, true), phentsize = dv0.getUint16(0x2a, true), phnum = dv0.getUint16(0x2c, true);
  const dataOff = Math.ceil(elf.length / 4096) * 4096 + (vaddr % 4096);
  const newPhoff = Math.ceil((dataOff + data.length) / 4) * 4;
  const out = new Uint8Array(newPhoff + (phnum + 1) * phentsize);
  out.set(elf);
  out.set(data, dataOff);
  out.set(elf.subarray(phoff, phoff + phnum * phentsize), newPhoff);
  const dv = new DataView(out.buffer);
  const ph = newPhoff + phnum * phentsize;
  dv.setUint32(ph, PT_LOAD, true);
  dv.setUint32(ph + 4, dataOff, true);
  dv.setUint32(ph + 8, vaddr, true);
  dv.setUint32(ph + 12, vaddr, true);
  dv.setUint32(ph + 16, data.length, true);
  dv.setUint32(ph + 20, data.length, true);
  dv.setUint32(ph + 24, PF.R, true);
  dv.setUint32(ph + 28, 4096, true);
  dv.setUint32(0x1c, newPhoff, true);
  dv.setUint16(0x2c, phnum + 1, true);
  return out;
}

const ascii = (s: string, n: number): Uint8Array => {
  if (!/^[\x21-\x7e]*$/.test(s) || s.length >= n) throw new Error(`name '${s}' is not printable ASCII shorter than ${n}`);
  const b = new Uint8Array(n);
  b.set(Buffer.from(s, 'latin1'));
  return b;
};

/** The bundle servers/pm/exec.ts reads: magic, count, 32-byte entries (name[24], offset, size), images. */
export function makeBundle(entries: readonly { name: string; elf: Uint8Array }[]): Uint8Array {
  const head = 8 + entries.length * 32;
  let size = head;
  const offsets = entries.map((e) => { const o = Math.ceil(size / 4) * 4; size = o + e.elf.length; return o; });
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, PROTO.BUNDLE_MAGIC, true);
  dv.setUint32(4, entries.length, true);
  entries.forEach((e, i) => {
    out.set(ascii(e.name, 24), 8 + i * 32);
    dv.setUint32(8 + i * 32 + 24, offsets[i], true);
    dv.setUint32(8 + i * 32 + 28, e.elf.length, true);
    out.set(e.elf, offsets[i]);
  });
  return out;
}

/**
 * The privilege table servers/rs reads, from kernel/privileges.ts: magic,
 * count, then per service: name[16], kernel-call bits, flags (PRIV), IRQ
 * bits, MMIO base and size, the number of targets and their names[16].
 */
export function makePrivilegeTable(extra: readonly ExtraService[] = []): Uint8Array {
  const table: [string, ServerPrivileges][] = [...Object.entries(SERVER_PRIVILEGES), ...extra.map((e): [string, ServerPrivileges] => [e.name, e.privileges])];
  const parts: Uint8Array[] = [];
  for (const [name, p] of table) {
    const targets = p.targets === 'any' ? [] : p.targets;
    const e = new Uint8Array(16 + 6 * 4 + targets.length * 16);
    const dv = new DataView(e.buffer);
    e.set(ascii(name, 16));
    dv.setUint32(16, p.kcalls.reduce((m, k) => m | (1 << (KCALL[k.toUpperCase() as keyof typeof KCALL] - KCALL.FORK)), 0), true);
    dv.setUint32(20, (p.targets === 'any' ? PRIV.ANY_TARGET : 0) | PRIV.SYSTEM_SERVICE, true);
    dv.setUint32(24, p.irqs.reduce((m, l) => m | (1 << l), 0), true);
    if (p.mmio.length > 1) throw new Error(`${name}: the kernel's PRIVCTL takes one MMIO range`);
    dv.setUint32(28, p.mmio[0]?.base ?? 0, true);
    dv.setUint32(32, p.mmio[0]?.size ?? 0, true);
    dv.setUint32(36, targets.length, true);
    targets.forEach((t, i) => e.set(ascii(t, 16), 40 + i * 16));
    parts.push(e);
  }
  const out = new Uint8Array(8 + parts.reduce((n, p) => n + p.length, 0));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, PROTO.PRIVTAB_MAGIC, true);
  dv.setUint32(4, parts.length, true);
  let at = 8;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// --- the boot list -------------------------------------------------------------------

/** The boot list: each chosen server built, pm with the bundle, rs with the privilege table, privileges from kernel/privileges.ts. */
export async function buildSystem(opts: SystemOptions = {}): Promise<BootImage[]> {
  const want = opts.servers ?? CORE_SERVERS;
  for (const n of want) if (!SERVERS.some((s) => s.name === n)) throw new Error(`no server named '${n}'`);
  const extra = opts.services ?? [];
  const chosen = SERVERS.filter((s) => want.includes(s.name));
  // Extra services boot before init (the last), so init's slot stays after every service's.
  const specs: ServerSpec[] = [...chosen.filter((s) => s.name !== 'init'), ...extra, ...chosen.filter((s) => s.name === 'init')];
  if (specs.slice(0, 3).map((s) => s.name).join() !== 'pm,ds,rs') throw new Error('a boot list starts with pm, ds and rs');
  const cache = opts.cacheDir;
  const servers = await Promise.all(specs.map(async (s) => ({ spec: s, elf: await buildProgram(s.source, cache) })));
  const programs = [...PROGRAMS, ...(opts.programs ?? [])];
  const progElfs = await Promise.all(programs.map(async (p) => ({ name: p.name, elf: await buildProgram(p.source, cache) })));
  const bundle = makeBundle([...servers.filter((s) => !s.spec.pm).map((s) => ({ name: s.spec.name, elf: s.elf })), ...progElfs]);
  if (BUNDLE_BASE + bundle.length > BUNDLE_LIMIT) throw new Error(`the bundle (${bundle.length} bytes) does not fit below the wasm memory`);
  const names = specs.map((s) => s.name);
  return servers.map(({ spec, elf }) => {
    let image = elf;
    if (spec.pm) image = appendSegment(elf, BUNDLE_BASE, bundle);
    if (spec.name === 'rs') image = appendSegment(elf, BUNDLE_BASE, makePrivilegeTable(extra));
    const own = extra.find((e) => e.name === spec.name);
    const priv = own === undefined ? privilegesFor(spec.name, names) : {
      kcalls: [...own.privileges.kcalls], irqs: [...own.privileges.irqs], mmio: [...own.privileges.mmio],
      targets: own.privileges.targets === 'any' ? 'any' as const : own.privileges.targets.filter((t) => names.includes(t)),
    };
    return { name: spec.name, elf: image, priority: spec.priority, pm: spec.pm ?? false, system: spec.system ?? false, ...priv };
  });
}
