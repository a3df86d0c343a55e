// An image made by `tessera mkimage` is a system a user can boot: the
// programs in /bin, /dev, whatever --add put on top, as the default image
// has them. Made and booted as a user does it, a child process each
// (`tessera mkimage -o x.img --size 16M`, then
// `printf 'ls /bin\n...' | tessera boot x.img`); the root passes util-linux
// `fsck.minix -f` before and after the session.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultPrograms } from '../../firmware/build.ts';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { fsckMinix } from '../fs/system.ts';
import { lf, scratch } from '../boot/harness.ts';
import { BANNER } from './harness.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'cli/main.ts');

interface Result { code: number; stdout: string; stderr: string }

/** `tessera args` as a child process, `input` piped to its stdin; killed after `ms`. */
function tessera(args: string[], input = '', ms = 120_000): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('latin1').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? (signal ? -1 : 0), stdout, stderr }); });
    child.stdin.end(input);
  });
}

const tmp = scratch('mkimage-boot');

describe('tessera mkimage makes a bootable system', () => {
  it('mkimage -o x.img --size 16M: boots, `ls /bin` lists the programs, --add is there, fsck.minix is clean before and after', async () => {
    const image = tmp.path('x.img');
    writeFileSync(tmp.path('motd'), 'welcome\n');
    const made = await tessera(['mkimage', '-o', image, '--size', '16M', '--add', `${tmp.path('motd')}=/etc/motd`], '', 280_000);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(readFileSync(image).length).toBe(16 * 1024 * 1024);
    const before = fsckMinix(new Uint8Array(readFileSync(image)));
    expect(before.status, before.output).toBe(0);

    const r = await tessera(['boot', image], 'ls /bin\ncat /etc/motd\necho made > /home/f\nshutdown\n');
    const out = lf(r.stdout);
    const names = (await defaultPrograms()).map((p) => p.name).sort();
    expect(out).toBe(`${BANNER}$ ls /bin\n${names.join('\n')}\n$ cat /etc/motd\nwelcome\n$ echo made > /home/f\n$ shutdown\n`);
    expect(r.code, r.stderr).toBe(0);

    const after = fsckMinix(new Uint8Array(readFileSync(image)));
    expect(after.status, after.output).toBe(0);
    expect(new TextDecoder().decode(DiskImage.open(image).fs.readFile('/home/f'))).toBe('made\n');
  }, 300_000);
});
