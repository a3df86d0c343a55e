// Servers run forever, so their memory must not grow with the work they do
// (DESIGN.md, "Toolchain"): 100,000 requests to pm, ds and tty (a third
// each) after a warm-up, and every server's page count is what it was.

import { describe, expect, it } from 'vitest';
import { buildTestSystem, Session } from './session.ts';

describe('memory under load', () => {
  // Seconds alone; a machine busy with other work can make it minutes.
  it('pm, ds, tty and rs keep their page counts over 100,000 requests', { timeout: 180_000 }, async () => {
    const s = new Session(await buildTestSystem());
    expect(s.prompt(5_000_000)).toBe(true);
    const pages = (): Record<string, number> => Object.fromEntries(['pm', 'ds', 'rs', 'tty']
      .map((n) => [n, s.kernel.procs.byName(n)!.space!.pages]));
    expect(s.command('soak 1000')).toBe('soak done, 0 failed\n');
    const before = pages();
    const t0 = performance.now();
    expect(s.command('soak 33334', 2_000_000_000)).toBe('soak done, 0 failed\n');
    const ms = performance.now() - t0;
    expect(pages()).toEqual(before);
    console.log(`soak: 100,002 requests in ${Math.round(ms)} ms; pages ${JSON.stringify(before)}`);
  });
});
