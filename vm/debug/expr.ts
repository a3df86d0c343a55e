// Debugger expressions, as gdb users type them: numbers (decimal, 0x hex,
// 0b binary), registers ($pc, $sp, $a0, $x5, $mstatus, any CSR name),
// symbols, C operators (unary - ~ ! *, * / % + - << >> < <= > >= == !=
// & ^ | && ||) and parentheses. `*EXPR` reads the 32-bit word at the
// virtual address EXPR through the current translation. Values are
// unsigned 32-bit; comparisons and logic give 0 or 1.
//
// Entry points: evaluate, parseExpr, ExprError, ExprEnv.

export class ExprError extends Error {}

export interface ExprEnv {
  /** A register or CSR by name without the `$`, or undefined if unknown. */
  reg(name: string): number | undefined;
  symbol(name: string): number | undefined;
  /** The word at virtual address `addr`, or undefined if it cannot be read. */
  read32(addr: number): number | undefined;
}

type Node =
  | { k: 'num'; v: number }
  | { k: 'reg'; name: string }
  | { k: 'sym'; name: string }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node };

const BINARY: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];

function tokenize(src: string): string[] {
  const toks: string[] = [];
  const re = /\s*(0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*|\$?[A-Za-z_.][\w.]*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>&|^~!])/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new ExprError(`unexpected '${src.slice(i).trim()[0]}' at column ${i + 1} of '${src}'`);
    toks.push(m[1]);
    i = re.lastIndex;
  }
  return toks;
}

/** Parse an expression into a tree (throws ExprError naming what is wrong). */
export function parseExpr(src: string): Node {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): string | undefined => toks[pos];
  const take = (): string => {
    const t = toks[pos++];
    if (t === undefined) throw new ExprError(`'${src}': expression ends too early`);
    return t;
  };
  const primary = (): Node => {
    const t = take();
    if (t === '(') {
      const e = binary(0);
      if (take() !== ')') throw new ExprError(`'${src}': missing ')'`);
      return e;
    }
    if (t === '-' || t === '~' || t === '!' || t === '*' || t === '+') return { k: 'un', op: t, a: primary() };
    if (/^\d|^0[xXbB]/.test(t)) {
      const v = Number(t.replace(/_/g, ''));
      if (!Number.isFinite(v)) throw new ExprError(`bad number '${t}'`);
      return { k: 'num', v };
    }
    if (t.startsWith('$')) return { k: 'reg', name: t.slice(1) };
    if (/^[A-Za-z_.]/.test(t)) return { k: 'sym', name: t };
    throw new ExprError(`'${src}': unexpected '${t}'`);
  };
  const binary = (level: number): Node => {
    if (level >= BINARY.length) return primary();
    let a = binary(level + 1);
    while (peek() !== undefined && BINARY[level].includes(peek()!)) {
      const op = take();
      a = { k: 'bin', op, a, b: binary(level + 1) };
    }
    return a;
  };
  if (toks.length === 0) throw new ExprError('empty expression');
  const tree = binary(0);
  if (pos !== toks.length) throw new ExprError(`'${src}': unexpected '${toks[pos]}'`);
  return tree;
}

function evalNode(n: Node, env: ExprEnv): number {
  switch (n.k) {
    case 'num': return n.v >>> 0;
    case 'reg': {
      const v = env.reg(n.name);
      if (v === undefined) throw new ExprError(`no register or CSR named $${n.name}`);
      return v >>> 0;
    }
    case 'sym': {
      const v = env.symbol(n.name);
      if (v === undefined) throw new ExprError(`no symbol '${n.name}'`);
      return v >>> 0;
    }
    case 'un': {
      const a = evalNode(n.a, env);
      if (n.op === '-') return -a >>> 0;
      if (n.op === '~') return ~a >>> 0;
      if (n.op === '!') return a === 0 ? 1 : 0;
      if (n.op === '+') return a;
      const w = env.read32(a);
      if (w === undefined) throw new ExprError(`cannot read memory at 0x${a.toString(16)}`);
      return w >>> 0;
    }
    case 'bin': return evalBinary(n.op, evalNode(n.a, env), () => evalNode(n.b, env));
  }
}

function evalBinary(op: string, a: number, rhs: () => number): number {
  if (op === '&&') return a !== 0 && rhs() !== 0 ? 1 : 0;
  if (op === '||') return a !== 0 || rhs() !== 0 ? 1 : 0;
  const b = rhs();
  switch (op) {
    case '+': return (a + b) >>> 0;
    case '-': return (a - b) >>> 0;
    case '*': return Math.imul(a, b) >>> 0;
    case '/': if (b === 0) throw new ExprError('division by zero'); return Math.floor(a / b) >>> 0;
    case '%': if (b === 0) throw new ExprError('division by zero'); return (a % b) >>> 0;
    case '<<': return (a << (b & 31)) >>> 0;
    case '>>': return a >>> (b & 31);
    case '&': return (a & b) >>> 0;
    case '|': return (a | b) >>> 0;
    case '^': return (a ^ b) >>> 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    default: return a >= b ? 1 : 0;
  }
}

/** Value of expression `src` (unsigned 32-bit). Throws ExprError. */
export function evaluate(src: string, env: ExprEnv): number {
  return evalNode(parseExpr(src), env);
}

/** Evaluate a parsed tree (for breakpoint conditions, parsed once). */
export function evaluateTree(tree: Node, env: ExprEnv): number {
  return evalNode(tree, env);
}

export type ExprTree = Node;
