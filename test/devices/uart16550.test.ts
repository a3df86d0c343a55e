// The 16550 UART against the PC16550D datasheet (register map, DLAB, LSR,
// FIFO, IIR priorities, THRE interrupt rules, loopback) and the reset values
// QEMU 7.2 reads back on -M virt.

import { describe, expect, it } from 'vitest';
import { Uart16550 } from '../../vm/devices/uart16550.ts';

function setup() {
  const levels: boolean[] = [];
  const out: number[] = [];
  const irq = { set: (l: boolean) => { levels.push(l); } };
  const u = new Uart16550(irq, (b) => out.push(b));
  const rd = (off: number) => u.read(off, 1);
  const wr = (off: number, v: number) => u.write(off, 1, v);
  return { u, levels, out, rd, wr, line: () => levels.length > 0 && levels[levels.length - 1] };
}

// Register offsets and bits spelt out from the datasheet, not imported, so a
// wrong constant in the device cannot hide here.
const RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

describe('uart16550 registers', () => {
  it('has QEMU 7.2 reset values', () => {
    const { rd, wr } = setup();
    expect(rd(IER)).toBe(0x00);
    expect(rd(IIR)).toBe(0x01);
    expect(rd(LCR)).toBe(0x00);
    expect(rd(MCR)).toBe(0x08);
    expect(rd(LSR)).toBe(0x60);
    expect(rd(MSR)).toBe(0xb0);
    wr(LCR, 0x80);
    expect(rd(0)).toBe(0x0c);
    expect(rd(1)).toBe(0x00);
  });

  it('switches offsets 0 and 1 to DLL/DLM while LCR.DLAB is set', () => {
    const { u, rd, wr, out } = setup();
    wr(LCR, 0x83);
    wr(0, 0x01);
    wr(1, 0x02);
    expect(out).toEqual([]);          // the DLL write did not transmit
    expect(rd(IER)).toBe(0x02);       // reads DLM
    wr(LCR, 0x03);
    expect(rd(IER)).toBe(0x00);       // IER untouched by the DLM write
    wr(0, 0x41);
    expect(out).toEqual([0x41]);
    wr(LCR, 0x80);
    expect(rd(0)).toBe(0x01);
    expect(rd(1)).toBe(0x02);
    expect(u.read(3, 4)).toBe(0x80);  // any access size reaches the byte register
  });

  it('keeps only the implemented bits of IER and MCR, and SCR as written', () => {
    const { rd, wr } = setup();
    wr(IER, 0xff);
    expect(rd(IER)).toBe(0x0f);
    wr(MCR, 0xff);
    expect(rd(MCR)).toBe(0x1f);
    wr(SCR, 0xa5);
    expect(rd(SCR)).toBe(0xa5);
  });

  it('reports DR in LSR while data is held, THRE and TEMT always', () => {
    const { u, rd } = setup();
    expect(rd(LSR) & 0x61).toBe(0x60);
    expect(u.receive([0x31])).toBe(1);
    expect(rd(LSR)).toBe(0x61);
    expect(rd(RBR)).toBe(0x31);
    expect(rd(LSR)).toBe(0x60);
  });
});

describe('uart16550 receiver and back-pressure', () => {
  it('holds one byte without FIFOs and refuses the rest', () => {
    const { u, rd } = setup();
    expect(u.rxFree()).toBe(1);
    expect(u.receive([1, 2, 3])).toBe(1);
    expect(u.rxFree()).toBe(0);
    expect(u.receive([2, 3])).toBe(0);
    expect(rd(RBR)).toBe(1);
    expect(u.receive(new Uint8Array([2, 3]))).toBe(1);
    expect(rd(RBR)).toBe(2);
  });

  it('keeps 16 bytes in order with FCR.FIFOE and reports how many it took', () => {
    const { u, rd, wr } = setup();
    wr(FCR, 0x01);
    const input = Array.from({ length: 20 }, (_, i) => 0x40 + i);
    expect(u.receive(input)).toBe(16);
    expect(u.rxFree()).toBe(0);
    expect(rd(LSR) & 0x02).toBe(0);   // no overrun: the caller keeps the rest
    const got: number[] = [];
    while (rd(LSR) & 1) got.push(rd(RBR));
    expect(got).toEqual(input.slice(0, 16));
    expect(u.receive(input.slice(16))).toBe(4);
    expect([rd(RBR), rd(RBR), rd(RBR), rd(RBR)]).toEqual(input.slice(16));
  });

  it('empties the receiver FIFO on FCR RCVR reset and on changing FIFOE', () => {
    const { u, rd, wr } = setup();
    wr(FCR, 0x01);
    u.receive([1, 2, 3]);
    wr(FCR, 0x03);
    expect(rd(LSR) & 1).toBe(0);
    u.receive([4]);
    wr(FCR, 0x00);
    expect(rd(LSR) & 1).toBe(0);
  });

  it('sets bits 7:6 of IIR while the FIFOs are enabled', () => {
    const { rd, wr } = setup();
    wr(FCR, 0x01);
    expect(rd(IIR)).toBe(0xc1);
  });
});

describe('uart16550 interrupts', () => {
  it('raises received-data-available and drops it when the data is read', () => {
    const { u, rd, wr, levels, line } = setup();
    wr(IER, 0x01);
    expect(levels).toEqual([]);
    u.receive([0x55]);
    expect(line()).toBe(true);
    expect(rd(IIR)).toBe(0x04);
    rd(RBR);
    expect(line()).toBe(false);
    expect(rd(IIR)).toBe(0x01);
    expect(levels).toEqual([true, false]);
  });

  it('uses the FIFO trigger level: RDA at the level, character timeout below it', () => {
    const { u, rd, wr } = setup();
    wr(FCR, 0x41);                    // FIFOs on, trigger level 4
    wr(IER, 0x01);
    u.receive([1, 2, 3]);
    expect(rd(IIR)).toBe(0xcc);
    u.receive([4]);
    expect(rd(IIR)).toBe(0xc4);
  });

  it('raises THRE when ETBEI is enabled with THR empty; reading IIR clears it', () => {
    const { rd, wr, levels, line } = setup();
    wr(IER, 0x02);
    expect(line()).toBe(true);
    expect(rd(IIR)).toBe(0x02);
    expect(line()).toBe(false);
    expect(rd(IIR)).toBe(0x01);       // cleared by the first read
    expect(levels).toEqual([true, false]);
  });

  it('raises THRE again after a THR write (the byte leaves at once)', () => {
    const { rd, wr, out, line } = setup();
    wr(IER, 0x02);
    rd(IIR);
    wr(RBR, 0x41);
    expect(out).toEqual([0x41]);
    expect(line()).toBe(true);
    expect(rd(IIR)).toBe(0x02);
  });

  it('drops THRE when ETBEI is disabled', () => {
    const { rd, wr, line } = setup();
    wr(IER, 0x02);
    wr(IER, 0x00);
    expect(line()).toBe(false);
    expect(rd(IIR)).toBe(0x01);
  });

  it('reports the highest priority source: line status > data > THRE > modem status', () => {
    const { rd, wr } = setup();
    wr(FCR, 0x07);
    wr(MCR, 0x10);                    // loopback, to make an overrun
    rd(MSR);                          // clear the deltas of entering loopback
    for (let i = 0; i < 17; i++) wr(RBR, i);
    wr(MCR, 0x18);                    // OUT2 0 -> 1: DCD changes, DDCD set
    wr(IER, 0x0f);
    expect(rd(IIR)).toBe(0xc6);       // line status (overrun)
    expect(rd(LSR)).toBe(0x63);       // reading LSR clears OE ...
    expect(rd(IIR)).toBe(0xc4);       // ... leaving received data
    while (rd(LSR) & 1) rd(RBR);
    expect(rd(IIR)).toBe(0xc2);       // then THRE
    expect(rd(IIR)).toBe(0xc0);       // THRE cleared by that read: modem status
    expect(rd(MSR) & 0x0f).toBe(0x08);
    expect(rd(IIR)).toBe(0xc1);
  });

  it('keeps THRE pending when reading IIR reports a higher source', () => {
    const { u, rd, wr } = setup();
    wr(IER, 0x03);
    u.receive([9]);
    expect(rd(IIR)).toBe(0x04);       // data outranks THRE ...
    rd(RBR);
    expect(rd(IIR)).toBe(0x02);       // ... and THRE was not cleared by the first read
  });
});

describe('uart16550 loopback (MCR bit 4)', () => {
  it('routes THR to the receiver, not the output, and refuses host input', () => {
    const { u, rd, wr, out } = setup();
    wr(MCR, 0x10);
    expect(u.rxFree()).toBe(0);
    expect(u.receive([1])).toBe(0);
    wr(RBR, 0x77);
    expect(out).toEqual([]);
    expect(rd(LSR) & 1).toBe(1);
    expect(rd(RBR)).toBe(0x77);
  });

  it('wires RTS/DTR/OUT1/OUT2 to CTS/DSR/RI/DCD', () => {
    const { rd, wr } = setup();
    wr(MCR, 0x10);
    rd(MSR);
    wr(MCR, 0x11);                    // DTR -> DSR
    expect(rd(MSR)).toBe(0x20 | 0x02);
    wr(MCR, 0x12);                    // RTS -> CTS, DSR drops
    expect(rd(MSR)).toBe(0x10 | 0x01 | 0x02);
    wr(MCR, 0x14);                    // OUT1 -> RI, CTS drops
    expect(rd(MSR)).toBe(0x40 | 0x01);
    wr(MCR, 0x18);                    // RI falls: TERI; OUT2 -> DCD
    expect(rd(MSR)).toBe(0x80 | 0x08 | 0x04);
    expect(rd(MSR)).toBe(0x80);       // deltas cleared by the read
  });

  it('sets OE on overrun: FIFO mode keeps the first 16, non-FIFO mode overwrites', () => {
    const { rd, wr } = setup();
    wr(FCR, 0x01);
    wr(MCR, 0x10);
    for (let i = 1; i <= 18; i++) wr(RBR, i);
    expect(rd(LSR)).toBe(0x63);
    expect(rd(LSR)).toBe(0x61);       // OE clears on read
    expect(rd(RBR)).toBe(1);
    wr(FCR, 0x00);                    // also empties the FIFO
    wr(RBR, 0xaa);
    wr(RBR, 0xbb);
    expect(rd(LSR)).toBe(0x63);
    expect(rd(RBR)).toBe(0xbb);
  });
});

describe('uart16550 save/restore and reset', () => {
  it('round-trips its state through JSON', () => {
    const a = setup();
    a.wr(FCR, 0x01);
    a.wr(IER, 0x01);
    a.u.receive([7, 8, 9]);
    const snap = JSON.parse(JSON.stringify(a.u.save()));
    const b = setup();
    b.u.restore(snap);
    expect(b.line()).toBe(true);
    expect([b.rd(RBR), b.rd(RBR), b.rd(RBR)]).toEqual([7, 8, 9]);
    expect(() => b.u.restore(null)).toThrow(/not a UART state/);
  });

  it('drops the line and empties the FIFO on reset', () => {
    const { u, rd, wr, line } = setup();
    wr(IER, 0x01);
    u.receive([1]);
    u.reset();
    expect(line()).toBe(false);
    expect(rd(LSR)).toBe(0x60);
    expect(rd(IER)).toBe(0);
  });
});
