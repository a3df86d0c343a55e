// `tessera mkimage` and `tessera inspect`: build a disk image (an MBR, the
// boot modules, a MINIX v3 root file system) and describe one
// (toolchain/image/mkimage.ts, docs/boot.md, docs/minixfs.md).
//
// mkimage makes what `tessera boot` boots by default (firmware/build.ts
// buildSystemImage): the default boot modules unless --module names others,
// and a root with the programs in /bin and /dev, --root and --add on top;
// --bare leaves the programs and /dev out (the default modules then carry
// every program in pm's bundle). The image file is written sparse. `inspect` reads a Tessera image, an MBR disk with a MINIX
// partition, or a bare MINIX v3 file system (toolchain/image/inspect.ts).
//
// Bad input (a size too small, a missing host file, a bad --add or --module,
// a malformed image) is one line on stderr and exit 2. `inspect` exits 1 when
// the image is well formed but a module's CRC or the file system's
// consistency check fails. On a terminal, mkimage draws a progress bar on
// stderr while it copies host files.
//
// Entry point: registerImageCommands.

import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { parseElf, ElfError } from '../toolchain/elf.ts';
import { MODULE_FLAGS, MAX_PRIORITY, type BootModule } from '../toolchain/image/bootpart.ts';
import { ImageError, writeImageFile } from '../toolchain/image/disk.ts';
import { describeImage } from '../toolchain/image/inspect.ts';
import { sizeOption } from './options.ts';

const BAD_INPUT = 2;
const DEFAULT_SIZE = 64 * 1024 * 1024;
const DEFAULT_PRIORITY = 7;

interface ModuleSpec { name: string; path: string; flags: number; priority: number }
interface MkimageFlags { output: string; size: number; root?: string; add: { host: string; guest: string }[]; module: ModuleSpec[]; bare?: boolean }

const FLAG_NAMES: Record<string, number> = { pm: MODULE_FLAGS.PM, service: MODULE_FLAGS.SERVICE, none: 0 };

/** flags: a number (0-3) or names joined by '+': pm, service, none. */
function parseFlags(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  let flags = 0;
  for (const w of s.split('+')) {
    if (!(w in FLAG_NAMES)) return undefined;
    flags |= FLAG_NAMES[w];
  }
  return flags;
}

/** NAME=ELF[:FLAGS[:PRIORITY]] */
export function moduleOption(v: string, prev: ModuleSpec[] = []): ModuleSpec[] {
  const eq = v.indexOf('=');
  if (eq <= 0 || eq === v.length - 1) throw new InvalidArgumentError(`'${v}': expected NAME=ELF[:FLAGS[:PRIORITY]]`);
  const name = v.slice(0, eq);
  const parts = v.slice(eq + 1).split(':');
  let flags = 0, priority = DEFAULT_PRIORITY;
  // Trailing fields that read as flags and a priority; anything else belongs to the path.
  if (parts.length >= 3 && /^\d+$/.test(parts[parts.length - 1]) && parseFlags(parts[parts.length - 2]) !== undefined) {
    priority = Number(parts.pop());
    flags = parseFlags(parts.pop()!)!;
  } else if (parts.length >= 2 && parseFlags(parts[parts.length - 1]) !== undefined) {
    flags = parseFlags(parts.pop()!)!;
  }
  if (flags > 3) throw new InvalidArgumentError(`'${v}': flags are pm, service, pm+service or 0-3`);
  if (priority > MAX_PRIORITY) throw new InvalidArgumentError(`'${v}': priority ${priority}, expected 0 (highest) to ${MAX_PRIORITY}`);
  return [...prev, { name, path: parts.join(':'), flags, priority }];
}

/** HOST=GUEST, GUEST absolute. */
export function addOption(v: string, prev: { host: string; guest: string }[] = []): { host: string; guest: string }[] {
  const eq = v.lastIndexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`'${v}': expected HOST=GUEST (e.g. build/sh.elf=/bin/sh)`);
  const host = v.slice(0, eq), guest = v.slice(eq + 1);
  if (!guest.startsWith('/')) throw new InvalidArgumentError(`'${v}': the guest path '${guest}' must be absolute`);
  return [...prev, { host, guest }];
}

function readModule(m: ModuleSpec): BootModule {
  let elf: Uint8Array;
  try {
    elf = readFileSync(m.path);
  } catch (e) {
    throw new ImageError(`module '${m.name}': cannot read '${m.path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    parseElf(elf);
  } catch (e) {
    if (e instanceof ElfError) throw new ImageError(`module '${m.name}': '${m.path}' is not an RV32 ELF: ${e.message}`);
    throw e;
  }
  return { name: m.name, elf, flags: m.flags, priority: m.priority };
}

/** A one-line bar on stderr, redrawn at most every 100 ms; nothing when stderr is not a terminal. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): { update: (done: number, total: number) => void; end: () => void } {
  if (!stream.isTTY) return { update: () => {}, end: () => {} };
  let last = 0, drawn = false;
  const WIDTH = 30;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      const fill = Math.round(frac * WIDTH);
      const mb = (n: number): string => (n / 1024 ** 2).toFixed(1);
      stream.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(WIDTH - fill)}] ${String(Math.round(frac * 100)).padStart(3)}%  ${mb(done)}/${mb(total)} MiB\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

async function cmdMkimage(o: MkimageFlags): Promise<number> {
  const modules = o.module.length > 0 ? o.module.map(readModule) : undefined;
  const { buildSystemImage } = await import('../firmware/build.ts');
  const bar = progressBar('mkimage');
  let image: Uint8Array;
  try {
    image = await buildSystemImage({ size: o.size, modules, bare: o.bare, root: o.root, add: o.add, onProgress: bar.update });
  } finally {
    bar.end();
  }
  writeImageFile(o.output, image);
  return 0;
}

function cmdInspect(file: string): number {
  let disk: Uint8Array;
  try {
    disk = readFileSync(file);
  } catch (e) {
    throw new ImageError(`cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { text, ok } = describeImage(disk);
  process.stdout.write(text);
  if (!ok) process.stderr.write(`tessera: ${file}: a module CRC or the file system check failed (see above)\n`);
  return ok ? 0 : 1;
}

/** Run a command; ImageError is one line on stderr and exit 2. */
async function guarded(setExit: (code: number) => void, run: () => number | Promise<number>): Promise<void> {
  try {
    setExit(await run());
  } catch (e) {
    if (!(e instanceof ImageError)) throw e;
    process.stderr.write(`tessera: ${e.message}\n`);
    setExit(BAD_INPUT);
  }
}

export function registerImageCommands(program: Command, setExit: (code: number) => void = (c) => { process.exitCode = c; }): void {
  program.command('mkimage')
    .description('build a disk image: an MBR, the boot modules and a MINIX v3 root file system (/bin with the programs, /dev, /etc, /home, /tmp)')
    .showHelpAfterError(false)
    .requiredOption('-o, --output <disk.img>', 'the image file to write')
    .option('--size <size>', 'image size, e.g. 64M', sizeOption, DEFAULT_SIZE)
    .option('--root <dir>', 'host directory copied into the root file system')
    .option('--add <host=guest>', 'copy a host file or directory to a guest path (repeatable; guest/ keeps the host name)', addOption, [])
    .option('--bare', 'an empty root (/bin, /etc, /home, /tmp): no programs in /bin, no /dev')
    .option('--module <name=elf[:flags[:prio]]>', `a boot module (repeatable; default: the default image's modules); flags pm, service, pm+service or 0-3; priority 0-15 (default ${DEFAULT_PRIORITY})`, moduleOption, [])
    .action((o: MkimageFlags) => guarded(setExit, () => cmdMkimage(o)));
  program.command('inspect')
    .description('list the partitions, the boot modules and the file tree of a disk image (or of a bare MINIX v3 file system)')
    .showHelpAfterError(false)
    .argument('<disk.img>')
    .action((f: string) => guarded(setExit, () => cmdInspect(f)));
}
