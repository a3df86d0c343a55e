// bench/boot.ts keeps working: its quick run boots the default image (the
// real system) to the prompt, in a fresh process and in this one, with the
// same instruction count each time (the machine is deterministic), and
// reads a 4 MiB file with cat at the prompt.

import { describe, expect, it } from 'vitest';
import { benchBoot } from '../../bench/boot.ts';

describe('the boot benchmark', () => {
  it('gives boot_to_prompt_ms, _warm_ms and _insns, file_read_mbps and file_read_insns', async () => {
    const rows = await benchBoot({ quick: true });
    expect(rows.map((r) => [r.bench, r.unit])).toEqual([
      ['boot_to_prompt_ms', 'ms'], ['boot_to_prompt_warm_ms', 'ms'], ['boot_to_prompt_insns', 'insns'],
      ['file_read_mbps', 'MiB/s'], ['file_read_insns', 'insns'],
    ]);
    for (const r of rows) expect(r.value).toBeGreaterThan(0);
    expect(Number.isInteger(rows[2].value)).toBe(true);
    expect(Number.isInteger(rows[4].value)).toBe(true);
  }, 300_000);
});
