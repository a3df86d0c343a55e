// The CLINT: msip, 64-bit mtimecmp and mtime in 32-bit halves, MTIP as a
// level that follows mtime >= mtimecmp, and QEMU 7.2's reset state.

import { describe, expect, it } from 'vitest';
import { Clint } from '../../vm/devices/clint.ts';

function setup(start = 0) {
  let now = start;
  const wakes: number[] = [];
  const clock = { mtime: () => now, setMtime: (t: number) => { now = t; }, wakeAt: (t: number) => { wakes.push(t); } };
  const msip: boolean[] = [];
  const mtip: boolean[] = [];
  const c = new Clint(clock, { set: (l) => { msip.push(l); } }, { set: (l) => { mtip.push(l); } });
  const last = (a: boolean[]) => a[a.length - 1];
  return {
    c, wakes, msip, mtip, last,
    now: () => now, setNow: (t: number) => { now = t; },
    rd: (off: number) => c.read(off, 4), wr: (off: number, v: number) => c.write(off, 4, v),
  };
}

const MSIP = 0x0, CMP_LO = 0x4000, CMP_HI = 0x4004, TIME_LO = 0xbff8, TIME_HI = 0xbffc;

describe('clint reset', () => {
  it('comes up like QEMU 7.2: mtime 0, mtimecmp 0, so MTIP pending; msip 0', () => {
    const t = setup(1234);
    expect(t.now()).toBe(0);
    expect(t.rd(CMP_LO)).toBe(0);
    expect(t.rd(CMP_HI)).toBe(0);
    expect(t.last(t.mtip)).toBe(true);
    expect(t.last(t.msip)).toBe(false);
    expect(t.rd(MSIP)).toBe(0);
  });
});

describe('clint msip', () => {
  it('drives the line from bit 0 only', () => {
    const t = setup();
    t.wr(MSIP, 0xfffffffe);
    expect(t.rd(MSIP)).toBe(0);
    expect(t.last(t.msip)).toBe(false);
    t.wr(MSIP, 1);
    expect(t.rd(MSIP)).toBe(1);
    expect(t.last(t.msip)).toBe(true);
    t.wr(MSIP, 0);
    expect(t.msip).toEqual([false, true, false]);
  });
});

describe('clint mtimecmp and mtime', () => {
  it('keeps mtimecmp as two 32-bit halves', () => {
    const t = setup();
    t.wr(CMP_HI, 0x00000012);
    t.wr(CMP_LO, 0x89abcdef);
    expect(t.rd(CMP_LO)).toBe(0x89abcdef);
    expect(t.rd(CMP_HI)).toBe(0x12);
    expect(t.c.nextDeadline()).toBe(0x12 * 2 ** 32 + 0x89abcdef);
    expect(t.c.read(CMP_LO + 1, 1)).toBe(0xcd);
    t.c.write(CMP_LO + 2, 2, 0x1234);
    expect(t.rd(CMP_LO)).toBe(0x1234cdef);
  });

  it('reads and writes mtime through the clock, in halves', () => {
    const t = setup();
    t.setNow(5 * 2 ** 32 + 7);
    expect(t.rd(TIME_LO)).toBe(7);
    expect(t.rd(TIME_HI)).toBe(5);
    t.wr(TIME_LO, 0xffffffff);
    expect(t.now()).toBe(5 * 2 ** 32 + 0xffffffff);
    t.wr(TIME_HI, 2);
    expect(t.now()).toBe(2 * 2 ** 32 + 0xffffffff);
  });

  it('reports nextDeadline Infinity when mtimecmp is at or beyond 2^53', () => {
    const t = setup();
    t.wr(CMP_HI, 0xffffffff);
    t.wr(CMP_LO, 0xffffffff);
    expect(t.c.nextDeadline()).toBe(Infinity);
    t.wr(CMP_HI, 0x00200000);
    t.wr(CMP_LO, 0);
    expect(t.c.nextDeadline()).toBe(Infinity);
    t.wr(CMP_HI, 0x001fffff);
    expect(t.c.nextDeadline()).toBe(0x1fffff * 2 ** 32);
  });
});

describe('clint MTIP', () => {
  it('follows mtime >= mtimecmp when update() runs', () => {
    const t = setup();
    t.wr(CMP_HI, 0);
    t.wr(CMP_LO, 1000);
    expect(t.last(t.mtip)).toBe(false);
    expect(t.wakes[t.wakes.length - 1]).toBe(1000);
    t.setNow(999);
    t.c.update();
    expect(t.last(t.mtip)).toBe(false);
    t.setNow(1000);
    t.c.update();
    expect(t.last(t.mtip)).toBe(true);
    t.wr(CMP_LO, 2000);               // moving mtimecmp ahead clears MTIP
    expect(t.last(t.mtip)).toBe(false);
    t.wr(TIME_LO, 5000);              // setting mtime past it raises it at once
    expect(t.last(t.mtip)).toBe(true);
  });

  it('compares all 64 bits: a high mtimecmp word keeps MTIP low', () => {
    const t = setup();
    t.wr(CMP_HI, 1);
    t.wr(CMP_LO, 0);
    t.setNow(0xffffffff);
    t.c.update();
    expect(t.last(t.mtip)).toBe(false);
    t.setNow(2 ** 32);
    t.c.update();
    expect(t.last(t.mtip)).toBe(true);
  });

  it('round-trips through save/restore', () => {
    const a = setup();
    a.wr(CMP_LO, 77);
    a.wr(MSIP, 1);
    const b = setup();
    b.c.restore(JSON.parse(JSON.stringify(a.c.save())));
    expect(b.rd(CMP_LO)).toBe(77);
    expect(b.last(b.msip)).toBe(true);
    expect(b.last(b.mtip)).toBe(false);
  });
});
