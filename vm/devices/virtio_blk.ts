// virtio-blk (virtio 1.1/1.2 section 5.2) behind the virtio-mmio transport,
// and the host-side backing stores it reads and writes.
//
// One request queue (QueueNumMax 256). Offered features: VIRTIO_BLK_F_SEG_MAX,
// VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO for a read-only
// backend (the transport adds VIRTIO_F_VERSION_1 and VIRTIO_F_INDIRECT_DESC).
// Config space: capacity in 512-byte sectors, seg_max 254 (queue size - 2,
// as QEMU), blk_size 512; every other field reads 0.
//
// Requests (5.2.6): a 16-byte header (type, reserved, sector) in the
// device-readable part, data, and a status byte, the last device-writable
// byte. The header and data may be split over descriptors in any way.
//   IN (0)      read sectors into the writable data
//   OUT (1)     write the readable data to sectors (IOERR on a read-only disk)
//   FLUSH (4)   backend.flush()
//   GET_ID (8)  the 20-byte id string, zero-padded
//   others      UNSUPP
// IN/OUT data must be whole sectors and lie inside the disk, else IOERR (as
// QEMU). A backend that throws (a host I/O error) gives IOERR too. A chain
// without a header or a status byte is malformed: VirtqError, so the
// transport sets DEVICE_NEEDS_RESET (QEMU does the same).
// The used length is the whole device-writable length, as QEMU reports it.
//
// Entry points: VirtioBlk, BlockBackend, MemoryBackend, FileBackend, the
// VIRTIO_BLK_* constants.

import * as fs from 'node:fs';
import { DescChain, VirtqError, type VirtioDevice } from './virtio_mmio.ts';

export const VIRTIO_ID_BLOCK = 2;

export const VIRTIO_BLK_F_SIZE_MAX = 1;
export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_GEOMETRY = 4;
export const VIRTIO_BLK_F_RO = 5;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const VIRTIO_BLK_SECTOR_SIZE = 512;
export const VIRTIO_BLK_ID_BYTES = 20;
export const VIRTIO_BLK_QUEUE_SIZE = 256;
export const VIRTIO_BLK_SEG_MAX = VIRTIO_BLK_QUEUE_SIZE - 2;

/** struct virtio_blk_config offsets (5.2.4). */
export const VIRTIO_BLK_CONFIG = {
  capacity: 0x00, size_max: 0x08, seg_max: 0x0c, geometry: 0x10, blk_size: 0x14,
} as const;
const CONFIG_BYTES = 0x3c;
const HEADER_BYTES = 16;
/** Requests move data through a bounded buffer, so a huge request never needs a huge allocation. */
const CHUNK = 64 * 1024;

/** A disk's bytes on the host side. Offsets and lengths are checked by the caller. */
export interface BlockBackend {
  readonly size: number;
  readonly readOnly: boolean;
  read(offset: number, dst: Uint8Array): void;
  write(offset: number, src: Uint8Array): void;
  flush(): void;
}

/** A disk held in a Uint8Array (tests, scratch disks). */
export class MemoryBackend implements BlockBackend {
  readonly size: number;

  constructor(readonly data: Uint8Array, readonly readOnly = false) {
    if (data.length % VIRTIO_BLK_SECTOR_SIZE !== 0) {
      throw new Error(`memory disk: size ${data.length} is not a multiple of ${VIRTIO_BLK_SECTOR_SIZE} bytes`);
    }
    this.size = data.length;
  }

  read(offset: number, dst: Uint8Array): void {
    dst.set(this.data.subarray(offset, offset + dst.length));
  }

  write(offset: number, src: Uint8Array): void {
    if (this.readOnly) throw new Error('memory disk is read-only');
    this.data.set(src, offset);
  }

  flush(): void {}
}

/** A disk image file on the host, read and written synchronously. */
export class FileBackend implements BlockBackend {
  readonly size: number;
  private fd: number | undefined;

  constructor(readonly path: string, readonly readOnly = false) {
    let fd: number;
    try {
      fd = fs.openSync(path, readOnly ? 'r' : 'r+');
    } catch (e) {
      throw new Error(`disk image ${path}: cannot open: ${(e as Error).message}`);
    }
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size % VIRTIO_BLK_SECTOR_SIZE !== 0) {
      fs.closeSync(fd);
      throw new Error(st.isFile()
        ? `disk image ${path}: size ${st.size} is not a multiple of ${VIRTIO_BLK_SECTOR_SIZE} bytes`
        : `disk image ${path}: not a regular file`);
    }
    this.fd = fd;
    this.size = st.size;
  }

  read(offset: number, dst: Uint8Array): void {
    const fd = this.openFd();
    let done = 0;
    while (done < dst.length) {
      const n = fs.readSync(fd, dst, done, dst.length - done, offset + done);
      if (n === 0) throw new Error(`disk image ${this.path}: short read at ${offset + done}`);
      done += n;
    }
  }

  write(offset: number, src: Uint8Array): void {
    if (this.readOnly) throw new Error(`disk image ${this.path} is read-only`);
    const fd = this.openFd();
    let done = 0;
    while (done < src.length) {
      done += fs.writeSync(fd, src, done, src.length - done, offset + done);
    }
  }

  flush(): void {
    if (!this.readOnly) fs.fsyncSync(this.openFd());
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`disk image ${this.path} is closed`);
    return this.fd;
  }
}

export interface VirtioBlkOptions {
  /** The GET_ID string (at most 20 bytes are used); empty by default. */
  id?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly features: readonly number[];
  readonly numQueues = 1;
  readonly queueNumMax = VIRTIO_BLK_QUEUE_SIZE;
  private readonly config = new Uint8Array(CONFIG_BYTES);
  private readonly id: Uint8Array;

  constructor(readonly backend: BlockBackend, opts: VirtioBlkOptions = {}) {
    let f = (1 << VIRTIO_BLK_F_SEG_MAX) | (1 << VIRTIO_BLK_F_BLK_SIZE) | (1 << VIRTIO_BLK_F_FLUSH);
    if (backend.readOnly) f |= 1 << VIRTIO_BLK_F_RO;
    this.features = [f >>> 0, 0];
    const dv = new DataView(this.config.buffer);
    const sectors = Math.floor(backend.size / VIRTIO_BLK_SECTOR_SIZE);
    dv.setUint32(VIRTIO_BLK_CONFIG.capacity, sectors % 0x1_0000_0000, true);
    dv.setUint32(VIRTIO_BLK_CONFIG.capacity + 4, Math.floor(sectors / 0x1_0000_0000), true);
    dv.setUint32(VIRTIO_BLK_CONFIG.seg_max, VIRTIO_BLK_SEG_MAX, true);
    dv.setUint32(VIRTIO_BLK_CONFIG.blk_size, VIRTIO_BLK_SECTOR_SIZE, true);
    this.id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
    this.id.set(new TextEncoder().encode(opts.id ?? '').subarray(0, VIRTIO_BLK_ID_BYTES));
  }

  configRead(offset: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (this.config[offset + i] ?? 0);
    return v;
  }

  configWrite(_offset: number, _size: 1 | 2 | 4, _value: number): void {
    // Only `writeback` is writable, and VIRTIO_BLK_F_CONFIG_WCE is not offered.
  }

  reset(): void {}

  process(_queue: number, chain: DescChain): number {
    if (chain.readableLength < HEADER_BYTES) throw new VirtqError('virtio-blk request without a 16-byte header');
    if (chain.writableLength < 1) throw new VirtqError('virtio-blk request without a status byte');
    const hdr = new DataView(chain.read(0, HEADER_BYTES).buffer);
    const type = hdr.getUint32(0, true);
    const sectorLo = hdr.getUint32(8, true), sectorHi = hdr.getUint32(12, true);
    const statusAt = chain.writableLength - 1;
    let status: number;
    switch (type) {
      case VIRTIO_BLK_T_IN: status = this.doIn(chain, sectorLo, sectorHi, statusAt); break;
      case VIRTIO_BLK_T_OUT:
        status = this.doOut(chain, sectorLo, sectorHi, chain.readableLength - HEADER_BYTES);
        break;
      case VIRTIO_BLK_T_FLUSH: status = this.guard(() => this.backend.flush()); break;
      case VIRTIO_BLK_T_GET_ID:
        chain.write(0, this.id.subarray(0, Math.min(VIRTIO_BLK_ID_BYTES, statusAt)));
        status = VIRTIO_BLK_S_OK;
        break;
      default: status = VIRTIO_BLK_S_UNSUPP; break;
    }
    chain.write(statusAt, Uint8Array.of(status));
    return chain.writableLength;
  }

  /** The byte offset of a data transfer, or undefined if it is not inside the disk. */
  private range(sectorLo: number, sectorHi: number, len: number): number | undefined {
    if (len % VIRTIO_BLK_SECTOR_SIZE !== 0 || sectorHi >= 0x20_0000 / VIRTIO_BLK_SECTOR_SIZE) return undefined;
    const offset = (sectorHi * 0x1_0000_0000 + sectorLo) * VIRTIO_BLK_SECTOR_SIZE;
    return offset + len <= this.backend.size ? offset : undefined;
  }

  private doIn(chain: DescChain, lo: number, hi: number, len: number): number {
    const offset = this.range(lo, hi, len);
    if (offset === undefined) return VIRTIO_BLK_S_IOERR;
    const buf = new Uint8Array(Math.min(len, CHUNK));
    for (let done = 0; done < len; done += buf.length) {
      const part = buf.subarray(0, Math.min(buf.length, len - done));
      if (this.guard(() => this.backend.read(offset + done, part)) !== VIRTIO_BLK_S_OK) return VIRTIO_BLK_S_IOERR;
      chain.write(done, part);
    }
    return VIRTIO_BLK_S_OK;
  }

  private doOut(chain: DescChain, lo: number, hi: number, len: number): number {
    const offset = this.range(lo, hi, len);
    if (offset === undefined || this.backend.readOnly) return VIRTIO_BLK_S_IOERR;
    for (let done = 0; done < len; done += CHUNK) {
      const part = chain.read(HEADER_BYTES + done, Math.min(CHUNK, len - done));
      if (this.guard(() => this.backend.write(offset + done, part)) !== VIRTIO_BLK_S_OK) return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
  }

  /** Run a backend call; a host I/O error becomes the guest's IOERR, not a crash. */
  private guard(op: () => void): number {
    try {
      op();
      return VIRTIO_BLK_S_OK;
    } catch (e) {
      if (e instanceof VirtqError) throw e;
      return VIRTIO_BLK_S_IOERR;
    }
  }
}
