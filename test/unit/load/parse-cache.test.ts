import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

/** The cache's entries (the folder of recent texts beside them is not one). */
const entriesIn = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.json'));
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isOverride, isReset } from '../../../core/load/markers.js';
import { defaultCacheDirectories } from '../../../core/load/cache-location.js';
import { diskParseCache, reuseParse } from '../../../core/load/parse-cache.js';
import { parseSpec } from '../../../core/load/parse.js';

// Many services, so that positions deep in the file are compared.
function bigSpec(extra = ''): string {
  let text = 'services:\n';
  for (let i = 0; i < 120; i++) text += `  svc${i}:\n    image: busybox\n    environment:\n      N: "${i}"\n`;
  return text + extra;
}

const dirs: string[] = [];
function cacheDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stack-parse-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('parse cache', () => {
  it('reuseParse answers from the cache alone (no parser), with tags and positions, and misses otherwise', () => {
    const dir = cacheDir();
    const text = bigSpec('  tagged:\n    image: busybox\n    environment: !reset {}\n');
    expect(reuseParse(text, 'compose.yaml', diskParseCache(dir))).toBeUndefined();
    expect(reuseParse(text, 'compose.yaml', undefined)).toBeUndefined();
    const fresh = parseSpec(text, 'compose.yaml', diskParseCache(dir));
    const reused = reuseParse(`\ufeff${text}`, 'compose.yaml', diskParseCache(dir))!;
    expect(isReset((reused.data.services as Record<string, Record<string, unknown>>).tagged!.environment)).toBe(true);
    expect(reused.sources.locate(['services', 'svc3', 'image'])).toEqual(fresh.sources.locate(['services', 'svc3', 'image']));
  });

  it('gives the same data, tags and positions as a fresh parse', () => {
    const dir = cacheDir();
    const text = bigSpec('  tagged:\n    image: busybox\n    environment: !reset {}\n    labels: !override\n      a: b\n');
    const fresh = parseSpec(text, 'compose.yaml');
    const first = parseSpec(text, 'compose.yaml', diskParseCache(dir));
    expect(entriesIn(dir)).toHaveLength(1);
    const cached = parseSpec(text, 'compose.yaml', diskParseCache(dir));

    for (const parsed of [first, cached]) {
      const tagged = (parsed.data.services as Record<string, Record<string, unknown>>).tagged!;
      expect(isReset(tagged.environment)).toBe(true);
      expect(isOverride(tagged.labels)).toBe(true);
      expect(JSON.stringify(parsed.data)).toEqual(JSON.stringify(fresh.data));
      expect(parsed.sources.locate(['services', 'svc77', 'environment', 'N'])).toEqual(fresh.sources.locate(['services', 'svc77', 'environment', 'N']));
      expect(parsed.sources.locate(['services', 'tagged', 'labels'], 'key')).toEqual(fresh.sources.locate(['services', 'tagged', 'labels'], 'key'));
    }
  });

  it('keys entries by file name too, since locations carry it', () => {
    const dir = cacheDir();
    const text = bigSpec();
    parseSpec(text, 'a.yaml', diskParseCache(dir));
    const other = parseSpec(text, 'b.yaml', diskParseCache(dir));
    expect(other.sources.locate(['services', 'svc1'])?.file).toBe('b.yaml');
  });

  it('parses again when an entry is corrupt', () => {
    const dir = cacheDir();
    const text = bigSpec();
    parseSpec(text, 'compose.yaml', diskParseCache(dir));
    for (const name of entriesIn(dir)) writeFileSync(path.join(dir, name), '{"data": [truncated');
    const parsed = parseSpec(text, 'compose.yaml', diskParseCache(dir));
    expect((parsed.data.services as Record<string, unknown>).svc3).toBeDefined();
  });

  it('decodes positions only when asked; damaged positions fall back to the file as a whole', () => {
    const dir = cacheDir();
    const text = bigSpec();
    parseSpec(text, 'compose.yaml', diskParseCache(dir));
    for (const name of entriesIn(dir)) {
      const stored = readFileSync(path.join(dir, name), 'utf8');
      writeFileSync(path.join(dir, name), `${stored.slice(0, stored.indexOf('\n'))}\n{"keys": [trunc`);
    }
    const reused = reuseParse(text, 'compose.yaml', diskParseCache(dir))!;
    expect((reused.data.services as Record<string, unknown>).svc3).toBeDefined();
    expect(reused.sources.locate(['services', 'svc3', 'image'])).toEqual({ file: 'compose.yaml', line: 1, col: 1 });
  });

  it('does not cache what JSON cannot carry exactly (.inf)', () => {
    const dir = cacheDir();
    parseSpec(bigSpec('x-limits:\n  max: .inf\n'), 'compose.yaml', diskParseCache(dir));
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache, and STACK_NO_CACHE turns it off', () => {
    expect(defaultCacheDirectories({ XDG_CACHE_HOME: '/x' }, '/home/u')).toEqual({ parse: '/x/stack/parse', valid: '/x/stack/valid', code: '/x/stack/code', project: '/x/stack/project' });
    expect(defaultCacheDirectories({}, '/home/u')?.parse).toBe('/home/u/.cache/stack/parse');
    expect(defaultCacheDirectories({ STACK_NO_CACHE: '1' }, '/home/u')).toBeUndefined();
  });
});
