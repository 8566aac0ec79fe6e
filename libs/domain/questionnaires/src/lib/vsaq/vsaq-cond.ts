/**
 * The boolean expressions of VSAQ's `cond` fields (`"a && !b"`, `"x_yes || (y && z)"`, `"q/no"`), parsed into
 * a tree. Operators are `&&`, `||`, `!` and parentheses; as in VSAQ's own evaluator, `&&` and `||` written
 * one after the other without parentheses apply from left to right. What VSAQ has beyond that (string
 * literals and the functions `matches`/`contains`, the `^` visibility operator, `/value`) has no equivalent in
 * Bulwark's condition language and is refused, naming what was found.
 */

export type VsaqExpr =
  | { kind: 'ref'; id: string; suffix: 'yes' | 'no' | null }
  | { kind: 'not'; expr: VsaqExpr }
  | { kind: 'and' | 'or'; left: VsaqExpr; right: VsaqExpr };

export class VsaqCondError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VsaqCondError';
  }
}

const MAX_DEPTH = 12;
const SPECIAL = ' \t\r\n()!&|,"';

type Tok = { t: 'id'; v: string } | { t: '&&' | '||' | '!' | '(' | ')' };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (' \t\r\n'.includes(c)) {
      i += 1;
    } else if (c === '&' || c === '|') {
      if (src[i + 1] !== c) throw new VsaqCondError(`"${c}" must be doubled ("${c}${c}")`);
      out.push({ t: c === '&' ? '&&' : '||' });
      i += 2;
    } else if (c === '!' || c === '(' || c === ')') {
      out.push({ t: c });
      i += 1;
    } else if (c === '"') {
      throw new VsaqCondError('string literals (for matches/contains) are not supported');
    } else if (c === ',') {
      throw new VsaqCondError('function arguments (matches/contains) are not supported');
    } else {
      let j = i;
      while (j < src.length && !SPECIAL.includes(src[j]!)) j += 1;
      out.push({ t: 'id', v: src.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** Parses one `cond` expression; an empty expression is null (VSAQ shows the item unconditionally). */
export function parseVsaqCond(src: string): VsaqExpr | null {
  const toks = tokenize(src);
  if (!toks.length) return null;
  let pos = 0;
  const peek = () => toks[pos];

  const operand = (depth: number): VsaqExpr => {
    if (depth > MAX_DEPTH) throw new VsaqCondError(`nested deeper than ${MAX_DEPTH} levels`);
    const tok = toks[pos++];
    if (!tok) throw new VsaqCondError('the expression ends where an item id was expected');
    if (tok.t === '!') return { kind: 'not', expr: operand(depth + 1) };
    if (tok.t === '(') {
      const inner = sequence(depth + 1);
      if (toks[pos++]?.t !== ')') throw new VsaqCondError('a "(" is not closed');
      return inner;
    }
    if (tok.t !== 'id') throw new VsaqCondError(`"${tok.t}" where an item id was expected`);
    if (peek()?.t === '(') throw new VsaqCondError(`functions such as "${tok.v}(…)" are not supported`);
    return reference(tok.v);
  };

  const sequence = (depth: number): VsaqExpr => {
    let left = operand(depth);
    for (;;) {
      const op = peek();
      if (!op || op.t === ')') return left;
      if (op.t !== '&&' && op.t !== '||') throw new VsaqCondError(`an operator (&& or ||) is missing before "${'v' in op ? op.v : op.t}"`);
      pos += 1;
      left = { kind: op.t === '&&' ? 'and' : 'or', left, right: operand(depth) };
    }
  };

  const expr = sequence(0);
  if (pos < toks.length) throw new VsaqCondError('a ")" has no matching "("');
  return expr;
}

function reference(raw: string): VsaqExpr {
  if (raw.startsWith('^')) throw new VsaqCondError(`the visibility operator "^" (in "${raw}") is not supported`);
  const m = /^(.+?)(?:\/(yes|no|value))?$/.exec(raw)!;
  if (m[2] === 'value') throw new VsaqCondError(`"${raw}": comparing values (/value) is not supported`);
  return { kind: 'ref', id: m[1]!, suffix: (m[2] as 'yes' | 'no' | undefined) ?? null };
}

/** The item ids an expression refers to. */
export function vsaqCondRefs(e: VsaqExpr | null): string[] {
  if (!e) return [];
  if (e.kind === 'ref') return [e.id];
  if (e.kind === 'not') return vsaqCondRefs(e.expr);
  return [...vsaqCondRefs(e.left), ...vsaqCondRefs(e.right)];
}
