// Building a Tessera disk image (docs/boot.md, docs/minixfs.md): a raw disk
// with an MBR; partition 1 (type 0x7f) the boot modules (bootpart.ts),
// partition 2 (type 0x81) a MINIX v3 root file system as mkfs.minix -3 makes
// it, with /bin, /etc, /home and /tmp, filled from a host directory (--root)
// and single files or trees (--add HOST=GUEST; a GUEST ending in '/' takes
// the host name, as cp does). Host files keep their permission bits and
// mtime; owners are root (0:0). Symbolic links inside a tree are copied as
// links; a path named on the command line is followed.
//
// The disk is built in one byte array the size of the image; the file system
// works on a view of it, so a 64 MiB image needs 64 MiB and one host file at
// a time. Describing an image: inspect.ts; opening one: disk.ts.
//
// Entry points: buildImage, imageLayout, ImageError, MAX_IMAGE, and the
// ImageOptions and BaseContents shapes.

import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { MIB_SECTORS, PART_TYPE, SECTOR, alignUp, writeMbr, type MbrPartition } from './mbr.ts';
import { BootPartError, bootPartitionSize, writeBootPartition, type BootModule } from './bootpart.ts';
import { MinixError, MinixFs, type Attrs } from './minixfs.ts';
import { ImageError } from './disk.ts';

export { ImageError };


/** The largest image built in memory. */
export const MAX_IMAGE = 2 * 1024 ** 3;
const MIB = 1024 * 1024;
/** The smallest root file system partition. */
const MIN_FS = MIB;

export interface ImageOptions {
  /** Bytes, a multiple of 512. */
  size: number;
  modules: BootModule[];
  /** A host directory copied into the root. */
  root?: string;
  /** Host files or directories copied to guest paths (after root). */
  add?: { host: string; guest: string }[];
  /** Time stamp of what mkimage makes (seconds; default now). Host files keep their mtime. */
  time?: number;
  /** Called as host bytes are copied: done and total bytes. */
  onProgress?: (done: number, total: number) => void;
  /** Contents put in after the standard tree, before root and add; `what` names them in an error. */
  base?: BaseContents;
}

/** What ImageOptions.base puts in the root, and its name for messages. */
export interface BaseContents {
  what: string;
  fill: (fs: MinixFs) => void;
}

/** Where the partitions go for a disk of `size` bytes with boot contents of `bootBytes`. */
export function imageLayout(size: number, bootBytes: number): { boot: MbrPartition; fs: MbrPartition } {
  if (!Number.isSafeInteger(size) || size <= 0 || size % SECTOR !== 0) throw new ImageError(`image size ${size}: a positive multiple of ${SECTOR} bytes`);
  if (size > MAX_IMAGE) throw new ImageError(`image size ${size}: at most ${MAX_IMAGE / 1024 ** 3}G`);
  const bootSectors = alignUp(Math.ceil(bootBytes / SECTOR), MIB_SECTORS);
  const fsStart = MIB_SECTORS + bootSectors;
  const fsSectors = size / SECTOR - fsStart;
  if (fsSectors * SECTOR < MIN_FS) {
    const need = (fsStart * SECTOR + MIN_FS) / 1024 ** 2;
    throw new ImageError(`image size ${size} too small: the boot modules take ${bootSectors / MIB_SECTORS} MiB from 1 MiB on, and the file system needs 1 MiB more (at least ${need}M)`);
  }
  return {
    boot: { index: 1, type: PART_TYPE.TESSERA_BOOT, active: true, start: MIB_SECTORS, sectors: bootSectors },
    fs: { index: 2, type: PART_TYPE.MINIX, active: false, start: fsStart, sectors: fsSectors },
  };
}

interface CopyStep { kind: 'dir' | 'file' | 'symlink'; host: string; guest: string; st: Stats; what: string }

const ioError = (what: string, verb: string, path: string, e: unknown): ImageError =>
  new ImageError(`${what}: cannot ${verb} '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);

/** lstat, or stat for a path named on the command line (followed as cp follows its arguments). */
function hostStat(path: string, what: string, follow = false): Stats {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (e) {
    throw ioError(what, 'read', path, e);
  }
}

/** The steps that copy host path `host` to guest path `guest`, parents before children. */
function planCopy(host: string, guest: string, what: string, out: CopyStep[], follow = false): void {
  const st = hostStat(host, what, follow);
  if (st.isDirectory()) {
    if (guest !== '/') out.push({ kind: 'dir', host, guest, st, what });
    let names: string[];
    try {
      names = readdirSync(host).sort();
    } catch (e) {
      throw ioError(what, 'list', host, e);
    }
    for (const name of names) planCopy(join(host, name), `${guest === '/' ? '' : guest}/${name}`, what, out);
  } else if (st.isFile()) {
    out.push({ kind: 'file', host, guest, st, what });
  } else if (st.isSymbolicLink()) {
    out.push({ kind: 'symlink', host, guest, st, what });
  } else {
    throw new ImageError(`${what}: '${host}' is not a regular file, directory or symbolic link`);
  }
}

const hostAttrs = (st: Stats): Attrs => ({ mode: st.mode & 0o7777, mtime: Math.max(0, Math.floor(st.mtimeMs / 1000)) });

function copyStep(fs: MinixFs, s: CopyStep, what: string): void {
  const attrs = hostAttrs(s.st);
  const existing = fs.lookup(s.guest);
  if (s.kind === 'dir') {
    if (existing === undefined) fs.mkdirp(s.guest, attrs);
    else if (fs.statIno(existing).type !== 'dir') throw new ImageError(`'${s.guest}' exists in the image and is not a directory`);
    else fs.setAttrs(s.guest, attrs);
    return;
  }
  const parent = s.guest.slice(0, s.guest.lastIndexOf('/')) || '/';
  fs.mkdirp(parent);
  if (existing !== undefined && fs.statIno(existing).type === 'symlink') fs.unlink(s.guest);
  if (s.kind === 'symlink') {
    let target: string;
    try {
      target = readlinkSync(s.host);
    } catch (e) {
      throw ioError(what, 'read', s.host, e);
    }
    fs.symlink(s.guest, target, { mtime: attrs.mtime });
    return;
  }
  let data: Uint8Array;
  try {
    data = readFileSync(s.host);
  } catch (e) {
    throw ioError(what, 'read', s.host, e);
  }
  fs.writeFile(s.guest, data, attrs);
}

function checkGuest(guest: string): void {
  if (!guest.startsWith('/')) throw new ImageError(`--add: the guest path '${guest}' must be absolute`);
}

/** The standard tree: /bin, /etc, /home and /tmp. */
function standardTree(fs: MinixFs): void {
  for (const d of ['/bin', '/etc', '/home']) fs.mkdir(d);
  fs.mkdir('/tmp', { mode: 0o1777 });
}

/** Whether `base` fits in a new file system of `bytes` bytes (after the standard tree). */
function baseFits(base: BaseContents, bytes: number): boolean {
  const fs = MinixFs.mkfs(new Uint8Array(bytes), { time: 0 });
  standardTree(fs);
  try {
    base.fill(fs);
    return true;
  } catch (e) {
    if (e instanceof MinixError) return false;
    throw e;
  }
}

/** The smallest file system, in whole MiB above `bytes` (which is too small), that holds `base`; undefined past MAX_IMAGE. */
function baseNeeds(base: BaseContents, bytes: number): number | undefined {
  let lo = Math.floor(bytes / MIB), hi = Math.max(lo + 1, 2 * lo);
  while (!baseFits(base, hi * MIB)) {
    if (hi * MIB >= MAX_IMAGE) return undefined;
    lo = hi;
    hi = Math.min(2 * hi, MAX_IMAGE / MIB);
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (baseFits(base, mid * MIB)) hi = mid;
    else lo = mid;
  }
  return hi * MIB;
}

/** o.base into the new file system `fs` of the image laid out with the file system at byte `fsStart`. */
function putBase(fs: MinixFs, o: ImageOptions, fsStart: number, fsBytes: number): void {
  const base = o.base!;
  try {
    base.fill(fs);
  } catch (e) {
    if (!(e instanceof MinixError)) throw e;
    const need = baseNeeds(base, fsBytes);
    const at = need === undefined ? `more than ${MAX_IMAGE / 1024 ** 3}G` : `at least ${(fsStart + need) / MIB}M`;
    throw new ImageError(`image size ${o.size} too small for ${base.what}: the image needs ${at} (${e.message})`);
  }
}

/** The standard tree, then o.base, then --root, then each --add. */
function populate(fs: MinixFs, o: ImageOptions, fsStart: number, fsBytes: number): void {
  standardTree(fs);
  if (o.base !== undefined) putBase(fs, o, fsStart, fsBytes);
  const steps: CopyStep[] = [];
  if (o.root !== undefined) {
    if (!hostStat(o.root, '--root', true).isDirectory()) throw new ImageError(`--root: '${o.root}' is not a directory`);
    planCopy(o.root, '/', '--root', steps, true);
  }
  for (const a of o.add ?? []) {
    checkGuest(a.guest);
    const guest = a.guest.endsWith('/') ? a.guest + basename(a.host) : a.guest;
    planCopy(a.host, guest.replace(/\/+$/, '') || '/', `--add ${a.host}=${a.guest}`, steps, true);
  }
  const total = steps.reduce((n, s) => n + (s.kind === 'file' ? s.st.size : 0), 0);
  let done = 0;
  o.onProgress?.(0, total);
  for (const s of steps) {
    try {
      copyStep(fs, s, s.what);
    } catch (e) {
      if (e instanceof MinixError) throw new ImageError(`${s.what}: ${s.host} → ${s.guest}: ${e.message}`);
      throw e;
    }
    if (s.kind === 'file') {
      done += s.st.size;
      o.onProgress?.(done, total);
    }
  }
}

/** A complete disk image. */
export function buildImage(o: ImageOptions): Uint8Array {
  let boot: Uint8Array;
  try {
    boot = writeBootPartition(o.modules);
  } catch (e) {
    if (e instanceof BootPartError) throw new ImageError(e.message);
    throw e;
  }
  const layout = imageLayout(o.size, bootPartitionSize(o.modules));
  const disk = new Uint8Array(o.size);
  disk.set(writeMbr([layout.boot, layout.fs], o.size / SECTOR), 0);
  disk.set(boot, layout.boot.start * SECTOR);
  const fsBytes = disk.subarray(layout.fs.start * SECTOR, (layout.fs.start + layout.fs.sectors) * SECTOR);
  const fs = MinixFs.mkfs(fsBytes, { time: o.time });
  populate(fs, o, layout.fs.start * SECTOR, fsBytes.length);
  const problems = fs.check();
  if (problems.length > 0) throw new Error(`internal: the new file system is inconsistent: ${problems[0]}`);
  return disk;
}
