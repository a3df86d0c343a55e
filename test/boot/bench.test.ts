// bench/boot.ts keeps working: its quick run boots the default image to the
// prompt, in a fresh process and in this one, with the same instruction
// count each time (the machine is deterministic).

import { describe, expect, it } from 'vitest';
import { benchBoot } from '../../bench/boot.ts';

describe('the boot benchmark', () => {
  it('gives boot_to_prompt_ms, boot_to_prompt_warm_ms and boot_to_prompt_insns', async () => {
    const rows = await benchBoot({ quick: true });
    expect(rows.map((r) => [r.bench, r.unit])).toEqual([
      ['boot_to_prompt_ms', 'ms'], ['boot_to_prompt_warm_ms', 'ms'], ['boot_to_prompt_insns', 'insns'],
    ]);
    for (const r of rows) expect(r.value).toBeGreaterThan(0);
    expect(Number.isInteger(rows[2].value)).toBe(true);
  });
});
