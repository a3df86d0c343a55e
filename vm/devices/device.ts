// The one interface every memory-mapped device implements, and the small
// interfaces devices use to reach the rest of the board (interrupt lines,
// guest physical memory for DMA, the machine clock).
//
// A device is registered on the bus by base and size (vm/bus.ts); the bus
// calls read/write with the offset from the base. Accesses are 1, 2 or 4
// bytes, naturally aligned (the bus turns anything else into an access
// fault before it reaches a device).
//
// Entry points: Device, IrqLine, DmaMemory, MachineClock.

export interface Device {
  /** Short name, as `info devices` and the FDT show it (e.g. "uart0"). */
  readonly name: string;
  /** Read `size` bytes at `offset`; the value is zero-extended (0..2^32-1 or a signed int32, either is fine). */
  read(offset: number, size: 1 | 2 | 4): number;
  /** Write the low `size` bytes of `value` at `offset`. */
  write(offset: number, size: 1 | 2 | 4, value: number): void;
  /** Back to the power-on state. */
  reset(): void;
  /** A JSON-serialisable snapshot of the device's state, and its inverse. */
  save(): unknown;
  restore(state: unknown): void;
  /** One line per notable register for `info devices`. */
  describe?(): string[];
}

/** A level-triggered interrupt line into an interrupt controller. */
export interface IrqLine {
  set(level: boolean): void;
}

/**
 * Guest physical memory as a DMA engine sees it. Addresses are guest physical
 * (numbers, up to 2^34 on Sv32); a range that is not all RAM returns false /
 * undefined and touches nothing, so a bad descriptor can never throw.
 */
export interface DmaMemory {
  read(pa: number, len: number): Uint8Array | undefined;   // a copy
  write(pa: number, data: Uint8Array): boolean;
  read32(pa: number): number | undefined;
  read16(pa: number): number | undefined;
  write16(pa: number, v: number): boolean;
  write32(pa: number, v: number): boolean;
}

/** The machine's notion of time, in mtime ticks (10 MHz). */
export interface MachineClock {
  /** Current mtime (a non-negative integer below 2^53). */
  mtime(): number;
  /** Set mtime (CLINT writes). */
  setMtime(t: number): void;
  /** Ask to be re-evaluated when mtime reaches `t` (the run loop stops a slice there). */
  wakeAt(t: number): void;
}
