// The storage protocols' constants (servers/lib/fs_proto.ts, AssemblyScript)
// for the host tests: read from the source, so the servers and the tests
// share one definition. Every `export const NAME: i32 = value;` line counts.
//
// Entry points: protoConstants.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build.ts';

let cache: Record<string, number> | undefined;

/** NAME -> value for every constant of fs_proto.ts. Throws if a line cannot be read. */
export function protoConstants(): Record<string, number> {
  if (cache) return cache;
  const src = readFileSync(join(ROOT, 'servers/lib/fs_proto.ts'), 'utf8');
  const out: Record<string, number> = {};
  for (const m of src.matchAll(/^export const (\w+): i32 = ([^;]+);/gm)) {
    const expr = m[2].trim();
    const v = /^-?(0x[0-9a-f]+|0o[0-7]+|\d+)$/i.test(expr) ? Number(expr.replace(/^-/, '')) * (expr.startsWith('-') ? -1 : 1)
      : /^[A-Z_0-9]+$/.test(expr) && expr in out ? out[expr] : NaN;
    if (Number.isNaN(v)) throw new Error(`fs_proto.ts: cannot read the value of ${m[1]}: ${expr}`);
    out[m[1]] = v;
  }
  cache = out;
  return out;
}
