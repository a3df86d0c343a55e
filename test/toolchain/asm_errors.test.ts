// Bad input gives `file:line:column: error: ...` naming the problem, and the
// assembler never crashes. Positions are counted by hand from the sources.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assemble, AsmError } from '../../toolchain/asm/index.ts';

function errorOf(src: string, files: Record<string, string> = {}): string {
  try {
    assemble(src, {
      filename: 'dir/main.s',
      readFile: (p) => {
        if (p in files) return files[p];
        throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      },
    });
  } catch (e) {
    expect(e).toBeInstanceOf(AsmError);
    return (e as Error).message;
  }
  throw new Error(`no error for: ${src}`);
}

// [what, source, position, message pattern]
const CASES: [string, string, string, RegExp][] = [
  ['unknown mnemonic', '  addx a0, a1, a2', '1:3', /unknown instruction 'addx'/],
  ['bad register', 'nop\nadd a0, a1, q7', '2:13', /bad register 'q7'/],
  ['bad base register', 'lw a0, 4(q1)', '1:10', /bad register 'q1'/],
  ['register where an immediate goes', 'addi a0, a0, a1', '1:14', /expected an immediate, found register 'a1'/],
  ['immediate out of range', 'addi a0, a0, 2048', '1:14', /2048.*out of range for addi.*\[-2048, 2047\]/],
  ['negative immediate out of range', 'sw a0, -2049(sp)', '1:8', /-2049.*out of range for sw.*\[-2048, 2047\]/],
  ['shift amount out of range', 'slli a0, a0, 32', '1:14', /shift amount 32.*\[0, 31\]/],
  ['CSR immediate out of range', 'csrrwi a0, mstatus, 32', '1:21', /CSR immediate 32.*\[0, 31\]/],
  ['lui immediate out of range', 'lui a0, 0x100000', '1:9', /out of range for lui.*\[0, 0xfffff\]/],
  ['li beyond 32 bits', 'li a0, 0x100000000', '1:8', /li immediate 4294967296 out of range/],
  ['branch too far', 'beq a0, a1, far\n.space 5000\nfar: nop', '1:13', /branch target 0x8000138c out of range for beq: offset 5004 not in \[-4096, 4094\]/],
  ['branch too far backwards', 'back: nop\n.space 4100\nbnez a0, back', '3:10', /offset -4104 not in \[-4096, 4094\]/],
  ['jump too far', 'jal a0, 0x80200000', '1:9', /jump target 0x80200000 out of range for jal: offset 2097152/],
  ['odd branch target', 'beq a0, a1, 0x80000003', '1:13', /odd: offset 3/],
  ['undefined symbol', 'nop\n  j nowhere', '2:5', /undefined symbol 'nowhere'/],
  ['undefined symbol in data', '.data\n.word 1, missing + 4', '2:10', /undefined symbol 'missing'/],
  ['undefined symbol in la', 'la a0, nothing', '1:8', /undefined symbol 'nothing'/],
  ['undefined numeric label', 'j 1f', '1:3', /undefined symbol '1 \(numeric local label\)'/],
  ['backward numeric label', 'j 3b', '1:3', /backward reference to local label '3'/],
  ['unterminated string', '.ascii "abc', '1:8', /unterminated string/],
  ['unterminated char string in .asciz', '.asciz "x", "y', '1:13', /unterminated string/],
  ['bad directive', '.wurd 5', '1:1', /unknown directive '.wurd'/],
  ['missing operand', 'add a0, a1', '1:11', /missing operand: add takes rd, rs1, rs2/],
  ['missing operand after comma', 'add a0, a1,', '1:12', /missing operand/],
  ['too many operands', 'add a0, a1, a2, a3', '1:17', /too many operands: add takes rd, rs1, rs2/],
  ['missing directive operand', '.equ', '1:5', /missing operand: .equ takes symbol, expression/],
  ['.endm without .macro', 'nop\n  .endm', '2:3', /.endm without .macro/],
  ['.endr without .rept', '.endr', '1:1', /.endr without .rept/],
  ['.else without .if', '.else', '1:1', /.else without .if/],
  ['.macro without .endm', '.macro m\nnop', '1:1', /.macro m without .endm/],
  ['.if without .endif', '.if 1\nnop', '1:1', /.if without .endif/],
  ['include not found', '.include "nope.s"', '1:10', /cannot include "nope.s" \(dir\/nope.s\): file not found/],
  ['unknown CSR', 'csrr a0, mstatuz', '1:10', /unknown CSR 'mstatuz'/],
  ['bad fence set', 'fence rw, x', '1:11', /bad fence operand 'x'/],
  ['C extension', '.option rvc', '1:9', /C extension is not supported/],
  ['symbol defined twice', 'x: nop\nx: nop', '2:1', /symbol 'x' is already defined \(first defined at dir\/main.s:1\)/],
  ['li with an address', 'li a0, sym\nsym:', '1:8', /must be a constant/],
  ['data in .bss', '.bss\n.word 5', '2:7', /non-zero data in section .bss/],
  ['instruction in .bss', '.bss\nnop', '2:1', /instruction in section .bss/],
  ['value too big for .byte', '.byte 256', '1:7', /value 0x100 does not fit in 1 byte/],
  ['%hi in addi', 'addi a0, a0, %hi(x)\nx:', '1:14', /%hi cannot be used as an operand of addi/],
  ['unknown relocation function', 'lui a0, %got(x)', '1:10', /unknown relocation function '%got'/],
  ['%pcrel_lo without auipc', 'lw a0, %pcrel_lo(x)(a0)\nx: nop', '1:8', /%pcrel_lo needs the label of an auipc/],
  ['division by zero', 'addi a0, a0, 1 / 0', '1:16', /division by zero/],
  ['unbalanced parenthesis', 'addi a0, a0, (1', '1:16', /expected '\)'/],
  ['bad number', 'addi a0, a0, 0x', '1:14', /bad number '0x'/],
  ['bad character', 'addi a0, a0, 1 ` 2', '1:16', /unexpected character '`'/],
  ['not a power of two', '.balign 3', '1:9', /.balign 3 is not a power of two/],
  ['too many macro arguments', '.macro foo a\n.endm\n foo 1, 2', '3:2', /too many arguments for macro 'foo'/],
  ['missing required macro argument', '.macro foo a:req\n.endm\nfoo', '3:1', /missing value for required argument 'a'/],
  ['.error', '.error "stop here"', '1:8', /stop here/],
];

describe('assembler errors', () => {
  for (const [what, src, pos, re] of CASES) {
    it(what, () => {
      const msg = errorOf(src);
      const first = msg.split('\n')[0];
      expect(first.startsWith(`dir/main.s:${pos}: error: `), first).toBe(true);
      expect(first).toMatch(re);
    });
  }

  it('names the included file and its line', () => {
    const msg = errorOf('nop\n.include "sub/inc.s"\n', { 'dir/sub/inc.s': '# header\n  bogus a0\n' });
    expect(msg).toMatch(/^dir\/sub\/inc.s:2:3: error: unknown instruction 'bogus'/);
  });

  it('resolves nested includes relative to the including file', () => {
    const msg = errorOf('.include "a/one.s"', { 'dir/a/one.s': '.include "two.s"', 'dir/a/two.s': 'nop\naddi a0, a0, 9999' });
    expect(msg).toMatch(/^dir\/a\/two.s:2:14: error: immediate 9999/);
  });

  it('reports recursive includes instead of looping', () => {
    expect(errorOf('.include "main.s"', { 'dir/main.s': '.include "main.s"' })).toMatch(/nested more than 64 deep/);
  });

  it('points into a macro body and says where the macro was used', () => {
    const msg = errorOf('.macro bad r\n  addi \\r, \\r, 5000\n.endm\nnop\nbad a0\n');
    expect(msg).toMatch(/^dir\/main.s:2:\d+: error: immediate 5000 .* \(in macro 'bad' used at dir\/main.s:5\)/);
  });

  it('collects several errors in source order', () => {
    const msg = errorOf('addx\nnop\nadd a0\n.wurd\nj nowhere');
    const lines = msg.split('\n');
    expect(lines.length).toBe(3); // pass-1 errors stop before the undefined-symbol check
    expect(lines.map((l) => l.split(': error')[0])).toEqual(['dir/main.s:1:1', 'dir/main.s:3:7', 'dir/main.s:4:1']);
  });

  it('stops runaway macro recursion', () => {
    expect(errorOf('.macro r\nr\n.endm\nr')).toMatch(/macros nested more than \d+ deep/);
  });

  it('never throws anything but AsmError on random input', () => {
    const words = ['add', 'addi', 'lw', 'sw', 'li', 'la', 'beq', 'j', 'call', '.word', '.byte', '.ascii', '.macro',
      '.endm', '.rept', '.endr', '.if', '.endif', '.else', '.section', '.align', '.equ', '.include', '%hi(', '%pcrel_lo(',
      'a0', 'sp', 'x31', '(', ')', ',', ':', '1:', '1b', '1f', '"', "'", '\\', '\n', '0x', '-', '<<', '/', '0', '4096', 'lbl'];
    const src = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 4 })), { maxLength: 40 }).map((a) => a.join(' '));
    fc.assert(fc.property(src, (s) => {
      try {
        assemble(s, { filename: 'f.s', readFile: () => 'nop' });
      } catch (e) {
        if (!(e instanceof AsmError)) throw e;
        expect(e.message).toMatch(/^f\.s:\d+:\d+: error: /);
      }
    }), { numRuns: 2000 });
  });
});
