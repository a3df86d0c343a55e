// What is in a disk image, as `tessera inspect` prints it: the partitions
// (index, type, start, size), the boot modules (name, offset, size, CRC,
// flags, priority, and whether the CRC matches) and the file tree of the
// MINIX file system (mode, owner, size, path), then the file system's
// consistency check.
//
// A Tessera image has both partitions; an MBR with only one of them, or a
// bare MINIX v3 file system without an MBR (as `mkfs.minix -3 file`
// makes), is described as far as it goes. A malformed MBR, boot partition
// header, superblock, an inode number out of range or a directory loop is
// one ImageError naming the problem and where.
//
// Entry points: describeImage, modeString.

import { PART_TYPE, SECTOR, type MbrPartition } from './mbr.ts';
import { BootPartError, readBootPartition } from './bootpart.ts';
import { MinixError, type Stat } from './minixfs.ts';
import { ImageError, findFs, fsWhere, openFs, readPartitions, type FsLocation } from './disk.ts';

const MODE_BITS = 'rwxrwxrwx';
const TYPE_CHAR: Record<string, string> = { file: '-', dir: 'd', symlink: 'l', chardev: 'c', blockdev: 'b', fifo: 'p', socket: 's', unknown: '?' };

/** ls -l style mode: drwxr-xr-x, with s/t for setuid, setgid and sticky. */
export function modeString(st: Pick<Stat, 'type' | 'mode'>): string {
  const chars = [TYPE_CHAR[st.type]];
  for (let i = 0; i < 9; i++) chars.push(st.mode & (0o400 >> i) ? MODE_BITS[i] : '-');
  const special = (bit: number, at: number, ch: string): void => {
    if (st.mode & bit) chars[at] = chars[at] === '-' ? ch.toUpperCase() : ch;
  };
  special(0o4000, 3, 's');
  special(0o2000, 6, 's');
  special(0o1000, 9, 't');
  return chars.join('');
}

const mib = (sectors: number): string => `${(sectors * SECTOR / 1024 ** 2).toFixed(1)} MiB`;
const hex = (n: number, w = 8): string => '0x' + n.toString(16).padStart(w, '0');
const TYPE_NAMES: Record<number, string> = { [PART_TYPE.TESSERA_BOOT]: 'tessera-boot', [PART_TYPE.MINIX]: 'minix' };
const FLAG_NAMES = ['pm', 'service'];

/** The boot modules' lines; false when a module's CRC does not match. */
function describeBoot(disk: Uint8Array, p: MbrPartition, lines: string[]): boolean {
  let bp;
  try {
    bp = readBootPartition(disk.subarray(p.start * SECTOR, (p.start + p.sectors) * SECTOR), { checkCrc: false });
  } catch (e) {
    if (e instanceof BootPartError) throw new ImageError(`partition ${p.index}: ${e.message}`);
    throw e;
  }
  lines.push(`boot modules (partition ${p.index}, header ${bp.headerSize} bytes, version ${bp.version}):`);
  lines.push(`  ${'name'.padEnd(16)} ${'offset'.padStart(6)} ${'size'.padStart(10)}  ${'crc'.padEnd(10)}  ${'flags'.padEnd(11)} ${'prio'.padStart(4)}  check`);
  let ok = true;
  for (const m of bp.modules) {
    const flags = FLAG_NAMES.filter((_, bit) => m.flags & (1 << bit)).join(',') || '-';
    const good = m.crc === m.actualCrc;
    ok &&= good;
    lines.push(`  ${m.name.padEnd(16)} ${String(m.offset).padStart(6)} ${String(m.size).padStart(10)}  ${hex(m.crc)}  ${flags.padEnd(11)} ${String(m.priority).padStart(4)}  ` +
      (good ? 'CRC ok' : `CRC BAD (bytes have ${hex(m.actualCrc)})`));
  }
  return ok;
}

/** The file system's lines; false when its consistency check finds problems. */
function describeFs(disk: Uint8Array, loc: FsLocation, lines: string[]): boolean {
  const { fs } = openFs(disk, loc);
  const where = fsWhere(loc);
  const u = fs.usage();
  lines.push(`${where}: MINIX v3, ${u.blockSize}-byte blocks, ${u.inodes - u.freeInodes}/${u.inodes} inodes, ` +
    `${u.blocks - u.freeBlocks}/${u.blocks} blocks used, first data zone ${fs.sb.firstDataZone}`);
  let problems: string[];
  try {
    lines.push(`  ${'mode'.padEnd(10)} ${'uid'.padStart(5)} ${'gid'.padStart(5)} ${'size'.padStart(10)}  path`);
    for (const { path, stat } of fs.walk()) {
      const target = stat.type === 'symlink' ? ` -> ${fs.readlink(path)}` : '';
      lines.push(`  ${modeString(stat)} ${String(stat.uid).padStart(5)} ${String(stat.gid).padStart(5)} ${String(stat.size).padStart(10)}  ${path}${target}`);
    }
    problems = fs.check();
  } catch (e) {
    if (e instanceof MinixError) throw new ImageError(`${where}: ${e.message}`);
    throw e;
  }
  if (problems.length === 0) lines.push('  consistency check: clean');
  for (const pr of problems) lines.push(`  consistency: ${pr}`);
  return problems.length === 0;
}

function describePartitions(disk: Uint8Array, parts: MbrPartition[], lines: string[]): void {
  lines.push(`disk: ${disk.length} bytes (${Math.floor(disk.length / SECTOR)} sectors), MBR with ${parts.length} partition${parts.length === 1 ? '' : 's'}`);
  lines.push(`  #  ${'type'.padEnd(18)} ${'start'.padStart(10)} ${'sectors'.padStart(10)}  size`);
  for (const p of parts) {
    const name = TYPE_NAMES[p.type] ?? 'other';
    lines.push(`  ${p.index}  ${hex(p.type, 2)} ${name.padEnd(13)} ${String(p.start).padStart(10)} ${String(p.sectors).padStart(10)}  ${mib(p.sectors)}${p.active ? '  active' : ''}`);
  }
}

/**
 * The partitions, the boot modules and the file tree of an image, and
 * whether every module CRC matches and the file system is consistent.
 */
export function describeImage(disk: Uint8Array): { text: string; ok: boolean } {
  const lines: string[] = [];
  const parts = readPartitions(disk);
  if (!parts) {
    const loc = findFs(disk);
    lines.push(`disk: ${disk.length} bytes, no MBR: a bare MINIX v3 file system`);
    const ok = describeFs(disk, loc, lines);
    return { text: lines.join('\n') + '\n', ok };
  }
  describePartitions(disk, parts, lines);
  const boot = parts.find((p) => p.type === PART_TYPE.TESSERA_BOOT);
  const root = parts.find((p) => p.type === PART_TYPE.MINIX);
  if (!boot && !root) {
    throw new ImageError(`partition table: neither a boot partition (type ${hex(PART_TYPE.TESSERA_BOOT, 2)}) nor a MINIX partition (type ${hex(PART_TYPE.MINIX, 2)})`);
  }
  let ok = true;
  if (boot) ok = describeBoot(disk, boot, lines);
  else lines.push(`no boot partition (type ${hex(PART_TYPE.TESSERA_BOOT, 2)})`);
  if (root) ok = describeFs(disk, findFs(disk), lines) && ok;
  else lines.push(`no MINIX file system partition (type ${hex(PART_TYPE.MINIX, 2)})`);
  return { text: lines.join('\n') + '\n', ok };
}
