// The MBR partition table of a Tessera disk image (docs/boot.md): sector 0,
// four 16-byte entries at byte 446, the signature 0x55 0xaa at 510.
//
// Entries are LBA only: both CHS fields hold 0xfe 0xff 0xff ("beyond CHS"),
// as docs/boot.md asks; every reader we care about (Linux, the firmware)
// uses the LBA fields. Partitions start on 1 MiB boundaries (LBA 2048, as
// fdisk places them).
//
// Entry points: writeMbr, readMbr, alignUp, MbrError, SECTOR, MIB_SECTORS,
// PART_TYPE, and the MbrPartition shape.

export class MbrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MbrError';
  }
}

export const SECTOR = 512;
/** Sectors in 1 MiB: the partition alignment. */
export const MIB_SECTORS = 2048;
export const PART_TYPE = { TESSERA_BOOT: 0x7f, MINIX: 0x81 } as const;

const TABLE = 446;
const ENTRY = 16;
const STATUS_ACTIVE = 0x80;
const CHS_NONE = [0xfe, 0xff, 0xff];

export interface MbrPartition {
  /** 1..4: the entry's place in the table. */
  index: number;
  type: number;
  /** The status byte is 0x80. */
  active: boolean;
  /** First sector (LBA). */
  start: number;
  /** Length in sectors. */
  sectors: number;
}

/** `n` rounded up to a multiple of `to`. */
export const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;

function checkPartitions(parts: readonly MbrPartition[], diskSectors: number | undefined): void {
  const seen = new Set<number>();
  for (const p of parts) {
    const where = `partition ${p.index}`;
    if (!Number.isInteger(p.index) || p.index < 1 || p.index > 4) throw new MbrError(`${where}: an MBR has entries 1 to 4`);
    if (seen.has(p.index)) throw new MbrError(`${where} given twice`);
    seen.add(p.index);
    if (!Number.isInteger(p.type) || p.type < 1 || p.type > 0xff) throw new MbrError(`${where}: bad type ${p.type}`);
    if (!Number.isInteger(p.start) || p.start < 1 || p.start > 0xffffffff) throw new MbrError(`${where}: bad start sector ${p.start}`);
    if (!Number.isInteger(p.sectors) || p.sectors < 1 || p.sectors > 0xffffffff) throw new MbrError(`${where}: bad length ${p.sectors}`);
    if (diskSectors !== undefined && p.start + p.sectors > diskSectors) {
      throw new MbrError(`${where} (sectors ${p.start}..${p.start + p.sectors - 1}) runs past the end of the disk (${diskSectors} sectors)`);
    }
  }
  const byStart = [...parts].sort((a, b) => a.start - b.start);
  for (let i = 1; i < byStart.length; i++) {
    const a = byStart[i - 1], b = byStart[i];
    if (a.start + a.sectors > b.start) throw new MbrError(`partitions ${a.index} and ${b.index} overlap`);
  }
}

/** Sector 0 for these partitions (unused entries stay zero). */
export function writeMbr(parts: readonly MbrPartition[], diskSectors?: number): Uint8Array {
  checkPartitions(parts, diskSectors);
  const mbr = new Uint8Array(SECTOR);
  const dv = new DataView(mbr.buffer);
  for (const p of parts) {
    const o = TABLE + (p.index - 1) * ENTRY;
    mbr[o] = p.active ? STATUS_ACTIVE : 0;
    mbr.set(CHS_NONE, o + 1);
    mbr[o + 4] = p.type;
    mbr.set(CHS_NONE, o + 5);
    dv.setUint32(o + 8, p.start, true);
    dv.setUint32(o + 12, p.sectors, true);
  }
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}

/**
 * The used entries of the MBR in `disk` (its first sector, or more): checks
 * the signature, the status bytes, that each partition lies on the disk (when
 * its size in sectors is known) and that none overlap.
 */
export function readMbr(disk: Uint8Array, diskSectors?: number): MbrPartition[] {
  if (disk.length < SECTOR) throw new MbrError(`not a disk image: ${disk.length} bytes, less than one sector`);
  if (disk[510] !== 0x55 || disk[511] !== 0xaa) throw new MbrError('no MBR: the signature 0x55 0xaa is missing at bytes 510-511');
  const dv = new DataView(disk.buffer, disk.byteOffset, SECTOR);
  const parts: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const o = TABLE + i * ENTRY;
    const type = disk[o + 4];
    if (type === 0) continue;
    const status = disk[o];
    if (status !== 0 && status !== STATUS_ACTIVE) throw new MbrError(`partition ${i + 1}: bad status byte 0x${status.toString(16)}`);
    parts.push({ index: i + 1, type, active: status === STATUS_ACTIVE, start: dv.getUint32(o + 8, true), sectors: dv.getUint32(o + 12, true) });
  }
  checkPartitions(parts, diskSectors);
  return parts;
}
