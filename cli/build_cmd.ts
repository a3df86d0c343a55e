// `tessera build prog.ts -o prog.elf` and the `run --user` option, for the
// command line (cli/main.ts calls registerToolchainCommands).
//
// build: AssemblyScript (or a .wasm) to a Tessera user ELF through
// toolchain/build.ts. Every error a user can cause is one line per problem on
// stderr (asc's diagnostics as file:line:col, or what the translator does not
// support) and exit code 2.
//
// Entry points: cmdBuild, registerToolchainCommands, BuildFlags.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildFile, BuildError } from '../toolchain/build.ts';
import { EXIT } from './run.ts';
import { cmdRunUser, type RunUserFlags } from './user_run.ts';

export interface BuildFlags {
  output?: string;
  /** Also write the intermediate prog.wasm and prog.wasm.map next to the ELF. */
  emitWasm?: boolean;
  /** Print the size of the code and the function count. */
  verbose?: boolean;
}

/** `tessera build`: returns the exit code. */
export async function cmdBuild(file: string, o: BuildFlags = {}): Promise<number> {
  const out = o.output ?? file.replace(/\.(ts|wasm)$/, '') + '.elf';
  try {
    const r = await buildFile(file);
    writeFileSync(out, r.elf);
    if (o.emitWasm) {
      const base = out.replace(/\.elf$/, '');
      writeFileSync(`${base}.wasm`, r.wasm);
      if (r.sourceMap) writeFileSync(`${base}.wasm.map`, r.sourceMap);
    }
    if (o.verbose) {
      process.stderr.write(`tessera: ${out}: ${r.functions.length} functions, ${r.textSize} bytes of code\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    for (const line of e.message.split('\n')) process.stderr.write(`tessera: ${line}\n`);
    return EXIT.BAD_INPUT;
  }
}

/**
 * Add `build` to the CLI, and `--user` to its `run` command: with --user,
 * run's action is replaced (for this invocation) by `run --user`'s, so
 * main.ts's bare-metal runner never sees it.
 */
export function registerToolchainCommands(program: Command, setExit: (code: number) => void): void {
  program.command('build')
    .description('compile an AssemblyScript program (or a .wasm) to a Tessera user-mode RV32 ELF')
    .argument('<prog.ts>')
    .option('-o, --output <prog.elf>', 'output file (default: the input with .elf)')
    .option('--emit-wasm', 'also write the intermediate .wasm and .wasm.map next to the output')
    .option('-v, --verbose', 'report the code size')
    .action(async (f: string, o: BuildFlags) => setExit(await cmdBuild(f, o)));
  const run = program.commands.find((c) => c.name() === 'run');
  if (!run) return;
  run.option('--user', 'run a Tessera user program alone in U-mode (exit, write, brk from the host; docs/abi.md)');
  run.hook('preAction', (cmd) => {
    if (!cmd.opts().user) return;
    cmd.action(async (f: string, o: RunUserFlags) => setExit(await cmdRunUser(f, o)));
  });
}
