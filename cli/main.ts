// `tessera`: the command line. Each subcommand parses its options, calls into
// vm/ and toolchain/, and turns every error a user can cause into one line on
// stderr and a non-zero exit code (2 for bad input), never a stack trace.
//
// Subcommands: run, asm, disasm, demo.

import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Board } from '../vm/board.ts';
import { FileBackend } from '../vm/devices/virtio_blk.ts';
import { loadProgram, watchTohost, traceLine, describeStop, LoadError, EXIT } from './run.ts';
import { runConsole } from './console.ts';
import { assemble, AsmError } from '../toolchain/asm/index.ts';
import { disasmElf } from '../toolchain/disasm_elf.ts';
import { ElfError } from '../toolchain/elf.ts';
import { runDemo } from './demo.ts';
import { serveGdb } from './gdb_serve.ts';
import { registerDebugCommands, runDebugger } from './debug_repl.ts';
import { registerToolchainCommands } from './build_cmd.ts';
import { registerImageCommands } from './image_cmd.ts';
import { registerBootCommand } from './boot_cmd.ts';
import { intOption, portOption, sizeOption } from './options.ts';

class UsageError extends Error {}

function readInput(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

interface RunFlags {
  mem?: number; disk?: string; maxInsns?: number; trace?: boolean; realtime?: boolean; jit?: boolean; gdb?: number;
  debug?: boolean;
}

async function cmdRun(file: string, o: RunFlags): Promise<number> {
  if (o.debug) return runDebugger(file, { mem: o.mem, disk: o.disk, gdb: o.gdb });
  const bytes = readInput(file, 'program');
  const out: number[] = [];
  const flush = (): void => { if (out.length) { process.stdout.write(Buffer.from(out)); out.length = 0; } };
  const board = new Board({
    ramSize: o.mem,
    disk: o.disk ? new FileBackend(o.disk) : undefined,
    realtime: o.realtime,
    jit: o.jit,
    output: (b) => { out.push(b); if (out.length >= 4096) flush(); },
  });
  const prog = loadProgram(board, bytes);
  if (prog.tohost !== undefined && o.gdb === undefined) watchTohost(board, prog.tohost);
  if (o.trace) {
    board.traceHook = (pc, insn, priv) => {
      flush();
      process.stderr.write(traceLine(board.hart, pc, insn, priv, prog.symbolize) + '\n');
    };
  }
  const timer = setInterval(flush, 50);
  try {
    if (o.gdb !== undefined) {
      const code = await serveGdb(board, prog, o.gdb, { input: process.stdin });
      flush();
      return code;
    }
    const r = await runConsole(board, { maxInsns: o.maxInsns });
    flush();
    const { exitCode, message } = describeStop(r, board.hart.retired);
    if (message) process.stderr.write(`tessera: ${message}\n`);
    return exitCode;
  } finally {
    clearInterval(timer);
  }
}

function cmdAsm(file: string, o: { output?: string }): number {
  const src = Buffer.from(readInput(file, 'source')).toString('utf8');
  const base = dirname(resolve(file));
  const res = assemble(src, { filename: file, readFile: (p) => readFileSync(resolve(base, p), 'utf8') });
  const outPath = o.output ?? file.replace(/\.[sS]$/, '') + '.elf';
  writeFileSync(outPath, res.elf);
  return 0;
}

function cmdDisasm(file: string): number {
  process.stdout.write(disasmElf(readInput(file, 'program')));
  return 0;
}

function program(setExit: (code: number) => void): Command {
  const p = new Command('tessera')
    .description('Tessera: a multiserver microkernel OS on an emulated RV32IMA machine')
    .showHelpAfterError()
    .exitOverride();
  p.command('run')
    .description('run a bare-metal RV32 ELF as qemu-system-riscv32 -M virt -bios none -kernel would')
    .argument('<prog.elf>')
    .option('--mem <size>', 'guest RAM (e.g. 128M)', sizeOption)
    .option('--disk <img>', 'raw disk image on virtio-blk slot 0')
    .option('--max-insns <n>', 'stop after N instructions (exit 124)', intOption)
    .option('--trace', 'print each retired instruction to stderr')
    .option('--realtime', 'mtime follows the host clock instead of retired instructions')
    .option('--no-jit', 'interpret only (no translation to JavaScript)')
    .option('--gdb <port>', 'wait for gdb on 127.0.0.1:PORT, paused at the reset vector (as qemu -S -gdb tcp::PORT)', portOption)
    .option('--debug', 'stop at the reset vector with the debugger prompt (see tessera debug)')
    .action(async (f: string, o: RunFlags) => setExit(await cmdRun(f, o)));
  p.command('asm')
    .description('assemble GNU-as syntax RV32 source into an ELF executable')
    .argument('<in.s>')
    .option('-o, --output <out.elf>', 'output file')
    .action((f: string, o: { output?: string }) => setExit(cmdAsm(f, o)));
  p.command('disasm')
    .description('disassemble the code of an RV32 ELF')
    .argument('<prog.elf>')
    .action((f: string) => setExit(cmdDisasm(f)));
  registerDebugCommands(p, setExit);
  registerToolchainCommands(p, setExit);
  registerImageCommands(p, setExit);
  registerBootCommand(p, setExit);
  p.command('demo')
    .description('run the built-in demo program on the machine')
    .action(async () => setExit(await runDemo()));
  return p;
}

/** Run the CLI; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  try {
    await program((c) => { code = c; }).parseAsync(argv, { from: 'user' });
  } catch (e) {
    const err = e as Error & { exitCode?: number; code?: string };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : EXIT.BAD_INPUT;
    }
    if (e instanceof LoadError || e instanceof ElfError || e instanceof UsageError || e instanceof AsmError) {
      process.stderr.write(`tessera: ${err.message}\n`);
      return EXIT.BAD_INPUT;
    }
    if (err.message?.startsWith('disk image')) {
      process.stderr.write(`tessera: ${err.message}\n`);
      return EXIT.BAD_INPUT;
    }
    process.stderr.write(`tessera: internal error (this is a bug): ${err.stack ?? err}\n`);
    return 70;
  }
  return code;
}

const isMain = process.argv[1] !== undefined && /[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
}
