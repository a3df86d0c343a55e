// Test helper: run the GNU RISC-V binutils as the reference for the
// assembler and ELF tests. A missing tool is a failure with the package to
// install, never a skipped test.
//
// Entry points: requireGnu, gnuBuild, readelf, objdump, tempDir.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'riscv64-unknown-elf-';
const INSTALL = 'GNU RISC-V binutils are missing: install binutils-riscv64-unknown-elf (apt-get install binutils-riscv64-unknown-elf)';

function run(tool: string, args: string[], cwd?: string): string {
  const r = spawnSync(PREFIX + tool, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${INSTALL} (${PREFIX}${tool}: ${r.error.message})`);
  if (r.status !== 0) throw new Error(`${PREFIX}${tool} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

let present = false;

/** Throws with the install hint if any GNU tool the tests use is missing (each test calls it, so each fails). */
export function requireGnu(): void {
  if (present) return;
  for (const t of ['as', 'ld', 'readelf', 'objdump']) run(t, ['--version']);
  present = true;
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tessera-asm-'));

export interface Placement {
  name: string;
  addr: number;
}

/**
 * Assemble `srcPath` with GNU as (no relaxation) and link it with a linker
 * script that puts each named section at the given address. Returns the ELF path.
 */
export function gnuBuild(srcPath: string, places: Placement[], includeDir: string, dir = tempDir()): string {
  const obj = join(dir, 'gnu.o'), elf = join(dir, 'gnu.elf'), lds = join(dir, 'gnu.ld');
  run('as', ['-march=rv32ima_zicsr_zifencei', '-mabi=ilp32', '-mno-relax', '-I', includeDir, '-o', obj, srcPath]);
  const body = places.map((p) => `  ${p.name} 0x${p.addr.toString(16)} : { *(${p.name}) }`).join('\n');
  writeFileSync(lds, `ENTRY(_start)\nSECTIONS\n{\n${body}\n}\n`);
  run('ld', ['-m', 'elf32lriscv', '--no-relax', '-T', lds, '-o', elf, obj]);
  return elf;
}

export const readelf = (args: string[], file: string): string => run('readelf', [...args, file]);
export const objdump = (args: string[], file: string): string => run('objdump', [...args, file]);
export const readBytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
