// System tests of the default image: the real system (firmware/build.ts)
// booted through `tessera boot`'s own code path (cli/boot_cmd.ts bootDisk)
// with piped input, as `printf '...' | tessera boot disk.img` would, and the
// console's transcript cut into each command's output.
//
// Each test file builds the default image once into its own scratch cache
// (test/boot/harness.ts systemImage; the servers' ELFs come from their own
// cache) and boots copies of it, so the files never share a disk.
//
// Entry points: SystemDisk, Session, session, byCommand, BANNER.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { runBoot, scratch, systemImage, lf, SYSTEM_BANNER } from '../boot/harness.ts';
import type { BootFlags } from '../../cli/boot_cmd.ts';

export const BANNER = SYSTEM_BANNER;

/** This file's scratch folder and its default image. */
export class SystemDisk {
  readonly tmp: ReturnType<typeof scratch>;
  readonly place: { cacheDir: string };

  constructor(tag: string) {
    this.tmp = scratch(`sys-${tag}`);
    this.place = { cacheDir: this.tmp.path('cache') };
  }

  /** The default image as built (do not boot it: boots write). */
  pristine(): Promise<string> {
    return systemImage(this.place);
  }

  /** A fresh copy of the default image named `name`. */
  copy(name: string): Promise<string> {
    return systemImage(this.place, name);
  }

  /** A copy of the default image with `edit` applied to its bytes. */
  async edited(name: string, edit: (disk: Uint8Array) => Uint8Array | void): Promise<string> {
    const disk = new Uint8Array(readFileSync(await this.pristine()));
    const out = edit(disk) ?? disk;
    return this.tmp.save(name, out);
  }
}

export interface Session {
  code: number;
  /** The console, CR LF as LF. */
  out: string;
  err: string;
  /** What each command printed, in order (between its echoed line and the next prompt). */
  outputs: string[];
}

/**
 * Boot `image` with `lines` piped in (each a command typed at the prompt;
 * the last is normally `shutdown`), and cut the transcript: the banner, then
 * for each line `$ LINE` and its output. Throws with the whole transcript
 * if it does not read so.
 */
export async function session(image: string, lines: readonly string[], flags: BootFlags = {}, place?: { cacheDir: string }): Promise<Session> {
  const r = await runBoot(image, lines.map((l) => `${l}\n`).join(''), flags, place);
  const out = lf(r.out);
  const outputs: string[] = [];
  const fail = (why: string): never => {
    throw new Error(`${why}; exit ${r.code}, stderr ${JSON.stringify(r.err)}; the console said:\n${out}`);
  };
  if (!out.startsWith(BANNER)) fail('no banner');
  let at = BANNER.length;
  lines.forEach((line, i) => {
    const head = `$ ${line}\n`;
    if (!out.startsWith(head, at)) fail(`no prompt with '${line}' at ${at}`);
    const from = at + head.length;
    const next = i + 1 < lines.length ? out.indexOf(`$ ${lines[i + 1]}\n`, from) : out.length;
    if (next < 0) fail(`no prompt after '${line}'`);
    outputs.push(out.slice(from, next));
    at = next;
  });
  return { code: r.code, out, err: r.err, outputs };
}

/** The outputs of `s` by command line (the first of equal lines). */
export function byCommand(lines: readonly string[], s: Session): (line: string) => string {
  return (line) => {
    const i = lines.indexOf(line);
    expect(i, `'${line}' is one of the session's lines`).toBeGreaterThanOrEqual(0);
    return s.outputs[i];
  };
}
