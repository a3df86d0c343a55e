// System tests of the servers: the kernel booted straight with a boot list
// built from servers/ (servers/system.ts, cached on disk), the console read
// from the UART and typed into it, as a user at the terminal would.
//
// Output is normalised from the terminal's CR LF to LF (tty adds the CR,
// the kernel's own lines have none).
//
// Entry points: TEST_PROGRAMS, buildTestSystem, Session, QUIET_SERVICE,
// HANG_SERVICE, CRASH_SERVICE, SINK_SERVICE, WAIT_SERVICE.

import { Board, type BoardOptions } from '../../vm/board.ts';
import { Kernel, type BootImage } from '../../kernel/kernel.ts';
import { buildSystem, type ExtraService, type ProgramSpec } from '../../servers/system.ts';
import { SERVER_PRIVILEGES } from '../../kernel/privileges.ts';

/** Test programs (test/servers/progs), in pm's bundle beside /bin. */
export const TEST_PROGRAMS: readonly ProgramSpec[] = ['spin', 'fault', 'forkbomb', 'exitcode', 'orphan', 'dsq', 'soak']
  .map((name) => ({ name, source: `test/servers/progs/${name}.ts` }));

const testService = (name: string, targets: readonly string[] = ['rs']): ExtraService => ({
  name, source: `test/servers/progs/${name}.ts`, system: true, priority: 6,
  privileges: { kcalls: [], targets, irqs: [], mmio: [] },
});

/** Services for rs's tests: one that behaves, one that hangs at rs's second ping, one that faults at the first. */
export const QUIET_SERVICE = testService('quietsvc');
export const HANG_SERVICE = testService('hangsvc');
export const CRASH_SERVICE = testService('crashsvc');
/** One that takes requests and never answers them, and one that waits on it for good (rs must not take that for a hang). */
export const SINK_SERVICE = testService('sinksvc');
export const WAIT_SERVICE = testService('waitsvc', ['rs', 'ds', 'sinksvc']);

export function buildTestSystem(services: readonly ExtraService[] = []): Promise<BootImage[]> {
  return buildSystem({ programs: TEST_PROGRAMS, services });
}

/** Instructions per slice of run(): small enough to stop soon after the awaited output. */
const STEP = 200_000;

export class Session {
  readonly board: Board;
  readonly kernel: Kernel;
  private raw = '';

  /** `makeBoard` builds the board from the options given (a test adds a disk). */
  constructor(images: readonly BootImage[], makeBoard: (opts: BoardOptions) => Board = (o) => new Board(o)) {
    this.board = makeBoard({ ramSize: 64 << 20, output: (b) => { this.raw += String.fromCharCode(b); } });
    this.kernel = new Kernel(this.board);
    this.kernel.boot(images);
    // Every module is a process: check the privileges used are the table's (a server missing would fail here).
    for (const img of images) if (img.name in SERVER_PRIVILEGES && this.kernel.procs.byName(img.name) === undefined) throw new Error(`${img.name} did not start`);
  }

  /** Everything on the console so far, CR LF as LF. */
  output(): string {
    return this.raw.replace(/\r\n/g, '\n');
  }

  type(text: string): void {
    this.board.input(Buffer.from(text, 'latin1'));
  }

  /** Run until `pred(output since `from`)` holds (true), or `maxInsns` pass or the machine stops (false). */
  runUntil(pred: (out: string) => boolean, from = 0, maxInsns = 60_000_000): boolean {
    for (let done = 0; done < maxInsns; done += STEP) {
      if (pred(this.output().slice(from))) return true;
      const r = this.board.run(STEP);
      if (r.kind !== 'limit') return pred(this.output().slice(from));
    }
    return pred(this.output().slice(from));
  }

  /** Run `insns` instructions (or until the machine stops). */
  runFor(insns: number): void {
    this.board.run(insns);
  }

  /** Wait for the shell's prompt at the end of the output. */
  prompt(maxInsns?: number): boolean {
    return this.runUntil((o) => o.endsWith('$ '), 0, maxInsns);
  }

  /**
   * Type `line` and a newline and wait for the next prompt: what the
   * command printed (after its echoed line, before the prompt), or throws
   * with everything since if no prompt comes.
   */
  command(line: string, maxInsns?: number): string {
    const from = this.output().length;
    this.type(line + '\n');
    const echoed = line + '\n';
    const ok = this.runUntil((o) => o.startsWith(echoed) && o.endsWith('$ '), from, maxInsns);
    const got = this.output().slice(from);
    if (!ok) throw new Error(`no prompt after '${line}'; got ${JSON.stringify(got.slice(-2000))}`);
    return got.slice(echoed.length, got.length - 2);
  }
}
