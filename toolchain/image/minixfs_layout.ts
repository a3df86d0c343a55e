// The on-disk layout of a MINIX v3 file system as util-linux's mkfs.minix -3
// writes it (docs/minixfs.md): 1 KiB blocks, zone = block, the superblock at
// byte 1024, then the inode bitmap, the zone bitmap, the inode table (64-byte
// inodes, 16 a block, inode 1 first) and the data zones. Little-endian.
//
//   block 0                     boot block (zero)
//   block 1                     superblock
//   2 .. 2+imap-1               inode bitmap: bit i = inode i (bit 0 always set)
//   .. +zmap                    zone bitmap: bit i = zone firstdatazone-1+i (bit 0 always set)
//   .. +ceil(ninodes/16)        inode table
//   firstdatazone .. zones-1    data zones
//
// Entry points: mkfsGeometry, readSuperblock, writeSuperblock, readInode,
// writeInode, inodeOffset, inodeBlocks, zonesForBlocks, fileType,
// MinixError, the constants (BLOCK_SIZE, S_IF*, ...) and the Superblock /
// Inode shapes.

export class MinixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MinixError';
  }
}

export const BLOCK_SIZE = 1024;
export const BITS_PER_BLOCK = BLOCK_SIZE * 8;
export const INODE_SIZE = 64;
export const INODES_PER_BLOCK = BLOCK_SIZE / INODE_SIZE;
export const DIRENT_SIZE = 64;
/** Name bytes in a directory entry (no NUL needed when all 60 are used). */
export const NAME_MAX = 60;
export const MINIX3_MAGIC = 0x4d5a;
export const ROOT_INO = 1;
/** Direct zones in an inode; then one indirect, one double, one triple. */
export const NR_DZONES = 7;
export const NR_ZONES = 10;
/** Zone numbers (u32) in an indirect block. */
export const ZONES_PER_BLOCK = BLOCK_SIZE / 4;
/** s_max_size as mkfs.minix -3 sets it (i_size is 32 bits). */
export const MAX_FILE_SIZE = 0x7fffffff;
/** s_firstdatazone is a u16. */
const MAX_FIRST_ZONE = 0xffff;

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

export type FileType = 'file' | 'dir' | 'symlink' | 'chardev' | 'blockdev' | 'fifo' | 'socket' | 'unknown';

const TYPES: [number, FileType][] = [
  [S_IFREG, 'file'], [S_IFDIR, 'dir'], [S_IFLNK, 'symlink'], [S_IFCHR, 'chardev'],
  [S_IFBLK, 'blockdev'], [S_IFIFO, 'fifo'], [S_IFSOCK, 'socket'],
];

export function fileType(mode: number): FileType {
  const t = mode & S_IFMT;
  return TYPES.find(([bits]) => bits === t)?.[1] ?? 'unknown';
}

export interface Superblock {
  ninodes: number;
  imapBlocks: number;
  zmapBlocks: number;
  firstDataZone: number;
  logZoneSize: number;
  maxSize: number;
  /** s_zones: blocks in the file system, block 0 included. */
  zones: number;
  magic: number;
  blockSize: number;
  diskVersion: number;
}

export interface Inode {
  mode: number;
  nlinks: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  /** i_zone[0..9]: 7 direct, indirect, double indirect, triple indirect. */
  zones: number[];
}

/** Zones (data and indirect) a file of `nblocks` blocks takes. */
export function zonesForBlocks(nblocks: number): number {
  let total = nblocks, rest = nblocks - NR_DZONES;
  if (rest <= 0) return total;
  total += 1; // indirect
  rest -= ZONES_PER_BLOCK;
  if (rest <= 0) return total;
  const dbl = Math.min(rest, ZONES_PER_BLOCK ** 2);
  total += 1 + Math.ceil(dbl / ZONES_PER_BLOCK);
  rest -= dbl;
  if (rest <= 0) return total;
  return total + 1 + Math.ceil(rest / ZONES_PER_BLOCK ** 2) + Math.ceil(rest / ZONES_PER_BLOCK);
}

export const inodeBlocks = (ninodes: number): number => Math.ceil(ninodes / INODES_PER_BLOCK);

/**
 * The superblock mkfs.minix -3 (util-linux 2.38) writes for `blocks` 1 KiB
 * blocks: one inode per 3 blocks (per 8 above 512 Ki blocks, per 16 above
 * 2 Gi), rounded up to fill the last inode block, unless `inodes` is given.
 */
export function mkfsGeometry(blocks: number, inodes?: number): Superblock {
  if (!Number.isInteger(blocks) || blocks < 10) throw new MinixError(`a MINIX file system needs at least 10 blocks of ${BLOCK_SIZE} bytes, not ${blocks}`);
  const clip = 4 + (0xffff - 4) * BITS_PER_BLOCK;
  if (blocks > clip) blocks = clip;
  let n = inodes ?? (blocks > 2048 * 1024 ? Math.floor(blocks / 16) : blocks > 512 * 1024 ? Math.floor(blocks / 8) : Math.floor(blocks / 3));
  if (!Number.isInteger(n) || n < 1) throw new MinixError(`bad inode count ${n}`);
  n = Math.ceil(n / INODES_PER_BLOCK) * INODES_PER_BLOCK;
  const imapBlocks = Math.ceil((n + 1) / BITS_PER_BLOCK);
  const zmapBlocks = Math.ceil((blocks - (1 + imapBlocks + inodeBlocks(n))) / (BITS_PER_BLOCK + 1));
  const firstDataZone = 2 + imapBlocks + zmapBlocks + inodeBlocks(n);
  if (firstDataZone > MAX_FIRST_ZONE) throw new MinixError(`first data zone at ${firstDataZone}, past ${MAX_FIRST_ZONE}: ask for fewer inodes`);
  if (firstDataZone >= blocks) throw new MinixError(`${blocks} blocks leave no room for data after ${firstDataZone} blocks of tables`);
  return {
    ninodes: n, imapBlocks, zmapBlocks, firstDataZone, logZoneSize: 0, maxSize: MAX_FILE_SIZE,
    zones: blocks, magic: MINIX3_MAGIC, blockSize: BLOCK_SIZE, diskVersion: 0,
  };
}

const view = (dev: Uint8Array): DataView => new DataView(dev.buffer, dev.byteOffset, dev.byteLength);

/** Write the superblock into block 1 of `dev`. */
export function writeSuperblock(dev: Uint8Array, sb: Superblock): void {
  const o = BLOCK_SIZE;
  dev.fill(0, o, o + BLOCK_SIZE);
  const dv = view(dev);
  dv.setUint32(o + 0, sb.ninodes, true);
  dv.setUint16(o + 6, sb.imapBlocks, true);
  dv.setUint16(o + 8, sb.zmapBlocks, true);
  dv.setUint16(o + 10, sb.firstDataZone, true);
  dv.setUint16(o + 12, sb.logZoneSize, true);
  dv.setUint32(o + 16, sb.maxSize, true);
  dv.setUint32(o + 20, sb.zones, true);
  dv.setUint16(o + 24, sb.magic, true);
  dv.setUint16(o + 28, sb.blockSize, true);
  dv.setUint8(o + 30, sb.diskVersion);
}

const OTHER_MAGICS: Record<number, string> = { 0x137f: 'MINIX v1', 0x138f: 'MINIX v1', 0x2468: 'MINIX v2', 0x2478: 'MINIX v2' };

/** Read and check the superblock of the file system in `dev` (its whole extent). */
export function readSuperblock(dev: Uint8Array): Superblock {
  if (dev.length < 2 * BLOCK_SIZE) throw new MinixError(`${dev.length} bytes: too small for a MINIX file system`);
  const dv = view(dev);
  const o = BLOCK_SIZE;
  const sb: Superblock = {
    ninodes: dv.getUint32(o, true), imapBlocks: dv.getUint16(o + 6, true), zmapBlocks: dv.getUint16(o + 8, true),
    firstDataZone: dv.getUint16(o + 10, true), logZoneSize: dv.getUint16(o + 12, true), maxSize: dv.getUint32(o + 16, true),
    zones: dv.getUint32(o + 20, true), magic: dv.getUint16(o + 24, true), blockSize: dv.getUint16(o + 28, true),
    diskVersion: dv.getUint8(o + 30),
  };
  if (sb.magic !== MINIX3_MAGIC) {
    const old = OTHER_MAGICS[dv.getUint16(o + 16, true)];
    throw new MinixError(old ? `a ${old} file system: only MINIX v3 is supported` : `no MINIX v3 file system (magic 0x${sb.magic.toString(16)}, expected 0x4d5a)`);
  }
  if (sb.blockSize !== BLOCK_SIZE) throw new MinixError(`block size ${sb.blockSize}: only ${BLOCK_SIZE}-byte blocks are supported (as util-linux)`);
  if (sb.logZoneSize !== 0) throw new MinixError(`zones of ${BLOCK_SIZE << sb.logZoneSize} bytes: only zone = block is supported`);
  if (sb.ninodes === 0 || sb.ninodes === 0xffffffff) throw new MinixError(`bad inode count ${sb.ninodes}`);
  if (sb.imapBlocks * BITS_PER_BLOCK < sb.ninodes + 1) throw new MinixError(`${sb.imapBlocks} inode bitmap blocks cannot map ${sb.ninodes} inodes`);
  if (sb.zones > MAX_ZONES_FOR(dev)) throw new MinixError(`the file system claims ${sb.zones} blocks, its partition holds ${MAX_ZONES_FOR(dev)}`);
  if (sb.firstDataZone >= sb.zones) throw new MinixError(`first data zone ${sb.firstDataZone} lies past the last block ${sb.zones - 1}`);
  if (sb.zmapBlocks * BITS_PER_BLOCK < sb.zones - sb.firstDataZone + 1) throw new MinixError(`${sb.zmapBlocks} zone bitmap blocks cannot map ${sb.zones - sb.firstDataZone} zones`);
  const norm = 2 + sb.imapBlocks + sb.zmapBlocks + inodeBlocks(sb.ninodes);
  if (sb.firstDataZone !== norm) throw new MinixError(`first data zone ${sb.firstDataZone}, but the tables end at block ${norm}`);
  return sb;
}

const MAX_ZONES_FOR = (dev: Uint8Array): number => Math.floor(dev.length / BLOCK_SIZE);

/** Byte offset of inode `ino` (1-based) in the device. */
export const inodeOffset = (sb: Superblock, ino: number): number =>
  (2 + sb.imapBlocks + sb.zmapBlocks) * BLOCK_SIZE + (ino - 1) * INODE_SIZE;

export function readInode(dev: Uint8Array, sb: Superblock, ino: number): Inode {
  const dv = view(dev);
  const o = inodeOffset(sb, ino);
  const zones: number[] = [];
  for (let i = 0; i < NR_ZONES; i++) zones.push(dv.getUint32(o + 24 + 4 * i, true));
  return {
    mode: dv.getUint16(o, true), nlinks: dv.getUint16(o + 2, true), uid: dv.getUint16(o + 4, true), gid: dv.getUint16(o + 6, true),
    size: dv.getUint32(o + 8, true), atime: dv.getUint32(o + 12, true), mtime: dv.getUint32(o + 16, true),
    ctime: dv.getUint32(o + 20, true), zones,
  };
}

export function writeInode(dev: Uint8Array, sb: Superblock, ino: number, n: Inode): void {
  const dv = view(dev);
  const o = inodeOffset(sb, ino);
  dv.setUint16(o, n.mode, true);
  dv.setUint16(o + 2, n.nlinks, true);
  dv.setUint16(o + 4, n.uid, true);
  dv.setUint16(o + 6, n.gid, true);
  dv.setUint32(o + 8, n.size, true);
  dv.setUint32(o + 12, n.atime, true);
  dv.setUint32(o + 16, n.mtime, true);
  dv.setUint32(o + 20, n.ctime, true);
  for (let i = 0; i < NR_ZONES; i++) dv.setUint32(o + 24 + 4 * i, n.zones[i] ?? 0, true);
}
