// A content-addressed cache of parsed spec files. Parsing YAML with positions is the slowest step
// of loading a large spec, and a CLI always parses cold (no JIT warm-up): on a 200-service file
// it costs more than everything else `stack config` does together, and even a small file costs
// loading the YAML library (~20 ms), which a hit avoids. The parse of a file depends
// only on its text and its display name, so the result is stored under their hash and reused
// while the file is unchanged. Any failure to read or write the cache just means parsing again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { maybePrune } from '../cache-pruning.js';
import { isMapping, type Mapping } from './data.js';
import { applyTags } from './markers.js';
import type { SourceLocation } from '../errors.js';
import { SourceMap, type SourceEntry } from './source-map.js';

/** One parsed spec file: plain data and where each key came from. */
export interface ParsedSpec {
  data: Mapping;
  sources: SourceMap;
  /** Whether the file used `!reset`/`!override`: only then does the loader strip markers. */
  tagged: boolean;
}

export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * The parse of `text` from the cache, or undefined. Needs neither the YAML library nor a parse:
 * the loader tries this first and loads the parser (core/load/parse.ts) only on a miss.
 */
export function reuseParse(text: string, file: string, cache: ParseCache | undefined): ParsedSpec | undefined {
  const source = withoutBom(text);
  const cached = cache?.get(source, file);
  if (!cached || !isMapping(cached.data)) return undefined;
  applyTags(cached.data, cached.tags);
  return { data: cached.data, sources: SourceMap.lazy(file, source, cached.entries), tagged: cached.tags.length > 0 };
}

type Tags = { path: (string | number)[]; kind: 'reset' | 'override' }[];

/** What parsing one file produced, before `!reset`/`!override` tags are applied to the data. */
export interface CachedParse {
  data: unknown;
  tags: Tags;
  entries: [string, SourceEntry][];
}

/** A cache hit: the positions are decoded only when asked for. */
export interface ReusedParse {
  data: unknown;
  tags: Tags;
  entries: () => Iterable<readonly [string, SourceEntry]>;
}

export interface ParseCache {
  get(text: string, file: string): ReusedParse | undefined;
  set(text: string, file: string, parsed: CachedParse): void;
}

/** Bump when the parse output or its serialisation changes, so old entries are never read. */
const FORMAT = 'stack-parse-v2';

/**
 * An entry is two lines of JSON: the data and tags, then the positions, packed (key paths, and
 * eight numbers an entry) and parsed only when a position is asked for.
 */
export function diskParseCache(directory: string): ParseCache {
  const fileFor = (text: string, file: string): string =>
    path.join(directory, `${createHash('sha256').update(FORMAT).update('\0').update(file).update('\0').update(text).digest('hex')}.json`);
  return {
    get(text, file) {
      try {
        const stored = readFileSync(fileFor(text, file), 'utf8');
        const split = stored.indexOf('\n');
        const { data, tags } = JSON.parse(stored.slice(0, split)) as Omit<CachedParse, 'entries'>;
        return { data, tags, entries: () => unpackEntries(stored.slice(split + 1), file) };
      } catch {
        return undefined;
      }
    },
    set(text, file, parsed) {
      const head = serialiseExactly({ data: parsed.data, tags: parsed.tags });
      const positions = packEntries(parsed.entries, file);
      if (head === undefined || positions === undefined) return;
      try {
        mkdirSync(directory, { recursive: true });
        const target = fileFor(text, file);
        // Write then rename: a concurrent reader sees the whole entry or none.
        const temporary = `${target}.${process.pid}.tmp`;
        writeFileSync(temporary, `${head}\n${positions}`);
        renameSync(temporary, target);
        maybePrune(directory);
      } catch {
        // A read-only or full disk only costs the next run a parse.
      }
    },
  };
}

/** Numbers per entry: value line, col, end line, end col, then the same for the key (0 = none). */
const STRIDE = 8;

interface PackedEntries {
  keys: string[];
  positions: number[];
}

/** The entries of one file's parse, packed; undefined if one points into another file. */
function packEntries(entries: readonly [string, SourceEntry][], file: string): string | undefined {
  const packed: PackedEntries = { keys: [], positions: [] };
  for (const [key, entry] of entries) {
    if (entry.value.file !== file || (entry.key && entry.key.file !== file)) return undefined;
    packed.keys.push(key);
    for (const location of [entry.value, entry.key]) {
      packed.positions.push(location?.line ?? 0, location?.col ?? 0, location?.endLine ?? 0, location?.endCol ?? 0);
    }
  }
  return JSON.stringify(packed);
}

function unpackEntries(text: string, file: string): [string, SourceEntry][] {
  let packed: PackedEntries;
  try {
    packed = JSON.parse(text) as PackedEntries;
  } catch {
    // Damaged after the data was read: positions fall back to the file as a whole.
    return [['', { value: { file, line: 1, col: 1 } }]];
  }
  const at = (offset: number): SourceLocation | undefined => {
    const [line, col, endLine, endCol] = packed.positions.slice(offset, offset + 4) as [number, number, number, number];
    if (line === 0) return undefined;
    const location: SourceLocation = { file, line, col };
    if (endLine !== 0) location.endLine = endLine;
    if (endCol !== 0) location.endCol = endCol;
    return location;
  };
  return packed.keys.map((key, index) => {
    const value = at(index * STRIDE)!;
    const keyLocation = at(index * STRIDE + 4);
    return [key, keyLocation ? { key: keyLocation, value } : { value }];
  });
}

/**
 * JSON text that parses back to exactly the same data, or undefined when JSON cannot carry it
 * (`.inf`/`.nan` numbers, a `__proto__` key): those files are simply not cached.
 */
function serialiseExactly(parsed: Omit<CachedParse, 'entries'>): string | undefined {
  let exact = true;
  const text = JSON.stringify(parsed, function (key, value: unknown) {
    if (key === '__proto__' || (typeof value === 'number' && !Number.isFinite(value))) exact = false;
    return value;
  });
  return exact ? text : undefined;
}

