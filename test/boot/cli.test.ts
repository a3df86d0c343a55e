// `tessera boot` as a user runs it: a child process of cli/main.ts with
// piped stdin, its stdout, stderr and exit status. The default image (no
// disk argument) is the one in the repository's cache folder, built there
// if it is missing or stale (the first time, every server and program is
// translated: a minute or more on a cold servers cache).

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, firmwareExit } from '../../firmware/build.ts';
import { lf, scratch } from './harness.ts';

const MAIN = join(REPO_ROOT, 'cli/main.ts');
const tmp = scratch('cli');

interface Result { code: number; stdout: string; stderr: string }

/** `tessera ARGS` with `input` on stdin; killed after `ms`. */
function tessera(args: string[], input: string, ms = 60_000): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? (signal ? -1 : 0), stdout, stderr }); });
    child.stdin.end(input);
  });
}

describe('tessera boot', () => {
  it("printf 'echo hi\\nshutdown\\n' | tessera boot: the default image (the real system) prints hi and exits 0", async () => {
    const r = await tessera(['boot'], 'echo hi\nshutdown\n', 290_000);
    expect(lf(r.stdout)).toBe('Tessera boot firmware\nfirmware: loaded 8 modules: pm ds rs vfs blk mfs tty init\n$ echo hi\nhi\n$ shutdown\n');
    // Built on the way only if the cache had none or a stale one: then a line before and one after.
    expect(r.stderr).toMatch(/^(tessera: (re)?building the default image .*\ntessera: built the default image .*default\.img\n)?$/);
    expect(r.code).toBe(0);
  }, 300_000);

  it('a disk image that does not exist: one line on stderr, exit 2', async () => {
    const r = await tessera(['boot', tmp.path('missing.img')], '');
    expect(r.stderr).toBe(`tessera: cannot open disk image '${tmp.path('missing.img')}': no such file\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('a disk without an MBR: the firmware\'s line, its exit code', async () => {
    const r = await tessera(['boot', tmp.save('blank.img', new Uint8Array(64 * 1024))], '');
    expect(r.stdout).toBe('Tessera boot firmware\nfirmware: no MBR signature\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(firmwareExit('NO_MBR'));
  });
});
