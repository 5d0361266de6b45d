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
import { SourceMap, type SourceEntry } from './source-map.js';

/** One parsed spec file: plain data and where each key came from. */
export interface ParsedSpec {
  data: Mapping;
  sources: SourceMap;
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
  return { data: cached.data, sources: SourceMap.fromEntries(file, source, cached.entries) };
}

/** What parsing one file produced, before `!reset`/`!override` tags are applied to the data. */
export interface CachedParse {
  data: unknown;
  tags: { path: (string | number)[]; kind: 'reset' | 'override' }[];
  entries: [string, SourceEntry][];
}

export interface ParseCache {
  get(text: string, file: string): CachedParse | undefined;
  set(text: string, file: string, parsed: CachedParse): void;
}

/** Bump when the parse output or its serialisation changes, so old entries are never read. */
const FORMAT = 'stack-parse-v1';

export function diskParseCache(directory: string): ParseCache {
  const fileFor = (text: string, file: string): string =>
    path.join(directory, `${createHash('sha256').update(FORMAT).update('\0').update(file).update('\0').update(text).digest('hex')}.json`);
  return {
    get(text, file) {
      try {
        return JSON.parse(readFileSync(fileFor(text, file), 'utf8')) as CachedParse;
      } catch {
        return undefined;
      }
    },
    set(text, file, parsed) {
      const serialised = serialiseExactly(parsed);
      if (serialised === undefined) return;
      try {
        mkdirSync(directory, { recursive: true });
        const target = fileFor(text, file);
        // Write then rename: a concurrent reader sees the whole entry or none.
        const temporary = `${target}.${process.pid}.tmp`;
        writeFileSync(temporary, serialised);
        renameSync(temporary, target);
        maybePrune(directory);
      } catch {
        // A read-only or full disk only costs the next run a parse.
      }
    },
  };
}

/**
 * JSON text that parses back to exactly the same data, or undefined when JSON cannot carry it
 * (`.inf`/`.nan` numbers, a `__proto__` key): those files are simply not cached.
 */
function serialiseExactly(parsed: CachedParse): string | undefined {
  let exact = true;
  const text = JSON.stringify(parsed, function (key, value: unknown) {
    if (key === '__proto__' || (typeof value === 'number' && !Number.isFinite(value))) exact = false;
    return value;
  });
  return exact ? text : undefined;
}

