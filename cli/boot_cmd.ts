// `tessera boot [disk.img]`: power the machine on with a disk. The boot
// firmware (firmware/firmware.s) is loaded at 0x8000_0000 as QEMU's -bios,
// the disk goes on virtio-blk slot 0, and the firmware's handover starts the
// resident kernel (kernel/boot.ts) with the disk's boot modules. Without a
// disk argument the default image is booted: the real system (the servers
// of servers/, the programs in /bin), built on first use (and rebuilt when
// its sources change) in node_modules/.cache/tessera (firmware/build.ts).
//
// The console is cli/console.ts's. On a TTY the terminal is raw and QEMU's
// escape keys apply (Ctrl-A X quits, Ctrl-A H lists the keys), plus Ctrl-A C,
// which stops the machine and opens the debugger prompt (cli/debug_repl.ts,
// with `info procs` and `info ipc` from kernel/debug_info.ts; `continue`
// runs the machine on with the keyboard going to the guest, Ctrl-C comes
// back to the prompt, `quit` ends the session). Stdin that is not a TTY is
// typed a line at a time: the next line goes to the UART when the system
// waits with nothing runnable and has taken the last one, as a person types
// at a prompt, so `printf 'echo hi\nshutdown\n' | tessera boot disk.img`
// gives a clean transcript. --debug starts at the prompt, at the reset
// vector; --gdb PORT waits for gdb there instead. On a terminal the
// machine's clock follows the host's (--realtime; --no-realtime keeps the
// deterministic clock): a booted system's periodic timers would otherwise be
// fast-forwarded without end while it waits for a key.
//
// Exit code: the guest's power-off code (0 for `shutdown`; a firmware
// failure gives its own, 10..41, after its line on the console; 42 when the
// kernel cannot start the modules: docs/boot.md), 124 for --max-insns, 125
// when the system waits with no input left, 130 for Ctrl-A X; a disk image
// that cannot be opened, or bad options, is one line on stderr and exit 2.
//
// Entry points: registerBootCommand, boot, bootDisk, BootFlags, BootIo, BootError;
// ConsoleKeys and LineFeeder (the two keyboards, exported for tests).

import { EventEmitter } from 'node:events';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { FileBackend } from '../vm/devices/virtio_blk.ts';
import { Debugger } from '../vm/debug/debugger.ts';
import { addInfoCommand, type CommandContext, type CommandResult, type CommandSpec } from '../vm/debug/commands.ts';
import type { Board } from '../vm/board.ts';
import { ResidentBoot } from '../kernel/boot.ts';
import { infoIpc, infoProcs } from '../kernel/debug_info.ts';
import { firmwareElf, defaultImage, DEFAULT_CACHE_DIR, type BuildPlace } from '../firmware/build.ts';
import { loadProgram, describeStop, LoadError, type Program } from './run.ts';
import { runConsole } from './console.ts';
import { DebugRepl, GuestOutput } from './debug_repl.ts';
import { serveGdb } from './gdb_serve.ts';
import { intOption, portOption, sizeOption } from './options.ts';

export interface BootFlags {
  mem?: number;
  maxInsns?: number;
  gdb?: number;
  debug?: boolean;
  /** mtime follows the host clock; default: on a terminal yes, else no (see bootDisk). */
  realtime?: boolean;
  jit?: boolean;
}

/** A boot that cannot start (one line, exit 2: cli/main.ts reports LoadErrors so). */
export class BootError extends LoadError {}

type In = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
type Out = NodeJS.WritableStream & { isTTY?: boolean };

export interface BootIo {
  stdin: In;
  stdout: Out;
  stderr: Out;
}

const CTRL_A = 0x01;

/** What the console reads from: `src` filtered, with resume/pause passed through. */
abstract class InputFilter extends EventEmitter {
  constructor(protected readonly src: In) {
    super();
  }

  protected abstract readonly onData: (chunk: Buffer | string) => void;
  protected abstract readonly onEnd: () => void;

  resume(): this {
    this.src.on('data', this.onData);
    this.src.on('end', this.onEnd);
    this.src.resume();
    return this;
  }

  pause(): this {
    this.src.off('data', this.onData);
    this.src.off('end', this.onEnd);
    this.src.pause();
    return this;
  }
}

/**
 * The terminal's keys as runConsole sees them, with Ctrl-A C taken here
 * (runConsole knows only X, H and Ctrl-A): it becomes Ctrl-A X, which ends
 * runConsole however it waits, and `onDebug` says that the debugger, not
 * the exit, was wanted. A Ctrl-A is held back until the key after it
 * arrives, so runConsole never sees half of a pair.
 */
export class ConsoleKeys extends InputFilter {
  readonly isTTY = true;
  private held = false;

  constructor(src: In, private readonly out: Out, private readonly onDebug: () => void) {
    super(src);
  }

  setRawMode(raw: boolean): this {
    this.src.setRawMode?.(raw);
    return this;
  }

  protected readonly onEnd = (): void => { this.emit('end'); };

  protected readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const pass: number[] = [];
    let help = false;
    for (let b of bytes) {
      if (this.held) {
        this.held = false;
        if (b === 0x63 || b === 0x43) { this.onDebug(); b = 0x78; }
        if (b === 0x68 || b === 0x48) help = true;
        pass.push(CTRL_A, b);
      } else if (b === CTRL_A) this.held = true;
      else pass.push(b);
    }
    if (pass.length) this.emit('data', Buffer.from(pass));
    if (help) this.out.write('C-a c    debugger prompt (tdb)\r\n');
  };
}

/** What LineFeeder needs of the machine (a ResidentBoot). */
export interface IdleSource {
  onIdle: (() => void) | undefined;
  isIdle(): boolean;
  readonly board: { hasPendingInput(): boolean };
}

/**
 * Stdin that is not a terminal, typed a line at a time: a line goes to the
 * guest when the system is idle (ResidentBoot.onIdle and isIdle) and
 * has taken the previous one. 'end' comes once every line has been given.
 */
export class LineFeeder extends InputFilter {
  readonly isTTY = false;
  private readonly lines: Buffer[] = [];
  private partial: Buffer = Buffer.alloc(0);
  private ended = false;
  private endSent = false;

  constructor(src: In, private readonly machine: IdleSource) {
    super(src);
    machine.onIdle = () => this.feed();
  }

  setRawMode(): this {
    return this;
  }

  protected readonly onData = (chunk: Buffer | string): void => {
    let buf = Buffer.concat([this.partial, typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk]);
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      this.lines.push(buf.subarray(0, nl + 1));
      buf = buf.subarray(nl + 1);
    }
    this.partial = buf;
    if (this.machine.isIdle()) this.feed();
  };

  protected readonly onEnd = (): void => {
    this.ended = true;
    if (this.partial.length) this.lines.push(this.partial);
    this.partial = Buffer.alloc(0);
    if (this.machine.isIdle()) this.feed();
    else this.endIfDone();
  };

  /** The next line, if the system is idle and the guest has taken the last one. */
  private feed(): void {
    if (!this.machine.isIdle() || this.machine.board.hasPendingInput()) return;
    const line = this.lines.shift();
    if (line) this.emit('data', line);
    this.endIfDone();
  }

  private endIfDone(): void {
    if (this.ended && this.lines.length === 0 && !this.endSent) {
      this.endSent = true;
      this.emit('end');
    }
  }
}

/** Guest output to stdout, in batches (a write per byte would crawl). */
class ConsoleOutput {
  private bytes: number[] = [];
  private readonly timer: NodeJS.Timeout;
  /** The last byte written ended a line (or nothing was written). */
  atLineStart = true;

  constructor(private readonly out: Out) {
    this.timer = setInterval(() => this.flush(), 50);
  }

  push = (b: number): void => {
    this.bytes.push(b);
    if (this.bytes.length >= 4096) this.flush();
  };

  flush(): void {
    if (this.bytes.length === 0) return;
    this.atLineStart = this.bytes[this.bytes.length - 1] === 0x0a;
    this.out.write(Buffer.from(this.bytes));
    this.bytes = [];
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/** The image for virtio-blk: writable if we may write it, else read-only (the guest's writes then fail with IOERR). */
function openDisk(path: string): FileBackend {
  try {
    if (!statSync(path).isFile()) throw new BootError(`disk image '${path}' is not a regular file`);
  } catch (e) {
    if (e instanceof BootError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new BootError(`cannot open disk image '${path}': ${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message}`);
  }
  let readOnly = false;
  try {
    accessSync(path, constants.W_OK);
  } catch {
    readOnly = true;
  }
  try {
    return new FileBackend(path, readOnly);
  } catch (e) {
    throw new BootError((e as Error).message);
  }
}

function newMachine(disk: FileBackend, o: BootFlags, output: (b: number) => void): ResidentBoot {
  try {
    return new ResidentBoot({ ramSize: o.mem, disk, realtime: o.realtime, jit: o.jit, output });
  } catch (e) {
    if (e instanceof RangeError) throw new BootError(`--mem ${o.mem}: ${e.message}`);
    throw e;
  }
}

// ---- `info procs` and `info ipc` at the debugger prompt ----

/** The resident kernel of each booted board, for the info commands. */
const MACHINES = new WeakMap<Board, ResidentBoot>();
/** `info procs` and `info ipc`, for machines booted here (the kernel found through MACHINES). */
function kernelInfo(name: string, aliases: string[], summary: string, lines: typeof infoProcs): CommandSpec {
  return {
    name, aliases, usage: `info ${name}`, summary,
    run: (ctx: CommandContext): CommandResult => {
      const m = MACHINES.get(ctx.dbg.board);
      if (m?.kernel === undefined || m.started === undefined) {
        ctx.out(m?.error !== undefined ? `The kernel could not start the modules: ${m.error}` : 'The kernel has not taken over yet (the firmware is running).');
        return {};
      }
      ctx.out(lines(m.kernel).join('\n'));
      return {};
    },
  };
}

function installKernelInfo(): void {
  addInfoCommand(kernelInfo('procs', ['proc'], 'the kernel\'s process table: state, priority, instructions, pages, what each waits for', infoProcs));
  addInfoCommand(kernelInfo('ipc', [], 'the kernel\'s IPC state: blocked senders and receivers, notifications, grants, alarms, IRQ lines', infoIpc));
}

/** The debugger prompt over the running (or reset) machine; resolves with the exit code when the user quits. */
async function debugSession(board: Board, fw: Program, guest: GuestOutput, io: BootIo, banner: string): Promise<number> {
  const dbg = new Debugger(board);
  for (const [name, addr] of fw.symbols) dbg.symbols.set(name, addr);
  dbg.symbolize = fw.symbolize;
  const tty = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const repl = new DebugRepl(dbg, {
    input: io.stdin, output: io.stdout, guest,
    historyFile: tty ? join(homedir(), '.tessera_debug_history') : undefined,
  });
  const onSigint = (): void => repl.interrupt();
  process.on('SIGINT', onSigint);
  try {
    return await repl.run(banner);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const where = (board: Board): string => `pc 0x${(board.hart.pc >>> 0).toString(16)}, ${['U', 'S', '?', 'M'][board.hart.priv]}-mode`;
const STDIO: BootIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** Boot `path` (a raw disk image) with the console on `io`; resolves with the exit code. `place` says where the firmware is built. */
export async function bootDisk(path: string, o: BootFlags = {}, io: BootIo = STDIO, place: BuildPlace = {}): Promise<number> {
  const disk = openDisk(path);
  const out = new ConsoleOutput(io.stdout);
  let guest: GuestOutput | undefined; // set while the debugger shows the guest's output
  try {
    const tty = io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
    // On a terminal the machine keeps the host's time: a booted system's
    // timers (rs pings its services) would otherwise be fast-forwarded
    // without end while it waits for a key, a host core busy and the
    // guest's clock racing. Piped input keeps the deterministic clock.
    const m = newMachine(disk, { ...o, realtime: o.realtime ?? (tty && o.debug !== true && o.gdb === undefined) },
      (b) => (guest ? guest.push(b) : out.push(b)));
    const board = m.board;
    MACHINES.set(board, m);
    installKernelInfo();
    const fw = loadProgram(board, await firmwareElf(place));
    if (o.gdb !== undefined) return await serveGdb(board, fw, o.gdb, { input: io.stdin, log: (line) => io.stderr.write(line + '\n') });
    const openDebugger = (banner: string): Promise<number> => {
      out.flush();
      guest = new GuestOutput();
      return debugSession(board, fw, guest, io, banner);
    };
    if (o.debug) {
      return await openDebugger(`Tessera debugger: booting ${path}; the firmware is loaded at 0x80000000.\n` +
        'The machine waits at the reset vector 0x1000. Type "help" for commands, "continue" to run, Ctrl-C to stop it.');
    }
    let wantDebugger = false;
    const keys = tty ? new ConsoleKeys(io.stdin, io.stdout, () => { wantDebugger = true; }) : new LineFeeder(io.stdin, m);
    const r = await runConsole(board, { maxInsns: o.maxInsns, input: keys as unknown as In & { setRawMode?: (raw: boolean) => void }, output: io.stdout });
    if (wantDebugger && r.kind === 'break') {
      return await openDebugger(`\r\nTessera debugger: the machine is stopped at ${where(board)}.\n` +
        'Type "help" for commands ("info procs", "info ipc" for the kernel), "continue" to run on (Ctrl-C stops it again), "quit" to end.');
    }
    out.flush();
    const { exitCode } = describeStop(r, board.hart.retired);
    const message = r.kind === 'idle' ? 'stopped: the system waits for input and stdin has ended (type shutdown to power off)'
      : describeStop(r, board.hart.retired).message;
    if (message) {
      if (!out.atLineStart && io.stdout.isTTY) io.stdout.write('\n');
      io.stderr.write(`tessera: ${message}\n`);
    }
    return exitCode;
  } finally {
    out.close();
    disk.close();
  }
}

/**
 * The default image's path, built or refreshed on the way: stderr gets a
 * line before a build (the first one translates every server and program:
 * 20 s to a minute) and one after.
 */
async function defaultDisk(io: BootIo, place: BuildPlace): Promise<string> {
  const dir = place.cacheDir ?? DEFAULT_CACHE_DIR;
  const onBuild = (why: 'first use' | 'changed'): void => {
    io.stderr.write(why === 'first use' ? 'tessera: building the default image (first use) ...\n'
      : 'tessera: rebuilding the default image (its sources changed) ...\n');
  };
  try {
    const { path, built } = await defaultImage(place, { onBuild });
    if (built) io.stderr.write(`tessera: built the default image ${path}\n`);
    return path;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0];
    throw new BootError(`cannot build the default image in ${dir}: ${why}`);
  }
}

/** `tessera boot [disk.img]`: the default image when none is given. */
export async function boot(file: string | undefined, o: BootFlags = {}, io: BootIo = STDIO, place: BuildPlace = {}): Promise<number> {
  return bootDisk(file ?? await defaultDisk(io, place), o, io, place);
}

/** Add `tessera boot` to the CLI; `setExit` receives the exit code. */
export function registerBootCommand(program: Command, setExit: (code: number) => void = (c) => { process.exitCode = c; }): void {
  program.command('boot')
    .description('boot Tessera from a disk image (the default image when none is given)')
    .argument('[disk.img]', 'raw disk image: MBR, boot partition (docs/boot.md)')
    .option('--mem <size>', 'guest RAM (e.g. 128M)', sizeOption)
    .option('--max-insns <n>', 'stop after N instructions (exit 124)', intOption)
    .option('--realtime', 'mtime follows the host clock instead of retired instructions (the default on a terminal)')
    .option('--no-realtime', 'mtime follows retired instructions, also on a terminal (a deterministic run)')
    .option('--no-jit', 'interpret only (no translation to JavaScript)')
    .option('--gdb <port>', 'wait for gdb on 127.0.0.1:PORT, paused at the reset vector', portOption)
    .option('--debug', 'stop at the reset vector with the debugger prompt (Ctrl-A C opens it later)')
    .action(async (file: string | undefined, o: BootFlags) => setExit(await boot(file, o)));
}

// Run directly (`node --import tsx cli/boot_cmd.ts [options] [disk.img]`),
// as `tessera boot` does once cli/main.ts registers it.
const isMain = process.argv[1] !== undefined && /[\\/]cli[\\/]boot_cmd\.ts$/.test(process.argv[1]);
if (isMain) {
  const p = new Command('tessera').exitOverride().showHelpAfterError();
  registerBootCommand(p);
  p.parseAsync(['boot', ...process.argv.slice(2)], { from: 'user' }).catch((e: Error & { code?: string }) => {
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) process.exitCode = e.code === 'commander.helpDisplayed' ? 0 : 2;
    else if (e instanceof LoadError) { process.stderr.write(`tessera: ${e.message}\n`); process.exitCode = 2; }
    else { process.stderr.write(`tessera: internal error (this is a bug): ${e.stack ?? e}\n`); process.exitCode = 70; }
  });
}
