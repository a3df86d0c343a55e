// Building the boot path's pieces with our own tools, and keeping them in a
// cache folder so a boot does not rebuild what has not changed:
//
//   firmware.elf   firmware/firmware.s, assembled and linked at 0x8000_0000
//   default.img    the disk `tessera boot` boots when given none: the
//                  default boot modules and an empty root file system
//                  (toolchain/image/mkimage.ts, 64 MiB)
//
// The cache folder is node_modules/.cache/tessera in the repository (the
// kernel keeps its compiled wasm there too). Each piece has a stamp file
// beside it holding a hash of its inputs (the sources and the tools that
// build it, FIRMWARE_INPUTS and IMAGE_INPUTS); a piece whose stamp differs
// is rebuilt, so editing a server, the firmware or the toolchain takes
// effect at the next boot. The default image is a disk like any other: the
// guest's writes to it stay until its inputs change. Pieces are written
// beside and renamed into place, so a boot running at the same time never
// sees half of one.
//
// Until the real servers exist the default modules are the demo set
// (firmware/demo: pm, init, tty); defaultModules() is the one function to
// change when they do (and IMAGE_INPUTS already names servers/).
//
// The firmware's exit codes are written down once, as the E_* equates of
// firmware.s with their console text in a comment; firmwareErrors() reads
// them from there (tests and docs/boot.md check against it).
//
// Entry points: firmwareElf, defaultImage, defaultModules, demoModule,
// firmwareErrors, firmwareExit, inputsHash, REPO_ROOT, DEFAULT_CACHE_DIR,
// DEFAULT_IMAGE_SIZE, BuildPlace.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULE_FLAGS, type BootModule } from '../toolchain/image/bootpart.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'tessera');
export const DEFAULT_IMAGE_SIZE = 64 * 1024 * 1024;

/** Where to build from and where to keep what is built (tests point both at scratch folders). */
export interface BuildPlace {
  /** The tree holding firmware/ (and servers/): default, this repository. */
  root?: string;
  /** The cache folder: default DEFAULT_CACHE_DIR. */
  cacheDir?: string;
}

/** What firmware.elf is made from (paths relative to the root; folders taken whole). */
export const FIRMWARE_INPUTS = ['firmware/firmware.s', 'toolchain/asm', 'toolchain/elf.ts', 'vm/isa'] as const;
/** What default.img is made from: the modules' sources, and the tools and layout that build them. */
export const IMAGE_INPUTS = [
  'firmware/demo', 'servers', 'firmware/build.ts', 'toolchain', 'vm/isa', 'kernel/abi.ts',
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
async function cached(file: string, stamp: string, build: () => Promise<Uint8Array>): Promise<boolean> {
  if (readStamp(file) === stamp) {
    try {
      if (statSync(file).isFile()) return false;
    } catch {
      // gone: build it again
    }
  }
  const bytes = await build();
  mkdirSync(dirname(file), { recursive: true });
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
 * The default boot modules, in boot order. Now the demo set: pm first (the
 * others find it at endpoint 0x100), init before tty so its banner comes
 * before the first prompt. Swap in the real servers here.
 */
export async function defaultModules(root = REPO_ROOT): Promise<BootModule[]> {
  const { PM, SERVICE } = MODULE_FLAGS;
  return [
    { name: 'pm', elf: await demoModule('pm', root), flags: PM | SERVICE, priority: 3 },
    { name: 'init', elf: await demoModule('init', root), flags: 0, priority: 4 },
    { name: 'tty', elf: await demoModule('tty', root), flags: SERVICE, priority: 5 },
  ];
}

/** The default image's path, built or rebuilt on the way when IMAGE_INPUTS changed; `built` says which. */
export async function defaultImage(o: BuildPlace = {}): Promise<{ path: string; built: boolean }> {
  const root = o.root ?? REPO_ROOT;
  const path = join(o.cacheDir ?? DEFAULT_CACHE_DIR, 'default.img');
  const built = await cached(path, inputsHash(root, IMAGE_INPUTS), async () => {
    const { buildImage } = await import('../toolchain/image/mkimage.ts');
    return buildImage({ size: DEFAULT_IMAGE_SIZE, modules: await defaultModules(root) });
  });
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
