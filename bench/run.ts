// `npm run bench`: one JSON object per line, {"bench", "value", "unit"}.
//
//   mips          CPU-bound guest (bench/programs/cpu.s, ~300 M instructions) on our machine
//   mips_interp   the same with the translator off (the interpreter alone)
//   mips_debugger the same under the debugger with nothing set (resume() in slices, as the REPL runs it)
//   debugger_overhead_pct  how much slower that is than `mips` (the bound: 5)
//   qemu_mips     the same ELF on qemu-system-riscv32 -M virt (TCG), when installed
//   mips_ratio    mips / qemu_mips, measured in the same run
//   rss_mib       host resident memory after a 128 MiB guest has written every page of its RAM (bench/rss.ts, in a process of its own)
//   ipc_roundtrip_ns[_ts|_wasm], ipc_roundtrip_insn_equiv[...], ctxsw_ns[...]  the kernel (bench/kernel.ts)
//   as_vs_c_insns[_KERNEL]  translated AssemblyScript vs gcc -O2 instructions (bench/as_vs_c.ts)
//   boot_to_prompt_ms, boot_to_prompt_warm_ms, boot_to_prompt_insns  the default image (bench/boot.ts)
//   file_read_mbps, file_read_insns  cat of a 4 MiB file through vfs, mfs and blk (bench/boot.ts)
//
// QEMU's rate excludes its start-up: the program is run at two lengths and
// the rate is the difference in instructions (counted exactly on our
// machine) over the difference in wall time. Both machines must print the
// same checksum, or the bench fails.
//
// Options: --passes N (workload length), --quick (a short run for smoke tests).

import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assemble } from '../toolchain/asm/index.ts';
import { runElfSync, loadProgram } from '../cli/run.ts';
import { Board } from '../vm/board.ts';
import { Debugger } from '../vm/debug/debugger.ts';
import { benchKernel } from './kernel.ts';
import { asVsC } from './as_vs_c.ts';
import { benchBoot } from './boot.ts';
import { rssMib } from './rss.ts';

const SOURCE = new URL('./programs/cpu.s', import.meta.url);

function emit(bench: string, value: number, unit: string): void {
  console.log(JSON.stringify({ bench, value: Number(value.toFixed(3)), unit }));
}

function buildWorkload(passes: number): Uint8Array {
  const src = readFileSync(SOURCE, 'utf8');
  return assemble(`.equ PASSES, ${passes}\n` + src, { filename: 'cpu.s' }).elf;
}

interface Measured { insns: number; ms: number; stdout: string }

/** The workload under an attached debugger with no breakpoints, driven like the REPL drives it. */
function runDebugged(elf: Uint8Array): Measured {
  const out: number[] = [];
  const board = new Board({ output: (b) => out.push(b) });
  loadProgram(board, elf);
  const dbg = new Debugger(board);
  const t0 = performance.now();
  let ev;
  do ev = dbg.resume(2_000_000); while (ev === undefined);
  const ms = performance.now() - t0;
  if (ev.reason !== 'exited' || ev.code !== 0) throw new Error(`workload under the debugger stopped: ${ev.reason}`);
  return { insns: board.hart.retired, ms, stdout: Buffer.from(out).toString('latin1') };
}

function runOurs(elf: Uint8Array, jit = true): Measured {
  const t0 = performance.now();
  const r = runElfSync(elf, { jit });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`workload failed on Tessera: exit ${r.exitCode} ${r.message ?? ''}`);
  return { insns: r.insns, ms, stdout: r.stdout };
}

function runQemu(path: string): { ms: number; stdout: string } | undefined {
  const args = ['-M', 'virt', '-bios', 'none', '-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-kernel', path];
  const t0 = performance.now();
  const r = spawnSync('qemu-system-riscv32', args, { encoding: 'latin1', timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.error) return undefined;
  if (r.status !== 0) throw new Error(`workload failed on QEMU: exit ${r.status}`);
  return { ms, stdout: r.stdout };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const pi = process.argv.indexOf('--passes');
  const passes = pi > 0 ? Number(process.argv[pi + 1]) : quick ? 40 : 1300;
  const short = Math.max(1, Math.floor(passes / 8));
  const elf = buildWorkload(passes);
  const elfShort = buildWorkload(short);

  runOurs(elfShort); // let V8 compile the interpreter before timing
  const ours = runOurs(elf);
  const mips = ours.insns / ours.ms / 1000;
  emit('mips', mips, 'MIPS');
  runOurs(elfShort, false);
  const interp = runOurs(elf, false);
  if (interp.stdout !== ours.stdout) throw new Error('checksum differs between the translator and the interpreter');
  emit('mips_interp', interp.insns / interp.ms / 1000, 'MIPS');
  // Alternate plain and debugged runs and compare the best of each (translated code varies run to run).
  let best = ours.ms, bestDbg = Infinity;
  for (let i = 0; i < 6; i++) {
    const d = runDebugged(elf);
    if (d.stdout !== ours.stdout || d.insns !== ours.insns) throw new Error('the debugger changed the run');
    bestDbg = Math.min(bestDbg, d.ms);
    best = Math.min(best, runOurs(elf).ms);
  }
  emit('mips_debugger', ours.insns / bestDbg / 1000, 'MIPS');
  emit('debugger_overhead_pct', (bestDbg / best - 1) * 100, '%');

  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  try {
    const long = join(dir, 'cpu.elf'), brief = join(dir, 'cpu-short.elf');
    writeFileSync(long, elf);
    writeFileSync(brief, elfShort);
    const q1 = runQemu(brief);
    const q2 = q1 && runQemu(long);
    if (q1 && q2) {
      if (q2.stdout !== ours.stdout) throw new Error(`checksum differs: QEMU ${q2.stdout.trim()} vs Tessera ${ours.stdout.trim()}`);
      const shortInsns = runElfSync(elfShort, {}).insns;
      const qemuMips = (ours.insns - shortInsns) / Math.max(1e-3, q2.ms - q1.ms) / 1000;
      emit('qemu_mips', qemuMips, 'MIPS');
      emit('mips_ratio', mips / qemuMips, 'ratio');
    } else {
      console.error('bench: qemu-system-riscv32 not found (Debian package qemu-system-misc); qemu_mips skipped');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const row of benchKernel({ quick })) emit(row.bench, row.value, row.unit);
  for (const row of await asVsC({ quick })) emit(row.bench, row.value, row.unit);
  for (const row of await benchBoot({ quick })) emit(row.bench, row.value, row.unit);
  emit('rss_mib', rssMib(), 'MiB');
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
