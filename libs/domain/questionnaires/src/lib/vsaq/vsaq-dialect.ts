/**
 * A reader for the dialect Google VSAQ questionnaires are written in: JSON as a JavaScript object literal, with
 * `//` and block comments, single- or double-quoted strings, string literals joined by `+`, unquoted keys and
 * trailing commas. It is a tokenizer and a recursive-descent parser of data only: nothing is ever evaluated
 * (no `eval`, no `Function`), and anything that is not data (an identifier other than true/false/null, a call,
 * arithmetic on numbers) is a syntax error naming the line and column.
 *
 * Objects come back with a null prototype, so a key such as `__proto__` is an ordinary key.
 */

export class VsaqSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'VsaqSyntaxError';
  }
}

/** Nesting deeper than this is refused before it can exhaust the stack. */
export const MAX_VSAQ_DEPTH = 64;

export type VsaqValue = string | number | boolean | null | VsaqValue[] | { [key: string]: VsaqValue };

type Token =
  | { kind: 'punct'; value: '{' | '}' | '[' | ']' | ':' | ',' | '+'; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'eof'; at: number };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

class Reader {
  private pos = 0;
  private peeked: Token | null = null;

  constructor(private readonly src: string) {}

  fail(message: string, at = this.pos): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < at && i < this.src.length; i += 1) {
      if (this.src[i] === '\n') {
        line += 1;
        column = 1;
      } else column += 1;
    }
    throw new VsaqSyntaxError(message, line, column);
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) return;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff' || c === '\u00a0' || c === '\u2028' || c === '\u2029') {
        this.pos += 1;
      } else if (c === '/' && this.src[this.pos + 1] === '/') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos += 1;
      } else if (c === '/' && this.src[this.pos + 1] === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('a comment is not closed');
        this.pos = end + 2;
      } else return;
    }
  }

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  private scan(): Token {
    this.skipSpaceAndComments();
    const at = this.pos;
    const c = this.src[this.pos];
    if (c === undefined) return { kind: 'eof', at };
    if ('{}[]:,+'.includes(c)) {
      this.pos += 1;
      return { kind: 'punct', value: c as '{', at };
    }
    if (c === '"' || c === "'") return { kind: 'string', value: this.scanString(c), at };
    if (c === '-' || (c >= '0' && c <= '9') || c === '.') return { kind: 'number', value: this.scanNumber(), at };
    if (/[A-Za-z_$]/.test(c)) {
      let end = this.pos + 1;
      while (end < this.src.length && /[\w$]/.test(this.src[end]!)) end += 1;
      const value = this.src.slice(this.pos, end);
      this.pos = end;
      return { kind: 'ident', value, at };
    }
    this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private scanString(quote: string): string {
    const start = this.pos;
    this.pos += 1;
    let out = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail('a string is not closed', start);
      if (c === quote) {
        this.pos += 1;
        return out;
      }
      if (c === '\n' || c === '\r') this.fail('a string runs past the end of its line (join lines with +)', start);
      if (c !== '\\') {
        out += c;
        this.pos += 1;
        continue;
      }
      const e = this.src[this.pos + 1];
      if (e === undefined) this.fail('a string is not closed', start);
      this.pos += 2;
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e === 'x') {
        const hex = this.src.slice(this.pos, this.pos + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('a \\x escape needs two hex digits');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 2;
      } else if (e === 'u') {
        let hex: string;
        if (this.src[this.pos] === '{') {
          const end = this.src.indexOf('}', this.pos);
          hex = end < 0 ? '' : this.src.slice(this.pos + 1, end);
          if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) this.fail('a bad \\u{…} escape');
          this.pos = end + 1;
          out += String.fromCodePoint(parseInt(hex, 16));
        } else {
          hex = this.src.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('a \\u escape needs four hex digits');
          this.pos += 4;
          out += String.fromCharCode(parseInt(hex, 16));
        }
      } else if (e === '\r' || e === '\n') {
        // A line continuation: the backslash and the line break are left out.
        if (e === '\r' && this.src[this.pos] === '\n') this.pos += 1;
      } else out += e;
    }
  }

  private scanNumber(): number {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.pos, this.pos + 400));
    if (!m) this.fail('a malformed number');
    const value = Number(m[0]);
    if (!Number.isFinite(value)) this.fail('a number out of range');
    this.pos += m[0].length;
    return value;
  }
}

/** Parses the dialect into plain data (objects with a null prototype). */
export function parseVsaqText(text: string): VsaqValue {
  const r = new Reader(text);
  const value = parseValue(r, 0);
  const end = r.next();
  if (end.kind !== 'eof') r.fail('unexpected text after the questionnaire', end.at);
  return value;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'string') return 'a string';
  return JSON.stringify(String(t.value));
}

function parseValue(r: Reader, depth: number): VsaqValue {
  if (depth > MAX_VSAQ_DEPTH) r.fail(`nested deeper than ${MAX_VSAQ_DEPTH} levels`);
  const t = r.next();
  switch (t.kind) {
    case 'string': {
      let s = t.value;
      // 'a' + 'b': the one operator the dialect has, on string literals only.
      while (r.peek().kind === 'punct' && (r.peek() as { value: string }).value === '+') {
        r.next();
        const more = r.next();
        if (more.kind !== 'string') r.fail(`only strings are joined with +, found ${describe(more)}`, more.at);
        s += more.value;
      }
      return s;
    }
    case 'number':
      if (r.peek().kind === 'punct' && (r.peek() as { value: string }).value === '+') r.fail('arithmetic is not data', r.peek().at);
      return t.value;
    case 'ident':
      if (t.value === 'true') return true;
      if (t.value === 'false') return false;
      if (t.value === 'null') return null;
      return r.fail(`unexpected ${JSON.stringify(t.value)}: only data (strings, numbers, true, false, null, objects, lists) is read`, t.at);
    case 'punct':
      if (t.value === '{') return parseObject(r, depth);
      if (t.value === '[') return parseArray(r, depth);
      return r.fail(`unexpected ${describe(t)}`, t.at);
    default:
      return r.fail('unexpected end of the file', t.at);
  }
}

function parseObject(r: Reader, depth: number): { [key: string]: VsaqValue } {
  const out = Object.create(null) as { [key: string]: VsaqValue };
  for (;;) {
    const t = r.next();
    if (t.kind === 'punct' && t.value === '}') return out;
    if (t.kind !== 'string' && t.kind !== 'ident') r.fail(`expected a key or }, found ${describe(t)}`, t.at);
    const colon = r.next();
    if (colon.kind !== 'punct' || colon.value !== ':') r.fail(`expected : after the key ${JSON.stringify(t.value)}`, colon.at);
    out[t.value] = parseValue(r, depth + 1);
    const sep = r.next();
    if (sep.kind === 'punct' && sep.value === '}') return out;
    if (sep.kind !== 'punct' || sep.value !== ',') r.fail(`expected , or } after the value of ${JSON.stringify(t.value)}`, sep.at);
  }
}

function parseArray(r: Reader, depth: number): VsaqValue[] {
  const out: VsaqValue[] = [];
  for (;;) {
    const t = r.peek();
    if (t.kind === 'punct' && t.value === ']') {
      r.next();
      return out;
    }
    out.push(parseValue(r, depth + 1));
    const sep = r.next();
    if (sep.kind === 'punct' && sep.value === ']') return out;
    if (sep.kind !== 'punct' || sep.value !== ',') r.fail(`expected , or ] in a list, found ${describe(sep)}`, sep.at);
  }
}
