// The CLINT of the virt board (0x0200_0000, 64 KiB) for one hart: the
// machine software interrupt (msip at 0x0000, bit 0 only) and the machine
// timer (mtimecmp at 0x4000/0x4004, mtime at 0xbff8/0xbffc, low word first).
// QEMU 7.2 builds this from two ACLINT devices (MSWI at +0x0000, MTIMER at
// +0x4000); the register offsets are the same as SiFive's CLINT.
//
// mtime lives in the machine clock (MachineClock), not here: it advances with
// retired instructions. mtime is kept below 2^53, so a write to mtime's high
// word keeps its low 21 bits. mtimecmp is a full 64-bit register.
//
// Reset, as QEMU 7.2 does it: msip 0, mtimecmp 0 and mtime 0 (the ACLINT
// spec clears MTIME at reset and leaves MTIMECMP unknown; QEMU's is 0). So
// MTIP is pending straight out of reset, as a probe on qemu-system-riscv32
// 7.2 -M virt shows (mip = 0x80 at the first instruction) until software
// writes mtimecmp.
//
// MTIP is a level: high while mtime >= mtimecmp. update() recomputes it (the
// run loop calls it when mtime moves); nextDeadline() tells the run loop when
// MTIP would next rise, and the CLINT asks the clock for a wake-up there.
//
// Accesses of 1, 2 and 4 bytes all work: a narrow write changes only its
// bytes of the containing 32-bit register.
//
// Entry points: Clint (read, write, update, nextDeadline, reset, save,
// restore), CLINT_SIZE, CLINT_REG.

import type { Device, IrqLine, MachineClock } from './device.ts';

export const CLINT_SIZE = 0x10000;

export const CLINT_REG = {
  MSIP: 0x0000,
  MTIMECMP_LO: 0x4000,
  MTIMECMP_HI: 0x4004,
  MTIME_LO: 0xbff8,
  MTIME_HI: 0xbffc,
} as const;

const TWO_32 = 0x1_0000_0000;
/** mtime's high word holds 21 bits, so mtime stays a safe integer (< 2^53). */
const MTIME_HI_MASK = 0x1f_ffff;

interface ClintState { msip: number; mtimecmpLo: number; mtimecmpHi: number }

export class Clint implements Device {
  readonly name: string;
  private msip = 0;
  private mtimecmpLo = 0;
  private mtimecmpHi = 0;
  private mtipLevel: boolean | undefined;
  private msipLevel: boolean | undefined;

  constructor(private readonly clock: MachineClock,
              private readonly msipLine: IrqLine,
              private readonly mtipLine: IrqLine,
              name = 'clint') {
    this.name = name;
    this.reset();
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const word = this.readWord(offset & ~3);
    const shift = (offset & 3) * 8;
    if (size === 4) return word >>> 0;
    return (word >>> shift) & (size === 1 ? 0xff : 0xffff);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const base = offset & ~3;
    let word = value >>> 0;
    if (size !== 4) {
      const shift = (offset & 3) * 8;
      const mask = (size === 1 ? 0xff : 0xffff) << shift;
      word = ((this.readWord(base) & ~mask) | ((value << shift) & mask)) >>> 0;
    }
    this.writeWord(base, word);
  }

  /** Recompute MTIP from mtime and mtimecmp and drive the line. */
  update(): void {
    const level = this.clock.mtime() >= this.mtimecmpNumber();
    if (level !== this.mtipLevel) {
      this.mtipLevel = level;
      this.mtipLine.set(level);
    }
  }

  /** mtimecmp as a number; Infinity when it is beyond any reachable mtime (>= 2^53). */
  nextDeadline(): number {
    return this.mtimecmpNumber();
  }

  reset(): void {
    this.msip = 0;
    this.mtimecmpLo = 0;
    this.mtimecmpHi = 0;
    this.clock.setMtime(0);
    this.mtipLevel = undefined;
    this.msipLevel = undefined;
    this.driveMsip();
    this.update();
  }

  save(): ClintState {
    return { msip: this.msip, mtimecmpLo: this.mtimecmpLo, mtimecmpHi: this.mtimecmpHi };
  }

  restore(state: unknown): void {
    const s = state as ClintState;
    if (typeof s !== 'object' || s === null) throw new Error(`${this.name}: restore: not a CLINT state`);
    this.msip = s.msip & 1;
    this.mtimecmpLo = s.mtimecmpLo >>> 0;
    this.mtimecmpHi = s.mtimecmpHi >>> 0;
    this.driveMsip();
    this.timerChanged();
  }

  describe(): string[] {
    const cmp = this.mtimecmpHi.toString(16).padStart(8, '0') + '_' +
      this.mtimecmpLo.toString(16).padStart(8, '0');
    return [
      `msip ${this.msip} mtime ${this.clock.mtime()} mtimecmp 0x${cmp}`,
      `MTIP ${this.mtipLevel ? 1 : 0} MSIP ${this.msip}`,
    ];
  }

  // --- registers -----------------------------------------------------------

  private mtimecmpNumber(): number {
    if (this.mtimecmpHi > MTIME_HI_MASK) return Infinity;
    return this.mtimecmpHi * TWO_32 + this.mtimecmpLo;
  }

  private readWord(offset: number): number {
    switch (offset) {
      case CLINT_REG.MSIP: return this.msip;
      case CLINT_REG.MTIMECMP_LO: return this.mtimecmpLo;
      case CLINT_REG.MTIMECMP_HI: return this.mtimecmpHi;
      case CLINT_REG.MTIME_LO: return this.clock.mtime() % TWO_32;
      case CLINT_REG.MTIME_HI: return Math.floor(this.clock.mtime() / TWO_32);
      default: return 0;
    }
  }

  private writeWord(offset: number, v: number): void {
    switch (offset) {
      case CLINT_REG.MSIP:
        this.msip = v & 1;
        this.driveMsip();
        return;
      case CLINT_REG.MTIMECMP_LO: this.mtimecmpLo = v; break;
      case CLINT_REG.MTIMECMP_HI: this.mtimecmpHi = v; break;
      case CLINT_REG.MTIME_LO:
        this.clock.setMtime(Math.floor(this.clock.mtime() / TWO_32) * TWO_32 + v);
        break;
      case CLINT_REG.MTIME_HI:
        this.clock.setMtime((v & MTIME_HI_MASK) * TWO_32 + this.clock.mtime() % TWO_32);
        break;
      default: return;   // other harts' msip/mtimecmp: no such hart
    }
    this.timerChanged();
  }

  private timerChanged(): void {
    this.update();
    const deadline = this.mtimecmpNumber();
    if (!this.mtipLevel && deadline !== Infinity) this.clock.wakeAt(deadline);
  }

  private driveMsip(): void {
    const level = this.msip !== 0;
    if (level !== this.msipLevel) {
      this.msipLevel = level;
      this.msipLine.set(level);
    }
  }
}
