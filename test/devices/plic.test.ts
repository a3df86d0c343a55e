// The PLIC against the RISC-V PLIC specification 1.0.0: priority and
// threshold gating, claim order (priority, then lowest id), complete,
// level-triggered gateways, two independent contexts (M and S of hart 0),
// and the sizes QEMU 7.2's virt reports (96 sources, 3 priority bits).

import { describe, expect, it } from 'vitest';
import { Plic, PLIC_SIZE } from '../../vm/devices/plic.ts';

const PRIO = (n: number) => 4 * n;
const PENDING = 0x1000;
const ENABLE = (ctx: number) => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number) => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => 0x200004 + 0x1000 * ctx;

function setup() {
  const meip: boolean[] = [];
  const seip: boolean[] = [];
  const p = new Plic({ set: (l) => { meip.push(l); } }, { set: (l) => { seip.push(l); } });
  const last = (a: boolean[]) => a[a.length - 1] ?? false;
  return {
    p, meip, seip, m: () => last(meip), s: () => last(seip),
    rd: (off: number) => p.read(off, 4) >>> 0,
    wr: (off: number, v: number) => p.write(off, 4, v),
  };
}

describe('plic registers', () => {
  it('spans QEMU virt\'s 0x600000 aperture', () => {
    expect(PLIC_SIZE).toBe(0x600000);
  });

  it('keeps 3 priority bits per source and per threshold (WARL)', () => {
    const t = setup();
    t.wr(PRIO(1), 0xffffffff);
    expect(t.rd(PRIO(1))).toBe(7);
    t.wr(PRIO(95), 5);
    expect(t.rd(PRIO(95))).toBe(5);
    t.wr(PRIO(96), 5);                // beyond the last source
    expect(t.rd(PRIO(96))).toBe(0);
    t.wr(THRESHOLD(1), 0xffffffff);
    expect(t.rd(THRESHOLD(1))).toBe(7);
  });

  it('has enable bits for sources 1..95 only', () => {
    const t = setup();
    t.wr(ENABLE(0), 0xffffffff);
    t.wr(ENABLE(0) + 8, 0xffffffff);
    t.wr(ENABLE(0) + 12, 0xffffffff);
    expect(t.rd(ENABLE(0))).toBe(0xfffffffe);   // source 0 does not exist
    expect(t.rd(ENABLE(0) + 8)).toBe(0xffffffff);
    expect(t.rd(ENABLE(0) + 12)).toBe(0);
    expect(t.rd(ENABLE(1))).toBe(0);            // context 1 untouched
  });

  it('rejects a source number outside 1..95', () => {
    const t = setup();
    expect(() => t.p.source(0)).toThrow(/no interrupt source 0/);
    expect(() => t.p.source(96)).toThrow(/no interrupt source 96/);
  });
});

describe('plic gating and claim', () => {
  it('interrupts only for an enabled source with priority above the threshold', () => {
    const t = setup();
    const src = t.p.source(10);
    src.set(true);
    expect(t.rd(PENDING)).toBe(1 << 10);
    expect(t.m()).toBe(false);        // priority 0: never
    t.wr(PRIO(10), 3);
    expect(t.m()).toBe(false);        // not enabled
    t.wr(ENABLE(0), 1 << 10);
    expect(t.m()).toBe(true);
    t.wr(THRESHOLD(0), 3);
    expect(t.m()).toBe(false);        // priority must exceed the threshold
    t.wr(THRESHOLD(0), 2);
    expect(t.m()).toBe(true);
    expect(t.s()).toBe(false);
  });

  it('claims by priority, then lowest id, and returns 0 when nothing is left', () => {
    const t = setup();
    for (const [n, prio] of [[3, 2], [5, 6], [7, 6], [40, 4]] as const) {
      t.wr(PRIO(n), prio);
      t.p.source(n).set(true);
    }
    t.wr(ENABLE(0), (1 << 3) | (1 << 5) | (1 << 7));
    t.wr(ENABLE(0) + 4, 1 << (40 - 32));
    expect(t.rd(CLAIM(0))).toBe(5);
    expect(t.rd(CLAIM(0))).toBe(7);
    expect(t.rd(CLAIM(0))).toBe(40);
    expect(t.rd(CLAIM(0))).toBe(3);
    expect(t.m()).toBe(false);
    expect(t.rd(CLAIM(0))).toBe(0);
    expect(t.rd(PENDING)).toBe(0);
  });

  it('does not pend a claimed source again until it is completed; then a high line re-pends', () => {
    const t = setup();
    const src = t.p.source(1);
    t.wr(PRIO(1), 1);
    t.wr(ENABLE(0), 2);
    src.set(true);
    expect(t.rd(CLAIM(0))).toBe(1);
    expect(t.m()).toBe(false);
    src.set(false);
    src.set(true);                    // in service: stays unpended
    expect(t.rd(PENDING)).toBe(0);
    expect(t.m()).toBe(false);
    t.wr(CLAIM(0), 1);                // complete
    expect(t.rd(PENDING)).toBe(2);    // line still high: a new request
    expect(t.m()).toBe(true);
    expect(t.rd(CLAIM(0))).toBe(1);
    src.set(false);
    t.wr(CLAIM(0), 1);
    expect(t.rd(PENDING)).toBe(0);    // line low at completion: nothing more
    expect(t.m()).toBe(false);
  });

  it('clears pending when the line drops before the claim', () => {
    const t = setup();
    const src = t.p.source(2);
    t.wr(PRIO(2), 1);
    t.wr(ENABLE(0), 4);
    src.set(true);
    src.set(false);
    expect(t.rd(PENDING)).toBe(0);
    expect(t.rd(CLAIM(0))).toBe(0);
  });

  it('ignores a complete of a source that is not in service', () => {
    const t = setup();
    const src = t.p.source(4);
    t.wr(PRIO(4), 1);
    t.wr(ENABLE(0), 1 << 4);
    src.set(true);
    t.wr(CLAIM(0), 4);                // not claimed yet
    expect(t.rd(PENDING)).toBe(1 << 4);
    expect(t.rd(CLAIM(0))).toBe(4);
  });
});

describe('plic contexts', () => {
  it('gates M and S contexts independently, and a claim by one hides the source from both', () => {
    const t = setup();
    const a = t.p.source(8), b = t.p.source(9);
    t.wr(PRIO(8), 2);
    t.wr(PRIO(9), 5);
    t.wr(ENABLE(0), 1 << 8);
    t.wr(ENABLE(1), (1 << 8) | (1 << 9));
    a.set(true);
    b.set(true);
    expect(t.m()).toBe(true);
    expect(t.s()).toBe(true);
    t.wr(THRESHOLD(1), 5);            // S context: 9 is not above 5, 8 neither
    expect(t.s()).toBe(false);
    expect(t.m()).toBe(true);
    t.wr(THRESHOLD(1), 0);
    expect(t.rd(CLAIM(1))).toBe(9);
    expect(t.rd(CLAIM(0))).toBe(8);   // M never had 9 enabled
    expect(t.m()).toBe(false);
    expect(t.s()).toBe(false);        // 8 is claimed by M now
    expect(t.rd(CLAIM(1))).toBe(0);
  });

  it('records only level changes of the outputs', () => {
    const t = setup();
    t.wr(PRIO(1), 1);
    t.wr(ENABLE(0), 2);
    t.p.source(1).set(true);
    t.p.source(1).set(true);
    expect(t.meip).toEqual([false, true]);
  });
});

describe('plic state', () => {
  it('round-trips through save/restore and resets to all zero', () => {
    const a = setup();
    a.wr(PRIO(6), 4);
    a.wr(ENABLE(1), 1 << 6);
    a.p.source(6).set(true);
    const b = setup();
    b.p.restore(JSON.parse(JSON.stringify(a.p.save())));
    expect(b.s()).toBe(true);
    expect(b.rd(CLAIM(1))).toBe(6);
    b.p.reset();
    expect(b.rd(PRIO(6))).toBe(0);
    expect(b.rd(ENABLE(1))).toBe(0);
    expect(b.s()).toBe(false);
  });
});
