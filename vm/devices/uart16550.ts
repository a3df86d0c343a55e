// The ns16550a UART of the virt board (UART0 at 0x1000_0000, PLIC source 10):
// the register set of the National/TI PC16550D datasheet, with the reset
// values and quirks QEMU 7.2's "serial" device shows to a guest.
//
// Registers (offset, DLAB): 0 RBR/THR (DLAB=1: DLL), 1 IER (DLAB=1: DLM),
// 2 IIR (read) / FCR (write), 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR. Offsets 8 and
// up read 0 and ignore writes (QEMU maps only 8 bytes and faults beyond; the
// bus decides the window). Any access size reaches the byte register at
// `offset`; writes use the low byte.
//
// Transmission is instant: a THR write hands the byte to `output` at once (or,
// with MCR.LOOP, to the receiver), so LSR.THRE and LSR.TEMT are always 1.
// Host input arrives through receive(), which accepts only what fits (16 bytes
// with FCR.FIFOE, 1 without, none in loopback) and returns the count, so the
// caller keeps the rest and retries: back-pressure instead of overruns.
// An overrun (LSR.OE) can still happen in loopback, as on the chip.
//
// Interrupts, highest priority first (datasheet table 4): receiver line status
// (IER.ELSI; OE/PE/FE/BI, cleared by reading LSR), received data (IER.ERBFI;
// IIR 0x4 when the FIFO holds at least the FCR trigger level, else IIR 0xC,
// the character-timeout id, reported at once because no time passes on this
// line), THR empty (IER.ETBEI; set when THR empties or ETBEI is enabled while
// it is empty, cleared by reading IIR while it is the reported id or by writing
// THR, and set again when that byte has gone, i.e. immediately), modem status
// (IER.EDSSI; MSR delta bits, cleared by reading MSR). The IRQ line is high
// while IIR bit 0 is 0.
//
// Reset values as QEMU 7.2 reads them back: IER 0, IIR 0x01, LCR 0, MCR 0x08
// (OUT2), LSR 0x60, MSR 0xb0 (DCD, DSR, CTS asserted), divisor 0x000c.
// Unlike QEMU, loopback sets the MSR delta bits as the datasheet says.
//
// Entry points: Uart16550 (read, write, receive, rxFree, reset, save, restore).

import type { Device, IrqLine } from './device.ts';

export const UART_SIZE = 0x100;

/** Register offsets (DLAB selects DLL/DLM at 0/1). */
export const UART_REG = {
  RBR: 0, THR: 0, DLL: 0, IER: 1, DLM: 1, IIR: 2, FCR: 2,
  LCR: 3, MCR: 4, LSR: 5, MSR: 6, SCR: 7,
} as const;

export const IER_ERBFI = 0x01;
export const IER_ETBEI = 0x02;
export const IER_ELSI = 0x04;
export const IER_EDSSI = 0x08;

/** IIR interrupt ids (bits 3:0); bits 7:6 read 11 while the FIFOs are enabled. */
export const IIR_NO_INT = 0x01;
export const IIR_RLS = 0x06;
export const IIR_RDA = 0x04;
export const IIR_CTI = 0x0c;
export const IIR_THRE = 0x02;
export const IIR_MS = 0x00;
export const IIR_FIFO_ENABLED = 0xc0;

export const FCR_FIFOE = 0x01;
export const FCR_RCVR_RESET = 0x02;
export const FCR_XMIT_RESET = 0x04;

export const LCR_DLAB = 0x80;

export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_PE = 0x04;
export const LSR_FE = 0x08;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
const LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI;

export const MSR_DCTS = 0x01;
export const MSR_DDSR = 0x02;
export const MSR_TERI = 0x04;
export const MSR_DDCD = 0x08;
export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;

/** Modem inputs outside loopback: QEMU's fixed DCD|DSR|CTS (no real modem). */
const MSR_EXTERNAL = MSR_DCD | MSR_DSR | MSR_CTS;
const FIFO_DEPTH = 16;
/** FCR bits 7:6 -> receiver trigger level. */
const RX_TRIGGER = [1, 4, 8, 14] as const;

interface UartState {
  ier: number; lcr: number; mcr: number; lsrErrors: number; msr: number;
  scr: number; fcr: number; divisor: number; rbr: number;
  rx: number[]; thrIpending: boolean;
}

export class Uart16550 implements Device {
  readonly name: string;
  /** Bytes sent to the output so far (the console watches it to tell a quiet guest). */
  transmitted = 0;
  private ier = 0;
  private lcr = 0;
  private mcr = MCR_OUT2;
  /** The sticky LSR error bits (OE/PE/FE/BI); the rest of LSR is computed. */
  private lsrErrors = 0;
  private msr = MSR_EXTERNAL;
  private scr = 0;
  private fcr = 0;
  private divisor = 0x000c;
  /** Last character read in non-FIFO mode (RBR keeps it when DR is 0). */
  private rbr = 0;
  private rx: number[] = [];
  private thrIpending = false;
  private irqLevel = false;

  constructor(private readonly irq: IrqLine,
              private readonly output: (byte: number) => void,
              name = 'uart0') {
    this.name = name;
  }

  read(offset: number, _size: 1 | 2 | 4): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0: return dlab ? this.divisor & 0xff : this.readRbr();
      case 1: return dlab ? this.divisor >>> 8 : this.ier;
      case 2: return this.readIir();
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return this.readLsr();
      case 6: return this.readMsr();
      case 7: return this.scr;
      default: return 0;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    const v = value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) this.divisor = (this.divisor & 0xff00) | v;
        else this.writeThr(v);
        break;
      case 1:
        if (dlab) this.divisor = (this.divisor & 0x00ff) | (v << 8);
        else this.writeIer(v);
        break;
      case 2: this.writeFcr(v); break;
      case 3: this.lcr = v; break;
      case 4: this.writeMcr(v); break;
      case 7: this.scr = v; break;
      default: break;   // LSR and MSR are read-only; beyond 7 is unmapped
    }
    this.updateIrq();
  }

  /**
   * Host input. Takes as many bytes as the receiver has room for and returns
   * that count; the caller keeps the rest for later.
   */
  receive(bytes: Uint8Array | number[]): number {
    const n = Math.min(bytes.length, this.rxFree());
    for (let i = 0; i < n; i++) this.rx.push(bytes[i] & 0xff);
    if (n > 0) this.updateIrq();
    return n;
  }

  /** How many bytes receive() would accept now. */
  rxFree(): number {
    if (this.mcr & MCR_LOOP) return 0;   // the serial input is disconnected in loopback
    return this.rxCapacity() - this.rx.length;
  }

  reset(): void {
    this.ier = 0;
    this.lcr = 0;
    this.mcr = MCR_OUT2;
    this.lsrErrors = 0;
    this.msr = MSR_EXTERNAL;
    this.scr = 0;
    this.fcr = 0;
    this.divisor = 0x000c;
    this.rbr = 0;
    this.rx = [];
    this.thrIpending = false;
    this.irqLevel = false;
    this.irq.set(false);
  }

  save(): UartState {
    return {
      ier: this.ier, lcr: this.lcr, mcr: this.mcr, lsrErrors: this.lsrErrors,
      msr: this.msr, scr: this.scr, fcr: this.fcr, divisor: this.divisor,
      rbr: this.rbr, rx: [...this.rx], thrIpending: this.thrIpending,
    };
  }

  restore(state: unknown): void {
    const s = state as UartState;
    if (typeof s !== 'object' || s === null || !Array.isArray(s.rx)) {
      throw new Error(`${this.name}: restore: not a UART state`);
    }
    this.ier = s.ier & 0x0f;
    this.lcr = s.lcr & 0xff;
    this.mcr = s.mcr & 0x1f;
    this.lsrErrors = s.lsrErrors & LSR_ERRORS;
    this.msr = s.msr & 0xff;
    this.scr = s.scr & 0xff;
    this.fcr = s.fcr & 0xc1;
    this.divisor = s.divisor & 0xffff;
    this.rbr = s.rbr & 0xff;
    this.rx = s.rx.slice(0, FIFO_DEPTH).map((b) => b & 0xff);
    this.thrIpending = !!s.thrIpending;
    this.updateIrq();
  }

  describe(): string[] {
    const hex = (v: number) => v.toString(16).padStart(2, '0');
    return [
      `IER ${hex(this.ier)} IIR ${hex(this.computeIir())} LCR ${hex(this.lcr)} ` +
        `MCR ${hex(this.mcr)} LSR ${hex(this.computeLsr())} MSR ${hex(this.msr)}`,
      `divisor ${this.divisor} FIFO ${this.fifoEnabled() ? 'on' : 'off'} ` +
        `rx ${this.rx.length}/${this.rxCapacity()} irq ${this.irqLevel ? 1 : 0}`,
    ];
  }

  // --- registers -----------------------------------------------------------

  private fifoEnabled(): boolean {
    return (this.fcr & FCR_FIFOE) !== 0;
  }

  private rxCapacity(): number {
    return this.fifoEnabled() ? FIFO_DEPTH : 1;
  }

  private readRbr(): number {
    if (this.rx.length > 0) {
      this.rbr = this.rx.shift()!;
    } else if (this.fifoEnabled()) {
      return 0;   // an empty FIFO reads 0 (QEMU); non-FIFO RBR keeps its last character
    }
    this.updateIrq();
    return this.rbr;
  }

  private writeThr(v: number): void {
    // The byte leaves at once, so THR is empty again right after this write:
    // the THRE interrupt is cleared by the write and raised again by the
    // (instant) end of transmission.
    this.thrIpending = false;
    if (this.mcr & MCR_LOOP) this.loopbackReceive(v);
    else {
      this.transmitted++;
      this.output(v);
    }
    if (this.ier & IER_ETBEI) this.thrIpending = true;
  }

  private loopbackReceive(v: number): void {
    if (this.rx.length < this.rxCapacity()) {
      this.rx.push(v);
    } else {
      this.lsrErrors |= LSR_OE;
      // Without FIFOs the new character overwrites RBR; with them the
      // character in the shift register is lost (datasheet, LSR bit 1).
      if (!this.fifoEnabled()) this.rx[0] = v;
    }
  }

  private writeIer(v: number): void {
    const old = this.ier;
    this.ier = v & 0x0f;
    // Enabling ETBEI while THR is empty (always, here) raises THRE at once.
    if ((this.ier & IER_ETBEI) && !(old & IER_ETBEI)) this.thrIpending = true;
    if (!(this.ier & IER_ETBEI)) this.thrIpending = false;
  }

  private writeFcr(v: number): void {
    const enable = (v & FCR_FIFOE) !== 0;
    // Changing FIFOE empties both FIFOs (datasheet, FCR bit 0).
    if (enable !== this.fifoEnabled() || (v & FCR_RCVR_RESET)) this.rx = [];
    // FCR_XMIT_RESET: the transmit FIFO is always empty here.
    this.fcr = v & 0xc1;
  }

  private writeMcr(v: number): void {
    this.mcr = v & 0x1f;
    const oldInputs = this.msr & 0xf0;
    const inputs = (this.mcr & MCR_LOOP) ? this.loopbackInputs() : MSR_EXTERNAL;
    const changed = oldInputs ^ inputs;
    let deltas = 0;
    if (changed & MSR_CTS) deltas |= MSR_DCTS;
    if (changed & MSR_DSR) deltas |= MSR_DDSR;
    if (changed & MSR_DCD) deltas |= MSR_DDCD;
    if ((oldInputs & MSR_RI) && !(inputs & MSR_RI)) deltas |= MSR_TERI;   // trailing edge only
    this.msr = inputs | (this.msr & 0x0f) | deltas;
  }

  /** In loopback the modem inputs are wired to the MCR outputs (datasheet, MCR bit 4). */
  private loopbackInputs(): number {
    let v = 0;
    if (this.mcr & MCR_RTS) v |= MSR_CTS;
    if (this.mcr & MCR_DTR) v |= MSR_DSR;
    if (this.mcr & MCR_OUT1) v |= MSR_RI;
    if (this.mcr & MCR_OUT2) v |= MSR_DCD;
    return v;
  }

  private computeLsr(): number {
    return LSR_THRE | LSR_TEMT | this.lsrErrors | (this.rx.length > 0 ? LSR_DR : 0);
  }

  private readLsr(): number {
    const v = this.computeLsr();
    this.lsrErrors = 0;
    this.updateIrq();
    return v;
  }

  private readMsr(): number {
    const v = this.msr;
    this.msr &= 0xf0;
    this.updateIrq();
    return v;
  }

  private readIir(): number {
    const v = this.computeIir();
    if ((v & 0x0f) === IIR_THRE) {
      this.thrIpending = false;
      this.updateIrq();
    }
    return v;
  }

  /** The highest-priority pending, enabled interrupt (datasheet table 4). */
  private computeIir(): number {
    const fifoBits = this.fifoEnabled() ? IIR_FIFO_ENABLED : 0;
    if ((this.ier & IER_ELSI) && (this.lsrErrors & LSR_ERRORS)) return fifoBits | IIR_RLS;
    if ((this.ier & IER_ERBFI) && this.rx.length > 0) {
      if (!this.fifoEnabled()) return fifoBits | IIR_RDA;
      const trigger = RX_TRIGGER[this.fcr >>> 6];
      return fifoBits | (this.rx.length >= trigger ? IIR_RDA : IIR_CTI);
    }
    if ((this.ier & IER_ETBEI) && this.thrIpending) return fifoBits | IIR_THRE;
    if ((this.ier & IER_EDSSI) && (this.msr & 0x0f)) return fifoBits | IIR_MS;
    return fifoBits | IIR_NO_INT;
  }

  private updateIrq(): void {
    const level = (this.computeIir() & IIR_NO_INT) === 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}
