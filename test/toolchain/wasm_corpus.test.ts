// The translator's differential test: every AssemblyScript program in
// test/as-corpus/ is built with `tessera build`'s pipeline (asc with the fixed
// flags, then our translator) and run twice, in Node's own WebAssembly engine
// (the reference, under the same host environment) and translated on our
// machine in U-mode (`run --user`). stdout, stderr, the exit status and the
// kind of trap must match, and both must meet the expectation the program
// states in its header (`// expect: exit N` or `// expect: trap KIND`),
// written by hand from what the program does.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runUserElf } from '../../cli/user_run.ts';
import { TRAPS } from '../../toolchain/wasm/abi.ts';
import { buildCached, runReference } from './wasm_harness.ts';

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../as-corpus');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.ts')).sort();

interface Expectation { exit: number; trap?: string }

function expectationOf(file: string): Expectation {
  const src = readFileSync(join(CORPUS, file), 'utf8');
  const m = /^\/\/ expect: (exit (\d+)|trap (\w+))$/m.exec(src);
  if (!m) throw new Error(`${file}: no "// expect: exit N" or "// expect: trap KIND" header`);
  if (m[2] !== undefined) return { exit: Number(m[2]) };
  const trap = Object.values(TRAPS).find((t) => t.name === m[3]);
  if (!trap) throw new Error(`${file}: unknown trap kind ${m[3]}`);
  return { exit: trap.exit, trap: trap.name };
}

describe('AssemblyScript corpus: Node WebAssembly vs translated RV32', () => {
  it('has at least 40 programs, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) expectationOf(f);
  });

  for (const file of files) {
    it(file, async () => {
      const want = expectationOf(file);
      const built = await buildCached(join(CORPUS, file));
      const ref = runReference(built.wasm);
      const ours = runUserElf(built.elf, { maxInsns: 200_000_000 });
      expect(ref.trap?.name, `reference: ${ref.error ?? ''}`).toBe(want.trap);
      expect(ref.exitCode).toBe(want.exit);
      expect(ours.stdout).toBe(ref.stdout);
      expect(ours.stderr).toBe(ref.stderr);
      expect(ours.trap?.name, ours.message).toBe(ref.trap?.name);
      expect(ours.exitCode, ours.message).toBe(ref.exitCode);
      if (want.trap) {
        // A trap is reported with the source line it happened on.
        expect(ours.message).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+`));
      } else {
        expect(ours.message).toBeUndefined();
      }
    });
  }
});
