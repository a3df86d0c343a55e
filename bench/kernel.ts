// The kernel's IPC benchmark (issue 5), for each hot-path engine
// (kernel/engines.ts: 'ts' and 'wasm'):
//
//   ipc_roundtrip_ns_<e>         host ns per sendrec + reply between two user
//                                processes (a client's sendrec to a server
//                                looping on replyrecv: its reply and its next
//                                receive in one call, as seL4's ReplyRecv and
//                                Mach's combined mach_msg), the few guest
//                                instructions of the loop included
//   ipc_roundtrip_send_receive_* the same with MINIX's classic server loop
//                                (send the reply, then receive: one more trap)
//   ipc_roundtrip_insn_equiv_<e> that ÷ guest_insn_ns, the host ns of one
//                                guest instruction measured in the same run:
//                                the instruction mix of the machine's own mips
//                                bench (bench/programs/cpu.s's loop: loads and
//                                stores over a 64 KiB array, mul, divu,
//                                data-dependent branches) in a user process
//                                under the kernel
//   guest_insn_alu_ns            the same for a loop of register-only ALU
//                                instructions, the cheapest a translated
//                                instruction gets (shown, not divided by)
//   ctxsw_ns_<e>                 one save + restore + satp switch (TLB flush)
//
// and the same three unsuffixed for the default engine (DEFAULT_ENGINE), plus
// guest_insn_ns. Each figure is the best of a few runs after a warm-up, each
// engine measured in a child process of its own.
// Target: ipc_roundtrip_insn_equiv <= 300 for the default, goal <= 150.
//
// Entry points: benchKernel (rows for bench/run.ts); run directly
// (`tsx bench/kernel.ts [--quick]`) it prints them as JSON lines.

import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { assemble } from '../toolchain/asm/index.ts';
import { Board } from '../vm/board.ts';
import { Kernel, type BootImage } from '../kernel/kernel.ts';
import { switchSpace } from '../kernel/switch.ts';
import { makeEngines, wasmEnginesSync, engineNames, DEFAULT_ENGINE, type EngineName } from '../kernel/engines.ts';

export interface BenchRow { bench: string; value: number; unit: string }

const PRELUDE = `
    .equ SYS_SEND, 1
    .equ SYS_RECEIVE, 2
    .equ SYS_SENDREC, 3
    .equ SYS_REPLYRECV, 6
    .equ SYS_EXIT, 16
    .equ ANY, 0x7ace
    .macro SYSCALL num
    li a7, \\num
    ecall
    .endm
`;

/** Slot 0: receive from ANY, then reply and take the next request with replyrecv, forever. */
const SERVER = `
    .globl _start
_start:
    li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
1:  la t0, msg
    lw t1, 0(t0)
    lw t2, 4(t0)
    addi t2, t2, 1
    sw t2, 4(t0)
    mv a0, t1
    la a1, msg
    li a2, ANY
    SYSCALL SYS_REPLYRECV
    j 1b
    .data
msg: .space 64
`;

/** Slot 0, MINIX's classic loop: receive from ANY, reply with send, forever. */
const SERVER_CLASSIC = `
    .globl _start
_start:
1:  li a0, ANY
    la a1, msg
    SYSCALL SYS_RECEIVE
    la t0, msg
    lw t1, 0(t0)
    lw t2, 4(t0)
    addi t2, t2, 1
    sw t2, 4(t0)
    mv a0, t1
    la a1, msg
    SYSCALL SYS_SEND
    j 1b
    .data
msg: .space 64
`;

/** Slot 1: ROUNDS sendrecs to slot 0 (endpoint 0x100), checking each reply. */
const CLIENT = `
    .globl _start
_start:
    li s0, 0
    li s1, ROUNDS
1:  la t0, msg
    sw s0, 4(t0)
    li a0, 0x100
    la a1, msg
    SYSCALL SYS_SENDREC
    bnez a0, 2f
    lw t1, 4(t0)
    addi s0, s0, 1
    bne t1, s0, 2f
    blt s0, s1, 1b
    li a0, 0
    SYSCALL SYS_EXIT
2:  li a0, 1
    SYSCALL SYS_EXIT
    .data
msg: .space 64
`;

/**
 * The mips bench's loop (bench/programs/cpu.s) as a user program: ITERS
 * passes over a 64 KiB array, about 14 instructions an element. What one
 * guest instruction costs on the machine's yardstick workload.
 */
const MIX = `
    .globl _start
_start:
    li s1, ITERS
    li s2, 0x9e3779b9
    li s3, 2654435761
    la s0, array
    li t0, 16384
    li t2, 12345
    li t3, 1103515245
    mv t4, s0
1:  mul t2, t2, t3
    addi t2, t2, 1013
    sw t2, 0(t4)
    addi t4, t4, 4
    addi t0, t0, -1
    bnez t0, 1b
pass:
    mv t4, s0
    li t0, 16384
elem:
    lw a0, 0(t4)
    mul a1, a0, s3
    xor a1, a1, s2
    srli a2, a1, 13
    add a1, a1, a2
    andi a3, a1, 1
    beqz a3, 2f
    addi a4, a0, 7
    divu a5, a1, a4
    add s2, s2, a5
    j 3f
2:  slli a5, a0, 3
    sub s2, s2, a5
3:  sw a1, 0(t4)
    addi t4, t4, 4
    addi t0, t0, -1
    bnez t0, elem
    addi s1, s1, -1
    bnez s1, pass
    li a0, 0
    SYSCALL SYS_EXIT
    .data
    .balign 4096
array: .space 65536
`;

/** A register-only loop of ITERS iterations, 8 ALU instructions each: the cheapest guest code. */
const COMPUTE = `
    .globl _start
_start:
    li s0, ITERS
    li s1, 1
    li s2, 0
1:  add s2, s2, s1
    xor s1, s1, s2
    slli t0, s1, 3
    srli t1, s2, 5
    add s1, t0, t1
    or s2, s2, t0
    addi s0, s0, -1
    bnez s0, 1b
    li a0, 0
    SYSCALL SYS_EXIT
`;

function elf(src: string, name: string, equs: Record<string, number>): Uint8Array {
  const head = Object.entries(equs).map(([k, v]) => `    .equ ${k}, ${v}\n`).join('');
  return assemble(head + PRELUDE + src, { filename: name, base: 0x10000 }).elf;
}

interface Timed { ms: number; insns: number }

/**
 * Boot `images` under the kernel with engine `name`; time the run until
 * `last` exits (with 0, or the bench fails) and the machine stops or idles.
 */
function runKernel(name: EngineName, images: BootImage[], last: string): Timed {
  const board = new Board();
  const kernel = new Kernel(board, makeEngines(board.mem, name));
  kernel.boot(images);
  const t0 = performance.now();
  const r = board.run();
  const ms = performance.now() - t0;
  if (!kernel.log.includes(`exit ${last} 0`)) {
    throw new Error(`bench/kernel: the ${name} run ended with ${JSON.stringify(r)}; log: ${kernel.log.join(' | ')}`);
  }
  return { ms, insns: board.hart.retired };
}

function ipcImages(rounds: number, classic = false): BootImage[] {
  return [
    { name: 'server', elf: elf(classic ? SERVER_CLASSIC : SERVER, 'server.s', {}), targets: 'any' },
    { name: 'client', elf: elf(CLIENT, 'client.s', { ROUNDS: rounds }), targets: ['server'] },
  ];
}

/**
 * ns per round trip for each engine: runs alternate between the engines
 * (so neither is measured in a warmer or a less polymorphic V8), best of `tries`.
 */
function ipcRoundTripNs(rounds: number, tries: number, name: EngineName, classic = false): number {
  runKernel(name, ipcImages(Math.max(1, rounds >> 3), classic), 'client'); // warm V8 up
  const images = ipcImages(rounds, classic);
  let best = Infinity;
  for (let i = 0; i < tries; i++) best = Math.min(best, runKernel(name, images, 'client').ms);
  return (best * 1e6) / rounds;
}

function guestInsnNs(src: string, iters: number, tries: number, name: EngineName): number {
  const image = (n: number): BootImage[] => [{ name: 'compute', elf: elf(src, 'compute.s', { ITERS: n }) }];
  runKernel(name, image(Math.max(1, iters >> 3)), 'compute');
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const t = runKernel(name, image(iters), 'compute');
    best = Math.min(best, (t.ms * 1e6) / t.insns);
  }
  return best;
}

/**
 * save + restore + satp switch (switchSpace: the incoming space's TLB set
 * installed), alternating between the two processes of a short IPC run, so
 * both spaces have the TLB sets a real switch finds.
 */
function ctxswNs(name: EngineName, switches: number, tries: number): number {
  const board = new Board();
  const kernel = new Kernel(board, makeEngines(board.mem, name));
  const [a, b] = kernel.boot([
    { name: 'server', elf: elf(SERVER, 'server.s', {}), targets: 'any' },
    { name: 'client', elf: elf(CLIENT, 'client.s', { ROUNDS: 1_000_000 }), targets: ['server'] },
  ]);
  board.run(100_000);
  const { switcher } = kernel, h = board.hart;
  const sa = a.space!, sb = b.space!;
  let pc = h.pc;
  const once = (n: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      switcher.save(a.saveArea, pc);
      pc = switcher.restore(b.saveArea);
      switchSpace(h, sb);
      switcher.save(b.saveArea, pc);
      pc = switcher.restore(a.saveArea);
      switchSpace(h, sa);
    }
    return performance.now() - t0;
  };
  switchSpace(h, sa);
  once(switches >> 2);
  let best = Infinity;
  for (let i = 0; i < tries; i++) best = Math.min(best, once(switches >> 1));
  return (best * 1e6) / switches;
}

/**
 * The figures for one engine, measured in this process with only that
 * engine loaded: a kernel that has seen both engines' copy and switch
 * objects runs its call sites polymorphic, which no real run does.
 */
interface Figures { insnNs: number; aluNs: number; rt: number; rtClassic: number; cs: number }

function measureOne(name: EngineName, quick: boolean): Figures {
  const rounds = quick ? 20_000 : 300_000, tries = quick ? 1 : 5;
  if (name === 'wasm') wasmEnginesSync(new Board({ ramSize: 1 << 20 }).mem); // compile (or load) before timing
  // About 230 K instructions a pass of MIX, 8 an iteration of COMPUTE.
  const insnNs = guestInsnNs(MIX, quick ? 20 : 300, tries, name);
  return {
    insnNs,
    aluNs: guestInsnNs(COMPUTE, quick ? 2_000_000 : 12_000_000, tries, name),
    rt: ipcRoundTripNs(rounds, tries, name),
    rtClassic: ipcRoundTripNs(rounds, tries, name, true),
    cs: ctxswNs(name, quick ? 200_000 : 2_000_000, tries),
  };
}

/** The kernel's rows for `npm run bench`: each engine measured in a child process of its own. */
export function benchKernel(opts: { quick?: boolean } = {}): BenchRow[] {
  const quick = opts.quick ?? false;
  const per = new Map<EngineName, Figures>();
  for (const name of engineNames) {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', name, ...(quick ? ['--quick'] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`bench/kernel: the ${name} run failed: ${r.stderr}`);
    per.set(name, JSON.parse(r.stdout.trim().split('\n').at(-1)!));
  }
  const insnNs = per.get(DEFAULT_ENGINE)!.insnNs;
  const rt = new Map(engineNames.map((n) => [n, per.get(n)!.rt]));
  const cs = new Map(engineNames.map((n) => [n, per.get(n)!.cs]));
  const rows: BenchRow[] = [
    { bench: 'guest_insn_ns', value: insnNs, unit: 'ns' },
    { bench: 'guest_insn_alu_ns', value: per.get(DEFAULT_ENGINE)!.aluNs, unit: 'ns' },
  ];
  const row = (suffix: string, name: EngineName): void => {
    rows.push(
      { bench: `ipc_roundtrip_ns${suffix}`, value: rt.get(name)!, unit: 'ns' },
      { bench: `ipc_roundtrip_insn_equiv${suffix}`, value: rt.get(name)! / insnNs, unit: 'insns' },
      { bench: `ctxsw_ns${suffix}`, value: cs.get(name)!, unit: 'ns' },
    );
  };
  for (const name of engineNames) row(`_${name}`, name);
  row('', DEFAULT_ENGINE);
  const classic = per.get(DEFAULT_ENGINE)!.rtClassic;
  rows.push(
    { bench: 'ipc_roundtrip_send_receive_ns', value: classic, unit: 'ns' },
    { bench: 'ipc_roundtrip_send_receive_insn_equiv', value: classic / insnNs, unit: 'insns' },
  );
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const one = process.argv.indexOf('--one');
  if (one > 0) {
    console.log(JSON.stringify(measureOne(process.argv[one + 1] as EngineName, process.argv.includes('--quick'))));
    process.exit(0);
  }
  for (const r of benchKernel({ quick: process.argv.includes('--quick') })) {
    console.log(JSON.stringify({ bench: r.bench, value: Number(r.value.toFixed(3)), unit: r.unit }));
  }
}
