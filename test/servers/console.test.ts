// The console and the shell, through the UART as a user types: boot to the
// prompt (pm, ds, rs, tty and init from the boot list, sh exec'd from pm's
// bundle), the shell's builtins and programs and their exit statuses, `;`,
// quoting and $?, tty's line editing (backspace, ^U), echo, ^D as end of
// file (the shell exits and init starts a new one).

import { beforeAll, describe, expect, it } from 'vitest';
import type { BootImage } from '../../kernel/kernel.ts';
import { buildTestSystem, Session } from './session.ts';

let images: BootImage[];

/** Is `s` a merge of `a` and `b`, each kept in order? */
function interleaves(s: string, a: string, b: string): boolean {
  const ok = new Set<string>(['0,0']);
  for (let k = 0; k < s.length; k++) {
    const next = new Set<string>();
    for (const key of ok) {
      const [i, j] = key.split(',').map(Number);
      if (a[i] === s[k]) next.add(`${i + 1},${j}`);
      if (b[j] === s[k]) next.add(`${i},${j + 1}`);
    }
    if (next.size === 0) return false;
    ok.clear();
    for (const key of next) ok.add(key);
  }
  return ok.has(`${a.length},${b.length}`);
}
beforeAll(async () => { images = await buildTestSystem(); });

describe('boot and the shell', () => {
  let s: Session;
  beforeAll(() => {
    s = new Session(images);
    expect(s.prompt(5_000_000)).toBe(true);
  });

  it('boots to a prompt, and nothing else is printed on the way', () => {
    expect(s.output()).toBe('$ ');
  });

  it('echo prints its words, with the builtin and with /bin/echo', () => {
    expect(s.command('echo hi')).toBe('hi\n');
    expect(s.command('echo   two   words')).toBe('two words\n');
    expect(s.command('/bin/echo from a program')).toBe('from a program\n');
    expect(s.command('echo -n no newline')).toBe('no newline');
  });

  it('a program\'s exit status is $?, and ; runs commands in turn', () => {
    expect(s.command('true; echo $?')).toBe('0\n');
    expect(s.command('false; echo $?')).toBe('1\n');
    expect(s.command('exitcode 42; echo status $?; echo $?')).toBe('status 42\n0\n');
    expect(s.command('exitcode 300; echo $?')).toBe('44\n'); // 300 & 0xff
  });

  it('quotes keep spaces and specials; $? expands in double quotes only', () => {
    expect(s.command('exitcode 3; echo "a  b;c" \'$?\' "$?" x\\;y')).toBe('a  b;c $? 3 x;y\n');
    expect(s.command('echo "unclosed')).toBe('sh: unclosed quote\n');
  });

  it('an unknown program is reported, with status 127', () => {
    expect(s.command('nosuchprog arg')).toBe('sh: nosuchprog: not found\n');
    expect(s.command('echo $?')).toBe('127\n');
  });

  it('pwd and cd answer even without a file system', () => {
    expect(s.command('pwd')).toBe('/\n');
    expect(s.command('cd /tmp; echo $?')).toBe('sh: cd: /tmp: Function not implemented\n1\n');
  });

  it('pipes and redirection say they need VFS when the system has none', () => {
    expect(s.command('echo a | echo b')).toBe('sh: pipes and redirection need a file system (no VFS)\n');
    expect(s.command('echo a > /tmp/x; echo $?')).toBe('sh: pipes and redirection need a file system (no VFS)\n1\n');
  });

  it('exec passes the arguments, and each program gets its own pid', () => {
    expect(s.command('echo a "b c" d')).toBe('a b c d\n');
    const ps1 = s.command('ps');
    const ps2 = s.command('ps');
    const pid = (t: string): number => Number(/^\s*(\d+)\s.* ps$/m.exec(t)![1]);
    expect(pid(ps2)).toBeGreaterThan(pid(ps1));
    expect(ps1).toMatch(/^\s+1\s+0\s+1\s+\S+ S init$/m);
    expect(ps1).toMatch(/^\s+\d+\s+1\s+\d+\s+\S+ S sh$/m);
  });
});

describe('line editing', () => {
  let s: Session;
  beforeAll(() => {
    s = new Session(images);
    expect(s.prompt(5_000_000)).toBe(true);
  });

  it('backspace (DEL or BS) erases a character on the screen and in the line', () => {
    const from = s.output().length;
    s.type('echo hellp\x7fo wor\x08\x08orld\n');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    const out = s.output().slice(from);
    expect(out).toBe('echo hellp\b \bo wor\b \b\b \borld\nhello world\n$ ');
  });

  it('^U erases the whole line; backspace on an empty line does nothing', () => {
    const from = s.output().length;
    s.type('\x7fecho wrong\x15echo right\n');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(s.output().slice(from)).toBe('echo wrong' + '\b \b'.repeat(10) + 'echo right\nright\n$ ');
  });

  it('a CR ends a line like NL, and a CR LF pair is one line end', () => {
    const from = s.output().length;
    for (const line of ['echo one\r\n', 'echo two\r', 'exitcode 5\n']) {
      const at = s.output().length;
      s.type(line);
      expect(s.runUntil((o) => o.endsWith('$ '), at)).toBe(true);
    }
    expect(s.output().slice(from)).toBe('echo one\none\n$ echo two\ntwo\n$ exitcode 5\n$ ');
    expect(s.command('echo $?')).toBe('5\n');
  });

  it('what is typed while a command runs is echoed at once and read after it', () => {
    const from = s.output().length;
    s.type('echo first\necho second\n');
    expect(s.runUntil((o) => (o.match(/\$ /g) ?? []).length >= 2, from)).toBe(true);
    const out = s.output().slice(from).replace(/\$ /g, '');
    // The echo of what was typed and the commands' output mix (as on any terminal), each in its own order.
    expect(interleaves(out, 'echo first\necho second\n', 'first\nsecond\n')).toBe(true);
    expect(out.endsWith('second\n')).toBe(true);
  });

  it('UTF-8 passes through, and backspace erases a whole character', () => {
    const from = s.output().length;
    s.type(Buffer.from('echo h\u00e9\u00e9\x7f!\n', 'utf8').toString('latin1'));
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(Buffer.from(s.output().slice(from), 'latin1').toString('utf8')).toBe('echo h\u00e9\u00e9\b \b!\nh\u00e9!\n$ ');
  });

  it('^D on an empty line is end of file: the shell ends and init starts another', () => {
    const before = s.command('ps');
    const shPid = Number(/^\s*(\d+)\s+1\s.* sh$/m.exec(before)![1]);
    const from = s.output().length;
    s.type('\x04');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    const after = s.command('ps');
    const newPid = Number(/^\s*(\d+)\s+1\s.* sh$/m.exec(after)![1]);
    expect(newPid).not.toBe(shPid);
    expect(after).not.toMatch(new RegExp(`^\\s*${shPid}\\s`, 'm'));
    expect(s.command('echo still here')).toBe('still here\n');
  });

  it('^D after some text hands that text over without a newline', () => {
    const from = s.output().length;
    s.type('echo partial\x04');
    // The shell has read "echo partial" without a line end: it waits for more (its line is not finished).
    s.runFor(3_000_000);
    expect(s.output().slice(from)).toBe('echo partial');
    s.type(' more\n');
    expect(s.runUntil((o) => o.endsWith('$ '), from)).toBe(true);
    expect(s.output().slice(from)).toBe('echo partial more\npartial more\n$ ');
  });
});

describe('shutdown', () => {
  it('powers the machine off with the exit code given (no file system to sync)', () => {
    const s = new Session(images);
    expect(s.prompt(5_000_000)).toBe(true);
    s.type('shutdown 7\n');
    s.runUntil(() => s.board.finished !== undefined);
    expect(s.board.finished).toEqual({ kind: 'fail', code: 7 });
    const t = new Session(images);
    expect(t.prompt(5_000_000)).toBe(true);
    t.type('shutdown\n');
    t.runUntil(() => t.board.finished !== undefined);
    expect(t.board.finished).toEqual({ kind: 'pass', code: 0 });
  });
});
