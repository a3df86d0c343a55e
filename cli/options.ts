// Option parsers shared by the `tessera` subcommands (commander callbacks):
// each turns bad input into commander's one-line InvalidArgumentError.
//
// Entry points: intOption, portOption, sizeOption.

import { InvalidArgumentError } from 'commander';
import { parseSize } from './run.ts';

/** A non-negative integer; `_` separators allowed (1_000_000). */
export function intOption(v: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** A TCP port, 0 meaning "any free port". */
export function portOption(v: string): number {
  const n = intOption(v);
  if (n > 65535) throw new InvalidArgumentError('expected a TCP port (0-65535)');
  return n;
}

/** A memory size such as 128M, 64k, 1G or a byte count. */
export function sizeOption(v: string): number {
  try {
    return parseSize(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}
