// Boot to prompt and file reading (issue 6) on the default image
// (firmware/build.ts: the real system, /bin on the disk), from power-on (a
// new board with the firmware loaded and the disk attached) to the moment
// the shell's prompt is on the console and the system waits for input with
// nothing runnable:
//
//   boot_to_prompt_ms        host ms, the first boot in a fresh process (what
//                            `tessera boot` costs once its image is built;
//                            the median of a few processes)
//   boot_to_prompt_warm_ms   host ms, the best of several boots in one warm
//                            process (the emulator's code already compiled)
//   boot_to_prompt_insns     guest instructions retired by then: the
//                            firmware's and the servers' (the kernel runs
//                            on the host and retires none)
//   file_read_mbps           MiB/s of host time: `cat /big > /dev/null` at
//                            the prompt, a 4 MiB file through vfs, mfs and
//                            blk (mfs's cache holds 512 KiB, so the disk is
//                            read), from the line typed to the next prompt
//                            (cat's exec from /bin included); the median of
//                            a few boots in one process
//   file_read_insns          guest instructions of that command
//
// Each boot has its own in-memory copy of a new default image (built here,
// from the servers' cache), so neither the cached image nor what a user's
// sessions wrote to it changes the figures. Goal: boot to prompt under 0.5 s.
//
// Entry points: benchBoot (rows for bench/run.ts); run directly
// (`tsx bench/boot.ts [--quick]`) it prints them as JSON lines.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MemoryBackend } from '../vm/devices/virtio_blk.ts';
import { ResidentBoot } from '../kernel/boot.ts';
import { loadProgram } from '../cli/run.ts';
import { buildDefaultImage, firmwareElf } from '../firmware/build.ts';
import { openFs } from '../toolchain/image/disk.ts';

export interface BenchRow { bench: string; value: number; unit: string }

/** The end of the console when the shell waits at its prompt. */
const PROMPT = /[$#] $/;
const MAX_INSNS = 2_000_000_000;
/** The file cat reads for file_read_mbps. */
const BIG = { path: '/big', size: 4 << 20 };
const READ_COMMAND = `cat ${BIG.path} > /dev/null\n`;

interface OneBoot { ms: number; insns: number }

/** A machine booting `disk` with the firmware, its console collected. */
class Machine {
  readonly m: ResidentBoot;
  private out: number[] = [];

  constructor(fw: Uint8Array, disk: Uint8Array) {
    this.m = new ResidentBoot({ disk: new MemoryBackend(disk), output: (b) => { this.out.push(b); } });
    loadProgram(this.m.board, fw);
  }

  text(): string {
    return Buffer.from(this.out).toString('latin1');
  }

  /** Run until the shell's prompt ends the console and the system idles; throws if it never does. */
  toPrompt(what: string): void {
    const m = this.m;
    let atPrompt = false;
    m.onIdle = () => {
      const tail = Buffer.from(this.out.slice(-8)).toString('latin1');
      if (PROMPT.test(tail) && !m.board.hart.interruptWaiting() && !m.board.hasPendingInput()) { atPrompt = true; m.board.stop(); }
    };
    const r = m.board.run(MAX_INSNS);
    m.onIdle = undefined;
    if (!atPrompt) throw new Error(`boot bench: no prompt ${what} (${r.kind}); the console said:\n${this.text()}`);
  }

  /** Type `line` and run to the next prompt: host ms and guest instructions. */
  command(line: string): OneBoot {
    const before = this.text().length, i0 = this.m.board.hart.retired;
    const t0 = performance.now();
    this.m.board.input(Buffer.from(line, 'latin1'));
    this.toPrompt(`after ${JSON.stringify(line)}`);
    const ms = performance.now() - t0;
    const said = this.text().slice(before).replace(/\r\n/g, '\n');
    if (said !== `${line}$ `) throw new Error(`boot bench: ${JSON.stringify(line)} printed ${JSON.stringify(said)}`);
    return { ms, insns: this.m.board.hart.retired - i0 };
  }
}

/** One boot of `disk` (bytes of an image) to the prompt. Throws if it never gets there. */
function bootOnce(fw: Uint8Array, disk: Uint8Array): OneBoot {
  const t0 = performance.now();
  const machine = new Machine(fw, disk);
  machine.toPrompt('after power-on');
  return { ms: performance.now() - t0, insns: machine.m.board.hart.retired };
}

let image: Promise<Uint8Array> | undefined;
async function inputs(): Promise<{ fw: Uint8Array; disk: Uint8Array }> {
  image ??= buildDefaultImage();
  return { fw: await firmwareElf(), disk: await image };
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

/** `n` boots of the default image with BIG added, each reading it once with cat. */
async function fileReads(n: number): Promise<OneBoot[]> {
  const { fw, disk } = await inputs();
  const big = disk.slice();
  const { fs } = openFs(big);
  fs.writeFile(BIG.path, Uint8Array.from({ length: BIG.size }, (_, i) => (i * 7 + (i >> 12)) & 0xff));
  const runs: OneBoot[] = [];
  for (let i = 0; i < n; i++) {
    const machine = new Machine(fw, big.slice());
    machine.toPrompt('after power-on');
    runs.push(machine.command(READ_COMMAND));
  }
  return runs;
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
  const reads = await fileReads(opts.quick ? 1 : 3);
  return [
    { bench: 'boot_to_prompt_ms', value: median(cold.map((c) => c.ms)), unit: 'ms' },
    { bench: 'boot_to_prompt_warm_ms', value: Math.min(...warm.slice(1).map((w) => w.ms)), unit: 'ms' },
    { bench: 'boot_to_prompt_insns', value: insns, unit: 'insns' },
    { bench: 'file_read_mbps', value: (BIG.size / 2 ** 20) / (median(reads.map((r) => r.ms)) / 1000), unit: 'MiB/s' },
    { bench: 'file_read_insns', value: reads[0].insns, unit: 'insns' },
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
