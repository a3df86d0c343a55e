// Source locations and the assembler's error type.
//
// Every diagnostic reads `file:line:column: error: what was expected`, as GNU
// tools and editors expect. The assembler keeps going after an error where it
// can and throws one AsmError holding all of them (the first one first).
//
// Entry points: Loc, AsmError, Diag, locText.

export interface Loc {
  file: string;
  line: number;
  /** 1-based column. */
  col: number;
  /** Where a macro or .rept expansion came from, appended to messages. */
  ctx?: string;
}

export interface Diag {
  loc: Loc;
  message: string;
}

export const locText = (l: Loc): string => `${l.file}:${l.line}:${l.col}`;

export function diagText(d: Diag): string {
  return `${locText(d.loc)}: error: ${d.message}${d.loc.ctx ? ` (${d.loc.ctx})` : ''}`;
}

export class AsmError extends Error {
  readonly diags: readonly Diag[];
  constructor(diags: readonly Diag[]) {
    super(diags.map(diagText).join('\n'));
    this.name = 'AsmError';
    this.diags = diags;
  }
}

/** Thrown inside the assembler to abandon one statement; collected, not shown as is. */
export class StmtError extends Error {
  constructor(readonly loc: Loc, message: string) {
    super(message);
  }
}
