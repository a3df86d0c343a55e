// `tessera boot` as a user runs it: a child process of cli/main.ts with
// piped stdin, its stdout, stderr and exit status. The default image (no
// disk argument) is the one in the repository's cache folder, built there
// if it is missing or stale.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, firmwareExit } from '../../firmware/build.ts';
import { scratch } from './harness.ts';

const MAIN = join(REPO_ROOT, 'cli/main.ts');
const tmp = scratch('cli');

interface Result { code: number; stdout: string; stderr: string }

/** `tessera ARGS` with `input` on stdin; killed after 60 s. */
function tessera(args: string[], input: string): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? (signal ? -1 : 0), stdout, stderr }); });
    child.stdin.end(input);
  });
}

describe('tessera boot', () => {
  it("printf 'echo hi\\nshutdown\\n' | tessera boot: the default image prints hi and exits 0", async () => {
    const r = await tessera(['boot'], 'echo hi\nshutdown\n');
    expect(r.stdout).toMatch(/^Tessera boot firmware\nfirmware: loaded \d+ modules:.*\n/);
    expect(r.stdout).toMatch(/\$ echo hi\nhi\n\$ shutdown\n$/);
    expect(r.stderr).not.toMatch(/error|Error/);
    expect(r.code).toBe(0);
  });

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
