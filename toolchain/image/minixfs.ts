// A MINIX v3 file system over a byte array, as util-linux's mkfs.minix -3
// lays it out (minixfs_layout.ts, docs/minixfs.md): make one, open one, and
// what an image builder and the system tests need: mkdir, write, read and
// link files, symlinks, attributes, directory listings, unlink, rmdir, a
// walk of the whole tree, and a consistency check (minixfs_check.ts) that
// agrees with fsck.minix -f.
//
// Every change keeps the file system consistent: space is counted before a
// file is written, so a full disk gives one MinixError and no half-written
// file. Paths are absolute, '/'-separated; symlinks are not followed. What
// is read from the disk is checked before it is used (inode numbers, zone
// numbers, sizes), so a damaged file system gives a MinixError naming the
// file, never a RangeError. A disk image file: disk.ts.
//
// Entry points: MinixFs (mkfs, open and the operations), LINK_MAX, and the
// Attrs / Stat / DirEntry / DirSlot shapes; minixfs_layout.ts's exports too.

import {
  BLOCK_SIZE, DIRENT_SIZE, MAX_FILE_SIZE, MinixError, NAME_MAX, NR_DZONES, NR_ZONES, ROOT_INO,
  S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, ZONES_PER_BLOCK, inodeBlocks, mkfsGeometry, readInode, readSuperblock, zonesForBlocks,
  writeInode, writeSuperblock, fileType, type FileType, type Inode, type Superblock,
} from './minixfs_layout.ts';
import { checkFs } from './minixfs_check.ts';

export * from './minixfs_layout.ts';

/** Links one inode may have: fsck.minix counts them in a byte. */
export const LINK_MAX = 255;

export interface Attrs {
  /** Permission bits (0o7777); the type comes from the operation. */
  mode?: number;
  uid?: number;
  gid?: number;
  atime?: number;
  mtime?: number;
  ctime?: number;
}

export interface Stat {
  ino: number;
  type: FileType;
  /** The whole i_mode, type bits included. */
  mode: number;
  nlinks: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
}

export interface DirEntry {
  name: string;
  ino: number;
}

/** A directory slot as stored: see MinixFs.slots. */
export interface DirSlot {
  off: number;
  at: number;
  ino: number;
  /** The name's bytes, up to the first NUL (a view into the device). */
  name: Uint8Array;
}

/** Where a name goes or is: the parent directory, the name, its entry and a free slot. */
interface Parent {
  dirIno: number;
  dir: Inode;
  name: Uint8Array;
  /** The whole path, for messages. */
  path: string;
  /** The entry's inode (0 if there is none) and byte offset in dev. */
  ino: number;
  at: number;
  /** A free slot's byte offset in dev, or -1. */
  free: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class MinixFs {
  readonly sb: Superblock;
  /** Time stamp (seconds since 1970) for changes made without an explicit one. */
  time: number;
  private readonly dv: DataView;
  private readonly imap: number;
  private readonly zmap: number;
  private freeInodes = 0;
  private freeZones = 0;
  private inodeHint = 1;
  private zoneHint = 1;

  private constructor(readonly dev: Uint8Array, sb: Superblock, time: number | undefined) {
    this.sb = sb;
    this.time = time ?? Math.floor(Date.now() / 1000);
    this.dv = new DataView(dev.buffer, dev.byteOffset, dev.byteLength);
    this.imap = 2 * BLOCK_SIZE;
    this.zmap = (2 + sb.imapBlocks) * BLOCK_SIZE;
    for (let i = 1; i <= sb.ninodes; i++) if (!this.bit(this.imap, i)) this.freeInodes++;
    for (let i = 1; i <= sb.zones - sb.firstDataZone; i++) if (!this.bit(this.zmap, i)) this.freeZones++;
  }

  /**
   * Make a file system over `dev` (all of it, or `blocks` 1 KiB blocks) with
   * the parameters mkfs.minix -3 chooses, and an empty root directory.
   */
  static mkfs(dev: Uint8Array, opts: { blocks?: number; inodes?: number; time?: number; uid?: number; gid?: number } = {}): MinixFs {
    const blocks = opts.blocks ?? Math.floor(dev.length / BLOCK_SIZE);
    if (blocks * BLOCK_SIZE > dev.length) throw new MinixError(`${blocks} blocks do not fit in ${dev.length} bytes`);
    const sb = mkfsGeometry(blocks, opts.inodes);
    dev.fill(0, 0, sb.firstDataZone * BLOCK_SIZE);
    writeSuperblock(dev, sb);
    const imap = 2 * BLOCK_SIZE, zmap = (2 + sb.imapBlocks) * BLOCK_SIZE;
    // Bits past the last inode and zone stay set, as mkfs.minix leaves them, so nothing allocates them.
    dev.fill(0xff, imap, imap + (sb.imapBlocks + sb.zmapBlocks) * BLOCK_SIZE);
    const clear = (base: number, from: number, to: number): void => {
      for (let i = from; i <= to; i++) dev[base + (i >> 3)] &= ~(1 << (i & 7));
    };
    clear(imap, 1, sb.ninodes);
    clear(zmap, 1, sb.zones - sb.firstDataZone);
    const fs = new MinixFs(dev, sb, opts.time);
    fs.makeRoot(opts.uid ?? 0, opts.gid ?? 0);
    return fs;
  }

  /** Open the file system in `dev`, checking its superblock. */
  static open(dev: Uint8Array, opts: { time?: number } = {}): MinixFs {
    const fs = new MinixFs(dev, readSuperblock(dev), opts.time);
    if (fileType(fs.inode(ROOT_INO).mode) !== 'dir') throw new MinixError('the root inode is not a directory');
    return fs;
  }

  private makeRoot(uid: number, gid: number): void {
    const ino = this.allocInode();
    if (ino !== ROOT_INO) throw new MinixError('internal: the root must be inode 1');
    const t = this.time;
    const n: Inode = { mode: S_IFDIR | 0o755, nlinks: 2, uid, gid, size: 0, atime: t, mtime: t, ctime: t, zones: new Array(NR_ZONES).fill(0) };
    this.appendEntry(n, enc.encode('.'), ROOT_INO, '/');
    this.appendEntry(n, enc.encode('..'), ROOT_INO, '/');
    writeInode(this.dev, this.sb, ROOT_INO, n);
  }

  // ---- bitmaps and allocation ----

  private bit(base: number, i: number): boolean {
    return (this.dev[base + (i >> 3)] & (1 << (i & 7))) !== 0;
  }

  private setBit(base: number, i: number, on: boolean): void {
    if (on) this.dev[base + (i >> 3)] |= 1 << (i & 7);
    else this.dev[base + (i >> 3)] &= ~(1 << (i & 7));
  }

  /** The first clear bit in 1..last, searching from hint and wrapping; 0 if none. */
  private findClear(base: number, hint: number, last: number): number {
    for (const [from, to] of [[hint, last], [1, hint - 1]]) {
      for (let i = from; i <= to; i++) {
        if ((i & 7) === 0 && this.dev[base + (i >> 3)] === 0xff) { i += 7; continue; }
        if (!this.bit(base, i)) return i;
      }
    }
    return 0;
  }

  private allocInode(): number {
    const i = this.findClear(this.imap, this.inodeHint, this.sb.ninodes);
    if (i === 0) throw new MinixError(`no free inode (all ${this.sb.ninodes} in use)`);
    this.setBit(this.imap, i, true);
    this.freeInodes--;
    this.inodeHint = i + 1 > this.sb.ninodes ? 1 : i + 1;
    return i;
  }

  private freeInode(ino: number): void {
    writeInode(this.dev, this.sb, ino, { mode: 0, nlinks: 0, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0, ctime: 0, zones: [] });
    this.setBit(this.imap, ino, false);
    this.freeInodes++;
    this.inodeHint = Math.min(this.inodeHint, ino);
  }

  /** A zeroed data zone. */
  private allocZone(): number {
    const last = this.sb.zones - this.sb.firstDataZone;
    const i = this.findClear(this.zmap, this.zoneHint, last);
    if (i === 0) throw new MinixError(`no space left on the file system (${this.sb.zones} blocks)`);
    this.setBit(this.zmap, i, true);
    this.freeZones--;
    this.zoneHint = i + 1 > last ? 1 : i + 1;
    const z = this.sb.firstDataZone - 1 + i;
    this.dev.fill(0, z * BLOCK_SIZE, (z + 1) * BLOCK_SIZE);
    return z;
  }

  private freeZone(z: number): void {
    const i = z - this.sb.firstDataZone + 1;
    this.setBit(this.zmap, i, false);
    this.freeZones++;
    this.zoneHint = Math.min(this.zoneHint, i);
  }

  /** Free every zone of an inode (checked first, so a bad zone number changes nothing); size 0. */
  private truncate(n: Inode, where: string): void {
    this.zonesOf(n, where);
    this.eachZone(n, where, (z) => this.freeZone(z));
    n.zones.fill(0);
    n.size = 0;
  }

  // ---- inodes and block mapping ----

  /** Inode `ino` as stored. */
  inode(ino: number): Inode {
    if (!Number.isInteger(ino) || ino < 1 || ino > this.sb.ninodes) throw new MinixError(`inode ${ino} out of range 1..${this.sb.ninodes}`);
    return readInode(this.dev, this.sb, ino);
  }

  /** Whether inode `ino` is marked in use. */
  inodeInUse(ino: number): boolean {
    return this.bit(this.imap, ino);
  }

  /** Whether data zone `z` is marked in use. */
  zoneInUse(z: number): boolean {
    return this.bit(this.zmap, z - this.sb.firstDataZone + 1);
  }

  /** A zone number read from an inode or an indirect block: 0 (a hole) or a data zone. */
  private checkZone(z: number, where: string, k: number): number {
    if (z !== 0 && (z < this.sb.firstDataZone || z >= this.sb.zones)) {
      throw new MinixError(`${where}: block ${k} maps to zone ${z}, outside the data area ${this.sb.firstDataZone}..${this.sb.zones - 1}`);
    }
    return z;
  }

  /**
   * The zone holding block `k` of the file (0 for a hole); with `alloc`,
   * allocate it and any indirect blocks on the way (the caller writes n).
   * `where` names the file in errors (a zone number outside the data area).
   */
  mapBlock(n: Inode, k: number, alloc = false, where = 'a file'): number {
    if (k < NR_DZONES) {
      if (!n.zones[k] && alloc) n.zones[k] = this.allocZone();
      return this.checkZone(n.zones[k], where, k);
    }
    let rest = k - NR_DZONES, slot = NR_DZONES, depth = 1;
    for (let span = ZONES_PER_BLOCK; rest >= span; span *= ZONES_PER_BLOCK) {
      rest -= span;
      slot++;
      depth++;
      if (depth > 3) throw new MinixError(`${where}: block ${k} is past the largest file`);
    }
    if (!n.zones[slot]) {
      if (!alloc) return 0;
      n.zones[slot] = this.allocZone();
    }
    let z = this.checkZone(n.zones[slot], where, k);
    for (let d = depth - 1; d >= 0; d--) {
      const at = z * BLOCK_SIZE + 4 * (Math.floor(rest / ZONES_PER_BLOCK ** d) % ZONES_PER_BLOCK);
      let next = this.checkZone(this.dv.getUint32(at, true), where, k);
      if (!next) {
        if (!alloc) return 0;
        next = this.allocZone();
        this.dv.setUint32(at, next, true);
      }
      z = next;
    }
    return z;
  }

  private readData(n: Inode, where: string): Uint8Array {
    if (n.size > MAX_FILE_SIZE) throw new MinixError(`${where}: size ${n.size} is larger than the largest file (${MAX_FILE_SIZE})`);
    const out = new Uint8Array(n.size);
    for (let k = 0; k * BLOCK_SIZE < n.size; k++) {
      const z = this.mapBlock(n, k, false, where);
      const len = Math.min(BLOCK_SIZE, n.size - k * BLOCK_SIZE);
      if (z) out.set(this.dev.subarray(z * BLOCK_SIZE, z * BLOCK_SIZE + len), k * BLOCK_SIZE);
    }
    return out;
  }

  /** Replace the contents of n (the caller writes n). */
  private writeData(n: Inode, data: Uint8Array, where: string): void {
    if (data.length > MAX_FILE_SIZE) throw new MinixError(`${where}: ${data.length} bytes, larger than the largest file (${MAX_FILE_SIZE})`);
    const need = zonesForBlocks(Math.ceil(data.length / BLOCK_SIZE));
    const free = this.freeZones + this.zonesOf(n, where);
    if (need > free) throw new MinixError(`${where}: no space left on the file system (${data.length} bytes need ${need} blocks, ${free} free)`);
    this.truncate(n, where);
    for (let k = 0; k * BLOCK_SIZE < data.length; k++) {
      const z = this.mapBlock(n, k, true, where);
      this.dev.set(data.subarray(k * BLOCK_SIZE, (k + 1) * BLOCK_SIZE), z * BLOCK_SIZE);
    }
    n.size = data.length;
  }

  /** Zones (data and indirect) an inode holds now. */
  private zonesOf(n: Inode, where: string): number {
    let count = 0;
    this.eachZone(n, where, () => { count++; });
    return count;
  }

  /**
   * Visit every zone an inode holds, parents before children: fn(z, k) with
   * k the file block a data zone holds, or -1 for an indirect block. A zone
   * number outside the data area goes to `bad` and is not followed; without
   * `bad` it is a MinixError.
   */
  eachZone(n: Inode, where: string, fn: (z: number, k: number) => void, bad?: (z: number) => void): void {
    const { firstDataZone, zones } = this.sb;
    const visit = (z: number, depth: number, base: number): void => {
      if (!z) return;
      if (z < firstDataZone || z >= zones) {
        if (!bad) throw new MinixError(`${where}: zone ${z} lies outside the data area ${firstDataZone}..${zones - 1}`);
        bad(z);
        return;
      }
      fn(z, depth === 0 ? base : -1);
      const span = ZONES_PER_BLOCK ** (depth - 1);
      for (let i = 0; depth > 0 && i < ZONES_PER_BLOCK; i++) visit(this.dv.getUint32(z * BLOCK_SIZE + 4 * i, true), depth - 1, base + i * span);
    };
    let base = 0;
    for (let i = 0; i < NR_ZONES; i++) {
      const depth = Math.max(0, i - NR_DZONES + 1);
      visit(n.zones[i], depth, base);
      base += ZONES_PER_BLOCK ** depth;
    }
  }

  // ---- directories ----

  /**
   * Every slot of a directory in order, '.' and '..' included, free ones
   * with ino 0 (a hole in the directory has no slots). `at` is the slot's
   * byte offset in dev, `off` its offset in the directory.
   */
  *slots(dir: Inode, where: string): Generator<DirSlot> {
    if (dir.size > this.sb.zones * BLOCK_SIZE) throw new MinixError(`${where}: directory size ${dir.size} is larger than the file system`);
    for (let k = 0; k * BLOCK_SIZE < dir.size; k++) {
      const z = this.mapBlock(dir, k, false, where);
      const end = Math.min(BLOCK_SIZE, dir.size - k * BLOCK_SIZE);
      for (let o = 0; z && o + DIRENT_SIZE <= end; o += DIRENT_SIZE) {
        const at = z * BLOCK_SIZE + o;
        const raw = this.dev.subarray(at + 4, at + 4 + NAME_MAX);
        const nul = raw.indexOf(0);
        yield { off: k * BLOCK_SIZE + o, at, ino: this.dv.getUint32(at, true), name: nul < 0 ? raw : raw.subarray(0, nul) };
      }
    }
  }

  /** The entry named `name` in dir (not '.' or '..'), and the first free slot after them. */
  private findEntry(dir: Inode, name: Uint8Array, where: string): { ino: number; at: number; free: number } {
    let free = -1;
    for (const s of this.slots(dir, where)) {
      if (s.off < 2 * DIRENT_SIZE) continue;
      if (s.ino === 0) {
        if (free < 0) free = s.at;
      } else if (s.name.length === name.length && s.name.every((b, i) => b === name[i])) {
        return { ino: this.checkIno(s.ino, `${where === '/' ? '' : where}/${dec.decode(name)}`), at: s.at, free };
      }
    }
    return { ino: 0, at: -1, free };
  }

  private checkIno(ino: number, where: string): number {
    if (ino < 1 || ino > this.sb.ninodes) throw new MinixError(`'${where}': the entry names inode ${ino}, out of range 1..${this.sb.ninodes}`);
    return ino;
  }

  private writeEntry(at: number, name: Uint8Array, ino: number): void {
    this.dev.fill(0, at, at + DIRENT_SIZE);
    this.dv.setUint32(at, ino, true);
    this.dev.set(name, at + 4);
  }

  /** Add an entry at the end of dir (the caller writes dir). */
  private appendEntry(dir: Inode, name: Uint8Array, ino: number, where: string): void {
    if (dir.size + DIRENT_SIZE > MAX_FILE_SIZE) throw new MinixError(`${where}: directory too large`);
    const z = this.mapBlock(dir, Math.floor(dir.size / BLOCK_SIZE), true, where);
    this.writeEntry(z * BLOCK_SIZE + (dir.size % BLOCK_SIZE), name, ino);
    dir.size += DIRENT_SIZE;
  }

  /** Zones an entry added to dir needs: 0 with a free slot, else what growing the directory takes. */
  private entryCost(dir: Inode, free: number): number {
    if (free >= 0 || dir.size % BLOCK_SIZE !== 0) return 0;
    const blocks = dir.size / BLOCK_SIZE;
    return zonesForBlocks(blocks + 1) - zonesForBlocks(blocks);
  }

  /** Add name → ino to the parent, in its free slot if it has one (check entryCost first). */
  private addEntry(p: Parent, ino: number): void {
    if (p.free >= 0) this.writeEntry(p.free, p.name, ino);
    else this.appendEntry(p.dir, p.name, ino, p.path);
    this.touchDir(p.dirIno, p.dir);
  }

  private removeEntry(p: Parent): void {
    this.dev.fill(0, p.at, p.at + DIRENT_SIZE);
    this.touchDir(p.dirIno, p.dir);
  }

  private touchDir(dirIno: number, dir: Inode): void {
    dir.mtime = dir.ctime = this.time;
    writeInode(this.dev, this.sb, dirIno, dir);
  }

  // ---- paths ----

  private static parts(path: string): string[] {
    if (!path.startsWith('/')) throw new MinixError(`'${path}': paths in the file system are absolute`);
    return path.split('/').filter((p) => p !== '' && p !== '.');
  }

  private static nameBytes(name: string, path: string): Uint8Array {
    const b = enc.encode(name);
    if (b.length > NAME_MAX) throw new MinixError(`'${path}': the name '${name}' is longer than ${NAME_MAX} bytes`);
    if (name === '..' || b.includes(0)) throw new MinixError(`'${path}': bad name '${name}'`);
    return b;
  }

  /** The inode number at path ('..' goes up), or undefined. */
  lookup(path: string): number | undefined {
    const stack = [ROOT_INO];
    let at = '';
    for (const p of MinixFs.parts(path)) {
      if (p === '..') {
        if (stack.length > 1) stack.pop();
        at = at.slice(0, at.lastIndexOf('/'));
        continue;
      }
      const n = this.inode(stack[stack.length - 1]);
      if (fileType(n.mode) !== 'dir') return undefined;
      const found = this.findEntry(n, enc.encode(p), at || '/').ino;
      if (!found) return undefined;
      stack.push(found);
      at += '/' + p;
    }
    return stack[stack.length - 1];
  }

  private resolve(path: string): number {
    const ino = this.lookup(path);
    if (ino === undefined) throw new MinixError(`'${path}': no such file or directory`);
    return ino;
  }

  /** The parent directory of `path`, the last name, and that name's entry (ino 0 if none). */
  private parent(path: string): Parent {
    const parts = MinixFs.parts(path);
    const last = parts.pop();
    if (last === undefined) throw new MinixError(`'${path}': not allowed on the root`);
    const dirPath = '/' + parts.join('/');
    const dirIno = this.resolve(dirPath);
    const dir = this.inode(dirIno);
    if (fileType(dir.mode) !== 'dir') throw new MinixError(`'${path}': '${dirPath}' is not a directory`);
    const name = MinixFs.nameBytes(last, path);
    return { dirIno, dir, name, path, ...this.findEntry(dir, name, dirPath) };
  }

  private newInode(type: number, attrs: Attrs, defaultPerm: number): { ino: number; n: Inode } {
    const ino = this.allocInode();
    const t = this.time;
    const n: Inode = {
      mode: type | ((attrs.mode ?? defaultPerm) & 0o7777), nlinks: 1, uid: attrs.uid ?? 0, gid: attrs.gid ?? 0, size: 0,
      atime: attrs.atime ?? attrs.mtime ?? t, mtime: attrs.mtime ?? t, ctime: attrs.ctime ?? attrs.mtime ?? t, zones: new Array(NR_ZONES).fill(0),
    };
    return { ino, n };
  }

  private static checkAttrs(attrs: Attrs, path: string): void {
    for (const k of ['uid', 'gid'] as const) {
      const v = attrs[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xffff)) throw new MinixError(`'${path}': ${k} ${v} out of range 0..65535`);
    }
    for (const k of ['atime', 'mtime', 'ctime'] as const) {
      const v = attrs[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) throw new MinixError(`'${path}': ${k} ${v} out of range`);
    }
  }

  /** Make a directory (its parent must exist). */
  mkdir(path: string, attrs: Attrs = {}): number {
    MinixFs.checkAttrs(attrs, path);
    const p = this.parent(path);
    if (p.ino) throw new MinixError(`'${path}' already exists`);
    if (p.dir.nlinks >= LINK_MAX) throw new MinixError(`'${path}': the parent has ${LINK_MAX} links, the most fsck.minix counts`);
    if (1 + this.entryCost(p.dir, p.free) > this.freeZones) throw new MinixError(`'${path}': no space left on the file system`);
    const { ino, n } = this.newInode(S_IFDIR, attrs, 0o755);
    n.nlinks = 2;
    this.appendEntry(n, enc.encode('.'), ino, path);
    this.appendEntry(n, enc.encode('..'), p.dirIno, path);
    writeInode(this.dev, this.sb, ino, n);
    p.dir.nlinks++;
    this.addEntry(p, ino);
    return ino;
  }

  /** Make a directory and any missing parents; an existing directory is kept as it is. */
  mkdirp(path: string, attrs: Attrs = {}): number {
    let at = '';
    let ino = ROOT_INO;
    for (const p of MinixFs.parts(path)) {
      at += '/' + p;
      const found = this.lookup(at);
      if (found !== undefined && fileType(this.inode(found).mode) !== 'dir') throw new MinixError(`'${at}' exists and is not a directory`);
      ino = found ?? this.mkdir(at, attrs);
    }
    return ino;
  }

  /** Create a regular file, or replace the contents of an existing one. */
  writeFile(path: string, data: Uint8Array, attrs: Attrs = {}): number {
    MinixFs.checkAttrs(attrs, path);
    const p = this.parent(path);
    if (!p.ino) return this.create(p, S_IFREG, attrs, 0o644, data);
    const n = this.inode(p.ino);
    if (fileType(n.mode) !== 'file') throw new MinixError(`'${path}' exists and is not a regular file`);
    this.writeData(n, data, path);
    this.applyAttrs(n, { mtime: this.time, ctime: this.time, ...attrs });
    writeInode(this.dev, this.sb, p.ino, n);
    return p.ino;
  }

  /** Create a symbolic link holding `target`. */
  symlink(path: string, target: string, attrs: Attrs = {}): number {
    MinixFs.checkAttrs(attrs, path);
    const bytes = enc.encode(target);
    if (bytes.length === 0 || bytes.length >= BLOCK_SIZE) throw new MinixError(`'${path}': a link target is 1 to ${BLOCK_SIZE - 1} bytes`);
    const p = this.parent(path);
    if (p.ino) throw new MinixError(`'${path}' already exists`);
    return this.create(p, S_IFLNK, attrs, 0o777, bytes);
  }

  /** A second name (hard link) for an existing file or symlink. */
  link(existing: string, path: string): number {
    const ino = this.resolve(existing);
    const n = this.inode(ino);
    if (fileType(n.mode) === 'dir') throw new MinixError(`'${existing}' is a directory (no hard links to directories)`);
    if (n.nlinks >= LINK_MAX) throw new MinixError(`'${existing}' has ${LINK_MAX} links, the most fsck.minix counts`);
    const p = this.parent(path);
    if (p.ino) throw new MinixError(`'${path}' already exists`);
    if (this.entryCost(p.dir, p.free) > this.freeZones) throw new MinixError(`'${path}': no space left on the file system`);
    n.nlinks++;
    n.ctime = this.time;
    writeInode(this.dev, this.sb, ino, n);
    this.addEntry(p, ino);
    return ino;
  }

  private create(p: Parent, type: number, attrs: Attrs, perm: number, data: Uint8Array): number {
    const need = zonesForBlocks(Math.ceil(data.length / BLOCK_SIZE)) + this.entryCost(p.dir, p.free);
    if (need > this.freeZones) throw new MinixError(`'${p.path}': no space left on the file system (${data.length} bytes)`);
    const { ino, n } = this.newInode(type, attrs, perm);
    this.writeData(n, data, p.path);
    writeInode(this.dev, this.sb, ino, n);
    this.addEntry(p, ino);
    return ino;
  }

  private applyAttrs(n: Inode, a: Attrs): void {
    if (a.mode !== undefined) n.mode = (n.mode & S_IFMT) | (a.mode & 0o7777);
    if (a.uid !== undefined) n.uid = a.uid;
    if (a.gid !== undefined) n.gid = a.gid;
    if (a.atime !== undefined) n.atime = a.atime;
    if (a.mtime !== undefined) n.mtime = a.mtime;
    if (a.ctime !== undefined) n.ctime = a.ctime;
  }

  /** Change permission bits, owner or times. */
  setAttrs(path: string, attrs: Attrs): void {
    MinixFs.checkAttrs(attrs, path);
    const ino = this.resolve(path);
    const n = this.inode(ino);
    this.applyAttrs(n, attrs);
    writeInode(this.dev, this.sb, ino, n);
  }

  stat(path: string): Stat {
    return this.statIno(this.resolve(path));
  }

  statIno(ino: number): Stat {
    const n = this.inode(ino);
    return { ino, type: fileType(n.mode), mode: n.mode, nlinks: n.nlinks, uid: n.uid, gid: n.gid, size: n.size, atime: n.atime, mtime: n.mtime, ctime: n.ctime };
  }

  /** The contents of a regular file (holes read as zeros). */
  readFile(path: string): Uint8Array {
    const n = this.inode(this.resolve(path));
    if (fileType(n.mode) !== 'file') throw new MinixError(`'${path}' is not a regular file`);
    return this.readData(n, path);
  }

  readlink(path: string): string {
    const n = this.inode(this.resolve(path));
    if (fileType(n.mode) !== 'symlink') throw new MinixError(`'${path}' is not a symbolic link`);
    if (n.size >= BLOCK_SIZE) throw new MinixError(`'${path}': a symbolic link of ${n.size} bytes (at most ${BLOCK_SIZE - 1})`);
    return dec.decode(this.readData(n, path));
  }

  /** The entries of a directory, '.' and '..' left out, in on-disk order. */
  readdir(path: string): DirEntry[] {
    return this.readdirIno(this.resolve(path), path);
  }

  readdirIno(ino: number, path = `inode ${ino}`): DirEntry[] {
    const n = this.inode(ino);
    if (fileType(n.mode) !== 'dir') throw new MinixError(`'${path}' is not a directory`);
    const out: DirEntry[] = [];
    for (const s of this.slots(n, path)) {
      if (s.ino === 0 || s.off < 2 * DIRENT_SIZE) continue;
      const name = dec.decode(s.name);
      out.push({ name, ino: this.checkIno(s.ino, `${path === '/' ? '' : path}/${name}`) });
    }
    return out;
  }

  /** The entry of `path` in its parent, checked to be of the kind `want` allows. */
  private entryToRemove(path: string, dir: boolean): Parent & { n: Inode } {
    const p = this.parent(path);
    if (!p.ino) throw new MinixError(`'${path}': no such file or directory`);
    const n = this.inode(p.ino);
    if ((fileType(n.mode) === 'dir') !== dir) throw new MinixError(dir ? `'${path}' is not a directory` : `'${path}' is a directory`);
    this.zonesOf(n, path);
    return { ...p, n };
  }

  /** Remove a file or symlink (its inode is freed with its last link). */
  unlink(path: string): void {
    const p = this.entryToRemove(path, false);
    this.removeEntry(p);
    p.n.nlinks--;
    if (p.n.nlinks > 0) {
      p.n.ctime = this.time;
      writeInode(this.dev, this.sb, p.ino, p.n);
      return;
    }
    this.truncate(p.n, path);
    this.freeInode(p.ino);
  }

  /** Remove an empty directory. */
  rmdir(path: string): void {
    const p = this.entryToRemove(path, true);
    if (this.readdirIno(p.ino, path).length > 0) throw new MinixError(`'${path}': directory not empty`);
    p.dir.nlinks--;
    this.removeEntry(p);
    this.truncate(p.n, path);
    this.freeInode(p.ino);
  }

  /**
   * Every path below the root, depth first in on-disk order, with its stat.
   * A directory that contains itself (a loop) is a MinixError; a directory
   * reached a second way is listed but not entered again.
   */
  walk(): { path: string; stat: Stat }[] {
    const out: { path: string; stat: Stat }[] = [];
    const seen = new Set<number>([ROOT_INO]);
    const visit = (ino: number, prefix: string, ancestors: Map<number, string>): void => {
      for (const e of this.readdirIno(ino, prefix || '/')) {
        const path = `${prefix}/${e.name}`;
        const stat = this.statIno(e.ino);
        out.push({ path, stat });
        if (stat.type !== 'dir') continue;
        const loop = ancestors.get(e.ino);
        if (loop !== undefined) throw new MinixError(`directory loop: '${path}' is inode ${e.ino}, the directory '${loop || '/'}' that contains it`);
        if (seen.has(e.ino)) continue;
        seen.add(e.ino);
        visit(e.ino, path, new Map(ancestors).set(e.ino, path));
      }
    };
    visit(ROOT_INO, '', new Map([[ROOT_INO, '']]));
    return out;
  }

  /** Counts of inodes and blocks, used and free. */
  usage(): { inodes: number; freeInodes: number; blocks: number; freeBlocks: number; blockSize: number; inodeBlocks: number } {
    return {
      inodes: this.sb.ninodes, freeInodes: this.freeInodes, blocks: this.sb.zones, freeBlocks: this.freeZones,
      blockSize: BLOCK_SIZE, inodeBlocks: inodeBlocks(this.sb.ninodes),
    };
  }

  /** Consistency problems, one line each (none for a clean file system): see minixfs_check.ts. */
  check(): string[] {
    return checkFs(this);
  }

}
