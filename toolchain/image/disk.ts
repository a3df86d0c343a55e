// A disk image on the host, for the tools and the system tests: find the
// MINIX v3 file system in it, open it as a MinixFs (minixfs.ts) to read,
// list, write and remove files, and write the image back.
//
// Where the file system is (docs/minixfs.md): with an MBR (0x55 0xaa at
// bytes 510-511), in the first partition of type 0x81 (partition 2 of a
// Tessera image); without one, at byte 0, when a MINIX v3 superblock is at
// byte 1024 (a bare file system, as `mkfs.minix -3 file` makes). A caller
// that knows better gives the byte offset and size itself.
//
//   const img = DiskImage.open('disk.img');
//   img.fs.readFile('/etc/motd'); img.fs.writeFile('/tmp/x', bytes); img.save();
//
// Entry points: DiskImage (open, fromBytes, fs, save), findFs, openFs,
// readPartitions, fsWhere, writeImageFile, ImageError, and the FsLocation
// shape.

import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { MbrError, PART_TYPE, SECTOR, readMbr, type MbrPartition } from './mbr.ts';
import { BLOCK_SIZE, MINIX3_MAGIC, MinixError, MinixFs } from './minixfs.ts';

export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

/** Where a file system lies in a disk image. */
export interface FsLocation {
  /** Byte offset and length in the image. */
  offset: number;
  size: number;
  /** The MBR entry it came from; undefined for a bare file system or a caller's offset. */
  partition?: MbrPartition;
  /** The image's partitions (none without an MBR). */
  partitions: MbrPartition[];
}

const hasMbrSignature = (disk: Uint8Array): boolean => disk.length >= SECTOR && disk[510] === 0x55 && disk[511] === 0xaa;
const hasMinixMagic = (disk: Uint8Array): boolean =>
  disk.length >= 2 * BLOCK_SIZE && (disk[BLOCK_SIZE + 24] | (disk[BLOCK_SIZE + 25] << 8)) === MINIX3_MAGIC;

/** The MBR's partitions, or undefined when `disk` has no MBR signature; a malformed table is an ImageError. */
export function readPartitions(disk: Uint8Array): MbrPartition[] | undefined {
  if (!hasMbrSignature(disk)) return undefined;
  try {
    return readMbr(disk, Math.floor(disk.length / SECTOR));
  } catch (e) {
    if (e instanceof MbrError) throw new ImageError(`partition table: ${e.message}`);
    throw e;
  }
}

/** Where the MINIX file system of `disk` is (see the header); an ImageError when there is none. */
export function findFs(disk: Uint8Array): FsLocation {
  const partitions = readPartitions(disk);
  if (!partitions) {
    if (hasMinixMagic(disk)) return { offset: 0, size: disk.length, partitions: [] };
    throw new ImageError(`${disk.length} bytes: neither an MBR (no 0x55 0xaa at bytes 510-511) nor a MINIX v3 file system (no magic 0x4d5a at byte ${BLOCK_SIZE + 24})`);
  }
  const p = partitions.find((x) => x.type === PART_TYPE.MINIX);
  if (!p) throw new ImageError(`partition table: no MINIX partition (type 0x${PART_TYPE.MINIX.toString(16)})`);
  return { offset: p.start * SECTOR, size: p.sectors * SECTOR, partition: p, partitions };
}

/** What to call a file system's place in messages. */
export const fsWhere = (loc: FsLocation): string =>
  loc.partition ? `file system (partition ${loc.partition.index})` : `file system (at byte ${loc.offset})`;

/**
 * The MinixFs of `disk`, a view into it (changes go to `disk`): found by
 * findFs, or at `at` (byte offset and size) when given.
 */
export function openFs(disk: Uint8Array, at?: { offset: number; size: number; partition?: MbrPartition }, opts: { time?: number } = {}): { fs: MinixFs; location: FsLocation } {
  const location: FsLocation = at ? { partitions: [], ...at } : findFs(disk);
  if (!Number.isSafeInteger(location.offset) || location.offset < 0 || location.size < 0 || location.offset + location.size > disk.length) {
    throw new ImageError(`${fsWhere(location)}: bytes ${location.offset}..${location.offset + location.size - 1} lie outside the image (${disk.length} bytes)`);
  }
  try {
    return { fs: MinixFs.open(disk.subarray(location.offset, location.offset + location.size), opts), location };
  } catch (e) {
    if (e instanceof MinixError) throw new ImageError(`${fsWhere(location)}: ${e.message}`);
    throw e;
  }
}

const CHUNK = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/** Write `bytes` to `path` as a sparse file: runs of zeros are holes. */
export function writeImageFile(path: string, bytes: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new ImageError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    ftruncateSync(fd, bytes.length);
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < buf.length; at += CHUNK) {
      const chunk = buf.subarray(at, at + CHUNK);
      if (!chunk.equals(ZEROS.subarray(0, chunk.length))) writeSync(fd, chunk, 0, chunk.length, at);
    }
  } catch (e) {
    throw new ImageError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** A disk image held in memory: its bytes, its file system, and where it came from. */
export class DiskImage {
  private constructor(readonly bytes: Uint8Array, readonly fs: MinixFs, readonly location: FsLocation, readonly path?: string) {}

  /** Read an image file whole and open its file system (findFs, or `at`). */
  static open(path: string, opts: { at?: { offset: number; size: number }; time?: number } = {}): DiskImage {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new ImageError(`cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { fs, location } = openFs(bytes, opts.at, opts);
    return new DiskImage(bytes, fs, location, path);
  }

  /** Open the file system of an image already in memory (changes go to `bytes`). */
  static fromBytes(bytes: Uint8Array, opts: { at?: { offset: number; size: number }; time?: number } = {}): DiskImage {
    const { fs, location } = openFs(bytes, opts.at, opts);
    return new DiskImage(bytes, fs, location);
  }

  /** Write the image (with the file system's changes) to `path`, by default where it was read from. */
  save(path = this.path): void {
    if (path === undefined) throw new ImageError('save: this image was not read from a file; give a path');
    writeImageFile(path, this.bytes);
  }
}
