// The boot partition (docs/boot.md): a header with the module table, then
// each server's ELF on a sector boundary, in table order. Little-endian.
//
//   header  magic "TSRABOOT", version 1, N (1..32), header size (a multiple
//           of 512, at least 32 + 64 N), CRC-32 of the table, 8 reserved
//   entry   name[32] NUL-padded, offset, size, CRC-32 of the ELF, flags
//           (bit 0 process manager, bit 1 system service), priority (0..15)
//
// The reader checks every field before it trusts it, so a malformed partition
// gives one BootPartError naming the problem, never a RangeError.
//
// Entry points: writeBootPartition, readBootPartition, bootPartitionSize,
// crc32, BootPartError, MODULE_FLAGS, and the BootModule shapes.

export class BootPartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootPartError';
  }
}

export const BOOT_MAGIC = 'TSRABOOT';
export const BOOT_VERSION = 1;
export const MAX_MODULES = 32;
export const MODULE_FLAGS = { PM: 1, SERVICE: 2 } as const;
export const MAX_PRIORITY = 15;
/** Longest module name: 31 bytes, so the 32-byte field always ends in a NUL. */
export const MAX_NAME = 31;

const SECTOR = 512;
const HEADER_FIXED = 32;
const ENTRY = 64;
const KNOWN_FLAGS = MODULE_FLAGS.PM | MODULE_FLAGS.SERVICE;

/** A module to write. */
export interface BootModule {
  name: string;
  elf: Uint8Array;
  flags: number;
  priority: number;
}

/** A module as the table describes it, with what the reader found. */
export interface BootModuleEntry {
  name: string;
  offset: number;
  size: number;
  crc: number;
  flags: number;
  priority: number;
  /** CRC-32 of the bytes at offset..offset+size. */
  actualCrc: number;
}

export interface BootPartition {
  version: number;
  headerSize: number;
  modules: BootModuleEntry[];
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, reflected, as zlib's crc32). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const alignSector = (n: number): number => Math.ceil(n / SECTOR) * SECTOR;
const headerSizeFor = (n: number): number => alignSector(HEADER_FIXED + ENTRY * n);

/** A name as an error message shows it: anything not printable as \xNN. */
const shownName = (s: string): string => s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function checkModule(m: BootModule, i: number, names: Set<string>): void {
  const where = `module ${i + 1}${m.name ? ` '${shownName(m.name)}'` : ''}`;
  if (!/^[\x21-\x7e]+$/.test(m.name)) throw new BootPartError(`${where}: a name is 1 to ${MAX_NAME} printable ASCII characters, no spaces`);
  if (m.name.length > MAX_NAME) throw new BootPartError(`${where}: name longer than ${MAX_NAME} characters`);
  if (names.has(m.name)) throw new BootPartError(`${where}: the name is used twice`);
  names.add(m.name);
  if (m.elf.length === 0) throw new BootPartError(`${where}: the ELF is empty`);
  if (!Number.isInteger(m.flags) || (m.flags & ~KNOWN_FLAGS) !== 0 || m.flags < 0) {
    throw new BootPartError(`${where}: bad flags ${m.flags} (bit 0 process manager, bit 1 system service)`);
  }
  if (!Number.isInteger(m.priority) || m.priority < 0 || m.priority > MAX_PRIORITY) {
    throw new BootPartError(`${where}: bad priority ${m.priority} (0 highest .. ${MAX_PRIORITY})`);
  }
}

/** Bytes the boot partition's contents take: the header and each ELF rounded up to a sector. */
export function bootPartitionSize(modules: readonly { elf: Uint8Array }[]): number {
  return modules.reduce((n, m) => n + alignSector(m.elf.length), headerSizeFor(modules.length));
}

/** The boot partition's contents (bootPartitionSize bytes). */
export function writeBootPartition(modules: readonly BootModule[]): Uint8Array {
  if (modules.length < 1 || modules.length > MAX_MODULES) {
    throw new BootPartError(`a boot partition holds 1 to ${MAX_MODULES} modules, not ${modules.length}`);
  }
  const names = new Set<string>();
  modules.forEach((m, i) => checkModule(m, i, names));
  const headerSize = headerSizeFor(modules.length);
  const out = new Uint8Array(bootPartitionSize(modules));
  const dv = new DataView(out.buffer);
  const enc = new TextEncoder();
  out.set(enc.encode(BOOT_MAGIC), 0);
  dv.setUint32(8, BOOT_VERSION, true);
  dv.setUint32(12, modules.length, true);
  dv.setUint32(16, headerSize, true);
  let offset = headerSize;
  modules.forEach((m, i) => {
    const e = HEADER_FIXED + i * ENTRY;
    out.set(enc.encode(m.name), e);
    dv.setUint32(e + 32, offset, true);
    dv.setUint32(e + 36, m.elf.length, true);
    dv.setUint32(e + 40, crc32(m.elf), true);
    dv.setUint32(e + 44, m.flags, true);
    dv.setUint32(e + 48, m.priority, true);
    out.set(m.elf, offset);
    offset += alignSector(m.elf.length);
  });
  dv.setUint32(20, crc32(out.subarray(HEADER_FIXED, HEADER_FIXED + ENTRY * modules.length)), true);
  return out;
}

function readHeader(part: Uint8Array, dv: DataView): { n: number; headerSize: number } {
  if (part.length < HEADER_FIXED) throw new BootPartError(`boot partition: ${part.length} bytes, too small for a header`);
  const magic = new TextDecoder('latin1').decode(part.subarray(0, 8));
  if (magic !== BOOT_MAGIC) throw new BootPartError(`boot partition: bad magic ${JSON.stringify(magic)} (expected "${BOOT_MAGIC}")`);
  const version = dv.getUint32(8, true);
  if (version !== BOOT_VERSION) throw new BootPartError(`boot partition: version ${version}, only ${BOOT_VERSION} is known`);
  const n = dv.getUint32(12, true);
  if (n < 1 || n > MAX_MODULES) throw new BootPartError(`boot partition: ${n} modules (1 to ${MAX_MODULES} allowed)`);
  const headerSize = dv.getUint32(16, true);
  if (headerSize % SECTOR !== 0 || headerSize < HEADER_FIXED + ENTRY * n) {
    throw new BootPartError(`boot partition: bad header size ${headerSize} (a multiple of ${SECTOR}, at least ${HEADER_FIXED + ENTRY * n})`);
  }
  if (headerSize > part.length) throw new BootPartError(`boot partition: header size ${headerSize} runs past the partition (${part.length} bytes)`);
  const want = dv.getUint32(20, true);
  const got = crc32(part.subarray(HEADER_FIXED, HEADER_FIXED + ENTRY * n));
  if (want !== got) throw new BootPartError(`boot partition: module table CRC mismatch (header says ${hex(want)}, table has ${hex(got)})`);
  return { n, headerSize };
}

const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');

function readEntry(part: Uint8Array, dv: DataView, i: number, headerSize: number): BootModuleEntry {
  const e = HEADER_FIXED + i * ENTRY;
  const raw = part.subarray(e, e + 32);
  const nul = raw.indexOf(0);
  const name = new TextDecoder('latin1').decode(raw.subarray(0, nul < 0 ? 32 : nul));
  const where = `boot partition: module ${i + 1}${name ? ` '${shownName(name)}'` : ''}`;
  if (!/^[\x21-\x7e]+$/.test(name) || raw.subarray(nul < 0 ? 32 : nul).some((b) => b !== 0)) {
    throw new BootPartError(`${where}: bad name (printable ASCII, NUL-padded)`);
  }
  const offset = dv.getUint32(e + 32, true), size = dv.getUint32(e + 36, true);
  const flags = dv.getUint32(e + 44, true), priority = dv.getUint32(e + 48, true);
  if (offset % SECTOR !== 0) throw new BootPartError(`${where}: offset ${offset} is not a multiple of ${SECTOR}`);
  if (size === 0) throw new BootPartError(`${where}: size 0`);
  if (offset < headerSize) throw new BootPartError(`${where}: offset ${offset} lies inside the header (${headerSize} bytes)`);
  if (offset + size > part.length) {
    throw new BootPartError(`${where}: bytes ${offset}..${offset + size - 1} lie outside the partition (${part.length} bytes)`);
  }
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new BootPartError(`${where}: unknown flag bits ${hex(flags)}`);
  if (priority > MAX_PRIORITY) throw new BootPartError(`${where}: priority ${priority} (0 highest .. ${MAX_PRIORITY})`);
  const actualCrc = crc32(part.subarray(offset, offset + size));
  return { name, offset, size, crc: dv.getUint32(e + 40, true), flags, priority, actualCrc };
}

/**
 * Parse and check a boot partition. With `checkCrc` (the default) a module
 * whose bytes do not match its CRC is an error; without it the caller
 * compares `crc` and `actualCrc` (as `tessera inspect` does).
 */
export function readBootPartition(part: Uint8Array, opts: { checkCrc?: boolean } = {}): BootPartition {
  const dv = new DataView(part.buffer, part.byteOffset, part.byteLength);
  const { n, headerSize } = readHeader(part, dv);
  const modules: BootModuleEntry[] = [];
  for (let i = 0; i < n; i++) modules.push(readEntry(part, dv, i, headerSize));
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new BootPartError(`boot partition: module name '${m.name}' used twice`);
    names.add(m.name);
  }
  const byOffset = [...modules].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const a = byOffset[i - 1], b = byOffset[i];
    if (a.offset + a.size > b.offset) throw new BootPartError(`boot partition: modules '${a.name}' and '${b.name}' overlap`);
  }
  if (opts.checkCrc ?? true) {
    for (const m of modules) {
      if (m.crc !== m.actualCrc) {
        throw new BootPartError(`boot partition: module '${m.name}' CRC mismatch (table says ${hex(m.crc)}, bytes have ${hex(m.actualCrc)})`);
      }
    }
  }
  return { version: BOOT_VERSION, headerSize, modules };
}
