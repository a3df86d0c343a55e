// `--gdb PORT` for `tessera run` and `tessera debug`: the machine waits at
// the reset vector for gdb, as `qemu-system-riscv32 -S -gdb tcp::PORT`
// does, and runs only when the client continues or steps. The guest's UART
// output goes wherever the board's `output` sends it; input (if given) is
// fed to the UART, as QEMU's -serial stdio.
//
// Exit codes: the guest's own when it finishes (0 pass, N fail, as `tessera
// run`), EXIT_KILLED (137, as a shell reports SIGKILL) when the client kills
// it (gdb's `kill`, `monitor quit`).
//
// Entry points: serveGdb, EXIT_KILLED, GdbListenError.

import type { Board } from '../vm/board.ts';
import { Debugger } from '../vm/debug/debugger.ts';
import { startGdbServer } from '../vm/debug/gdbstub.ts';
import { watchTohost, LoadError, type Program } from './run.ts';

export const EXIT_KILLED = 137;

/** The port cannot be listened on (a LoadError, so `tessera` reports it in one line, exit 2). */
export class GdbListenError extends LoadError {}

export interface ServeOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Bytes for the guest's UART (e.g. process.stdin). */
  input?: NodeJS.ReadableStream;
  /** Where the listening line and diagnostics go (default: stderr). */
  log?: (line: string) => void;
  /** Protocol-level messages (connections, bad packets); none by default. */
  verbose?: boolean;
  /** Called with the bound port once listening (for port 0). */
  onListening?: (port: number) => void;
  /** An existing debugger on `board` (e.g. the REPL's), instead of a new one. */
  debugger?: Debugger;
}

/**
 * Serve `board` (with `program` loaded) to gdb on `port` until the guest
 * finishes or the client kills it; resolves with the exit code.
 */
export async function serveGdb(board: Board, program: Program, port: number, opts: ServeOptions = {}): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const dbg = opts.debugger ?? new Debugger(board);
  if (!opts.debugger) {
    for (const [name, addr] of program.symbols) dbg.symbols.set(name, addr);
    dbg.symbolize = program.symbolize;
  }
  if (program.tohost !== undefined) watchTohost(board, program.tohost);

  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => { finish = resolve; });
  const host = opts.host ?? '127.0.0.1';
  let server;
  try {
    server = await startGdbServer(dbg, {
      port,
      host,
      log: opts.verbose ? log : undefined,
      onExit: (code) => finish(code),
      onKill: () => finish(EXIT_KILLED),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new GdbListenError(`--gdb: cannot listen on ${host}:${port}: ${err.code ?? err.message}`);
  }
  log(`gdb stub listening on ${host}:${server.port}`);
  opts.onListening?.(server.port);

  const onData = (chunk: Buffer | string): void => {
    board.input(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  };
  opts.input?.on('data', onData);
  try {
    return await done;
  } finally {
    opts.input?.off('data', onData);
    opts.input?.pause();
    await server.close();
  }
}
