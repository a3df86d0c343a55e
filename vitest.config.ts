import { defineConfig } from 'vitest/config';

// Tests live under test/ (unit tests named after the module they test,
// test/isa for the conformance suite). Some tests drive QEMU and the GNU
// tools, so timeouts are generous; CI has 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
