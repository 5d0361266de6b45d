// Stage: Compose Specification interpolation (`$VAR`, `${VAR:-default}`, ...), over values
// only, one file at a time before merging. The pure `interpolateString` does the text work;
// `interpolateTree` walks a parsed file and turns problems into positioned errors and warnings.
import { describeProblem, SpecError, type KeyPath } from '../errors.js';
import { isMapping, setKey } from './data.js';
import { isOverride, OverrideMarker } from './markers.js';
import type { SourceMap } from './source-map.js';

export type Lookup = (name: string) => string | undefined;

export interface InterpolateStringOptions {
  /** Called for each variable used without a default that has no value. */
  onUnset?: (name: string) => void;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const MAX_DEPTH = 50;
const LITERAL_HINT = 'write `$$` for a literal dollar sign';

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+alt}`,
 * `${VAR+alt}` (defaults and alternatives may nest) and `$$`. A `$` not followed by a name or
 * `{` stays as written, as in Compose. Throws SpecError('INTERPOLATION') without a location;
 * callers that know the key add it.
 */
export function interpolateString(text: string, lookup: Lookup, options: InterpolateStringOptions = {}): string {
  return expand(text, lookup, options.onUnset ?? (() => {}), 0);
}

function expand(text: string, lookup: Lookup, onUnset: (name: string) => void, depth: number): string {
  if (depth > MAX_DEPTH) throw failure(`interpolation nested more than ${MAX_DEPTH} levels deep`);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const braced = readBraced(text, dollar);
      out += evaluate(braced, lookup, onUnset, depth);
      i = braced.end;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
      const name = text.slice(dollar + 1, end);
      const value = lookup(name);
      if (value === undefined) onUnset(name);
      out += value ?? '';
      i = end;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

interface Braced {
  name: string;
  operator?: Operator;
  word: string;
  /** Index just past the closing `}`. */
  end: number;
}

function readBraced(text: string, dollar: number): Braced {
  const start = dollar + 2;
  let i = start;
  if (i < text.length && NAME_START.test(text[i]!)) {
    i++;
    while (i < text.length && NAME_CHAR.test(text[i]!)) i++;
  }
  const name = text.slice(start, i);
  const shown = excerpt(text, dollar);
  if (name === '') {
    throw failure(`invalid interpolation format in "${shown}": \`\${\` must be followed by a variable name`, LITERAL_HINT);
  }
  if (text[i] === '}') return { name, word: '', end: i + 1 };
  const operator = (['-', '?', '+'] as const).includes(text[i] as '-')
    ? (text[i] as Operator)
    : text[i] === ':' && ['-', '?', '+'].includes(text[i + 1] ?? '')
      ? (`:${text[i + 1]}` as Operator)
      : undefined;
  if (operator === undefined) {
    const reason = i >= text.length ? 'missing the closing `}`' : `unexpected "${text[i]}" after the variable name ${name}`;
    throw failure(`invalid interpolation format in "${shown}": ${reason}`, 'the forms are ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt}; ' + LITERAL_HINT);
  }
  const wordStart = i + operator.length;
  let nesting = 0;
  for (let j = wordStart; j < text.length; j++) {
    const c = text[j];
    if (c === '$' && text[j + 1] === '$') j++;
    else if (c === '$' && text[j + 1] === '{') {
      nesting++;
      j++;
    } else if (c === '}') {
      if (nesting === 0) return { name, operator, word: text.slice(wordStart, j), end: j + 1 };
      nesting--;
    }
  }
  throw failure(`invalid interpolation format in "${shown}": missing the closing \`}\``, LITERAL_HINT);
}

function evaluate(braced: Braced, lookup: Lookup, onUnset: (name: string) => void, depth: number): string {
  const value = lookup(braced.name);
  const sub = (): string => expand(braced.word, lookup, onUnset, depth + 1);
  switch (braced.operator) {
    case undefined:
      if (value === undefined) onUnset(braced.name);
      return value ?? '';
    case ':-':
      return value === undefined || value === '' ? sub() : value;
    case '-':
      return value === undefined ? sub() : value;
    case ':+':
      return value === undefined || value === '' ? '' : sub();
    case '+':
      return value === undefined ? '' : sub();
    case ':?':
    case '?': {
      const missing = value === undefined || (braced.operator === ':?' && value === '');
      if (!missing) return value!;
      const detail = sub();
      const what = value === undefined ? 'is not set' : 'is empty';
      throw failure(`required variable ${braced.name} ${what}${detail ? `: ${detail}` : ''}`, `set ${braced.name} in the shell environment or in the .env file`);
    }
  }
}

function excerpt(text: string, from: number): string {
  const rest = text.slice(from);
  return rest.length > 40 ? `${rest.slice(0, 40)}…` : rest;
}

function failure(message: string, hint?: string): SpecError {
  return new SpecError('INTERPOLATION', hint ? { message, hint } : { message });
}

export interface InterpolateTreeOptions {
  lookup: Lookup;
  sources: SourceMap;
  /** Receives positioned warnings (unset variables). */
  warn: (warning: string) => void;
  /** Where `value` sits in the file (default: the root). */
  path?: KeyPath;
}

/** Interpolates every string value of a parsed file (never keys); returns a new tree. */
export function interpolateTree<T>(value: T, options: InterpolateTreeOptions): T {
  return walk(value, [...(options.path ?? [])], options) as T;
}

function walk(value: unknown, path: (string | number)[], options: InterpolateTreeOptions): unknown {
  if (typeof value === 'string') return interpolateAt(value, path, options);
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], options));
  if (isOverride(value)) return new OverrideMarker(walk(value.value, path, options));
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) setKey(out, key, walk(child, [...path, key], options));
    return out;
  }
  return value;
}

function interpolateAt(text: string, path: KeyPath, options: InterpolateTreeOptions): string {
  if (!text.includes('$')) return text;
  try {
    return interpolateString(text, options.lookup, {
      onUnset: (name) => {
        options.warn(describeProblem(options.sources.problem(path, `variable ${name} is not set, using an empty string`)));
      },
    });
  } catch (error) {
    if (error instanceof SpecError) {
      const first = error.problems[0];
      throw new SpecError('INTERPOLATION', options.sources.problem(path, first?.message ?? error.message, first?.hint ? { hint: first.hint } : {}));
    }
    throw error;
  }
}
