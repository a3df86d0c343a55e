// @ts-nocheck (AssemblyScript: checked by asc, not tsc)
// Pathname expansion for sh (POSIX "Pattern Matching Notation"): `*` any
// string, `?` one character, `[abc]`, `[a-z]`, `[!a]` one of a set; a
// backslash makes the next character plain. A name starting with '.' is
// matched only by a pattern component starting with '.'. A pattern with no
// match stays as it was typed; matches come sorted.
//
// Entry points: hasGlob, fnmatch, globExpand.

import { lstat, Stat } from "../lib/fs";
import { readNames, sortNames } from "./util";

/** Does `p` have an unescaped *, ? or [ ? */
export function hasGlob(p: string): bool {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c == 0x5c) { i++; continue; }
    if (c == 0x2a || c == 0x3f || c == 0x5b) return true;
  }
  return false;
}

/** The index of the ']' closing the set that opens at p[at] == '[', or -1 (then '[' is plain). */
function setEnd(p: string, at: i32): i32 {
  let i = at + 1;
  if (i < p.length && (p.charCodeAt(i) == 0x21 || p.charCodeAt(i) == 0x5e)) i++;
  if (i < p.length && p.charCodeAt(i) == 0x5d) i++; // a ']' first is a member
  for (; i < p.length; i++) if (p.charCodeAt(i) == 0x5d) return i;
  return -1;
}

/** Is `c` in the set p(from, end) (after '[', before ']')? */
function inSet(p: string, from: i32, end: i32, c: i32): bool {
  let i = from;
  const negate = p.charCodeAt(i) == 0x21 || p.charCodeAt(i) == 0x5e;
  if (negate) i++;
  let found = false;
  while (i < end) {
    const lo = p.charCodeAt(i);
    if (i + 2 < end && p.charCodeAt(i + 1) == 0x2d) {
      if (c >= lo && c <= p.charCodeAt(i + 2)) found = true;
      i += 3;
    } else {
      if (c == lo) found = true;
      i++;
    }
  }
  return found != negate;
}

function matchFrom(p: string, pi: i32, s: string, si: i32): bool {
  while (pi < p.length) {
    const c = p.charCodeAt(pi);
    if (c == 0x2a) {
      while (pi < p.length && p.charCodeAt(pi) == 0x2a) pi++;
      if (pi == p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchFrom(p, pi, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c == 0x3f) { pi++; si++; continue; }
    if (c == 0x5b) {
      const end = setEnd(p, pi);
      if (end > 0) {
        if (!inSet(p, pi + 1, end, s.charCodeAt(si))) return false;
        pi = end + 1;
        si++;
        continue;
      }
    }
    let lit = c;
    if (c == 0x5c && pi + 1 < p.length) { pi++; lit = p.charCodeAt(pi); }
    if (lit != s.charCodeAt(si)) return false;
    pi++;
    si++;
  }
  return si == s.length;
}

/** Does `name` match the pattern `p` (one path component)? */
export function fnmatch(p: string, name: string): bool {
  return matchFrom(p, 0, name, 0);
}

/** `p` with its backslash escapes taken out. */
function plain(p: string): string {
  let r = "";
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c == 0x5c && i + 1 < p.length) i++;
    r += p.charAt(i);
  }
  return r;
}

function join(dir: string, name: string): string {
  if (dir.length == 0) return name;
  return dir.endsWith("/") ? dir + name : dir + "/" + name;
}

/**
 * The paths `pattern` matches, sorted, into `out`; false (nothing added)
 * if none does.
 */
export function globExpand(pattern: string, out: Array<string>): bool {
  const parts = pattern.split("/");
  let bases = new Array<string>(0);
  bases.push(pattern.startsWith("/") ? "/" : "");
  let lastLiteral = false;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (part.length == 0) continue;
    const next = new Array<string>(0);
    lastLiteral = !hasGlob(part);
    for (let b = 0; b < bases.length; b++) {
      if (lastLiteral) { next.push(join(bases[b], plain(part))); continue; }
      const names = new Array<string>(0);
      if (readNames(bases[b].length == 0 ? "." : bases[b], names, false) < 0) continue;
      sortNames(names);
      for (let n = 0; n < names.length; n++) {
        if (names[n].startsWith(".") && !part.startsWith(".")) continue;
        if (fnmatch(part, names[n])) next.push(join(bases[b], names[n]));
      }
    }
    bases = next;
    if (bases.length == 0) return false;
  }
  let any = false;
  const st = new Stat();
  for (let b = 0; b < bases.length; b++) {
    // A literal last component names a path only if it is there.
    if (lastLiteral && lstat(bases[b], st) < 0) continue;
    out.push(bases[b]);
    any = true;
  }
  return any;
}
