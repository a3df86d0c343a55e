// The GDB remote stub: gdb (or any RSP client) over TCP, on the debugger
// core. One client at a time: a second connection while one is attached
// waits, unread, until the first has gone (as with QEMU). The machine runs
// in slices from the event loop while gdb waits for a stop reply, so the
// break character 0x03 is read and acted on between slices. The packets
// themselves are in gdb_session.ts.
//
// Lifecycle, following QEMU's -gdb where the issue does not say otherwise:
// - A client that disconnects leaves the machine paused (a running machine
//   is interrupted) and its breakpoints and watchpoints are removed (gdb
//   would have removed them; a crashed client's points would otherwise stop
//   the next client at places it knows nothing of). The next client finds
//   the machine as the last one left it.
// - `D` (detach) removes the client's points, answers OK and resumes the
//   machine, as QEMU does (gdb's `detach`, and what gdb does when a batch
//   script ends); a client that connects later pauses it again.
// - `k` ends the session: the connection is closed and the machine is marked
//   killed (later clients get X09); `onKill` lets `tessera run --gdb` exit.
// - When the guest finishes (sifive_test, tohost) the client gets W<code>;
//   `onExit` is told either way, even with no client attached.
// - A wfi with nothing left to wake it keeps gdb waiting (input or a timer
//   may still come); 0x03 stops it.
//
// Entry points: startGdbServer, GdbServer, GdbServerOptions, GdbTarget.

import { createServer, type Server, type Socket } from 'node:net';
import type { Debugger, StopEvent } from './debugger.ts';
import { GdbSession } from './gdb_session.ts';

export interface GdbServerOptions {
  /** TCP port; 0 picks a free one (the result says which). */
  port: number;
  /** Listen address; 127.0.0.1 unless given. */
  host?: string;
  log?: (s: string) => void;
  /** The guest finished with this exit code (after W was sent to a client, if one was attached). */
  onExit?: (code: number) => void;
  /** A client sent `k` (or `monitor quit`). */
  onKill?: () => void;
}

export interface GdbServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Instructions per resume() call (small enough that single-stepping on a
 * breakpoint's page still comes back within ~20 ms), and host time per
 * event-loop turn while running.
 */
const SLICE_INSNS = 20_000;
const SLICE_MS = 16;
/** How often an idle (wfi) machine is looked at again. */
const IDLE_POLL_MS = 10;
/** How long close() lets clients read their last packets. */
const CLOSE_GRACE_MS = 200;

export type MachineState = 'stopped' | 'running' | 'exited' | 'killed';

/** The machine as the stub drives it: one per server, shared by its successive clients. */
export class GdbTarget {
  state: MachineState = 'stopped';
  exitCode = 0;
  /** Who hears about the next stop (the attached client), if anyone. */
  onStop: ((ev: StopEvent) => void) | undefined;
  private gen = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(readonly dbg: Debugger, private readonly opts: GdbServerOptions) {}

  /** Run (from the event loop) until a stop event. */
  resume(): void {
    if (this.state !== 'stopped') return;
    this.state = 'running';
    const gen = ++this.gen;
    this.timer = setImmediate(() => this.slice(gen));
  }

  /**
   * Stop a running machine now and return the event (interrupted). Slices run
   * only between event-loop turns, so whenever this is called none is in
   * progress: the debugger's interrupt is taken by a resume() that runs
   * nothing. Undefined if the machine was not running.
   */
  pause(): StopEvent | undefined {
    if (this.state !== 'running') return undefined;
    this.cancel();
    this.dbg.clearInterrupt();
    const ev: StopEvent = { reason: 'interrupted' };
    this.state = 'stopped';
    return ev;
  }

  /** 0x03 from the client: pause and report (SIGINT). Ignored unless running. */
  interrupt(): void {
    const ev = this.pause();
    if (ev) this.stopped(ev);
  }

  kill(): void {
    this.pause();
    this.state = 'killed';
  }

  /** Stop scheduling slices (the server is closing). */
  cancel(): void {
    this.gen++;
    if (this.timer === undefined) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private slice(gen: number): void {
    this.timer = undefined;
    if (gen !== this.gen || this.state !== 'running') return;
    const t0 = performance.now();
    do {
      const ev = this.dbg.resume(SLICE_INSNS);
      if (ev?.reason === 'idle') {
        this.timer = setTimeout(() => this.slice(gen), IDLE_POLL_MS);
        return;
      }
      if (ev) { this.stopped(ev); return; }
    } while (performance.now() - t0 < SLICE_MS);
    this.timer = setImmediate(() => this.slice(gen));
  }

  /** Record a stop and tell the client; the guest finishing ends the run for good. */
  stopped(ev: StopEvent): void {
    if (ev.reason === 'exited') {
      this.state = 'exited';
      this.exitCode = ev.kind === 'pass' ? 0 : ev.code;
    } else if (this.state === 'running') this.state = 'stopped';
    this.onStop?.(ev);
    if (ev.reason === 'exited') this.opts.onExit?.(this.exitCode);
  }
}

/**
 * Serve the GDB remote protocol for `dbg`'s machine on `opts.port`
 * (127.0.0.1 unless `opts.host`). Resolves once listening.
 */
export async function startGdbServer(dbg: Debugger, opts: GdbServerOptions): Promise<GdbServer> {
  const log = opts.log ?? (() => {});
  const target = new GdbTarget(dbg, opts);
  let session: GdbSession | undefined;
  const waiting: Socket[] = [];
  const sockets = new Set<Socket>();
  const attach = (sock: Socket): void => {
    const who = `${sock.remoteAddress}:${sock.remotePort}`;
    log(`gdb: client ${who} attached`);
    sock.setNoDelay(true);
    const s = new GdbSession(target, sock, {
      log,
      onKill: () => opts.onKill?.(),
      onEnd: () => {
        if (session !== s) return;
        session = undefined;
        log(`gdb: client ${who} detached`);
        const next = waiting.shift();
        if (next) attach(next);
      },
    });
    session = s;
    sock.resume();
  };
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => {
      sockets.delete(sock);
      const i = waiting.indexOf(sock);
      if (i >= 0) waiting.splice(i, 1);
    });
    if (!session) { attach(sock); return; }
    // As QEMU (whose listening socket accepts the next client only when the
    // current one has gone): wait, unread, until the session ends.
    log(`gdb: client ${sock.remoteAddress}:${sock.remotePort} waits: another client is attached`);
    sock.pause();
    waiting.push(sock);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log(`gdb: server error: ${e.message}`));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      target.pause();
      target.onStop = undefined;
      server.close(() => resolve());
      // Let what was sent (a final W) reach the client, then cut whoever is left.
      for (const s of sockets) s.end();
      setTimeout(() => { for (const s of sockets) s.destroy(); }, CLOSE_GRACE_MS).unref();
    }),
  };
}
