// Start-up cost guard: what every verb loads before its own `run` (dist/stack.js, the program
// chunk and their static imports) must not contain the heavy packages, which verbs load lazily.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from './support/stack.js';

beforeAll(() => ensureBuilt(), 120_000);

const dist = join(repoRoot, 'dist');
const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w${},*\s]+from\s*)?["']([^"']+)["']/g;

/** Files reached from `file` through static imports only (dynamic import() is not followed). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
    const target = match[1] ?? '';
    if (target.startsWith('.')) staticClosure(resolve(dirname(file), target), seen);
    else seen.add(target);
  }
  return seen;
}

function bundledSources(files: Iterable<string>): string[] {
  const sources: string[] = [];
  for (const file of files) {
    if (!file.endsWith('.js') || !existsSync(`${file}.map`)) continue;
    sources.push(...(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources);
  }
  return sources;
}

const HEAVY = /node_modules\/(yaml|ajv|listr2|dockerode|docker-modem|chokidar|tar-fs|toposort)\//;

describe('start-up loading', () => {
  it('answers --version from dist/stack.js alone', () => {
    expect([...staticClosure(join(dist, 'stack.js'))]).toEqual([join(dist, 'stack.js')]);
  });

  it('loads no heavy package before a verb runs', () => {
    const program = readdirSync(join(dist, 'chunks')).find((name) => name.startsWith('program-') && name.endsWith('.js'));
    expect(program).toBeDefined();
    const files = staticClosure(join(dist, 'chunks', program ?? ''));
    const packages = [...files].filter((file) => !file.startsWith('/') && !file.startsWith('node:'));
    expect(packages).toEqual([]);
    const sources = bundledSources(files);
    expect(sources.some((source) => source.includes('node_modules/commander/'))).toBe(true);
    expect(sources.filter((source) => HEAVY.test(source))).toEqual([]);
  });

  it('imports no verb statically: a run loads only the verb it names, and no verb module loads a heavy package up front', () => {
    const chunks = readdirSync(join(dist, 'chunks'));
    const program = chunks.find((name) => name.startsWith('program-') && name.endsWith('.js'))!;
    const verbChunks = chunks.filter((name) => name.endsWith('.js') && bundledSources([join(dist, 'chunks', name)]).some((source) => source.includes('cli/commands/')));
    expect(verbChunks.length).toBeGreaterThanOrEqual(20);
    const fromProgram = staticClosure(join(dist, 'chunks', program));
    for (const verb of verbChunks) {
      expect(fromProgram.has(join(dist, 'chunks', verb))).toBe(false);
      const files = staticClosure(join(dist, 'chunks', verb));
      expect({ verb, heavy: bundledSources(files).filter((source) => HEAVY.test(source)) }).toEqual({ verb, heavy: [] });
    }
  });
});
