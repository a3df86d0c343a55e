// `tessera demo` (npm start until the OS boots): assemble examples/demo.s
// with our assembler, run it on the board with the console attached, and
// report how fast the machine ran it.
//
// Entry point: runDemo.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Board } from '../vm/board.ts';
import { assemble } from '../toolchain/asm/index.ts';
import { loadProgram, describeStop } from './run.ts';
import { runConsole } from './console.ts';

export const DEMO_SOURCE = fileURLToPath(new URL('../examples/demo.s', import.meta.url));

export async function runDemo(): Promise<number> {
  const { elf } = assemble(readFileSync(DEMO_SOURCE, 'utf8'), { filename: 'examples/demo.s' });
  const board = new Board({ output: (b) => process.stdout.write(String.fromCharCode(b)) });
  loadProgram(board, elf);
  const t0 = performance.now();
  const r = await runConsole(board, { maxInsns: 1e9, input: process.stdin });
  const ms = performance.now() - t0;
  const n = board.hart.retired;
  process.stdout.write(`[host: ${n} instructions in ${ms.toFixed(0)} ms, ${(n / ms / 1000).toFixed(1)} MIPS]\n`);
  const { exitCode, message } = describeStop(r, n);
  if (message) process.stderr.write(`tessera: ${message}\n`);
  return exitCode;
}
