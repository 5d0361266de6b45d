// Start-up cost guard on the built CLI's layout (scripts/build.mjs): the launcher loads nothing
// but Node built-ins, each verb has a bundle of its own that holds no other verb, and the heavy
// packages stay in vendor files that a bundle requires only where it uses them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_HEAD } from '../../../cli/bundle-loader.js';
import { VERBS } from '../../../cli/verbs.js';
import { ensureBuilt, repoRoot } from './support/stack.js';

beforeAll(() => ensureBuilt(), 120_000);

const dist = join(repoRoot, 'dist');
const REQUIRE = /\brequire\("([^"]+)"\)/g;
const HEAVY = /node_modules\/(yaml|ajv|listr2|dockerode|docker-modem|chokidar|tar-fs|@balena\/dockerignore)\//;

/** Verbs whose run calls another verb's code: `up --watch` runs watch's loop. */
const USES: Record<string, string[]> = { up: ['watch'] };

const read = (file: string): string => readFileSync(join(dist, file), 'utf8');
const requiresOf = (file: string): string[] => [...read(file).matchAll(REQUIRE)].map((match) => match[1] ?? '');
const sourcesOf = (file: string): string[] => (JSON.parse(read(`${file}.map`)) as { sources: string[] }).sources;

/** The manifest the build inlined into the launcher: verb -> bundle. */
function manifest(): { verbs: Record<string, string>; all: string } {
  const bundles = readdirSync(join(dist, 'cli')).filter((name) => name.endsWith('.cjs'));
  const launcher = read('stack.cjs');
  const verbs = Object.fromEntries(Object.keys(VERBS).map((verb) => [verb, bundles.find((name) => name.startsWith(`${verb}-`) && launcher.includes(`cli/${name}`))]));
  return { verbs: verbs as Record<string, string>, all: bundles.find((name) => name.startsWith('all-verbs-')) ?? '' };
}

describe('start-up loading', () => {
  it('the launcher requires Node built-ins only', () => {
    expect(requiresOf('stack.cjs').filter((id) => !id.startsWith('node:'))).toEqual([]);
  });

  it('every file of cli/commands is a verb with a bundle the launcher knows', () => {
    const files = readdirSync(join(repoRoot, 'cli/commands')).filter((name) => name.endsWith('.ts')).map((name) => name.slice(0, -3));
    expect(Object.keys(VERBS).sort()).toEqual(files.sort());
    const { verbs, all } = manifest();
    for (const verb of files) expect({ verb, bundle: verbs[verb] }).toEqual({ verb, bundle: expect.stringMatching(/\.cjs$/) });
    expect(read('stack.cjs')).toContain(`cli/${all}`);
  });

  it('every bundle and vendor file is stored wrapped in the module function the loader compiles as read', () => {
    const files = [
      ...readdirSync(join(dist, 'cli')).map((name) => join('cli', name)),
      ...readdirSync(join(dist, 'cli', 'vendor')).map((name) => join('cli', 'vendor', name)),
    ].filter((file) => file.endsWith('.cjs'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = read(file);
      expect({ file, head: text.slice(0, BUNDLE_HEAD.length + 1), tail: text.slice(-4) }).toEqual({ file, head: `${BUNDLE_HEAD}\n`, tail: '\n});' });
      // The map has an empty first line for the wrapper's: its lines are the bundle's.
      expect({ file, first: (JSON.parse(read(`${file}.map`)) as { mappings: string }).mappings[0] }).toEqual({ file, first: ';' });
    }
  });

  it("a verb's bundle holds that verb alone (and what it calls) and no heavy package; it requires them from vendor files", () => {
    for (const [verb, bundle] of Object.entries(manifest().verbs)) {
      const sources = sourcesOf(join('cli', bundle));
      const commands = sources.filter((source) => source.includes('cli/commands/')).map((source) => source.replace(/^.*cli\/commands\/(.*)\.ts$/, '$1'));
      expect({ verb, commands: commands.sort() }).toEqual({ verb, commands: [verb, ...(USES[verb] ?? [])].sort() });
      expect({ verb, heavy: sources.filter((source) => HEAVY.test(source)) }).toEqual({ verb, heavy: [] });
      const local = requiresOf(join('cli', bundle)).filter((id) => id.startsWith('.'));
      expect({ verb, local: local.filter((id) => !/^\.\/vendor\/[\w-]+-[A-Z0-9]{8}\.cjs$/.test(id)) }).toEqual({ verb, local: [] });
    }
  });
});
