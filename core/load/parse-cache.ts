// A content-addressed cache of parsed spec files. Parsing YAML with positions is the slowest step
// of loading a large spec, and a CLI always parses cold (no JIT warm-up): on a 200-service file
// it costs more than everything else `stack config` does together, and even a small file costs
// loading the YAML library (~20 ms), which a hit avoids. The parse of a file depends
// only on its text and its display name, so the result is stored under their hash and reused
// while the file is unchanged. Any failure to read or write the cache just means parsing again.
import { sha256Hex } from '../digests.js';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { maybePrune } from '../cache-pruning.js';
import { isMapping, type Mapping } from './data.js';
import { applyTags } from './markers.js';
import { SourceMap, type SourceEntry } from './source-map.js';
import { packSourceEntries, serialiseExactly, unpackSourceEntries } from './source-packing.js';
import { applyScalarEdit } from './scalar-edit.js';

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
  return { data: cached.data, sources: SourceMap.lazy([[file, source]], cached.entries), tagged: cached.tags.length > 0 };
}

/**
 * The parse of `text` made from a recent parse of a text one simple value away
 * (core/load/scalar-edit.ts), then stored as a parse of its own; undefined when no recent text of
 * the same folder is one such edit away. Needs neither the YAML library nor a parse either.
 */
export function reuseEditedParse(text: string, file: string, cache: ParseCache | undefined): ParsedSpec | undefined {
  if (cache?.recent === undefined) return undefined;
  const source = withoutBom(text);
  for (const base of cache.recent(file)) {
    if (base.text === source) continue;
    const previous = cache.get(base.text, base.file);
    if (previous === undefined) continue;
    const patched = applyScalarEdit({ previousText: base.text, previousFile: base.file, previous: { ...previous, entries: previous.entries() }, text: source, file });
    if (patched === undefined || !isMapping(patched.data)) continue;
    // Stored once the command yields (it serialises the data before anything changes it).
    const stored = JSON.stringify(patched.data);
    setImmediate(() => cache.set(source, file, { data: JSON.parse(stored) as unknown, tags: [], entries: patched.entries() }));
    return { data: patched.data, sources: SourceMap.lazy([[file, source]], patched.entries), tagged: false };
  }
  return undefined;
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
  /** The texts last stored for files of the folder of `file` (one per file, newest first): bases for reuseEditedParse. */
  recent?(file: string): { file: string; text: string }[];
}

/** Files per folder whose last text is kept as a base for edits. */
const RECENT_FILES = 3;

/** Bump when the parse output or its serialisation changes, so old entries are never read. */
const FORMAT = 'stack-parse-v3';

/**
 * An entry is two lines of JSON: the data and tags, then the positions, packed
 * (core/load/source-packing.ts) and parsed only when a position is asked for.
 */
export function diskParseCache(directory: string): ParseCache {
  const fileFor = (text: string, file: string): string =>
    path.join(directory, `${sha256Hex(FORMAT, '\0', file, '\0', text)}.json`);
  // Written beside the entries, in a folder of its own so that pruning never counts it.
  const recentFor = (file: string): string => path.join(directory, 'recent', `${sha256Hex(FORMAT, '\0', path.dirname(file))}.json`);
  const recent = (file: string): { file: string; text: string }[] => {
    try {
      const stored = JSON.parse(readFileSync(recentFor(file), 'utf8')) as unknown;
      return Array.isArray(stored) ? stored.filter((item): item is { file: string; text: string } => typeof item?.file === 'string' && typeof item?.text === 'string') : [];
    } catch {
      return [];
    }
  };
  const remember = (text: string, file: string): void => {
    const target = recentFor(file);
    mkdirSync(path.dirname(target), { recursive: true });
    const kept = [{ file, text }, ...recent(file).filter((item) => item.file !== file)].slice(0, RECENT_FILES);
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(kept), { mode: 0o600 });
    renameSync(temporary, target);
    // One file per folder ever parsed: trimmed like the entries.
    maybePrune(path.dirname(target));
  };
  return {
    recent,
    get(text, file) {
      try {
        const stored = readFileSync(fileFor(text, file), 'utf8');
        const split = stored.indexOf('\n');
        const { data, tags } = JSON.parse(stored.slice(0, split)) as Omit<CachedParse, 'entries'>;
        return { data, tags, entries: () => unpackSourceEntries(stored.slice(split + 1), file) };
      } catch {
        return undefined;
      }
    },
    set(text, file, parsed) {
      const head = serialiseExactly({ data: parsed.data, tags: parsed.tags });
      if (head === undefined) return;
      const positions = packSourceEntries(parsed.entries);
      try {
        mkdirSync(directory, { recursive: true });
        const target = fileFor(text, file);
        // Write then rename: a concurrent reader sees the whole entry or none.
        const temporary = `${target}.${process.pid}.tmp`;
        writeFileSync(temporary, `${head}\n${positions}`);
        renameSync(temporary, target);
        remember(text, file);
        maybePrune(directory);
      } catch {
        // A read-only or full disk only costs the next run a parse.
      }
    },
  };
}
