// Building the boot path's pieces with our own tools, and keeping them in a
// cache folder so a boot does not rebuild what has not changed:
//
//   firmware.elf   firmware/firmware.s, assembled and linked at 0x8000_0000
//   default.img    the disk `tessera boot` boots when given none (64 MiB):
//                  the real system's boot modules (servers/system.ts: pm,
//                  ds, rs, vfs, blk, mfs, tty, init) and a MINIX v3 root
//                  with every program in /bin, /dev (console, null, zero),
//                  /etc, /home and /tmp (toolchain/image/mkimage.ts);
//                  buildSystemImage makes it, and `tessera mkimage` too
//                  (at any size, with --root, --add, --module or --bare)
//
// The cache folder is node_modules/.cache/tessera in the repository (the
// kernel keeps its compiled wasm there, servers/system.ts the servers'
// ELFs). Each piece has a stamp file beside it holding a hash of its inputs
// (the sources and the tools that build it: FIRMWARE_INPUTS,
// SYSTEM_IMAGE_INPUTS); a piece whose stamp differs is rebuilt, so editing
// a server, the firmware or the toolchain takes effect at the next boot.
// The default image is a disk like any other: the guest's writes to it stay
// until its inputs change. Pieces are written beside and renamed into place,
// so a boot running at the same time never sees half of one. The first
// build translates every server and program (about a minute); later ones
// take what did not change from the servers' cache.
//
// The demo set (firmware/demo: pm, init and a tty with echo, help and
// shutdown, in assembly) stays: the firmware's tests boot it, and
// BuildPlace.modules 'demo' makes a default image of it (the cache tests).
//
// The firmware's exit codes are written down once, as the E_* equates of
// firmware.s with their console text in a comment; firmwareErrors() reads
// them from there (tests and docs/boot.md check against it).
//
// Entry points: firmwareElf, defaultImage, buildSystemImage, buildDefaultImage,
// defaultModules, defaultPrograms, defaultRoot, demoModules, demoModule, firmwareErrors,
// firmwareExit, inputsHash, REPO_ROOT, DEFAULT_CACHE_DIR,
// DEFAULT_IMAGE_SIZE, DEFAULT_DEVICES, BuildPlace, BundleContents,
// SystemImageOptions.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULE_FLAGS, type BootModule } from '../toolchain/image/bootpart.ts';
import type { MinixFs } from '../toolchain/image/minixfs.ts';
import type { BaseContents } from '../toolchain/image/mkimage.ts';

type MinixLib = typeof import('../toolchain/image/minixfs.ts');

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'tessera');
export const DEFAULT_IMAGE_SIZE = 64 * 1024 * 1024;

/** Where to build from and where to keep what is built (tests point both at scratch folders). */
export interface BuildPlace {
  /** The tree holding firmware/ (firmware.s, demo/): default, this repository. The servers are always this repository's. */
  root?: string;
  /** The cache folder: default DEFAULT_CACHE_DIR. */
  cacheDir?: string;
  /**
   * The default image's modules: 'system' (default), the real servers of
   * this repository (servers/system.ts builds them from here, whatever
   * `root` says); 'demo', the demo set of `root`'s firmware/demo (the cache
   * tests edit those).
   */
  modules?: 'system' | 'demo';
}

/** What firmware.elf is made from (paths relative to the root; folders taken whole). */
export const FIRMWARE_INPUTS = ['firmware/firmware.s', 'firmware/bootpart.s', 'firmware/lib.s', 'toolchain/asm', 'toolchain/elf.ts', 'vm/isa'] as const;
/** What the demo image is made from (BuildPlace.modules 'demo'): the modules' sources, and the tools that build them. */
export const IMAGE_INPUTS = ['firmware/demo', 'firmware/build.ts', 'toolchain', 'vm/isa', 'kernel/abi.ts'] as const;
/**
 * What the default image is made from: the servers and programs, the
 * translator and asc (the servers' build), the image library, the
 * privilege table rs carries, the layout of the image (this file).
 */
export const SYSTEM_IMAGE_INPUTS = [
  'servers', 'toolchain', 'firmware/build.ts', 'kernel/privileges.ts', 'kernel/abi.ts', 'vm/isa',
  'node_modules/assemblyscript/package.json',
] as const;

const FIRMWARE_BASE = 0x80000000;

/** Every file under `path` (or `path` itself), repo-relative, sorted. */
function listFiles(root: string, path: string): string[] {
  let st;
  try {
    st = statSync(join(root, path));
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(join(root, path)).sort().flatMap((name) => listFiles(root, `${path}/${name}`));
}

/** A hash of the inputs' names and bytes (a missing input counts as one). */
export function inputsHash(root: string, inputs: readonly string[]): string {
  const h = createHash('sha256');
  for (const input of inputs) {
    const files = listFiles(root, input);
    if (files.length === 0) h.update(`missing ${input}\0`);
    for (const f of files) {
      h.update(`${f}\0`);
      h.update(readFileSync(join(root, f)));
      h.update('\0');
    }
  }
  return h.digest('hex');
}

function readStamp(file: string): string | undefined {
  try {
    return readFileSync(`${file}.stamp`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** `file` in the cache, rebuilt by `build` unless its stamp says `stamp` and it exists. Returns whether it was built. */
async function cached(file: string, stamp: string, build: () => Promise<Uint8Array>,
  onBuild?: (why: 'first use' | 'changed') => void): Promise<boolean> {
  const old = readStamp(file);
  if (old === stamp) {
    try {
      if (statSync(file).isFile()) return false;
    } catch {
      // gone: build it again
    }
  }
  mkdirSync(dirname(file), { recursive: true }); // a folder that cannot be made fails before a long build
  onBuild?.(old === undefined ? 'first use' : 'changed');
  const bytes = await build();
  writeAtomically(file, bytes);
  writeAtomically(`${file}.stamp`, stamp + '\n');
  return true;
}

/** Assemble `path` (relative to `root`, as are its .include files) linked at `base`. */
async function assembleFile(root: string, path: string, base: number): Promise<Uint8Array> {
  const { assemble } = await import('../toolchain/asm/index.ts');
  return assemble(readFileSync(join(root, path), 'utf8'), {
    filename: path,
    base,
    readFile: (p) => readFileSync(resolve(root, p), 'utf8'),
  }).elf;
}

/**
 * The firmware ELF, from the cache (rebuilt when FIRMWARE_INPUTS change);
 * assembled in memory when the cache folder cannot be written.
 */
export async function firmwareElf(o: BuildPlace = {}): Promise<Uint8Array> {
  const root = o.root ?? REPO_ROOT;
  const file = join(o.cacheDir ?? DEFAULT_CACHE_DIR, 'firmware.elf');
  const build = (): Promise<Uint8Array> => assembleFile(root, 'firmware/firmware.s', FIRMWARE_BASE);
  try {
    await cached(file, inputsHash(root, FIRMWARE_INPUTS), build);
    return readFileSync(file);
  } catch (e) {
    if (!['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    return build();
  }
}

/** A demo module: firmware/demo/NAME.s at the user text base. */
export async function demoModule(name: string, root = REPO_ROOT): Promise<Uint8Array> {
  const { LAYOUT } = await import('../kernel/abi.ts');
  return assembleFile(root, `firmware/demo/${name}.s`, LAYOUT.textBase);
}

/**
 * The demo boot set, in boot order: pm first (the others find it at
 * endpoint 0x100), init before tty so its banner comes before the first
 * prompt. Tiny and assembled in milliseconds: the firmware's tests boot it.
 */
export async function demoModules(root = REPO_ROOT): Promise<BootModule[]> {
  const { PM, SERVICE } = MODULE_FLAGS;
  return [
    { name: 'pm', elf: await demoModule('pm', root), flags: PM | SERVICE, priority: 3 },
    { name: 'init', elf: await demoModule('init', root), flags: 0, priority: 4 },
    { name: 'tty', elf: await demoModule('tty', root), flags: SERVICE, priority: 5 },
  ];
}

/**
 * What pm's bundle holds (servers/system.ts): `all`, every server and
 * program, as buildSystem makes it, so the system runs from an image whose
 * /bin is empty; `services`, the servers (rs restarts them from it) and
 * BUNDLED_PROGRAMS, for an image whose /bin has the programs: pm's image 0.7 MB instead of 1.6, which the firmware loads and
 * checks in about half the time.
 */
export type BundleContents = 'all' | 'services';

/**
 * The programs a `services` bundle holds besides the servers: the shell
 * (init can always start one), and what it takes to recover when the disk
 * cannot be read (blk taken down: the shell runs the bundle's copy when
 * /bin/NAME gives an I/O error): service (`service up blk`) and shutdown.
 */
export const BUNDLED_PROGRAMS = ['sh', 'service', 'shutdown'] as const;

/**
 * The real system's boot modules (servers/system.ts: every server, in boot
 * order, with the flags and priorities of SERVERS; the kernel gives each
 * its privileges from kernel/privileges.ts by name). Built from this
 * repository's servers/ (cached in node_modules/.cache/tessera/servers).
 */
export async function defaultModules(o: { bundle?: BundleContents } = {}): Promise<BootModule[]> {
  const sys = await import('../servers/system.ts');
  const images = await sys.buildSystem({ servers: sys.SERVERS.map((s) => s.name) });
  let pmElf: Uint8Array | undefined;
  if (o.bundle === 'services') {
    const pm = sys.SERVERS.find((s) => s.pm)!;
    const rescue = BUNDLED_PROGRAMS.map((name) => sys.PROGRAMS.find((p) => p.name === name)!);
    const entries = [...sys.SERVERS.filter((s) => !s.pm), ...rescue];
    const bundle = sys.makeBundle(await Promise.all(entries.map(async (e) => ({ name: e.name, elf: await sys.buildProgram(e.source) }))));
    pmElf = sys.appendSegment(await sys.buildProgram(pm.source), sys.BUNDLE_BASE, bundle);
  }
  const { PM, SERVICE } = MODULE_FLAGS;
  return images.map((i) => {
    if (i.priority === undefined) throw new Error(`servers/system.ts gives ${i.name} no priority`);
    return { name: i.name, elf: i.pm && pmElf !== undefined ? pmElf : i.elf, flags: (i.pm ? PM : 0) | (i.system ? SERVICE : 0), priority: i.priority };
  });
}

/** The /bin programs (servers/system.ts PROGRAMS), built: name and ELF. */
export async function defaultPrograms(): Promise<{ name: string; elf: Uint8Array }[]> {
  const sys = await import('../servers/system.ts');
  return Promise.all(sys.PROGRAMS.map(async (p) => ({ name: p.name, elf: await sys.buildProgram(p.source) })));
}

/** The device nodes of the default root: [path, major, minor] (servers/lib/fs_proto.ts MAJOR_*, MINOR_*). */
export const DEFAULT_DEVICES: readonly (readonly [string, number, number])[] = [
  ['/dev/console', 4, 0], ['/dev/null', 1, 2], ['/dev/zero', 1, 3],
];

/**
 * A character device node at `path` (MINIX keeps major << 8 | minor in
 * zone 0, as mfs reads it), made through the library's inode access: it has
 * no mknod of its own.
 */
function mknod(lib: MinixLib, fs: MinixFs, path: string, major: number, minor: number, perm: number): void {
  const ino = fs.writeFile(path, new Uint8Array(0), { mode: perm });
  const n = fs.inode(ino);
  n.mode = lib.S_IFCHR | perm;
  n.zones[0] = (major << 8) | minor;
  lib.writeInode(fs.dev, fs.sb, ino, n);
}

/**
 * The default image's own contents, after mkimage's /bin, /etc, /home and
 * /tmp (toolchain/image/mkimage.ts ImageOptions.base): every program in
 * /bin (mode 755), and /dev with the console, null and zero.
 */
export async function defaultRoot(programs: readonly { name: string; elf: Uint8Array }[]): Promise<BaseContents> {
  const lib = await import('../toolchain/image/minixfs.ts');
  return {
    what: `the default root (${programs.length} programs in /bin, /dev; --bare leaves them out)`,
    fill(fs) {
      for (const p of programs) fs.writeFile(`/bin/${p.name}`, p.elf, { mode: 0o755 });
      fs.mkdirp('/dev');
      for (const [path, major, minor] of DEFAULT_DEVICES) mknod(lib, fs, path, major, minor, path === '/dev/console' ? 0o600 : 0o666);
    },
  };
}

/** The demo image (BuildPlace.modules 'demo'): the demo modules, an empty root. */
async function buildDemoImage(root: string): Promise<Uint8Array> {
  const { buildImage } = await import('../toolchain/image/mkimage.ts');
  return buildImage({ size: DEFAULT_IMAGE_SIZE, modules: await demoModules(root) });
}

/** What `tessera mkimage` and the default image are made of (buildSystemImage). */
export interface SystemImageOptions {
  /** Bytes, a multiple of 512. */
  size: number;
  /**
   * The boot modules: default, the real system's (defaultModules), pm's
   * bundle holding the services, or every program when `bare`.
   */
  modules?: BootModule[];
  /** An empty root (/bin, /etc, /home, /tmp), without the programs and /dev. */
  bare?: boolean;
  /** A host directory copied into the root, on top of the programs. */
  root?: string;
  /** Host files or trees copied to guest paths, after `root`. */
  add?: { host: string; guest: string }[];
  /** Called as host bytes are copied (mkimage's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A new system image: the boot modules; a MINIX v3 root with the programs
 * in /bin and /dev (defaultRoot) unless `bare`; then `root` and `add`. What
 * `tessera mkimage` writes and what defaultImage caches. A root too small
 * for the programs is an ImageError that says how large an image they need.
 */
export async function buildSystemImage(o: SystemImageOptions): Promise<Uint8Array> {
  const { buildImage } = await import('../toolchain/image/mkimage.ts');
  const modules = o.modules ?? await defaultModules({ bundle: o.bare ? 'all' : 'services' });
  const base = o.bare ? undefined : await defaultRoot(await defaultPrograms());
  return buildImage({ size: o.size, modules, base, root: o.root, add: o.add, onProgress: o.onProgress });
}

/**
 * The bytes of a new default image (what defaultImage caches): the real
 * system's modules (pm's bundle of services), the programs in /bin, /dev.
 */
export function buildDefaultImage(): Promise<Uint8Array> {
  return buildSystemImage({ size: DEFAULT_IMAGE_SIZE });
}

export interface ImageHooks {
  /** Called before a build, with why: 'first use' (nothing there yet) or 'changed' (its inputs changed). */
  onBuild?: (why: 'first use' | 'changed') => void;
}

/**
 * The default image's path, built or rebuilt on the way when its inputs
 * changed (`built` says which): the real system (SYSTEM_IMAGE_INPUTS,
 * always from this repository), or with `modules: 'demo'` the demo set
 * (IMAGE_INPUTS under `root`).
 */
export async function defaultImage(o: BuildPlace = {}, hooks: ImageHooks = {}): Promise<{ path: string; built: boolean }> {
  const demo = o.modules === 'demo';
  const root = o.root ?? REPO_ROOT;
  const path = join(o.cacheDir ?? DEFAULT_CACHE_DIR, 'default.img');
  const stamp = demo ? `demo ${inputsHash(root, IMAGE_INPUTS)}` : `system ${inputsHash(REPO_ROOT, SYSTEM_IMAGE_INPUTS)}`;
  const built = await cached(path, stamp, demo ? () => buildDemoImage(root) : buildDefaultImage, hooks.onBuild);
  return { path, built };
}

export interface FirmwareError {
  /** The equate's name without E_ (NO_DISK, MODULE_CRC, ...). */
  name: string;
  /** The exit code (the firmware powers off with sifive_test 0x3333 | code << 16). */
  code: number;
  /** The console line after "firmware: ", as the comment gives it (N stands for a number, X for a module's name). */
  text: string;
}

/** The firmware's failures, in code order, from the `.equ E_NAME, code  # text` lines of firmware.s. */
export function firmwareErrors(root = REPO_ROOT): FirmwareError[] {
  return [...readFileSync(join(root, 'firmware/firmware.s'), 'utf8').matchAll(/^\.equ E_(\w+), (\d+)\s+# (.*)$/gm)]
    .map((m) => ({ name: m[1], code: Number(m[2]), text: m[3].trim() }))
    .sort((a, b) => a.code - b.code);
}

/** The exit code of firmware failure `name` (NO_MBR, ...). Throws for a name firmware.s does not define. */
export function firmwareExit(name: string): number {
  const e = firmwareErrors().find((x) => x.name === name);
  if (!e) throw new Error(`firmware.s defines no E_${name}`);
  return e.code;
}
