// Builds a test/isa program with the GNU RISC-V tools, the reference
// toolchain: it validated the suite before our own assembler existed, and it
// stays as a second opinion when our assembler and GNU as disagree.
//
// The flags are the suite's contract: RV32IMA + Zicsr + Zifencei, ilp32,
// text at 0x80000000, entry _start, no linker relaxation (our assembler does
// not relax either, so both ELFs run the same instruction sequence).
//
// Entry points: buildWithGnu(srcPath, outDir?) -> path of the linked ELF
// (in outDir, or a fresh temp dir); GNU_AS, GNU_LD, findOnPath.

import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const GNU_AS = 'riscv64-unknown-elf-as';
export const GNU_LD = 'riscv64-unknown-elf-ld';

const AS_FLAGS = ['-march=rv32ima_zicsr_zifencei', '-mabi=ilp32'];
const LD_FLAGS = ['-m', 'elf32lriscv', '-Ttext=0x80000000', '--no-relax', '-e', '_start'];

/** Absolute path of `tool` on PATH, or undefined. */
export function findOnPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function requireTool(tool: string): void {
  if (!findOnPath(tool)) {
    throw new Error(
      `${tool} not found on PATH: install the Debian packages binutils-riscv64-unknown-elf ` +
        `(and gcc-riscv64-unknown-elf) to build test/isa programs with the GNU tools`,
    );
  }
}

/**
 * Assemble and link `srcPath` (its directory is on the include path, so
 * `.include "prelude.inc"` resolves) into `outDir` (default: a new temp
 * dir, left for the caller). Returns the ELF path; throws with the tool's
 * diagnostics if either step fails.
 */
export async function buildWithGnu(srcPath: string, outDir?: string): Promise<string> {
  requireTool(GNU_AS);
  requireTool(GNU_LD);
  const dir = outDir ?? mkdtempSync(join(tmpdir(), 'tessera-isa-gnu-'));
  const stem = basename(srcPath).replace(/\.s$/, '');
  const obj = join(dir, `${stem}.o`);
  const elf = join(dir, `${stem}.elf`);
  try {
    await run(GNU_AS, [...AS_FLAGS, '-I', dirname(srcPath), '-o', obj, srcPath]);
    await run(GNU_LD, [...LD_FLAGS, '-o', elf, obj]);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`GNU build of ${basename(srcPath)} failed:\n${e.stderr || e.message}`);
  }
  return elf;
}
