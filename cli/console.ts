// The interactive console: runs a Board in slices on the event loop, with the
// guest's UART on stdout and the host's stdin on the UART's receiver.
//
// On a TTY the terminal is put in raw mode and QEMU's escape keys apply:
// Ctrl-A X quits, Ctrl-A Ctrl-A sends a literal Ctrl-A, Ctrl-A H lists the
// keys. Without a TTY, stdin is read as a byte stream; when it ends and the
// guest sits in wfi with no timer armed, nothing more can happen and the run
// stops (exit 125) instead of hanging. A guest with a periodic timer (a
// booted system's services ping each other) never idles so; once stdin has
// ended and all of it was taken, a guest that prints nothing for QUIET_TICKS
// of guest time (at least 30 s, fast-forwarded while it idles; checked
// between slices) stops the same way.
//
// Entry points: runConsole, ConsoleOptions.

import type { Board, StopReason } from '../vm/board.ts';

export interface ConsoleOptions {
  maxInsns?: number;
  /** Instructions per slice between event-loop turns. */
  slice?: number;
  input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  output?: NodeJS.WritableStream;
}

const CTRL_A = 0x01;
/** Guest time (mtime ticks, 10 MHz) without output after stdin ended, before the run stops: 30 s. */
export const QUIET_TICKS = 300_000_000;
const HELP = '\r\nC-a h    print this help\r\nC-a x    exit emulator\r\nC-a C-a  sends C-a\r\n';

/** Run `board` until it stops; resolves with the reason. Output goes through `board`'s UART hook. */
export function runConsole(board: Board, opts: ConsoleOptions = {}): Promise<StopReason> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const tty = input.isTTY === true && typeof input.setRawMode === 'function';
  let maxLeft = opts.maxInsns ?? Infinity;
  const slice = opts.slice ?? 2_000_000;
  let escape = false;
  let inputEnded = false;
  let quit = false;
  let wake: (() => void) | undefined;

  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const pass: number[] = [];
    for (const b of bytes) {
      if (!tty) { pass.push(b); continue; }
      if (escape) {
        escape = false;
        if (b === 0x78 || b === 0x58) { quit = true; board.stop(); }
        else if (b === 0x68 || b === 0x48) output.write(HELP);
        else if (b === CTRL_A) pass.push(CTRL_A);
      } else if (b === CTRL_A) escape = true;
      else pass.push(b);
    }
    if (pass.length) board.input(pass);
    wake?.();
  };
  const onEnd = (): void => { inputEnded = true; wake?.(); };

  if (tty) input.setRawMode!(true);
  input.on('data', onData);
  input.on('end', onEnd);
  input.resume();

  const cleanup = (): void => {
    input.off('data', onData);
    input.off('end', onEnd);
    if (tty) input.setRawMode!(false);
    input.pause();
  };

  let quietSince = -1, lastTx = -1;
  /** Stdin has ended, all of it was taken, and the guest has printed nothing for QUIET_TICKS. */
  const quietTooLong = (): boolean => {
    if (!inputEnded || board.hasPendingInput()) return false;
    const now = board.mtime(), tx = board.uart.transmitted;
    if (tx !== lastTx || quietSince < 0) { lastTx = tx; quietSince = now; return false; }
    return now - quietSince >= QUIET_TICKS;
  };

  return new Promise<StopReason>((resolve) => {
    const step = (): void => {
      const r = board.run(Math.min(maxLeft, slice), slice, maxLeft <= slice);
      const ran = r.kind === 'limit' ? Math.min(maxLeft, slice) : 0;
      if (r.kind === 'limit' && maxLeft !== Infinity) maxLeft -= ran;
      if (quit || r.kind === 'pass' || r.kind === 'fail' || r.kind === 'break' || (r.kind === 'limit' && maxLeft <= 0)) {
        cleanup();
        resolve(quit ? { kind: 'break' } : r);
        return;
      }
      if (r.kind === 'limit' && maxLeft > 0 && quietTooLong()) { cleanup(); resolve({ kind: 'idle' }); return; }
      if (r.kind === 'idle') {
        const ms = board.msToDeadline();
        if (inputEnded && !board.hasPendingInput() && ms === Infinity) { cleanup(); resolve(r); return; }
        const timer = ms === Infinity ? undefined : setTimeout(() => wake?.(), Math.ceil(ms));
        wake = () => { wake = undefined; if (timer) clearTimeout(timer); setImmediate(step); };
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}
