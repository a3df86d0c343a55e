// The test/isa conformance suite: every program is assembled by Tessera's
// assembler, run on Tessera's machine (it must pass: the programs follow
// the privileged spec) with the translator and with the interpreter only
// (which must agree to the retired instruction), and the very same ELF
// bytes run on QEMU 7.2, which
// must give its documented result (pass, or `# qemu: fail N` where QEMU
// departs from the spec; see README.md).
//
// Program headers, the pass/fail convention and the QEMU configuration are
// described in README.md, prelude.inc and qemu.ts.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../toolchain/asm/index.ts';
import { runElfSync } from '../../cli/run.ts';
import { explainExit, loadPrograms, runOnQemu, type IsaProgram } from './qemu.ts';

const dir = dirname(fileURLToPath(import.meta.url));
const programs = loadPrograms(dir);
const elfDir = mkdtempSync(join(tmpdir(), 'tessera-isa-'));
/** Generous: the longest program retires well under a million instructions. */
const DEFAULT_MAX_INSNS = 5_000_000;

afterAll(() => rmSync(elfDir, { recursive: true, force: true }));

/** `.include` paths: as resolved by the assembler, else relative to test/isa (GNU as -I). */
function readInclude(path: string): string {
  const inSuite = join(dir, path);
  return readFileSync(isAbsolute(path) || !existsSync(inSuite) ? path : inSuite, 'utf8');
}

const latin1Bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

const elfCache = new Map<string, Uint8Array>();

/** Our assembler's ELF for `prog`, built once and shared by both machines. */
function buildElf(prog: IsaProgram): Uint8Array {
  let elf = elfCache.get(prog.name);
  if (!elf) {
    const source = readFileSync(prog.path, 'utf8');
    elf = assemble(source, { filename: prog.path, readFile: readInclude }).elf;
    elfCache.set(prog.name, elf);
  }
  return elf;
}

describe.concurrent('test/isa conformance', () => {
  for (const prog of programs) {
    describe(prog.name, () => {
      it('passes on Tessera, translated and interpreted alike', { timeout: 60_000 }, () => {
        // Translated from the first entry (jitHotAfter 0): these programs are too short to get hot.
        const run = (jit: boolean) => runElfSync(buildElf(prog), {
          jit, jitHotAfter: 0,
          maxInsns: prog.maxInsns ?? DEFAULT_MAX_INSNS,
          stdin: prog.stdin === undefined ? undefined : latin1Bytes(prog.stdin),
        });
        const r = run(true);
        const what = `${prog.name} on Tessera: ${explainExit(prog, r.exitCode)}; stop reason: ${r.reason}, ` +
          `${r.insns} instructions, output ${JSON.stringify(r.stdout)}`;
        expect(r.exitCode, what).toBe(0);
        // The interpreter must agree to the instruction: same result, output and count.
        const i = run(false);
        expect({ exit: i.exitCode, out: i.stdout, insns: i.insns }, `${prog.name} interpreted`)
          .toEqual({ exit: r.exitCode, out: r.stdout, insns: r.insns });
      });

      it('gives the same result on QEMU', { timeout: 60_000 }, async () => {
        const path = join(elfDir, `${prog.name}.elf`);
        writeFileSync(path, buildElf(prog));
        let r = await runOnQemu(path, { stdin: prog.stdin });
        // QEMU delivers stdin to the UART from its I/O thread, in real time: on a loaded machine
        // the guest's bounded wait can run out first. Such a program gets one more try.
        if (prog.stdin !== undefined && r.exitCode !== prog.qemuExitCode) r = await runOnQemu(path, { stdin: prog.stdin });
        expect(r.timedOut, `${prog.name} timed out on QEMU; stderr: ${r.stderr}`).toBe(false);
        const want = explainExit(prog, prog.qemuExitCode);
        expect(r.exitCode, `${prog.name} on QEMU: ${explainExit(prog, r.exitCode)} (expected: ${want})`)
          .toBe(prog.qemuExitCode);
      });
    });
  }
});
