// The consistency check of a MINIX v3 file system: what fsck.minix -f checks,
// and a little more. From the root down: every directory starts with '.'
// (itself) and '..' (its parent), its size is a whole number of entries,
// every entry names an inode in range and marked in use, no directory is
// reachable twice; every zone of a reachable inode lies in the data area, is
// marked in use and belongs to one inode only, and none is mapped past the
// end of its file. Then the counts: each inode's i_nlinks equals the links
// found, and the bitmaps mark exactly the inodes and zones in use.
//
// It reports, it never throws on a damaged file system: a problem that stops
// one directory from being read is one line, and the rest is still checked.
//
// Entry point: checkFs.

import type { MinixFs } from './minixfs.ts';
import { BLOCK_SIZE, DIRENT_SIZE, MinixError, ROOT_INO, fileType, type Inode } from './minixfs_layout.ts';

const MAX_PROBLEMS = 100;

interface Dir { ino: number; parent: number; path: string }

class Checker {
  readonly problems: string[] = [];
  private readonly links: Uint16Array;
  private readonly zoneOwner: Uint32Array;

  constructor(private readonly fs: MinixFs) {
    this.links = new Uint16Array(fs.sb.ninodes + 1);
    this.zoneOwner = new Uint32Array(fs.sb.zones);
  }

  report(msg: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(msg);
  }

  /** Claim every zone of an inode; complain about shared, free-marked, outside and past-the-end zones. */
  claimZones(ino: number, n: Inode, path: string): void {
    const { firstDataZone, zones } = this.fs.sb;
    let last = -1;
    this.fs.eachZone(n, path, (z, k) => {
      if (this.zoneOwner[z]) this.report(`${path}: zone ${z} also belongs to inode ${this.zoneOwner[z]}`);
      else this.zoneOwner[z] = ino;
      if (!this.fs.zoneInUse(z)) this.report(`${path}: zone ${z} is in use but marked free`);
      last = Math.max(last, k);
    }, (z) => this.report(`${path}: zone ${z} outside the data area ${firstDataZone}..${zones - 1}`));
    if (last >= 0 && last * BLOCK_SIZE >= n.size) this.report(`${path}: block ${last} is mapped past the end of the file (size ${n.size})`);
  }

  /** Check one directory's entries; returns the subdirectories to visit. */
  checkDir(d: Dir, n: Inode): Dir[] {
    if (n.size < 2 * DIRENT_SIZE) this.report(`${d.path}: directory of ${n.size} bytes, smaller than '.' and '..'`);
    if (n.size % DIRENT_SIZE !== 0) this.report(`${d.path}: directory size ${n.size} is not a multiple of ${DIRENT_SIZE}`);
    const sub: Dir[] = [];
    try {
      for (const s of this.fs.slots(n, d.path)) {
        const name = new TextDecoder().decode(s.name);
        if (s.off < 2 * DIRENT_SIZE) this.checkDots(d, s.off, name, s.ino);
        else if (s.ino !== 0) this.checkEntry(d, name, s.ino, sub);
      }
    } catch (e) {
      if (!(e instanceof MinixError)) throw e;
      this.report(e.message);
    }
    return sub;
  }

  private checkDots(d: Dir, off: number, name: string, ino: number): void {
    const [want, target] = off === 0 ? ['.', d.ino] : ['..', d.parent];
    if (name !== want || ino !== target) this.report(`${d.path}: entry ${off / DIRENT_SIZE} is '${name}' → ${ino}, expected '${want}' → ${target}`);
    if (ino >= 1 && ino <= this.fs.sb.ninodes) this.links[ino]++;
  }

  private checkEntry(d: Dir, name: string, ino: number, sub: Dir[]): void {
    const path = `${d.path === '/' ? '' : d.path}/${name}`;
    if (ino > this.fs.sb.ninodes) return this.report(`${path}: inode ${ino} out of range 1..${this.fs.sb.ninodes}`);
    if (name === '' || name === '.' || name === '..' || name.includes('/')) this.report(`${d.path}: bad entry name '${name}'`);
    if (!this.fs.inodeInUse(ino)) this.report(`${path}: inode ${ino} is in use but marked free`);
    const child = this.fs.inode(ino);
    const type = fileType(child.mode);
    if (type === 'unknown') this.report(`${path}: inode ${ino} has mode ${child.mode.toString(8)}`);
    const first = this.links[ino]++ === 0;
    if (type === 'dir') {
      if (!first) this.report(`${path}: directory inode ${ino} is linked more than once`);
      else sub.push({ ino, parent: d.ino, path });
    } else if (first && (type === 'file' || type === 'symlink')) {
      this.claimZones(ino, child, path);
    }
  }

  counts(): void {
    const { sb } = this.fs;
    for (let ino = 1; ino <= sb.ninodes; ino++) {
      const used = this.fs.inodeInUse(ino), found = this.links[ino];
      if (!found) {
        if (used) this.report(`inode ${ino} is marked in use, but no directory names it`);
        continue;
      }
      const n = this.fs.inode(ino);
      if (n.nlinks !== found) this.report(`inode ${ino}: i_nlinks ${n.nlinks}, ${found} links found`);
    }
    for (let z = sb.firstDataZone; z < sb.zones; z++) {
      if (this.fs.zoneInUse(z) && !this.zoneOwner[z]) this.report(`zone ${z} is marked in use, but no file uses it`);
    }
  }
}

/** Every consistency problem found, one line each (at most 100); [] when clean. */
export function checkFs(fs: MinixFs): string[] {
  const c = new Checker(fs);
  if (!fs.inodeInUse(0)) c.report('inode bitmap: bit 0 (no inode 0) is clear');
  if (!fs.zoneInUse(fs.sb.firstDataZone - 1)) c.report('zone bitmap: bit 0 (before the first zone) is clear');
  const root = fs.inode(ROOT_INO);
  if (fileType(root.mode) !== 'dir') return [...c.problems, 'the root inode is not a directory'];
  if (!fs.inodeInUse(ROOT_INO)) c.report('/: the root inode is marked free');
  const todo: Dir[] = [{ ino: ROOT_INO, parent: ROOT_INO, path: '/' }];
  while (todo.length > 0) {
    const d = todo.pop()!;
    const n = fs.inode(d.ino);
    c.claimZones(d.ino, n, d.path);
    todo.push(...c.checkDir(d, n));
  }
  c.counts();
  return c.problems;
}
