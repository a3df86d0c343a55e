// Boot to prompt (issue 6) on the default image (firmware/build.ts), from
// power-on (a new board with the firmware loaded and the disk attached) to
// the moment the shell's prompt is on the console and the system waits for
// input with nothing runnable:
//
//   boot_to_prompt_ms        host ms, the first boot in a fresh process (what
//                            `tessera boot` costs once its modules are
//                            loaded; the median of a few processes)
//   boot_to_prompt_warm_ms   host ms, the best of several boots in one warm
//                            process (the emulator's code already compiled)
//   boot_to_prompt_insns     guest instructions retired by then: the
//                            firmware's and the servers' (the kernel runs
//                            on the host and retires none)
//
// The disk is an in-memory copy of the default image, so the cached image
// is left as it is. Goal: boot to prompt under 0.5 s.
//
// Entry points: benchBoot (rows for bench/run.ts); run directly
// (`tsx bench/boot.ts [--quick]`) it prints them as JSON lines.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MemoryBackend } from '../vm/devices/virtio_blk.ts';
import { ResidentBoot } from '../kernel/boot.ts';
import { loadProgram } from '../cli/run.ts';
import { defaultImage, firmwareElf } from '../firmware/build.ts';

export interface BenchRow { bench: string; value: number; unit: string }

/** The end of the console when the shell waits at its prompt. */
const PROMPT = /[$#] $/;
const MAX_INSNS = 2_000_000_000;

interface OneBoot { ms: number; insns: number }

/** One boot of `disk` (bytes of an image) to the prompt. Throws if it never gets there. */
function bootOnce(fw: Uint8Array, disk: Uint8Array): OneBoot {
  const out: number[] = [];
  const t0 = performance.now();
  const m = new ResidentBoot({ disk: new MemoryBackend(disk), output: (b) => { out.push(b); } });
  loadProgram(m.board, fw);
  let atPrompt = false;
  m.onIdle = () => {
    if (PROMPT.test(Buffer.from(out.slice(-8)).toString('latin1'))) { atPrompt = true; m.board.stop(); }
  };
  const r = m.board.run(MAX_INSNS);
  const ms = performance.now() - t0;
  // A system whose idle has no timer armed ends the run as 'idle' instead of at onIdle's stop.
  if (!atPrompt && !(r.kind === 'idle' && PROMPT.test(Buffer.from(out).toString('latin1')))) {
    throw new Error(`boot bench: no prompt (${r.kind}); the console said:\n${Buffer.from(out).toString('latin1')}`);
  }
  return { ms, insns: m.board.hart.retired };
}

async function inputs(): Promise<{ fw: Uint8Array; disk: Uint8Array }> {
  const fw = await firmwareElf();
  const disk = readFileSync((await defaultImage()).path);
  return { fw, disk };
}

/** In this process: `n` boots, each on a fresh copy of the disk. */
async function bootsHere(n: number): Promise<OneBoot[]> {
  const { fw, disk } = await inputs();
  const runs: OneBoot[] = [];
  for (let i = 0; i < n; i++) runs.push(bootOnce(fw, disk.slice()));
  return runs;
}

/** The first boot of a fresh process (this file run with --one). */
function coldBoot(): OneBoot {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--one'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`boot bench: the child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as OneBoot;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchBoot(opts: { quick?: boolean } = {}): Promise<BenchRow[]> {
  await inputs(); // built (if need be) before anything is timed
  const cold = Array.from({ length: opts.quick ? 1 : 3 }, coldBoot);
  const warm = await bootsHere(opts.quick ? 3 : 10);
  const insns = warm[0].insns;
  if (warm.some((w) => w.insns !== insns) || cold.some((c) => c.insns !== insns)) {
    throw new Error(`boot bench: boots retired different counts (${[...cold, ...warm].map((w) => w.insns).join(', ')}): not deterministic`);
  }
  return [
    { bench: 'boot_to_prompt_ms', value: median(cold.map((c) => c.ms)), unit: 'ms' },
    { bench: 'boot_to_prompt_warm_ms', value: Math.min(...warm.slice(1).map((w) => w.ms)), unit: 'ms' },
    { bench: 'boot_to_prompt_insns', value: insns, unit: 'insns' },
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--one')) {
    const [one] = await bootsHere(1);
    console.log(JSON.stringify(one));
  } else {
    for (const r of await benchBoot({ quick: process.argv.includes('--quick') })) {
      console.log(JSON.stringify({ bench: r.bench, value: Number(r.value.toFixed(3)), unit: r.unit }));
    }
  }
}
