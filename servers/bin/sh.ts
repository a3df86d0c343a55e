// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// sh: the shell (docs/servers.md, "sh"). It reads a line, splits it into
// commands, and runs them:
//
//   cmd args ; cmd args        one after the other
//   a | b | c                  a pipeline (pipes need VFS)
//   cmd < in > out >> log      redirections (need VFS)
//   'single' "double $?" \x    quoting; $? (the last status) and $$ (the pid)
//   cd [dir], pwd, echo [-n], exit [n]   builtins (run in the shell itself,
//                                        or in a child in a pipeline or with
//                                        a redirection)
//
// A program is looked up as /bin/NAME (a name with a '/' is taken as it
// is). The shell ignores SIGINT and SIGQUIT; what it runs gets the default
// back, so ^C ends the foreground command and not the shell. The status of
// a command (`$?`) is its exit code, or 128 + the signal that ended it, and
// the shell says which signal (except SIGINT, which tty has echoed).
//
// Entry points: main.

import {
  read, out, err, exit, fork, execv, waitpid, wstatus, signal, getpid, chdir, getcwd, pipe, open,
  close, dup2, hasVfs, strerror, signame, statusCode, argc, argv,
} from "../lib/posix";
import { printErr } from "../lib/index";
import { SIGINT, SIGQUIT, SIG_IGN, SIG_DFL, WIFSIGNALED, WTERMSIG, EINTR } from "../lib/proto";
import { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } from "../lib/fs_proto";

const T_WORD: i32 = 0;
const T_PIPE: i32 = 2;
const T_LT: i32 = 3;
const T_GT: i32 = 4;
const T_GTGT: i32 = 5;

class Token {
  constructor(public kind: i32, public text: string) {}
}

class Command {
  args: string[] = [];
  input: string | null = null;
  output: string | null = null;
  append: bool = false;
}

let status: i32 = 0;

// --- reading lines ---------------------------------------------------------

const BUF: i32 = 512;
const inbuf = new StaticArray<u8>(BUF);
let pending: string = "";
/** Set by readLine: the end of input came. */
let eof: bool = false;

/** The next line without its newline, or null at the end of input. "" after ^C (EINTR). */
function readLine(): string | null {
  for (;;) {
    const nl = pending.indexOf("\n");
    if (nl >= 0) {
      const line = pending.substring(0, nl);
      pending = pending.substring(nl + 1);
      return line;
    }
    if (eof) {
      if (pending.length == 0) return null;
      const last = pending;
      pending = "";
      return last;
    }
    const n = read(0, changetype<usize>(inbuf), BUF);
    if (n == -EINTR) {
      pending = "";
      return "";
    }
    if (n < 0) {
      // Standard input is broken (not the end of it): say so where it can be seen.
      printErr("sh: cannot read standard input: " + strerror(-n) + "\n");
      eof = true;
      continue;
    }
    if (n == 0) {
      eof = true;
      continue;
    }
    pending += String.UTF8.decodeUnsafe(changetype<usize>(inbuf), <usize>n, false);
  }
  return null;
}

// --- words -------------------------------------------------------------------

function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0d;
}

function isSpecial(c: i32): bool {
  return c == 0x3b || c == 0x7c || c == 0x3c || c == 0x3e; // ; | < >
}

/** $? and $$ at `s[i]` (after the '$'): the text and how many characters it used. */
let varLen: i32 = 0;
function variable(s: string, i: i32): string {
  varLen = 1;
  if (i < s.length && s.charCodeAt(i) == 0x3f) return status.toString();
  if (i < s.length && s.charCodeAt(i) == 0x24) return getpid().toString();
  varLen = 0;
  return "$";
}

/** Where the next command list starts after tokenize() (the line's length when it is done). */
let nextStart: i32 = 0;

/**
 * Split the line from `i` up to the next `;` into words and operators
 * (expanding $? now, so `false; echo $?` sees false's status); null (after
 * a message) for an unclosed quote.
 */
function tokenize(s: string, i: i32): Token[] | null {
  const toks: Token[] = [];
  const n = s.length;
  nextStart = n;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    if (c == 0x23) break; // # comment
    if (c == 0x3b) { nextStart = i + 1; break; }
    if (c == 0x7c) { toks.push(new Token(T_PIPE, "|")); i++; continue; }
    if (c == 0x3c) { toks.push(new Token(T_LT, "<")); i++; continue; }
    if (c == 0x3e) {
      if (i + 1 < n && s.charCodeAt(i + 1) == 0x3e) { toks.push(new Token(T_GTGT, ">>")); i += 2; }
      else { toks.push(new Token(T_GT, ">")); i++; }
      continue;
    }
    let word = "";
    while (i < n) {
      const d = s.charCodeAt(i);
      if (isSpace(d) || isSpecial(d)) break;
      if (d == 0x27 || d == 0x22) { // ' or "
        const close = s.indexOf(String.fromCharCode(d), i + 1);
        if (close < 0) {
          err("sh: unclosed quote\n");
          return null;
        }
        const inner = s.substring(i + 1, close);
        word += d == 0x22 ? expand(inner) : inner;
        i = close + 1;
      } else if (d == 0x5c && i + 1 < n) { // backslash
        word += s.charAt(i + 1);
        i += 2;
      } else if (d == 0x24) {
        word += variable(s, i + 1);
        i += 1 + varLen;
      } else {
        word += s.charAt(i);
        i++;
      }
    }
    toks.push(new Token(T_WORD, word));
  }
  return toks;
}

/** $? and $$ inside double quotes. */
function expand(s: string): string {
  let r = "";
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) == 0x24) {
      r += variable(s, i + 1);
      i += varLen;
    } else {
      r += s.charAt(i);
    }
  }
  return r;
}

/** The commands of one pipeline, from toks[from, to); null (after a message) on a syntax error. */
function parsePipeline(toks: Token[], from: i32, to: i32): Command[] | null {
  const cmds: Command[] = [];
  let cur = new Command();
  for (let i = from; i < to; i++) {
    const t = toks[i];
    if (t.kind == T_WORD) { cur.args.push(t.text); continue; }
    if (t.kind == T_PIPE) {
      if (cur.args.length == 0) { err("sh: syntax error near '|'\n"); return null; }
      cmds.push(cur);
      cur = new Command();
      continue;
    }
    if (i + 1 >= to || toks[i + 1].kind != T_WORD) {
      err("sh: syntax error near '" + t.text + "'\n");
      return null;
    }
    const target = toks[++i].text;
    if (t.kind == T_LT) cur.input = target;
    else { cur.output = target; cur.append = t.kind == T_GTGT; }
  }
  if (cur.args.length == 0) {
    if (cmds.length > 0 || cur.input !== null || cur.output !== null) { err("sh: syntax error: missing command\n"); return null; }
    return cmds;
  }
  cmds.push(cur);
  return cmds;
}

// --- builtins ------------------------------------------------------------------

function isBuiltin(name: string): bool {
  return name == "cd" || name == "pwd" || name == "echo" || name == "exit";
}

function builtin(args: string[]): i32 {
  const name = args[0];
  if (name == "echo") {
    let i = 1;
    let newline = true;
    if (args.length > 1 && args[1] == "-n") { newline = false; i = 2; }
    let line = "";
    for (; i < args.length; i++) {
      line += args[i];
      if (i + 1 < args.length) line += " ";
    }
    if (newline) line += "\n";
    out(line);
    return 0;
  }
  if (name == "pwd") {
    out(getcwd() + "\n");
    return 0;
  }
  if (name == "cd") {
    const dir = args.length > 1 ? args[1] : "/";
    const r = chdir(dir);
    if (r < 0) {
      err("sh: cd: " + dir + ": " + strerror(-r) + "\n");
      return 1;
    }
    return 0;
  }
  // exit
  const code = args.length > 1 ? I32.parseInt(args[1]) : status;
  exit(code & 0xff);
  return 0;
}

// --- running -----------------------------------------------------------------------

/** In a child: apply `c`'s redirections; false (after a message) if one fails. */
function redirect(c: Command): bool {
  const input = c.input;
  if (input !== null) {
    const fd = open(input, O_RDONLY);
    if (fd < 0) { err("sh: " + input + ": " + strerror(-fd) + "\n"); return false; }
    dup2(fd, 0);
    close(fd);
  }
  const output = c.output;
  if (output !== null) {
    const fd = open(output, O_WRONLY | O_CREAT | (c.append ? O_APPEND : O_TRUNC), 0o644);
    if (fd < 0) { err("sh: " + output + ": " + strerror(-fd) + "\n"); return false; }
    dup2(fd, 1);
    close(fd);
  }
  return true;
}

/** In a child: become command `c` (never returns). */
function become(c: Command): void {
  signal(SIGINT, SIG_DFL);
  signal(SIGQUIT, SIG_DFL);
  if (!redirect(c)) exit(1);
  const name = c.args[0];
  if (isBuiltin(name)) exit(builtin(c.args));
  const path = name.indexOf("/") >= 0 ? name : "/bin/" + name;
  const r = execv(path, c.args);
  err("sh: " + name + ": " + (r == -2 ? "not found" : strerror(-r)) + "\n");
  exit(r == -2 ? 127 : 126);
}

/** Say how a command died, as shells do (not for ^C: tty echoed it). */
function report(s: i32): void {
  if (!WIFSIGNALED(s)) return;
  const sig = WTERMSIG(s);
  if (sig != SIGINT) err(signame(sig) + "\n");
}

function runPipeline(cmds: Command[]): void {
  if (cmds.length == 0) return;
  const single = cmds.length == 1 ? cmds[0] : null;
  if (single !== null && isBuiltin(single.args[0]) && single.input === null && single.output === null) {
    status = builtin(single.args);
    return;
  }
  const needsVfs = cmds.length > 1 || cmds[0].input !== null || cmds[0].output !== null;
  if (needsVfs && !hasVfs()) {
    err("sh: pipes and redirection need a file system (no VFS)\n");
    status = 1;
    return;
  }
  const pids = new Array<i32>(0);
  const fds = new StaticArray<i32>(2);
  let prevRead = -1;
  for (let i = 0; i < cmds.length; i++) {
    const last = i == cmds.length - 1;
    if (!last && pipe(fds) < 0) {
      err("sh: cannot make a pipe\n");
      break;
    }
    const pid = fork();
    if (pid == 0) {
      if (prevRead >= 0) { dup2(prevRead, 0); close(prevRead); }
      if (!last) { dup2(fds[1], 1); close(fds[1]); close(fds[0]); }
      become(cmds[i]);
    }
    if (pid < 0) {
      err("sh: fork: " + strerror(-pid) + "\n");
      status = 128;
      if (!last) { close(fds[0]); close(fds[1]); }
      break;
    }
    pids.push(pid);
    if (prevRead >= 0) close(prevRead);
    if (!last) { close(fds[1]); prevRead = fds[0]; }
  }
  if (prevRead >= 0) close(prevRead);
  for (let i = 0; i < pids.length; i++) {
    if (waitpid(pids[i], 0) != pids[i]) continue;
    if (i == pids.length - 1) {
      status = statusCode(wstatus());
      report(wstatus());
    }
  }
}

function runLine(line: string): void {
  let at = 0;
  while (at < line.length) {
    const toks = tokenize(line, at);
    if (toks === null) { status = 2; return; }
    at = nextStart;
    if (toks.length == 0) continue;
    const cmds = parsePipeline(toks, 0, toks.length);
    if (cmds === null) { status = 2; return; }
    runPipeline(cmds);
  }
}

export function main(): i32 {
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  // sh -c 'command line'
  if (argc() >= 3 && argv(1) == "-c") {
    runLine(argv(2));
    return status;
  }
  for (;;) {
    out("$ ");
    const line = readLine();
    if (line === null) break;
    runLine(line);
  }
  return status;
}
