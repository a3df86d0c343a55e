// `tessera debug prog.elf` (and `tessera run --debug`): the interactive
// debugger. The machine is loaded and stopped before its first instruction,
// at the reset vector 0x1000 (as `qemu -S`); commands are the shared set of
// vm/debug/commands.ts, read with node:readline (history, tab completion).
//
// The terminal, as gdb shares it with a program it runs:
// - At the prompt, the keyboard belongs to the debugger. Ctrl-C clears the
//   line, Ctrl-D quits. `input TEXT` sends bytes to the guest's UART.
// - While a command runs the machine (continue, stepi N, next, ...), the
//   prompt is gone and the keyboard belongs to the guest: keys go to its UART
//   (on a terminal, in raw mode), and Ctrl-C stops the machine and returns
//   to the prompt.
// - `continue &` (any running command with a trailing &) runs the machine in
//   the background with the prompt shown: `interrupt` or Ctrl-C stops it.
//   Guest output and the stop report then appear above the prompt, which is
//   redrawn with the partial input.
//
// `--batch -x FILE`: the commands of each FILE run in order, each echoed as
// `(tdb) cmd` before its output; nothing is read from stdin; an idle hart
// stops the run instead of waiting; commands after `quit` are skipped.
// Exit code: 1 if a command failed, else the guest's exit code if it
// finished (0 pass, N fail, as `tessera run`), else 0. Interactive sessions
// exit with the guest's code if it finished, else 0.
//
// Entry points: registerDebugCommands, runDebugger, DebugRepl, runScript, loadMachine.

import { createInterface, cursorTo, clearLine, clearScreenDown, moveCursor, type Interface } from 'node:readline';
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Board } from '../vm/board.ts';
import { FileBackend } from '../vm/devices/virtio_blk.ts';
import { Debugger } from '../vm/debug/debugger.ts';
import { executeCommand, completeCommand, isRepeatable, type CommandContext } from '../vm/debug/commands.ts';
import { loadProgram, watchTohost, LoadError, type Program } from './run.ts';
import { portOption, sizeOption } from './options.ts';
import { serveGdb } from './gdb_serve.ts';

export const PROMPT = '(tdb) ';
const HISTORY_SIZE = 1000;

export interface DebugOptions {
  mem?: number;
  disk?: string;
  /** Serve gdb on this port instead of the REPL (as qemu -S -gdb tcp::PORT). */
  gdb?: number;
  /** Run the -x files and exit; never read stdin. */
  batch?: boolean;
  /** Command files, run in order before the prompt (or instead of it with batch). */
  command?: string[];
}

export interface Machine { board: Board; dbg: Debugger; prog: Program }

/** A board with the ELF loaded, stopped at the reset vector, and a Debugger that knows its symbols. */
export function loadMachine(elf: Uint8Array, o: { mem?: number; disk?: string }, output: (byte: number) => void): Machine {
  const board = newBoard(o, output);
  const prog = loadProgram(board, elf);
  if (prog.tohost !== undefined) watchTohost(board, prog.tohost);
  const dbg = new Debugger(board);
  for (const [name, addr] of prog.symbols) dbg.symbols.set(name, addr);
  dbg.symbolize = prog.symbolize;
  return { board, dbg, prog };
}

function newBoard(o: { mem?: number; disk?: string }, output: (byte: number) => void): Board {
  return new Board({ ramSize: o.mem, disk: o.disk ? new FileBackend(o.disk) : undefined, output });
}

/** Exit code of a finished guest, as `tessera run` gives it; undefined while it runs. */
export function guestExitCode(board: Board): number | undefined {
  const f = board.finished;
  if (!f || (f.kind !== 'pass' && f.kind !== 'fail')) return undefined;
  return f.kind === 'pass' ? 0 : f.code;
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Collects the guest's UART bytes until whoever shows them takes them. */
export class GuestOutput {
  private bytes: number[] = [];
  /** Called (at most once per turn of the event loop) when bytes are waiting. */
  onData: (() => void) | undefined;
  private scheduled = false;

  push = (b: number): void => {
    this.bytes.push(b);
    if (this.onData && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => { this.scheduled = false; this.onData?.(); });
    }
  };

  take(): Buffer | undefined {
    if (this.bytes.length === 0) return undefined;
    const b = Buffer.from(this.bytes);
    this.bytes = [];
    return b;
  }
}

/**
 * Run command lines as --batch does: each echoed as `(tdb) line`, then its
 * output; guest output in between as it came. Stops after `quit`.
 */
export async function runScript(dbg: Debugger, lines: readonly string[], write: (text: string) => void,
  guest?: GuestOutput, onRun?: (running: boolean) => void): Promise<{ errors: number; quit: boolean }> {
  let atLineStart = true;
  const put = (t: string): void => { if (t) { write(t); atLineStart = t.endsWith('\n'); } };
  const flush = (): void => { const b = guest?.take(); if (b) put(b.toString('latin1')); };
  /** Our own lines start on a line of their own, even after a guest's unfinished one. */
  const line = (t: string): void => { flush(); put((atLineStart ? '' : '\n') + t + '\n'); };
  const ctx: CommandContext = { dbg, canRun: true, out: line, onRun };
  let errors = 0;
  for (const raw of lines) {
    const cmd = raw.trim();
    if (cmd === '' || cmd.startsWith('#')) continue;
    line(`${PROMPT}${cmd}`);
    const r = await executeCommand(ctx, cmd);
    flush();
    if (r.error) errors++;
    if (r.quit) return { errors, quit: true };
  }
  return { errors, quit: false };
}

type In = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
type Out = NodeJS.WritableStream & { isTTY?: boolean };

export interface ReplOptions {
  input: In;
  output: Out;
  /** Line editing with cursor control (default: both streams are TTYs). */
  terminal?: boolean;
  /** Persist history here (none when undefined). */
  historyFile?: string;
  guest: GuestOutput;
}

/** The interactive prompt. run() resolves with the exit code when the user quits. */
export class DebugRepl {
  private readonly dbg: Debugger;
  private readonly input: In;
  private readonly output: Out;
  private readonly terminal: boolean;
  private readonly guest: GuestOutput;
  private readonly historyFile: string | undefined;
  private rl: Interface | undefined;
  private history: string[] = [];
  private readonly queue: string[] = [];
  private pumping = false;
  private lastLine = '';
  /** prompt: readline shows the prompt; busy: a command runs (foreground); closed: quit. */
  private state: 'prompt' | 'busy' | 'closed' = 'busy';
  /** A machine running in the foreground owns the keyboard. */
  private running = false;
  /** The promise of a command running in the background (`continue &`). */
  private background: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private atLineStart = true;
  /** The guest's unfinished last line, shown above the prompt (continued when more comes). */
  private guestPartial = '';
  private finish: (code: number) => void = () => {};

  constructor(dbg: Debugger, o: ReplOptions) {
    this.dbg = dbg;
    this.input = o.input;
    this.output = o.output;
    this.terminal = o.terminal ?? (o.input.isTTY === true && o.output.isTTY === true);
    this.guest = o.guest;
    this.historyFile = o.historyFile;
    this.guest.onData = () => this.showGuest();
    if (this.historyFile) {
      try {
        this.history = readFileSync(this.historyFile, 'utf8').split('\n').filter((l) => l.trim() !== '').reverse().slice(0, HISTORY_SIZE);
      } catch {
        // no history yet
      }
    }
  }

  /** Show the banner and prompt; resolves with the exit code after quit or end of input. */
  run(banner?: string): Promise<number> {
    const done = new Promise<number>((resolve) => { this.finish = resolve; });
    if (banner) this.write(banner + '\n');
    this.openReadline();
    this.showPrompt();
    return done;
  }

  /** Run command lines before the prompt (-x without --batch), echoed as in batch mode. */
  async runFirst(lines: readonly string[]): Promise<boolean> {
    const r = await runScript(this.dbg, lines, (t) => this.write(t), this.guest, (on) => { this.running = on; });
    return r.quit;
  }

  /** Ctrl-C from outside readline (SIGINT when stdin is not a terminal). */
  interrupt(): void {
    if (this.running || this.background) { this.dbg.interrupt(); this.wake?.(); return; }
    if (this.state === 'prompt') { this.write('Quit\n'); this.showPrompt(); }
  }

  private openReadline(): void {
    const rl = createInterface({
      input: this.input, output: this.output, terminal: this.terminal, prompt: PROMPT,
      history: [...this.history], historySize: HISTORY_SIZE, removeHistoryDuplicates: true,
      completer: (line: string): [string[], string] => {
        const last = line.split(/\s+/).pop() ?? '';
        return [completeCommand(this.dbg, line), last];
      },
    });
    rl.on('history', (h: string[]) => { this.history = h; });
    rl.on('line', (line: string) => {
      if (this.state === 'prompt') this.state = 'busy'; // the prompt line is done: output goes below it
      this.queue.push(line);
      void this.pump();
    });
    rl.on('SIGINT', () => this.onCtrlC());
    rl.on('close', () => { if (this.rl === rl) { this.rl = undefined; this.onEnd(); } });
    this.rl = rl;
  }

  private showPrompt(): void {
    if (this.state === 'closed' || !this.rl) return;
    this.state = 'prompt';
    if (!this.atLineStart) this.write('\n');
    this.rl.prompt(true);
  }

  /** Write text with the prompt out of the way: erase it, write, draw it again with the partial input. */
  private aboveprompt(text: string): void {
    if (this.state !== 'prompt' || !this.rl) { this.write(text); return; }
    if (this.terminal) { cursorTo(this.output, 0); clearLine(this.output, 0); } else this.output.write('\n');
    this.write(text);
    if (!this.atLineStart) this.write('\n');
    this.rl.prompt(true);
  }

  private write(text: string): void {
    if (text === '') return;
    this.output.write(text);
    this.atLineStart = text.endsWith('\n');
    this.guestPartial = '';
  }

  /**
   * The guest's UART output. Above the prompt, a line the guest has not
   * finished stays on its own row and is continued in place when more comes.
   */
  private showGuest(): void {
    const b = this.guest.take();
    if (!b) return;
    let text = b.toString('latin1');
    if (this.state !== 'prompt' || !this.rl || !this.terminal) { this.write(text); return; }
    cursorTo(this.output, 0);
    clearLine(this.output, 0);
    if (this.guestPartial) {
      const cols = (this.output as { columns?: number }).columns || 80;
      moveCursor(this.output, 0, -Math.max(1, Math.ceil(this.guestPartial.length / cols)));
      cursorTo(this.output, 0);
      clearScreenDown(this.output);
      text = this.guestPartial + text;
    }
    this.write(text);
    this.guestPartial = text.slice(text.lastIndexOf('\n') + 1);
    if (this.guestPartial) this.output.write('\n');
    this.atLineStart = true;
    this.rl.prompt(true);
  }

  private onCtrlC(): void {
    if (this.background || this.running) { this.dbg.interrupt(); this.wake?.(); return; }
    // At the prompt: drop the line typed so far, as a shell does.
    this.write('^C\n');
    this.rl?.write(null, { ctrl: true, name: 'e' });
    this.rl?.write(null, { ctrl: true, name: 'u' });
    this.showPrompt();
  }

  private onEnd(): void {
    if (this.state === 'closed') return;
    if (this.pumping || this.queue.length) { this.queue.push('\u0004'); return; } // quit after the queued commands
    this.write(this.terminal ? 'quit\n' : '');
    this.close();
  }

  private close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.background) this.dbg.interrupt();
    this.wake?.();
    const rl = this.rl;
    this.rl = undefined;
    rl?.close();
    this.guest.onData = undefined;
    if (this.historyFile) {
      try {
        writeFileSync(this.historyFile, [...this.history].reverse().join('\n') + '\n');
      } catch {
        // history is a convenience
      }
    }
    this.finish(guestExitCode(this.dbg.board) ?? 0);
  }

  /** Run queued lines one at a time; the prompt comes back when the queue is empty. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      await yieldToLoop(); // out of readline's 'line' handler before it may be closed
      while (this.queue.length && this.state !== 'closed') {
        const line = this.queue.shift()!;
        if (line === '\u0004') { this.write(this.terminal ? 'quit\n' : ''); this.close(); return; }
        this.state = 'busy';
        try {
          await this.runLine(line);
        } catch (e) {
          this.write(`internal error (this is a bug): ${(e as Error).message}\n`); // the prompt comes back regardless
        }
      }
    } finally {
      this.pumping = false;
    }
    this.showPrompt();
  }

  private async runLine(input: string): Promise<void> {
    let line = input;
    if (line.trim() === '') {
      if (!isRepeatable(this.lastLine)) return;
      // gdb: a repeated x continues after what it showed, in the same format
      line = this.lastLine.replace(/^(x(?:\/\S*)?)\s.*$/, '$1');
    }
    this.lastLine = line.trim();
    const bg = /\s*&\s*$/.exec(line);
    if (bg) return this.startBackground(line.slice(0, bg.index));
    if (/^\s*interrupt\s*$/.test(line)) {
      if (!this.background) this.write('The machine is not running in the background.\n');
      else { this.dbg.interrupt(); this.wake?.(); await this.background; }
      return;
    }
    if (this.background && !/^\s*(q|quit|exit)\s*$/.test(line) && isRunning(line)) {
      this.write('The machine is running in the background: "interrupt" (or Ctrl-C) stops it first.\n');
      return;
    }
    const r = await executeCommand(this.foregroundContext(), line);
    this.wake?.(); // input may have been queued for an idle background machine
    if (r.quit) this.close();
  }

  private foregroundContext(): CommandContext {
    return {
      dbg: this.dbg,
      canRun: true,
      out: (t) => { this.showGuest(); this.write((this.atLineStart ? '' : '\n') + t + '\n'); },
      onRun: (on) => this.foreground(on),
      waitForInput: this.terminal ? () => this.waitForInput() : undefined,
    };
  }

  /** A running command starts or ends: the keyboard goes to the guest (on a terminal) meanwhile. */
  private foreground(on: boolean): void {
    this.running = on;
    if (!this.terminal) return;
    if (on) {
      const rl = this.rl;
      this.rl = undefined; // its close is not the end of input
      rl?.close();
      this.input.setRawMode?.(true);
      this.input.on('data', this.onGuestKeys);
      this.input.resume();
    } else {
      this.input.off('data', this.onGuestKeys);
      this.input.setRawMode?.(false);
      if (this.state !== 'closed') this.openReadline();
    }
  }

  private readonly onGuestKeys = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const pass: number[] = [];
    for (const b of bytes) {
      if (b === 0x03) { this.dbg.interrupt(); this.wake?.(); } else pass.push(b);
    }
    if (pass.length) { this.dbg.board.input(pass); this.wake?.(); }
  };

  private waitForInput(): Promise<void> {
    return new Promise((resolve) => { this.wake = () => { this.wake = undefined; resolve(); }; });
  }

  /** `CMD &`: run with the prompt shown; its report appears above the prompt when it stops. */
  private startBackground(line: string): void {
    if (this.background) { this.write('The machine is already running in the background.\n'); return; }
    if (!isRunning(line)) { this.write(`"${line.trim()}" does not run the machine; only running commands take &.\n`); return; }
    const ctx: CommandContext = {
      dbg: this.dbg,
      canRun: true,
      out: (t) => { if (this.state !== 'closed') { this.showGuest(); this.aboveprompt(t + '\n'); } },
      waitForInput: () => this.waitForInput(),
    };
    this.background = executeCommand(ctx, line).then(() => { this.background = undefined; }, () => { this.background = undefined; });
  }
}

/** Does this line run the machine (continue, stepi, next, finish, until, run)? */
function isRunning(line: string): boolean {
  const w = (line.trim().split(/[\s/]/)[0] ?? '').toLowerCase();
  return ['c', 'cont', 'continue', 'fg', 's', 'si', 'step', 'stepi', 'n', 'ni', 'next', 'nexti', 'fin', 'finish', 'u', 'until', 'advance', 'r', 'run']
    .includes(w);
}

function readCommandFiles(files: readonly string[]): string[] {
  const lines: string[] = [];
  for (const f of files) {
    try {
      lines.push(...readFileSync(f, 'utf8').split(/\r?\n/));
    } catch (e) {
      throw new LoadError(`cannot read command file '${f}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return lines;
}

/** The banner: what is loaded and where the machine waits. */
function banner(file: string, m: Machine): string {
  return `Tessera debugger: ${file} loaded, entry 0x${m.prog.entry.toString(16)}, ${m.prog.symbols.size} symbols.\n` +
    'The machine waits at the reset vector 0x1000. Type "help" for commands, "continue" to run, Ctrl-C to stop it.';
}

/**
 * `tessera debug FILE` / `tessera run --debug FILE`: the REPL, a --batch
 * script, or (with gdb) the gdb stub. Resolves with the exit code; a bad ELF
 * or command file throws LoadError (one line, exit 2 in cli/main.ts).
 */
export async function runDebugger(file: string, o: DebugOptions = {}): Promise<number> {
  let elf: Uint8Array;
  try {
    elf = readFileSync(file);
  } catch (e) {
    throw new LoadError(`cannot read program '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const script = readCommandFiles(o.command ?? []);
  const guest = new GuestOutput();
  if (o.gdb !== undefined) {
    // gdb drives the machine (cli/gdb_serve.ts brings its own Debugger and tohost); the UART is stdin/stdout.
    guest.onData = () => { const b = guest.take(); if (b) process.stdout.write(b); };
    const board = newBoard(o, guest.push);
    return serveGdb(board, loadProgram(board, elf), o.gdb, { input: process.stdin });
  }
  const m = loadMachine(elf, o, guest.push);
  // A reader that went away (`tessera debug --batch ... | head`) is not an error of ours. The
  // listener stays for the life of the process: output may still be flushing after we return.
  const onOutputError = (e: NodeJS.ErrnoException): void => { if (e.code !== 'EPIPE') throw e; };
  process.stdout.on('error', onOutputError);
  let repl: DebugRepl | undefined;
  let batchRunning = false;
  const onSigint = (): void => {
    if (repl) repl.interrupt();
    else if (batchRunning) m.dbg.interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    if (o.batch) {
      const r = await runScript(m.dbg, script, (t) => process.stdout.write(t), guest, (on) => { batchRunning = on; });
      const rest = guest.take();
      if (rest) process.stdout.write(rest);
      return r.errors > 0 ? 1 : guestExitCode(m.board) ?? 0;
    }
    const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
    repl = new DebugRepl(m.dbg, { input: process.stdin, output: process.stdout, guest, historyFile: tty ? join(homedir(), '.tessera_debug_history') : undefined });
    if (script.length && await repl.runFirst(script)) return guestExitCode(m.board) ?? 0;
    return await repl.run(banner(file, m));
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * Add `tessera debug` to the CLI. `setExit` receives the exit code (as the
 * other subcommands of cli/main.ts report theirs).
 */
export function registerDebugCommands(program: Command, setExit: (code: number) => void = (c) => { process.exitCode = c; }): void {
  program.command('debug')
    .description('debug a bare-metal RV32 ELF: breakpoints, watchpoints, stepping, page-table walks (gdb-like commands)')
    .argument('<prog.elf>')
    .option('--batch', 'run the -x command files and exit (never reads stdin)')
    .option('-x, --command <file>', 'run the commands in FILE first (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--mem <size>', 'guest RAM (e.g. 128M)', sizeOption)
    .option('--disk <img>', 'raw disk image on virtio-blk slot 0')
    .option('--gdb <port>', 'serve gdb on PORT instead of the prompt (target remote :PORT)', portOption)
    .action(async (f: string, o: DebugOptions) => setExit(await runDebugger(f, o)));
}

// Run directly (`node --import tsx cli/debug_repl.ts [options] prog.elf`), as
// `tessera debug` does once cli/main.ts registers it; tests use this.
const isMain = process.argv[1] !== undefined && /[\\/]cli[\\/]debug_repl\.ts$/.test(process.argv[1]);
if (isMain) {
  const p = new Command('tessera').exitOverride().showHelpAfterError();
  registerDebugCommands(p);
  p.parseAsync(['debug', ...process.argv.slice(2)], { from: 'user' }).catch((e: Error & { code?: string }) => {
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) process.exitCode = e.code === 'commander.helpDisplayed' ? 0 : 2;
    else if (e instanceof LoadError || e.message?.startsWith('disk image')) { process.stderr.write(`tessera: ${e.message}\n`); process.exitCode = 2; }
    else { process.stderr.write(`tessera: internal error (this is a bug): ${e.stack ?? e}\n`); process.exitCode = 70; }
  });
}
