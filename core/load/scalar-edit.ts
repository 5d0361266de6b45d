// The commonest edit of a running project's spec changes one value on one line: an image tag, an
// environment value, a published port. Parsing a 200-service file afresh costs ~150 ms of cold
// YAML, paid by every save in watch mode and by `up` after each edit. When the new text differs
// from an already parsed text in exactly one line, and on that line only a simple value after
// `key: ` or `- ` changed, the new parse is the old one with that value replaced and the ends of
// the positions on that line moved. Anything else, or anything this cannot be sure of, gives
// undefined and the file is parsed in full.
//
// "Simple" is deliberately narrow, so that the value means the same wherever it sits (block or
// flow context) and on its own: a double-quoted string without escapes, a single-quoted string
// without quotes inside, a decimal integer, or a plain scalar that starts with a letter, `_` or
// `/` and that YAML's core schema reads as a string. Texts with anchors, aliases, merge keys or
// tags are never patched: an edited value could be copied elsewhere by an alias.
import type { SourceLocation } from '../errors.js';
import { isMapping } from './data.js';
import type { SourceEntry } from './source-map.js';

/** A parse as the parse cache holds it: data before tags are applied, and every position. */
export interface PlainParse {
  data: unknown;
  tags: readonly unknown[];
  entries: Iterable<readonly [string, SourceEntry]>;
}

/** The patched parse: the data now, the positions when asked for (they are needed only to store it, or for an error). */
export interface PatchedParse {
  data: unknown;
  entries: () => [string, SourceEntry][];
}

export interface ScalarEditInput {
  /** A text parsed before, and its parse (positions name `previousFile`). */
  previousText: string;
  previousFile: string;
  previous: PlainParse;
  /** The new text and the name its positions must carry. */
  text: string;
  file: string;
}

/** The key path separator of SourceMap keys (source-map.ts). */
const SEP = '\u0000';

const LINE = /^( *)(?:([A-Za-z0-9_][A-Za-z0-9_.\/-]*): |- )(.+)$/;
const CORE_SCHEMA_WORDS = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
const PLAIN = /^[A-Za-z_\/][A-Za-z0-9_.\/@%+=:-]*$/;
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
const DOUBLE_QUOTED = /^"([^"\\]*)"$/;
const SINGLE_QUOTED = /^'([^']*)'$/;
/** Anchors (`&a`), aliases (`*a`), merge keys and tags anywhere: then the text is parsed in full. */
const SHARED_OR_TAGGED = /(?:^|[\s:\-[{,])[&*][^\s&*]|<<|(?:^|\s)![^\s=]/m;

/** The new parse, or undefined when the edit is not one this can apply with certainty. */
export function applyScalarEdit(input: ScalarEditInput): PatchedParse | undefined {
  const { previousText, text } = input;
  if (previousText.includes('\r') || text.includes('\r') || input.previous.tags.length > 0 || SHARED_OR_TAGGED.test(previousText)) return undefined;
  const line = onlyChangedLine(previousText, text);
  if (line === undefined) return undefined;
  const before = LINE.exec(line.before);
  const after = LINE.exec(line.after);
  if (before === null || after === null || before[1] !== after[1] || before[2] !== after[2]) return undefined;
  const oldValue = scalarValue(before[3]!);
  const newValue = scalarValue(after[3]!);
  if (oldValue === undefined || newValue === undefined) return undefined;

  const lineNumber = line.index + 1;
  const valueCol = line.before.length - before[3]!.length + 1;
  const delta = after[3]!.length - before[3]!.length;
  const entries = [...input.previous.entries];
  const edited = entries.filter(([, entry]) => entry.value.line === lineNumber && entry.value.col === valueCol);
  if (edited.length !== 1) return undefined;
  const [editedKey, editedEntry] = edited[0]!;
  if (editedEntry.value.endLine !== lineNumber || editedEntry.value.endCol !== valueCol + before[3]!.length) return undefined;

  const path = editedKey === '' ? [] : editedKey.split(SEP);
  const data = replacedAt(input.previous.data, path, oldValue.value, newValue.value);
  if (data === undefined) return undefined;

  const moved = (location: SourceLocation | undefined): SourceLocation | undefined => {
    if (location === undefined) return undefined;
    const out = { ...location, file: location.file === input.previousFile ? input.file : location.file };
    if (out.endLine === lineNumber && out.endCol !== undefined && out.endCol >= valueCol + before[3]!.length) out.endCol += delta;
    return out;
  };
  const renamed = input.previousFile !== input.file;
  const patch = ([key, entry]: readonly [string, SourceEntry]): [string, SourceEntry] => {
    // Untouched entries are shared with the previous parse, unless their file name changes.
    if (!renamed && entry.value.endLine !== lineNumber && entry.key?.endLine !== lineNumber) return [key, entry];
    const value = moved(entry.value)!;
    const keyLocation = moved(entry.key);
    return [key, keyLocation ? { key: keyLocation, value } : { value }];
  };
  let patched: [string, SourceEntry][] | undefined;
  return { data, entries: () => (patched ??= entries.map(patch)) };
}

/** The one line that differs, when the texts have the same lines but one. */
function onlyChangedLine(previous: string, next: string): { index: number; before: string; after: string } | undefined {
  if (previous === next) return undefined;
  const a = previous.split('\n');
  const b = next.split('\n');
  if (a.length !== b.length) return undefined;
  let found: number | undefined;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (found !== undefined) return undefined;
    found = i;
  }
  return found === undefined ? undefined : { index: found, before: a[found]!, after: b[found]! };
}

/** What a simple scalar's source text means, or undefined when it is not one of the simple forms. */
export function scalarValue(source: string): { value: string | number } | undefined {
  const double = DOUBLE_QUOTED.exec(source);
  if (double) return { value: double[1]! };
  const single = SINGLE_QUOTED.exec(source);
  if (single) return { value: single[1]! };
  if (INTEGER.test(source)) return { value: Number(source) };
  if (PLAIN.test(source) && !CORE_SCHEMA_WORDS.test(source) && !source.endsWith(':')) return { value: source };
  return undefined;
}

/**
 * A copy of `node` with the value at `path` replaced, if what is there now is `expected` (proof
 * that the line is that path). Only the containers along the path are copied; the rest is
 * shared with the previous data, which nothing uses afterwards.
 */
function replacedAt(node: unknown, path: readonly string[], expected: string | number, value: string | number): unknown {
  if (path.length === 0) return node === expected ? value : undefined;
  const [step, ...rest] = path as [string, ...string[]];
  const child = childOf(node, step);
  if (child === undefined) return undefined;
  const replaced = replacedAt(child, rest, expected, value);
  if (replaced === undefined) return undefined;
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(step)] = replaced;
    return copy;
  }
  // defineProperty keeps a `__proto__` key a plain key, as the parser does.
  const copy = { ...(node as Record<string, unknown>) };
  Object.defineProperty(copy, step, { value: replaced, enumerable: true, writable: true, configurable: true });
  return copy;
}

function childOf(node: unknown, step: string): unknown {
  if (Array.isArray(node)) return /^(?:0|[1-9][0-9]*)$/.test(step) ? node[Number(step)] : undefined;
  return isMapping(node) && Object.hasOwn(node, step) ? node[step] : undefined;
}
