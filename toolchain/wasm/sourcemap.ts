// Source maps (version 3) as AssemblyScript writes them for a .wasm: one
// generated "line" whose columns are byte offsets in the wasm file, each
// mapped to a source file, line and column. We decode the base64 VLQ
// `mappings` ourselves (it is a few lines) and answer "which source line
// does the wasm byte at this offset come from".
//
// Entry points: parseSourceMap, SourceMap (lookup), SourceMapError, decodeVlq.

export class SourceMapError extends Error {}

export interface SourceLoc {
  /** Index into SourceMap.sources. */
  source: number;
  /** 1-based line and column. */
  line: number;
  col: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** Decode one segment of base64 VLQ numbers ("AAgBC" -> [0, 0, 16, 1]). */
export function decodeVlq(seg: string): number[] {
  const out: number[] = [];
  let value = 0, shift = 0;
  for (let i = 0; i < seg.length; i++) {
    const code = seg.charCodeAt(i);
    const digit = code < 128 ? B64_VALUE[code] : -1;
    if (digit < 0) throw new SourceMapError(`bad base64 character '${seg[i]}' in mappings`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      if (shift > 30) throw new SourceMapError('VLQ number too large in mappings');
      continue;
    }
    out.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new SourceMapError('mappings end inside a VLQ number');
  return out;
}

export class SourceMap {
  /** Wasm byte offsets, ascending, and the location of each. */
  private readonly offsets: number[];
  private readonly locs: (SourceLoc | null)[];
  constructor(readonly sources: string[], entries: { off: number; loc: SourceLoc | null }[]) {
    entries.sort((a, b) => a.off - b.off);
    this.offsets = entries.map((e) => e.off);
    this.locs = entries.map((e) => e.loc);
  }

  get size(): number {
    return this.offsets.length;
  }

  private indexAt(off: number): number {
    let lo = 0, hi = this.offsets.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid] <= off) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /**
   * The location of the wasm byte at `off`: the mapping at or before it, if
   * that mapping is at or after `min` (the start of the function) and is not
   * an "unmapped from here" marker.
   */
  lookup(off: number, min = 0): SourceLoc | undefined {
    const i = this.indexAt(off);
    return i >= 0 && this.offsets[i] >= min ? this.locs[i] ?? undefined : undefined;
  }

  /** Like lookup, but an unmapped byte takes the nearest mapped location in [min, max). */
  nearest(off: number, min: number, max: number): SourceLoc | undefined {
    const i = this.indexAt(off);
    for (let k = i; k >= 0 && this.offsets[k] >= min; k--) if (this.locs[k]) return this.locs[k]!;
    for (let k = i + 1; k < this.offsets.length && this.offsets[k] < max; k++) if (this.locs[k]) return this.locs[k]!;
    return undefined;
  }
}

/** Parse a source map JSON text. Throws SourceMapError naming what is wrong. */
export function parseSourceMap(text: string): SourceMap {
  let json: { version?: unknown; sources?: unknown; mappings?: unknown; sourceRoot?: unknown };
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SourceMapError(`source map is not JSON: ${(e as Error).message}`);
  }
  if (json.version !== 3) throw new SourceMapError(`source map version ${String(json.version)} (need 3)`);
  if (!Array.isArray(json.sources) || typeof json.mappings !== 'string') {
    throw new SourceMapError('source map lacks sources or mappings');
  }
  const sources = json.sources.map((s) => String(s));
  const entries: { off: number; loc: SourceLoc | null }[] = [];
  let col = 0, source = 0, line = 0, scol = 0;
  for (const group of json.mappings.split(';')) {
    col = 0; // each generated line restarts the column; wasm maps have one line
    for (const seg of group.split(',')) {
      if (seg === '') continue;
      const f = decodeVlq(seg);
      col += f[0];
      if (f.length < 4) { entries.push({ off: col, loc: null }); continue; }
      source += f[1];
      line += f[2];
      scol += f[3];
      if (source < 0 || source >= sources.length) throw new SourceMapError(`mapping names source ${source} of ${sources.length}`);
      entries.push({ off: col, loc: { source, line: line + 1, col: scol + 1 } });
    }
  }
  return new SourceMap(sources, entries);
}
