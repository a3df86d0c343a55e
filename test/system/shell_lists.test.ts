// The default image, booted, on three things a user meets at the shell:
// the working directory's name follows renames (getcwd from the inodes,
// as on Linux and MINIX, not a string remembered at cd); the shell's
// `&&`, `||` and `&`; and `shutdown` with the disk driver taken down for
// good (`service down blk`): it powers off, saying on the console what
// could not be written, instead of waiting for a driver that never comes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiskImage } from '../../toolchain/image/disk.ts';
import { fsckMinix } from '../fs/system.ts';
import { SystemDisk, byCommand, session } from './harness.ts';

const disk = new SystemDisk('shell-lists');

describe('getcwd after a rename', () => {
  it('pwd names the directory by where it is now: itself or an ancestor renamed, in the shell and in a child', async () => {
    const lines = [
      'mkdir /tmp/a; cd /tmp/a; mv /tmp/a /tmp/b; pwd',
      'mkdir /tmp/b/s; cd /tmp/b/s; mv /tmp/b /home/c; pwd',
      'sh -c pwd',
      'cd ..; pwd; ls',
      'mkdir /home/x; cd /home/x; mv /home/x /home/y; sh -c pwd',
      'cd /home/c/s; rmdir /home/c/s; pwd; echo $?',
      'cd /; pwd',
      'shutdown',
    ];
    const s = await session(await disk.copy('cwd.img'), lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out(lines[0])).toBe('/tmp/b\n');
    expect(out(lines[1])).toBe('/home/c/s\n');
    expect(out('sh -c pwd')).toBe('/home/c/s\n'); // a forked child's working directory is the same inode
    expect(out('cd ..; pwd; ls')).toBe('/home/c\ns\n');
    expect(out(lines[4])).toBe('/home/y\n');
    // A removed directory has no name: pwd fails (ENOENT), as getcwd does on Linux.
    expect(out(lines[5])).toBe('sh: pwd: No such file or directory\n1\n');
    expect(out('cd /; pwd')).toBe('/\n');
    expect(s.code).toBe(0);
  }, 300_000);
});

describe('sh: variables', () => {
  it('NAME=value sets, $NAME and ${NAME} expand (unset: empty), HOME is / and cd goes there; an assignment before a command is dropped', async () => {
    const lines = [
      'echo $HOME ${HOME}x $NOPE. "$NOPE"',
      'X=hello; echo $X "$X world" \'$X\' ${X}s',
      'X=a Y=b; echo $X$Y',
      'Z=1 echo ran; echo z=$Z',
      'X=changed; echo $X; sh -c \'echo in child: $X.\'',
      'cd /tmp; cd; pwd',
      'echo $ a$ $1',
      'shutdown',
    ];
    const s = await session(await disk.copy('vars.img'), lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out(lines[0])).toBe('/ /x . \n');
    expect(out(lines[1])).toBe('hello hello world $X hellos\n');
    expect(out(lines[2])).toBe('ab\n');
    expect(out(lines[3])).toBe('ran\nz=\n');
    // A child shell starts with its own variables: nothing is exported (Tessera has no environment).
    expect(out(lines[4])).toBe('changed\nin child: .\n');
    expect(out(lines[5])).toBe('/\n');
    expect(out(lines[6])).toBe('$ a$ $1\n');
    expect(s.code).toBe(0);
  }, 300_000);
});

describe('sh: descriptor redirections', () => {
  it('2> and 2>> name stderr, 2>&1 and >&2 copy a descriptor, left to right as POSIX has it; a bad descriptor is an error', async () => {
    const lines = [
      'cat /nope 2> /tmp/err; cat /tmp/err',
      'cat /nope 2>&1 | wc -l',
      'cat /nope /nope 2>> /tmp/err; wc -l /tmp/err',
      'echo to-err >&2 2>/dev/null',
      'echo gone 2>/dev/null >&2',
      'ls /nope /tmp/err 2>/dev/null',
      'echo a 1>/tmp/o; cat 0</tmp/o',
      'echo c >&7; echo $?',
      'echo d >&x; echo not run',
      'echo $?',
      'echo 2 >/tmp/two; cat /tmp/two',
      'shutdown',
    ];
    const s = await session(await disk.copy('fds.img'), lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out(lines[0])).toBe('cat: /nope: No such file or directory\n');
    expect(out(lines[1])).toBe('1\n');
    expect(out(lines[2])).toBe('      3 /tmp/err\n');
    // stdout becomes a copy of stderr (the console) before stderr goes to /dev/null.
    expect(out(lines[3])).toBe('to-err\n');
    expect(out(lines[4])).toBe('');
    expect(out(lines[5])).toBe('/tmp/err\n');
    expect(out(lines[6])).toBe('a\n');
    expect(out(lines[7])).toBe('sh: 7: Bad file descriptor\n1\n');
    // A syntax error: nothing on the line runs, status 2.
    expect(out(lines[8])).toBe('sh: x: bad file descriptor\n');
    expect(out(lines[9])).toBe('2\n');
    // With a space, 2 is an argument.
    expect(out(lines[10])).toBe('2\n');
    expect(s.code).toBe(0);
  }, 300_000);
});

describe('sh: pathname expansion', () => {
  it('* ? and [...] expand unquoted words to the sorted matches; quoted or escaped they are plain; no match leaves the word', async () => {
    const lines = [
      'mkdir /tmp/g; cd /tmp/g; touch a1 a2 b1 .hid "s p"; mkdir d; touch d/x d/y',
      'echo *',
      'echo a? [ab]1 [!a]* *1',
      'echo */* d/?',
      'echo .*',
      'echo "*" \\* \'a?\' *.none /nope/*',
      'P=a*; echo $P "$P"',
      'ls /tmp/g/d/*',
      'rm a*; echo *',
      'echo /tmp/g/[',
      'shutdown',
    ];
    const s = await session(await disk.copy('glob.img'), lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out(lines[1])).toBe('a1 a2 b1 d s p\n');
    expect(out(lines[2])).toBe('a1 a2 a1 b1 b1 d s p a1 b1\n');
    expect(out(lines[3])).toBe('d/x d/y d/x d/y\n');
    // A leading dot is matched only by a pattern that starts with one.
    expect(out(lines[4])).toBe('.hid\n');
    expect(out(lines[5])).toBe('* * a? *.none /nope/*\n');
    expect(out(lines[6])).toBe('a1 a2 a*\n');
    expect(out(lines[7])).toBe('/tmp/g/d/x\n/tmp/g/d/y\n');
    expect(out(lines[8])).toBe('b1 d s p\n');
    expect(out(lines[9])).toBe('/tmp/g/[\n');
    expect(s.code).toBe(0);
  }, 300_000);
});

describe('sh: && and ||, &', () => {
  it('&& runs on success, || on failure, left to right with equal precedence; looser than |, tighter than ;', async () => {
    const lines = [
      'true && echo a',
      'false && echo a',
      'false || echo b',
      'true || echo b',
      'false && echo x || echo y',
      'true || echo x && echo y',
      'false || echo $?',
      'false && echo no; echo $?',
      'echo abc | grep b && echo found',
      'echo abc | grep z || echo none; echo $?',
      'cat /nope || echo missing',
      '&& echo x',
      'echo $?',
      'echo ran; echo not ||',
      'echo a & & echo b',
      'shutdown',
    ];
    const s = await session(await disk.copy('andor.img'), lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out('true && echo a')).toBe('a\n');
    expect(out('false && echo a')).toBe('');
    expect(out('false || echo b')).toBe('b\n');
    expect(out('true || echo b')).toBe('');
    expect(out('false && echo x || echo y')).toBe('y\n');
    expect(out('true || echo x && echo y')).toBe('y\n');
    expect(out('false || echo $?')).toBe('1\n'); // $? after the left side ran
    expect(out('false && echo no; echo $?')).toBe('1\n'); // a skipped command leaves the status
    expect(out('echo abc | grep b && echo found')).toBe('abc\nfound\n');
    expect(out('echo abc | grep z || echo none; echo $?')).toBe('none\n0\n');
    expect(out('cat /nope || echo missing')).toBe('cat: /nope: No such file or directory\nmissing\n');
    expect(out('&& echo x')).toBe("sh: syntax error near '&&'\n");
    expect(out('echo $?')).toBe('2\n');
    // A syntax error anywhere in the line: none of it runs.
    expect(out('echo ran; echo not ||')).toBe("sh: syntax error: a command must follow '||'\n");
    expect(out('echo a & & echo b')).toBe("sh: syntax error near '&'\n");
    expect(s.code).toBe(0);
  }, 300_000);

  // (No foreground sleep here: the console feeds the next line when the machine idles, and would echo it early.)
  it('& starts a command (or a whole && list) without waiting: [N] PID, $!, stdin /dev/null, reaped before a later prompt', async () => {
    const lines = [
      'sleep 100 &',
      'echo $!',
      'ps',
      'cat &',
      'echo typed',
      'true & true &',
      'sleep 100 && echo late &',
      'ls /bin > /dev/null',
      'ps',
      'shutdown',
    ];
    const s = await session(await disk.copy('bg.img'), lines, {}, disk.place);
    const out = byCommand(lines, s);
    const m = /^\[1\] (\d+)\n$/.exec(out('sleep 100 &'));
    expect(m, out('sleep 100 &')).not.toBeNull();
    const pid = m![1];
    expect(out('echo $!')).toBe(`${pid}\n`);
    // Still running while the shell takes the next commands.
    expect(s.outputs[2]).toMatch(new RegExp(`^ +${pid} +\\d+ +\\d+ +[0-9a-f]+ S sleep$`, 'm'));
    // cat in the background reads /dev/null, not the console: the next line reaches the shell.
    expect(out('cat &')).toMatch(/^\[2\] \d+\n$/);
    expect(out('echo typed')).toBe('typed\n');
    expect(out('true & true &')).toMatch(/^\[3\] \d+\n\[4\] \d+\n$/);
    // The whole list goes to the background, run by a copy of the shell: its sleep does not hold the prompt.
    const list = /^\[5\] (\d+)\n$/.exec(out('sleep 100 && echo late &'));
    expect(list, out('sleep 100 && echo late &')).not.toBeNull();
    // The ended ones (cat, both trues) are reaped: no zombies; the long sleeps go on.
    const ps = s.outputs[8]; // the second ps
    expect(ps).not.toMatch(/ Z /);
    expect(ps.match(/ sleep$/gm)).toHaveLength(2);
    expect(ps).not.toMatch(/ (cat|true)$/m);
    const rows = ps.trim().split('\n').slice(1).map((l) => l.trim().split(/ +/));
    const shell = rows.find((r) => r[5] === 'sh' && r[1] === '1')!;
    // PID PPID PGRP EP S NAME: the copy is the shell's child, in its group, waiting for its sleep.
    expect(rows.find((r) => r[0] === list![1])).toEqual([list![1], shell[0], shell[2], expect.any(String), 'S', 'sh']);
    expect(rows.filter((r) => r[5] === 'sleep').map((r) => r[1]).sort()).toEqual([list![1], shell[0]].sort());
    expect(s.code).toBe(0);
  }, 300_000);
});

// With blk down, a block that is not in mfs's cache cannot be read: a
// program from /bin may fail with EIO (only the shell's builtins are sure
// to work), except the ones pm's bundle has (sh, service, shutdown), which
// the shell runs from there.
describe('shutdown with blk down for good', () => {
  // What was not synced may be on the disk in part (mfs writes a dirty block back when it needs the buffer): no fsck here.
  it('powers off (exit 0) and says what it could not write; what was synced before is on the disk', async () => {
    const image = await disk.copy('blkdown.img');
    const lines = [
      'echo kept > /home/kept; sync',
      'echo lost > /home/lost',
      'service down blk',
      'service list',
      'echo still here',
      'shutdown',
    ];
    const s = await session(image, lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out('service down blk')).toBe('rs: blk died (signal 9), down\n');
    expect(out('service list')).toMatch(/^blk +down /m);
    expect(out('echo still here')).toBe('still here\n');
    expect(out('shutdown')).toMatch(/^mfs: unmount: [1-9]\d* changed blocks not written to the disk \(error 5\)\n$/);
    expect(s.code).toBe(0);
    const fs = DiskImage.open(image).fs;
    expect(new TextDecoder().decode(fs.readFile('/home/kept'))).toBe('kept\n');
  }, 300_000);

  it('service up blk brings the disk back: the files read, shutdown writes everything; fsck is clean', async () => {
    const image = await disk.copy('blkup.img');
    const lines = [
      'echo one > /home/f; sync',
      'service down blk',
      'service up blk',
      'cat /home/f',
      'echo two >> /home/f',
      'shutdown',
    ];
    const s = await session(image, lines, {}, disk.place);
    const out = byCommand(lines, s);
    expect(out('service up blk')).toBe('');
    expect(out('cat /home/f')).toBe('one\n');
    expect(out('shutdown')).toBe('');
    expect(s.code).toBe(0);
    expect(new TextDecoder().decode(DiskImage.open(image).fs.readFile('/home/f'))).toBe('one\ntwo\n');
    const r = fsckMinix(new Uint8Array(readFileSync(image)));
    expect(r.status, r.output).toBe(0);
  }, 300_000);
});
