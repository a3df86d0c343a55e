// Reference run of the test/isa suite: every program built with the GNU
// tools and run on QEMU 7.2 must give the result its header promises (pass,
// or the documented `# qemu: fail N` where QEMU departs from the spec).
// This validates the programs themselves, independently of Tessera's
// assembler and machine (conformance.test.ts checks those).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWithGnu } from './gnu.ts';
import { explainExit, loadPrograms, runOnQemu } from './qemu.ts';

const dir = dirname(fileURLToPath(import.meta.url));
const programs = loadPrograms(dir);
const outDir = mkdtempSync(join(tmpdir(), 'tessera-isa-gnu-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('test/isa suite itself', () => {
  it('has at least 70 programs, each with a distinct name and a description', () => {
    expect(programs.length).toBeGreaterThanOrEqual(70);
    expect(new Set(programs.map((p) => p.name)).size).toBe(programs.length);
    for (const p of programs) expect(p.description.length, p.name).toBeGreaterThan(10);
  });

  it('README.md lists every program, and every QEMU deviation in its table', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const deviations = readme.slice(readme.indexOf('## Where QEMU'), readme.indexOf('## Programs'));
    for (const p of programs) {
      expect(readme, `README.md does not list ${p.name}`).toContain(`\`${p.name}\``);
      if (p.qemuExitCode !== 0) expect(deviations, `${p.name} missing from the deviation table`).toContain(`\`${p.name}\``);
    }
  });
});

describe.concurrent('test/isa on QEMU, built with GNU as', () => {
  for (const prog of programs) {
    it(prog.name, { timeout: 60_000 }, async () => {
      const elf = await buildWithGnu(prog.path, outDir);
      const r = await runOnQemu(elf, { stdin: prog.stdin });
      expect(r.timedOut, `${prog.name} timed out on QEMU; stderr: ${r.stderr}`).toBe(false);
      const want = explainExit(prog, prog.qemuExitCode);
      const got = explainExit(prog, r.exitCode);
      expect(r.exitCode, `${prog.name} on QEMU: ${got} (expected: ${want}); stderr: ${r.stderr}`)
        .toBe(prog.qemuExitCode);
    });
  }
});
