// rss_mib for `npm run bench`: host resident memory after a 128 MiB guest has
// written every page of its RAM (programs/touch.s), measured in a process of
// its own, so nothing else the bench loads (asc, booted systems, disk
// images) counts. Run directly, it prints the figure in MiB.
//
// Entry points: rssMib.

import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assemble } from '../toolchain/asm/index.ts';
import { runElfSync } from '../cli/run.ts';

/** The figure, from a child process running this file. */
export function rssMib(): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { encoding: 'utf8', timeout: 300_000 });
  const v = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isFinite(v)) throw new Error(`bench/rss: the child failed (${r.status}): ${r.stderr}`);
  return v;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const touch = assemble(readFileSync(new URL('./programs/touch.s', import.meta.url), 'utf8'), { filename: 'touch.s' }).elf;
  if (runElfSync(touch, {}).exitCode !== 0) throw new Error('touch.s failed');
  console.log((process.memoryUsage().rss / 1048576).toFixed(1));
}
