// `command`/`entrypoint`: a string is split into argv like a POSIX shell would (quotes and
// backslashes, no expansion), as Compose does with go-shellwords; a list is kept as written.
import type { KeyPath } from '../../errors.js';
import { describe, fail, type TransformContext } from './context.js';

/** Splits `sh -c "echo 'hi there'"` into `['sh', '-c', "echo 'hi there'"]`. Throws on an unclosed quote. */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1] as string)) {
        current += text[++i];
      } else current += char;
      continue;
    }
    if (char === '\\' && i + 1 < text.length) {
      const next = text[++i] as string;
      if (next !== '\n') current += next;
      inWord = true;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += char;
    inWord = true;
  }
  if (quote) throw new Error(`unclosed ${quote === '"' ? 'double' : 'single'} quote`);
  if (inWord) words.push(current);
  return words;
}

/** `command`/`entrypoint` value -> argv; `null` (explicitly cleared) is kept. */
export function commandAt(ctx: TransformContext, value: unknown, path: KeyPath): string[] | null {
  if (value === null) return null;
  if (typeof value === 'string') {
    try {
      return splitShellWords(value);
    } catch (error) {
      fail(ctx, path, `cannot split the command into words: ${(error as Error).message}`, 'close the quote, or write the command as a list');
    }
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number' || typeof item === 'boolean') return String(item);
      fail(ctx, [...path, index], `expected a string, got ${describe(item)}`);
    });
  }
  fail(ctx, path, `expected a string or a list of strings, got ${describe(value)}`);
}
