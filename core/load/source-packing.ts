// How the on-disk caches store what they hold: source positions packed into numbers, and JSON
// that must read back exactly. Used by the parse cache (core/load/parse-cache.ts) and the project
// cache (core/project-cache.ts). Thousands of positions as JSON objects cost more to read than a
// cached command does otherwise; as a file table, key paths and nine numbers an entry they are a
// fifth of the size, and they are decoded only when a position is asked for.
import type { SourceLocation } from '../errors.js';
import type { SourceEntry } from './source-map.js';

/** Numbers per entry: file index, then value line, col, end line, end col, then the same for the key (0 = none). */
const STRIDE = 9;

interface PackedEntries {
  files: string[];
  keys: string[];
  positions: number[];
}

export function packSourceEntries(entries: Iterable<readonly [string, SourceEntry]>): string {
  const packed: PackedEntries = { files: [], keys: [], positions: [] };
  const fileIndex = new Map<string, number>();
  const indexOf = (file: string): number => {
    let index = fileIndex.get(file);
    if (index === undefined) {
      index = packed.files.push(file) - 1;
      fileIndex.set(file, index);
    }
    return index;
  };
  for (const [key, entry] of entries) {
    packed.keys.push(key);
    packed.positions.push(indexOf(entry.value.file));
    for (const location of [entry.value, entry.key]) {
      // A key written in another file than its value does not happen in YAML; the key position is then dropped.
      const same = location !== undefined && location.file === entry.value.file;
      packed.positions.push(same ? location.line : 0, same ? location.col : 0, same ? (location.endLine ?? 0) : 0, same ? (location.endCol ?? 0) : 0);
    }
  }
  return JSON.stringify(packed);
}

/** The entries back; a damaged text gives one entry placing everything at the top of `fallbackFile`. */
export function unpackSourceEntries(text: string, fallbackFile: string): [string, SourceEntry][] {
  let packed: PackedEntries;
  try {
    packed = JSON.parse(text) as PackedEntries;
  } catch {
    return [['', { value: { file: fallbackFile, line: 1, col: 1 } }]];
  }
  const at = (file: string, offset: number): SourceLocation | undefined => {
    const [line, col, endLine, endCol] = packed.positions.slice(offset, offset + 4) as [number, number, number, number];
    if (line === 0) return undefined;
    const location: SourceLocation = { file, line, col };
    if (endLine !== 0) location.endLine = endLine;
    if (endCol !== 0) location.endCol = endCol;
    return location;
  };
  return packed.keys.map((key, index) => {
    const base = index * STRIDE;
    const file = packed.files[packed.positions[base]!] ?? fallbackFile;
    const value = at(file, base + 1) ?? { file, line: 1, col: 1 };
    const keyLocation = at(file, base + 5);
    return [key, keyLocation ? { key: keyLocation, value } : { value }];
  });
}

/**
 * JSON text that parses back to exactly the same data, or undefined when JSON cannot carry it
 * (`.inf`/`.nan` numbers, a `__proto__` key): those are simply not cached.
 */
export function serialiseExactly(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, function (key, item: unknown) {
    if (key === '__proto__' || (typeof item === 'number' && !Number.isFinite(item))) exact = false;
    return item;
  });
  return exact ? text : undefined;
}
