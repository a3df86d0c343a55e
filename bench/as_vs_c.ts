// as_vs_c_insns: how many instructions our AssemblyScript -> wasm -> RV32
// translation retires per kernel run, divided by what riscv64-unknown-elf-gcc
// -O2 code retires for the same kernel written in C (bench/kernels/: a sieve,
// CRC-32, insertion sort). Both run on our machine under `run --user`, whose
// instruction count is exact.
//
// Each program is built twice, running its kernel REPS = 1 and REPS = 1 + K
// times, and the figure is the difference over K: start-up (the runtime's
// initialisation, printing) cancels out. The AssemblyScript and C programs
// must print the same checksum, or the bench fails.
//
// Entry points: asVsC (returns {bench, value, unit} rows; bench/run.ts emits
// them), KERNELS. Run alone: npx tsx bench/as_vs_c.ts

import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFile } from '../toolchain/build.ts';
import { runUserElf } from '../cli/user_run.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const KDIR = join(HERE, 'kernels');
const ABI = join(ROOT, 'test/abi');
export const KERNELS = ['sieve', 'crc32', 'isort'] as const;
const GCC = 'riscv64-unknown-elf-gcc';
const CFLAGS = ['-march=rv32ima_zicsr_zifencei', '-mabi=ilp32', '-O2', '-ffreestanding', '-nostdlib', '-nostartfiles', '-static',
  '-fno-asynchronous-unwind-tables'];

export interface BenchRow { bench: string; value: number; unit: string }

function gcc(args: string[]): string {
  const r = spawnSync(GCC, args, { cwd: KDIR, encoding: 'utf8' });
  if (r.error) throw new Error(`${GCC} not found: install the Debian package gcc-riscv64-unknown-elf`);
  if (r.status !== 0) throw new Error(`${GCC} failed:\n${r.stderr}`);
  return r.stdout.trim();
}

function run(elf: Uint8Array, what: string): { insns: number; stdout: string } {
  const r = runUserElf(elf, { maxInsns: 2_000_000_000 });
  if (r.exitCode !== 0) throw new Error(`${what}: exit ${r.exitCode} ${r.message ?? ''}`);
  return { insns: r.insns, stdout: r.stdout };
}

async function buildAs(dir: string, kernel: string, reps: number): Promise<Uint8Array> {
  const lib = relative(dir, join(ROOT, 'servers/lib/index')).split('\\').join('/');
  const src = readFileSync(join(KDIR, `${kernel}.ts`), 'utf8')
    .replace(/const REPS: i32 = \d+;/, `const REPS: i32 = ${reps};`)
    .replace('"../../servers/lib/index"', `"${lib}"`);
  const file = join(dir, `${kernel}_${reps}.ts`);
  writeFileSync(file, src);
  return (await buildFile(file)).elf;
}

function buildC(dir: string, kernel: string, reps: number, libgcc: string): Uint8Array {
  const out = join(dir, `${kernel}_${reps}.elf`);
  gcc([...CFLAGS, `-DREPS=${reps}`, '-T', join(ABI, 'tessera.ld'), '-o', out, join(ABI, 'crt0.S'), `${kernel}.c`, libgcc]);
  return readFileSync(out);
}

/** Instructions per kernel run for the AssemblyScript and the C version of `kernel`. */
async function measure(dir: string, kernel: string, k: number, libgcc: string): Promise<{ as: number; c: number }> {
  const per = { as: 0, c: 0 };
  const outs: Record<string, string> = {};
  for (const lang of ['as', 'c'] as const) {
    const counts: number[] = [];
    for (const reps of [1, 1 + k]) {
      const elf = lang === 'as' ? await buildAs(dir, kernel, reps) : buildC(dir, kernel, reps, libgcc);
      const r = run(elf, `${kernel}.${lang} (REPS=${reps})`);
      counts.push(r.insns);
      outs[`${lang}${reps}`] = r.stdout;
    }
    per[lang] = (counts[1] - counts[0]) / k;
  }
  for (const reps of [1, 1 + k]) {
    if (outs[`as${reps}`] !== outs[`c${reps}`]) {
      throw new Error(`${kernel}: AssemblyScript prints ${JSON.stringify(outs[`as${reps}`])}, C ${JSON.stringify(outs[`c${reps}`])}`);
    }
  }
  return per;
}

/** The as_vs_c_insns rows: one per kernel, and their geometric mean as `as_vs_c_insns`. */
export async function asVsC(opts: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const k = opts.quick ? 2 : 10;
  const libgcc = gcc(['-march=rv32im', '-mabi=ilp32', '-print-libgcc-file-name']);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-asvsc-'));
  const rows: BenchRow[] = [];
  try {
    let logSum = 0;
    for (const kernel of KERNELS) {
      const { as, c } = await measure(dir, kernel, k, libgcc);
      rows.push({ bench: `as_insns_${kernel}`, value: as, unit: 'insns/run' });
      rows.push({ bench: `c_insns_${kernel}`, value: c, unit: 'insns/run' });
      rows.push({ bench: `as_vs_c_insns_${kernel}`, value: as / c, unit: 'ratio' });
      logSum += Math.log(as / c);
    }
    rows.push({ bench: 'as_vs_c_insns', value: Math.exp(logSum / KERNELS.length), unit: 'ratio (geometric mean)' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const isMain = process.argv[1] !== undefined && /[\\/]bench[\\/]as_vs_c\.ts$/.test(process.argv[1]);
if (isMain) {
  asVsC({ quick: process.argv.includes('--quick') }).then((rows) => {
    for (const r of rows) console.log(JSON.stringify({ bench: r.bench, value: Number(r.value.toFixed(3)), unit: r.unit }));
  });
}
