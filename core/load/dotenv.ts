// Stage: `.env` / `--env-file` parsing, with Compose's dotenv rules. Also used by the model for
// a service's `env_file`. Values may use `${VAR}` from the environment (looked up first, as
// compose-go does) and from keys earlier in the same file.
import { SpecError, type SourceLocation } from '../errors.js';
import { setKey } from './data.js';
import { interpolateString, type Lookup } from './interpolate.js';
import { codeFrame } from './source-map.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses dotenv text. Supported: `KEY=VAL`, `export KEY=VAL`, `KEY: VAL`, `#` comments (inline
 * ones need a space before `#` in unquoted values), single quotes (literal), double quotes
 * (`\n \r \t \" \\ \$` escapes, may span lines), unquoted values trimmed, and a bare `KEY`
 * (taken from `lookup` when set there, else ignored). `file` names the file in errors.
 */
export function parseDotenv(text: string, file: string, lookup: Lookup = () => undefined): Record<string, string> {
  return new DotenvParser(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file, lookup).parse();
}

class DotenvParser {
  private i = 0;
  private readonly out: Record<string, string> = {};

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly lookup: Lookup,
  ) {}

  parse(): Record<string, string> {
    while (this.i < this.text.length) this.line();
    return this.out;
  }

  private line(): void {
    this.skipBlanks();
    if (this.atLineEnd() || this.peek() === '#') return this.skipLine();
    if (/^export[ \t]/.test(this.text.slice(this.i, this.i + 7))) {
      this.i += 7;
      this.skipBlanks();
    }
    const keyStart = this.i;
    while (!this.atLineEnd() && !/[=:\s#]/.test(this.peek())) this.i++;
    const key = this.text.slice(keyStart, this.i);
    if (!KEY.test(key)) {
      const shown = key === '' ? this.peek() : key;
      throw this.error(keyStart, `invalid variable name "${shown}"`, 'a line is KEY=VALUE; names start with a letter or `_` and use letters, digits, `_`, `.` or `-`');
    }
    this.skipBlanks();
    if (this.atLineEnd() || this.peek() === '#') {
      // `KEY` alone: pass the variable through from the environment when it is set there.
      const value = this.lookup(key);
      if (value !== undefined) setKey(this.out, key, value);
      return this.skipLine();
    }
    if (this.peek() !== '=' && this.peek() !== ':') {
      throw this.error(this.i, `expected "=" after ${key}`, 'a line is KEY=VALUE (spaces are not allowed in names)');
    }
    this.i++;
    this.skipBlanks();
    const quote = this.peek();
    let value: string;
    if (quote === "'") value = this.singleQuoted();
    else if (quote === '"') value = this.expandAt(this.i, this.doubleQuoted());
    else value = this.expandAt(this.i, this.unquoted());
    setKey(this.out, key, value);
  }

  private unquoted(): string {
    const start = this.i;
    while (!this.atLineEnd()) this.i++;
    let raw = this.text.slice(start, this.i);
    const comment = /[ \t]#/.exec(raw);
    if (comment) raw = raw.slice(0, comment.index);
    this.skipLine();
    return raw.trim();
  }

  private singleQuoted(): string {
    const open = this.i;
    const close = this.text.indexOf("'", open + 1);
    if (close < 0) throw this.error(open, 'missing the closing single quote', "close the value with '");
    this.i = close + 1;
    this.afterQuote();
    return this.text.slice(open + 1, close);
  }

  private doubleQuoted(): string {
    const open = this.i;
    let out = '';
    for (let j = open + 1; j < this.text.length; j++) {
      const c = this.text[j]!;
      if (c === '"') {
        this.i = j + 1;
        this.afterQuote();
        return out;
      }
      if (c === '\\' && j + 1 < this.text.length) {
        const next = this.text[++j]!;
        const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$$' };
        out += escapes[next] ?? `\\${next}`;
      } else if (c === '$' && this.text[j + 1] === '$') {
        out += '$$';
        j++;
      } else {
        out += c;
      }
    }
    throw this.error(open, 'missing the closing double quote', 'close the value with "');
  }

  /** After a closing quote only blanks or a comment may follow on the line. */
  private afterQuote(): void {
    this.skipBlanks();
    if (!this.atLineEnd() && this.peek() !== '#') {
      throw this.error(this.i, `unexpected text after the closing quote`, 'put the whole value inside the quotes');
    }
    this.skipLine();
  }

  private expandAt(offset: number, raw: string): string {
    try {
      return interpolateString(raw, (name) => this.lookup(name) ?? (Object.prototype.hasOwnProperty.call(this.out, name) ? this.out[name] : undefined));
    } catch (error) {
      if (error instanceof SpecError) throw this.error(offset, error.problems[0]?.message ?? error.message, error.hint, 'INTERPOLATION');
      throw error;
    }
  }

  private peek(): string {
    return this.text[this.i] ?? '';
  }

  private atLineEnd(): boolean {
    return this.i >= this.text.length || this.text[this.i] === '\n' || this.text[this.i] === '\r';
  }

  private skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }

  private skipLine(): void {
    while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
    this.i++;
  }

  private error(offset: number, message: string, hint?: string, code: 'SPEC_INVALID' | 'INTERPOLATION' = 'SPEC_INVALID'): SpecError {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - (before.lastIndexOf('\n') + 1) + 1;
    const location: SourceLocation = { file: this.file, line, col };
    return new SpecError(code, { message, location, frame: codeFrame(this.text, location), ...(hint ? { hint } : {}) });
  }
}
