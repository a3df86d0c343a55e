// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// sh: the shell (docs/servers.md, "sh"). It reads a line, splits it into
// commands, and runs them:
//
//   cmd args ; cmd args        one after the other
//   a && b, a || c             b only if a succeeded, c only if it failed
//                              (left to right, equal precedence: a && b || c
//                              is (a && b) || c); looser than |, tighter than ;
//   cmd &, a && b &            in the background (the whole and-or list):
//                              not waited for; the shell prints "[N] PID"
//                              (N counts them from 1) and reaps it before a
//                              later prompt; its stdin is /dev/null, ^C
//                              spares it
//   a | b | c                  a pipeline (pipes need VFS)
//   cmd < in > out >> log      redirections (need VFS), applied left to right;
//   2> err, 2>> log, 2>&1, >&2 a descriptor number before < or > (no space),
//                              and <& / >& to duplicate one
//   'single' "double $?" \x    quoting; $? (the last status), $$ (the pid),
//                              $! (the last background command's pid)
//   * ? [a-z]                  pathname expansion of unquoted words
//                              (servers/bin/glob.ts); no match: as typed
//   NAME=value, $NAME, ${NAME} shell variables (unset: empty; HOME is /);
//                              Tessera has no environment, so an assignment
//                              before a command is dropped
//   cd [dir], pwd, echo [-n], exit [n]   builtins (run in the shell itself,
//                                        or in a child in a pipeline or with
//                                        a redirection)
//
// A line with a syntax error runs none of its commands (status 2).
//
// A program is looked up as /bin/NAME (a name with a '/' is taken as it
// is); when the disk cannot give it (an I/O error: blk taken down, a bad
// block), pm's boot bundle may still have a program of that name, which
// runs instead, so `service up blk` and `shutdown` work with the disk gone.
//
// The shell ignores SIGINT and SIGQUIT; what it runs in the foreground gets
// the default back, so ^C ends the foreground command and not the shell. The status of
// a command (`$?`) is its exit code, or 128 + the signal that ended it, and
// the shell says which signal (except SIGINT, which tty has echoed).
//
// Entry points: main.

import {
  read, out, err, exit, fork, execv, waitpid, wstatus, signal, getpid, chdir, getcwd, pipe, open,
  close, dup2, hasVfs, strerror, signame, statusCode, argc, argv,
} from "../lib/posix";
import { printErr } from "../lib/index";
import { SIGINT, SIGQUIT, SIG_IGN, SIG_DFL, WIFSIGNALED, WTERMSIG, EINTR, EIO, ENOEXEC, ENOENT, WNOHANG } from "../lib/proto";
import { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND, PATH_MAX } from "../lib/fs_proto";
import { getcwdInto } from "../lib/fs";
import { hasGlob, globExpand } from "./glob";
import { decimal } from "./util";

const T_WORD: i32 = 0;
const T_PIPE: i32 = 2;
const T_LT: i32 = 3;
const T_GT: i32 = 4;
const T_GTGT: i32 = 5;
/** >& or <&: the next word is the descriptor to duplicate. */
const T_DUP: i32 = 6;

// What ends an element of a command list (tokenize's nextOp).
const OP_END: i32 = 0;
const OP_SEMI: i32 = 1;
const OP_AND: i32 = 2;
const OP_OR: i32 = 3;
const OP_BG: i32 = 4;

function opText(op: i32): string {
  if (op == OP_AND) return "&&";
  if (op == OP_OR) return "||";
  if (op == OP_BG) return "&";
  return op == OP_SEMI ? ";" : "end of line";
}

class Token {
  /** For a redirection: the descriptor it is for (-1: the default, 0 for <, 1 for >). */
  fd: i32 = -1;
  /** For a word with an unquoted * ? or [: the word as a pattern (quoted characters escaped). */
  pattern: string | null = null;
  constructor(public kind: i32, public text: string) {}
}

/** One redirection: descriptor `fd` opened on `path` (T_LT, T_GT, T_GTGT) or made a copy of `from` (T_DUP). */
class Redir {
  constructor(public fd: i32, public kind: i32, public path: string, public from: i32) {}
}

class Command {
  args: string[] = [];
  /** Every redirection, in the order given. */
  redirs: Redir[] = [];
  input: string | null = null;
  output: string | null = null;
  append: bool = false;
}

let status: i32 = 0;
/** Background processes not yet reaped; background commands started so far; the last one's pid ($!). */
let bgProcs: i32 = 0;
let bgStarted: i32 = 0;
let lastBg: i32 = 0;
/** This shell is a background copy running an and-or list (`a && b &`): what it runs keeps ignoring ^C. */
let inBackground: bool = false;

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
  return c == 0x3b || c == 0x7c || c == 0x3c || c == 0x3e || c == 0x26; // ; | < > &
}

/** Shell variables (NAME=value); HOME is set at start. */
const vars = new Map<string, string>();

function isNameChar(c: i32, first: bool): bool {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || (!first && c >= 0x30 && c <= 0x39);
}

/** The length of the variable name at `s[i]` (0 if none starts there). */
function nameLength(s: string, i: i32): i32 {
  let j = i;
  while (j < s.length && isNameChar(s.charCodeAt(j), j == i)) j++;
  return j - i;
}

/** $?, $$, $!, $NAME and ${NAME} at `s[i]` (after the '$'): the text and how many characters it used. */
let varLen: i32 = 0;
function variable(s: string, i: i32): string {
  varLen = 1;
  if (i < s.length && s.charCodeAt(i) == 0x3f) return status.toString();
  if (i < s.length && s.charCodeAt(i) == 0x24) return getpid().toString();
  if (i < s.length && s.charCodeAt(i) == 0x21) return lastBg.toString();
  const braced = i < s.length && s.charCodeAt(i) == 0x7b;
  const at = braced ? i + 1 : i;
  const n = nameLength(s, at);
  if (n > 0 && (!braced || (at + n < s.length && s.charCodeAt(at + n) == 0x7d))) {
    varLen = braced ? n + 2 : n;
    const name = s.substr(at, n);
    return vars.has(name) ? vars.get(name) : "";
  }
  varLen = 0;
  return "$";
}

/** The length of the NAME in a word NAME=value (0 if it is not an assignment). */
function assignment(word: string): i32 {
  const n = nameLength(word, 0);
  return n > 0 && n < word.length && word.charCodeAt(n) == 0x3d ? n : 0;
}

/**
 * Take the assignments off the front of `c`: a command of assignments only
 * sets them (if `apply`: not in a pipeline, where it would be a subshell's);
 * before a command they are dropped (no environment). True if nothing is
 * left to run.
 */
function assignments(c: Command, apply: bool): bool {
  let k = 0;
  while (k < c.args.length && assignment(c.args[k]) > 0) k++;
  if (k == 0) return false;
  if (k == c.args.length) {
    if (!apply) return false;
    for (let i = 0; i < k; i++) {
      const n = assignment(c.args[i]);
      vars.set(c.args[i].substr(0, n), c.args[i].substr(n + 1));
    }
    return true;
  }
  c.args = c.args.slice(k);
  return false;
}

/** After tokenize(): where the next element of the list starts (the line's length when it is done), and what ended this one. */
let nextStart: i32 = 0;
let nextOp: i32 = OP_END;

/**
 * Split the line from `i` up to the next `;`, `&&`, `||` or `&` into words
 * and operators (expanding $? now, so `false; echo $?` and
 * `false || echo $?` see false's status); null (after a message) for an
 * unclosed quote.
 */
function tokenize(s: string, i: i32): Token[] | null {
  const toks: Token[] = [];
  const n = s.length;
  ioFd = -1;
  nextStart = n;
  nextOp = OP_END;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    if (c == 0x23) break; // # comment
    const twice = i + 1 < n && s.charCodeAt(i + 1) == c;
    if (c == 0x3b) { nextStart = i + 1; nextOp = OP_SEMI; break; }
    if (c == 0x26) { nextStart = i + (twice ? 2 : 1); nextOp = twice ? OP_AND : OP_BG; break; }
    if (c == 0x7c && twice) { nextStart = i + 2; nextOp = OP_OR; break; }
    if (c == 0x7c) { toks.push(new Token(T_PIPE, "|")); i++; continue; }
    if (c == 0x3c || c == 0x3e) {
      let t: Token;
      const amp = i + 1 < n && s.charCodeAt(i + 1) == 0x26;
      if (amp) { t = new Token(T_DUP, c == 0x3c ? "<&" : ">&"); t.fd = c == 0x3c ? 0 : 1; i += 2; }
      else if (c == 0x3c) { t = new Token(T_LT, "<"); i++; }
      else if (i + 1 < n && s.charCodeAt(i + 1) == 0x3e) { t = new Token(T_GTGT, ">>"); i += 2; }
      else { t = new Token(T_GT, ">"); i++; }
      if (ioFd >= 0) { t.fd = ioFd; ioFd = -1; }
      toks.push(t);
      continue;
    }
    let word = "";
    let pat = "";
    let quoted = false;
    while (i < n) {
      const d = s.charCodeAt(i);
      if (isSpace(d) || isSpecial(d)) break;
      if (d == 0x27 || d == 0x22 || d == 0x5c) quoted = true;
      if (d == 0x27 || d == 0x22) { // ' or "
        const close = s.indexOf(String.fromCharCode(d), i + 1);
        if (close < 0) {
          err("sh: unclosed quote\n");
          return null;
        }
        const inner = s.substring(i + 1, close);
        const text = d == 0x22 ? expand(inner) : inner;
        word += text;
        pat += escapeGlob(text);
        i = close + 1;
      } else if (d == 0x5c && i + 1 < n) { // backslash
        word += s.charAt(i + 1);
        pat += escapeGlob(s.charAt(i + 1));
        i += 2;
      } else if (d == 0x24) {
        const v = variable(s, i + 1);
        word += v;
        pat += v;
        i += 1 + varLen;
      } else {
        word += s.charAt(i);
        pat += s.charAt(i);
        i++;
      }
    }
    // Digits right before < or > name the descriptor to redirect (2>err), as in POSIX sh.
    if (!quoted && i < n && (s.charCodeAt(i) == 0x3c || s.charCodeAt(i) == 0x3e) && descriptor(word) >= 0) {
      ioFd = descriptor(word);
      continue;
    }
    const tok = new Token(T_WORD, word);
    if (hasGlob(pat)) tok.pattern = pat;
    toks.push(tok);
  }
  return toks;
}

/** `t` with * ? [ and \ made plain for a pattern (they were quoted). */
function escapeGlob(t: string): string {
  let r = "";
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c == 0x2a || c == 0x3f || c == 0x5b || c == 0x5c) r += "\\";
    r += t.charAt(i);
  }
  return r;
}

/** Expand patterns while parsing (off for checkLine's syntax check, which runs nothing). */
let globbing = false;

/** The descriptor after 2> and the like, from tokenize to the operator that follows. */
let ioFd: i32 = -1;

/** `w` as a descriptor number (one or two digits, below 32), else -1. */
function descriptor(w: string): i32 {
  const v = w.length <= 2 ? decimal(w) : -1;
  return v < 32 ? v : -1;
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
    if (t.kind == T_WORD) {
      const pattern = t.pattern;
      if (!globbing || pattern === null || !hasVfs() || !globExpand(pattern, cur.args)) cur.args.push(t.text);
      continue;
    }
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
    const fd = t.fd >= 0 ? t.fd : t.kind == T_LT ? 0 : 1;
    if (t.kind == T_DUP) {
      const from = descriptor(target);
      if (from < 0) { err("sh: " + target + ": bad file descriptor\n"); return null; }
      cur.redirs.push(new Redir(fd, T_DUP, "", from));
      continue;
    }
    cur.redirs.push(new Redir(fd, t.kind, target, -1));
    if (fd == 0 && t.kind == T_LT) cur.input = target;
    else if (fd == 1) { cur.output = target; cur.append = t.kind == T_GTGT; }
  }
  if (cur.args.length == 0) {
    if (cmds.length > 0 || cur.redirs.length > 0) { err("sh: syntax error: missing command\n"); return null; }
    return cmds;
  }
  cmds.push(cur);
  return cmds;
}

// --- builtins ------------------------------------------------------------------

const cwdBuf: usize = memory.data(PATH_MAX);

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
    if (!hasVfs()) { out(getcwd() + "\n"); return 0; }
    const n = getcwdInto(cwdBuf, PATH_MAX);
    if (n < 0) {
      // The working directory was removed (or cannot be read): no name leads to it.
      err("sh: pwd: " + strerror(-n) + "\n");
      return 1;
    }
    out(String.UTF8.decodeUnsafe(cwdBuf, <usize>n, false) + "\n");
    return 0;
  }
  if (name == "cd") {
    const dir = args.length > 1 ? args[1] : vars.has("HOME") ? vars.get("HOME") : "/";
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

/** In a child: apply `c`'s redirections, left to right; false (after a message) if one fails. */
function redirect(c: Command): bool {
  for (let k = 0; k < c.redirs.length; k++) {
    const r = c.redirs[k];
    if (r.kind == T_DUP) {
      const d = dup2(r.from, r.fd);
      if (d < 0) { err("sh: " + r.from.toString() + ": " + strerror(-d) + "\n"); return false; }
      continue;
    }
    const flags = r.kind == T_LT ? O_RDONLY : O_WRONLY | O_CREAT | (r.kind == T_GTGT ? O_APPEND : O_TRUNC);
    const fd = open(r.path, flags, 0o644);
    if (fd < 0) { err("sh: " + r.path + ": " + strerror(-fd) + "\n"); return false; }
    if (fd != r.fd) {
      dup2(fd, r.fd);
      close(fd);
    }
  }
  return true;
}

/**
 * In a child: become command `c` (never returns). In the background it
 * keeps ignoring ^C and ^\ (they are for the foreground), and its first
 * command reads /dev/null unless redirected, as POSIX has it for a shell
 * without job control.
 */
function become(c: Command, bg: bool, first: bool): void {
  if (!bg && !inBackground) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
  }
  if (bg && first && c.input === null && hasVfs()) {
    const fd = open("/dev/null", O_RDONLY);
    if (fd >= 0) { dup2(fd, 0); close(fd); }
  }
  if (!redirect(c)) exit(1);
  const name = c.args[0];
  if (isBuiltin(name)) exit(builtin(c.args));
  const path = name.indexOf("/") >= 0 ? name : "/bin/" + name;
  let r = execv(path, c.args);
  // The disk cannot give /bin/NAME (a read error: ENOEXEC from a short read, or EIO): try pm's bundle.
  if (path != name && (r == -EIO || r == -ENOEXEC)) {
    const b = execv(name, c.args);
    if (b != -ENOENT) r = b;
  }
  err("sh: " + name + ": " + (r == -ENOENT ? "not found" : strerror(-r)) + "\n");
  exit(r == -ENOENT ? 127 : 126);
}

/** Say how a command died, as shells do (not for ^C: tty echoed it). */
function report(s: i32): void {
  if (!WIFSIGNALED(s)) return;
  const sig = WTERMSIG(s);
  if (sig != SIGINT) err(signame(sig) + "\n");
}

/** Run a pipeline; in the background (`bg`), start it and say its last pid without waiting. */
function runPipeline(cmds: Command[], bg: bool): void {
  if (cmds.length == 0) return;
  if (cmds.length == 1 && cmds[0].redirs.length == 0 && !bg && assignments(cmds[0], true)) {
    status = 0;
    return;
  }
  for (let i = 0; i < cmds.length; i++) assignments(cmds[i], false);
  const single = cmds.length == 1 ? cmds[0] : null;
  if (!bg && single !== null && isBuiltin(single.args[0]) && single.redirs.length == 0) {
    status = builtin(single.args);
    return;
  }
  const needsVfs = cmds.length > 1 || cmds[0].redirs.length > 0;
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
      become(cmds[i], bg, i == 0);
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
  if (bg) {
    if (pids.length == 0) return;
    bgProcs += pids.length;
    lastBg = pids[pids.length - 1];
    out("[" + (++bgStarted).toString() + "] " + lastBg.toString() + "\n");
    status = 0;
    return;
  }
  for (let i = 0; i < pids.length; i++) {
    if (waitpid(pids[i], 0) != pids[i]) continue;
    if (i == pids.length - 1) {
      status = statusCode(wstatus());
      report(wstatus());
    }
  }
}

/**
 * Check the whole line before any of it runs: quotes, pipelines, and an
 * operator with a command on each side. False after a message.
 */
function checkLine(line: string): bool {
  let at = 0;
  let prev = OP_SEMI; // what came before the current element
  while (at < line.length) {
    const toks = tokenize(line, at);
    if (toks === null) return false;
    at = nextStart;
    if (toks.length == 0) {
      const op = nextOp != OP_SEMI && nextOp != OP_END ? nextOp : prev;
      if (op == OP_AND || op == OP_OR || (op == OP_BG && nextOp == OP_BG)) {
        err("sh: syntax error near '" + opText(op) + "'\n");
        return false;
      }
      prev = nextOp == OP_END ? prev : nextOp;
      continue;
    }
    if (parsePipeline(toks, 0, toks.length) === null) return false;
    prev = nextOp;
  }
  if (prev == OP_AND || prev == OP_OR) {
    err("sh: syntax error: a command must follow '" + opText(prev) + "'\n");
    return false;
  }
  return true;
}

/** After scanList: where the and-or list ends (what follows starts there), its pipelines, whether '&' ends it. */
let listEnd: i32 = 0;
let listSize: i32 = 0;
let listBg: bool = false;

/** Find the end of the and-or list (pipelines joined by && and ||) that starts at `at` of a checked line. */
function scanList(line: string, at: i32): void {
  listSize = 0;
  for (;;) {
    const toks = tokenize(line, at)!;
    at = nextStart;
    if (toks.length > 0) listSize++;
    if (nextOp != OP_AND && nextOp != OP_OR) break;
  }
  listEnd = at;
  listBg = nextOp == OP_BG;
}

/** Run the and-or list in line[at, end): each pipeline as the operator before it says; the last one in the background if `bg`. */
function runList(line: string, at: i32, end: i32, bg: bool): void {
  let prev = OP_SEMI;
  while (at < end) {
    const toks = tokenize(line, at)!;
    at = nextStart;
    if (toks.length == 0) continue;
    const run = prev == OP_AND ? status == 0 : prev == OP_OR ? status != 0 : true;
    prev = nextOp;
    if (run) {
      globbing = true;
      const cmds = parsePipeline(toks, 0, toks.length)!;
      globbing = false;
      runPipeline(cmds, bg && prev == OP_BG);
    }
  }
}

/** `a && b || c &`: the whole list in the background, run by a copy of the shell. */
function listInBackground(line: string, at: i32, end: i32): void {
  const pid = fork();
  if (pid == 0) {
    inBackground = true;
    const fd = open("/dev/null", O_RDONLY);
    if (fd >= 0) { dup2(fd, 0); close(fd); }
    runList(line, at, end, false);
    exit(status & 0xff);
  }
  if (pid < 0) {
    err("sh: fork: " + strerror(-pid) + "\n");
    status = 128;
    return;
  }
  bgProcs++;
  lastBg = pid;
  out("[" + (++bgStarted).toString() + "] " + pid.toString() + "\n");
  status = 0;
}

/** Run a command line: its and-or lists in order, a list ended by '&' in the background. */
function runLine(line: string): void {
  if (!checkLine(line)) { status = 2; return; }
  let at = 0;
  while (at < line.length) {
    scanList(line, at);
    const end = listEnd;
    if (listBg && listSize > 1 && hasVfs()) listInBackground(line, at, end);
    else runList(line, at, end, listBg);
    at = end;
  }
}

/** Collect the background commands that have ended (silently: their exit is not $?). */
function reapBackground(): void {
  while (bgProcs > 0) {
    const pid = waitpid(-1, WNOHANG);
    if (pid <= 0) return;
    bgProcs--;
  }
}

export function main(): i32 {
  vars.set("HOME", "/");
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  // sh -c 'command line'
  if (argc() >= 3 && argv(1) == "-c") {
    runLine(argv(2));
    return status;
  }
  for (;;) {
    reapBackground();
    out("$ ");
    const line = readLine();
    if (line === null) break;
    runLine(line);
  }
  return status;
}
