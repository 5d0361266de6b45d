// The project cache (core/project-cache.ts): a reused project must be the project a load would
// make, and any change to what the load looked at (files read, files found missing, the
// environment, the options, the code) must make the next run load again.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject, type ProjectOptions } from '../../core/project-loader.js';
import { networkConfigHash, serviceConfig, volumeConfigHash } from '../../core/observe/hash.js';
import type { Project } from '../../core/model/types.js';

const repo = path.resolve(import.meta.dirname, '../..');
let dir: string;
let cacheDir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stack-project-cache-'));
  cacheDir = path.join(dir, '.cache');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function options(cwd: string, extra: Partial<ProjectOptions> = {}): ProjectOptions {
  return {
    files: [],
    envFiles: [],
    environment: { HOME: '/home/test' },
    cwd,
    interpolate: true,
    profiles: [],
    services: [],
    projectCacheDirectory: cacheDir,
    modelId: 'test-model',
    ...extra,
  };
}

/** Loads twice, letting the first run write its entry: the second is served from the cache if it can be. */
async function loadTwice(input: ProjectOptions): Promise<[LoadedProject, LoadedProject]> {
  const first = await load(input);
  return [first, await load(input)];
}

async function load(input: ProjectOptions): Promise<LoadedProject> {
  const loaded = await loadProject(input);
  // The entry is written once the loading run yields.
  await new Promise((resolve) => setImmediate(resolve));
  return loaded;
}

const reused = (loaded: LoadedProject): boolean => loaded.spec === undefined;

/** The project without its source map, which is compared through lookups instead. */
const plain = (project: Project): Omit<Project, 'sources'> => {
  const { sources: _sources, ...rest } = project;
  return rest;
};

function expectSameProject(fresh: LoadedProject, cached: LoadedProject): void {
  expect(reused(fresh)).toBe(false);
  expect(reused(cached)).toBe(true);
  expect(plain(cached.project)).toEqual(plain(fresh.project));
  expect(cached.warnings).toEqual(fresh.warnings);
  for (const [name, service] of Object.entries(fresh.project.services)) {
    const again = cached.project.services[name]!;
    expect(serviceConfig(again, cached.project)).toEqual(serviceConfig(service, fresh.project));
    expect(cached.project.sources.locate(['services', name, 'image'])).toEqual(fresh.project.sources.locate(['services', name, 'image']));
    expect(cached.project.sources.problem(['services', name], 'x').frame).toEqual(fresh.project.sources.problem(['services', name], 'x').frame);
  }
  for (const [key, network] of Object.entries(fresh.project.networks)) expect(networkConfigHash(cached.project.networks[key]!)).toBe(networkConfigHash(network));
  for (const [key, volume] of Object.entries(fresh.project.volumes)) expect(volumeConfigHash(cached.project.volumes[key]!)).toBe(volumeConfigHash(volume));
  expect(cached.graph.order()).toEqual(fresh.graph.order());
}

/** A spec that reads every kind of input: .env, env_file, a secret file, an inline config, extends, profiles. */
function writeRichProject(root: string): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, '.env'), 'TAG=1.2\nMODE=dotenv\n');
  writeFileSync(path.join(root, 'web.env'), 'GREETING=hello\n');
  writeFileSync(path.join(root, 'token.txt'), 's3cret\n');
  writeFileSync(path.join(root, 'base.yaml'), 'services:\n  base:\n    image: busybox\n    labels:\n      from: base\n');
  writeFileSync(
    path.join(root, 'compose.yaml'),
    [
      'services:',
      '  web:',
      '    extends: { file: base.yaml, service: base }',
      '    image: "web:${TAG}"',
      '    env_file: [web.env, { path: optional.env, required: false }]',
      '    environment: { MODE: "${MODE}", EMPTY: "", PASS: null }',
      '    ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp"]',
      '    volumes: ["./site:/site:ro", "data:/data", "/anon"]',
      '    secrets: [token]',
      '    configs: [{ source: motd, target: /etc/motd }]',
      '    depends_on: { db: { condition: service_healthy } }',
      '    healthcheck: { test: ["CMD", "true"], interval: 5s }',
      '    networks: { front: { aliases: [www] } }',
      '    x-note: kept',
      '  db:',
      '    image: db',
      '    command: []',
      '    healthcheck: { test: "true" }',
      '  debug:',
      '    image: tools',
      '    profiles: [debug]',
      'volumes: { data: {} }',
      'networks: { front: { driver: bridge } }',
      'secrets: { token: { file: ./token.txt } }',
      'configs: { motd: { content: "hi ${MODE}" } }',
      'x-top: { a: 1 }',
      '',
    ].join('\n'),
  );
}

describe('project cache: a reused project is the project a load makes', () => {
  it('for a spec that reads .env, env_file, secrets, configs and extends', async () => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const [fresh, cached] = await loadTwice(options(root));
    expectSameProject(fresh, cached);
    expect(cached.project.environment.MODE).toBe('dotenv');
    expect(cached.project.environment.HOME).toBe('/home/test');
  });

  it.each([
    ['test/fixtures/load/anchors', {}],
    ['test/fixtures/load/legacy-fig', {}],
    ['test/fixtures/load/discover-override', {}],
    ['test/fixtures/load/discover-parent/app/src', {}],
    ['test/fixtures/cli/override', { files: ['base.yaml', 'override.yaml'] }],
    ['test/fixtures/cli/envfile', { envFiles: ['custom.env'] }],
    ['examples/hello', {}],
    ['examples/dev-loop', { profiles: ['debug'] }],
  ] as const)('for %s', async (fixture, extra) => {
    const [fresh, cached] = await loadTwice(options(path.join(repo, fixture), { ...extra, files: [...(('files' in extra && extra.files) || [])], envFiles: [...(('envFiles' in extra && extra.envFiles) || [])], profiles: [...(('profiles' in extra && extra.profiles) || [])] }));
    expectSameProject(fresh, cached);
  });

  it('for a spec that includes another project with its own .env', async () => {
    const root = path.join(dir, 'with-include');
    mkdirSync(path.join(root, 'db'), { recursive: true });
    writeFileSync(path.join(root, 'compose.yaml'), 'include: [db/compose.yaml]\nservices:\n  web:\n    image: web\n    depends_on: [db]\n');
    writeFileSync(path.join(root, 'db/compose.yaml'), 'services:\n  db:\n    image: "db:${DB_TAG}"\n');
    writeFileSync(path.join(root, 'db/.env'), 'DB_TAG=16\n');
    const [fresh, cached] = await loadTwice(options(root));
    expectSameProject(fresh, cached);
    expect(cached.project.services.db!.image).toBe('db:16');
    writeFileSync(path.join(root, 'db/.env'), 'DB_TAG=17\n');
    const after = await load(options(root));
    expect(reused(after)).toBe(false);
    expect(after.project.services.db!.image).toBe('db:17');
  });

  it('keeps the shell environment out of the entry, and the entry to its owner', async () => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    await loadTwice(options(root, { environment: { HOME: '/home/test', API_TOKEN: 'do-not-store-me' } }));
    const [entry] = readdirSync(cacheDir);
    const file = path.join(cacheDir, entry!);
    expect(readFileSync(file, 'utf8')).not.toContain('do-not-store-me');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('project cache: what makes the next run load again', () => {
  const changes: [string, (root: string) => void][] = [
    ['the spec file is edited', (root) => writeFileSync(path.join(root, 'compose.yaml'), readFileSync(path.join(root, 'compose.yaml'), 'utf8').replace('image: db', 'image: db2'))],
    ['an extended file is edited', (root) => writeFileSync(path.join(root, 'base.yaml'), 'services:\n  base:\n    image: busybox\n    labels:\n      from: changed\n')],
    ['the .env file is edited', (root) => writeFileSync(path.join(root, '.env'), 'TAG=1.3\nMODE=dotenv\n')],
    ['an env_file is edited', (root) => writeFileSync(path.join(root, 'web.env'), 'GREETING=bye\n')],
    ['an optional env_file appears', (root) => writeFileSync(path.join(root, 'optional.env'), 'EXTRA=1\n')],
    ['a secret file is edited', (root) => writeFileSync(path.join(root, 'token.txt'), 'rotated\n')],
    ['an override file appears next to the spec', (root) => writeFileSync(path.join(root, 'compose.override.yaml'), 'services:\n  db:\n    image: other\n')],
  ];

  it.each(changes)('%s', async (_what, change) => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const [, cached] = await loadTwice(options(root));
    expect(reused(cached)).toBe(true);
    change(root);
    const after = await load(options(root));
    expect(reused(after)).toBe(false);
    const again = await load(options(root));
    expect(reused(again)).toBe(true);
    expect(plain(again.project)).toEqual(plain(after.project));
  });

  it('a spec file appearing in a parent directory before any was found there is seen', async () => {
    // Discovery looked at cwd first: a compose.yaml created there now wins over the parent's.
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const sub = path.join(root, 'sub');
    mkdirSync(sub);
    const [, cached] = await loadTwice(options(sub));
    expect(reused(cached)).toBe(true);
    writeFileSync(path.join(sub, 'compose.yaml'), 'services:\n  only:\n    image: x\n');
    const after = await load(options(sub));
    expect(reused(after)).toBe(false);
    expect(Object.keys(after.project.services)).toEqual(['only']);
  });

  it.each<[string, Partial<ProjectOptions>]>([
    ['a variable of the shell changes', { environment: { HOME: '/home/test', MODE: 'shell' } }],
    ['a profile is enabled', { profiles: ['debug'] }],
    ['services are named', { services: ['db'] }],
    ['the project name is given', { projectName: 'other' }],
    ['another build of the model code runs', { modelId: 'next-model' }],
  ])('%s', async (_what, extra) => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const [, cached] = await loadTwice(options(root));
    expect(reused(cached)).toBe(true);
    expect(reused(await load(options(root, extra)))).toBe(false);
  });

  /** Rewrites the one entry's header (the test's stand-in for time passing). */
  function editHeader(change: (header: { readAt: number; inputs: [string, string, string | null, number[] | null][] }) => void): void {
    const [entry] = readdirSync(cacheDir);
    const file = path.join(cacheDir, entry!);
    const [head, ...rest] = readFileSync(file, 'utf8').split('\n');
    const header = JSON.parse(head!);
    change(header);
    writeFileSync(file, [JSON.stringify(header), ...rest].join('\n'));
  }

  it('a file unchanged since well before the load is trusted by its stat; a same-size rewrite with its mtime put back is still seen', async () => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    await load(options(root));
    // Long after the files settled: a wrong fingerprint is never looked at while the stat is the same.
    editHeader((header) => {
      header.readAt += 60_000;
      for (const input of header.inputs) if (input[2] !== null) input[2] = 'f'.repeat(32);
    });
    expect(reused(await load(options(root)))).toBe(true);
    const env = path.join(root, 'web.env');
    const { mtime, atime } = statSync(env);
    writeFileSync(env, 'GREETING=hallo\n');
    utimesSync(env, atime, mtime);
    expect(reused(await load(options(root)))).toBe(false);
  });

  it('a damaged entry is loaded again, not trusted', async () => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const [fresh] = await loadTwice(options(root));
    for (const entry of readdirSync(cacheDir)) writeFileSync(path.join(cacheDir, entry), '{"inputs":[]}\nnot json\n');
    const after = await load(options(root));
    expect(reused(after)).toBe(false);
    expect(plain(after.project)).toEqual(plain(fresh.project));
  });

  it('an entry cut short (a full disk, another writer) is loaded again, not trusted', async () => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const [fresh] = await loadTwice(options(root));
    for (const entry of readdirSync(cacheDir)) {
      const text = readFileSync(path.join(cacheDir, entry), 'utf8');
      // Header and project whole, the positions line gone: the line count tells.
      writeFileSync(path.join(cacheDir, entry), text.slice(0, text.lastIndexOf('\n')));
    }
    const after = await load(options(root));
    expect(reused(after)).toBe(false);
    expect(plain(after.project)).toEqual(plain(fresh.project));
    // Loaded again, then stored again: the next run is served from the new entry.
    expect(reused(await load(options(root)))).toBe(true);
  });

  it('nothing is cached without a directory, without a model stamp, or for a spec read from stdin', async () => {
    const root = path.join(dir, 'rich');
    writeRichProject(root);
    const { projectCacheDirectory: _dir, ...noDirectory } = options(root);
    expect(reused((await loadTwice(noDirectory))[1])).toBe(false);
    const { modelId: _id, ...noStamp } = options(root);
    expect(reused((await loadTwice(noStamp))[1])).toBe(false);
    const stdin = options(root, { files: ['-'], readStdin: async () => 'services:\n  a:\n    image: x\n' });
    expect(reused((await loadTwice(stdin))[1])).toBe(false);
    expect(() => readdirSync(cacheDir)).toThrow();
  });
});

describe('project cache: a reused project still explains errors', () => {
  it('positions point into the spec with a code frame', async () => {
    const root = path.join(dir, 'copy');
    cpSync(path.join(repo, 'examples/hello'), root, { recursive: true });
    const [, cached] = await loadTwice(options(root));
    const service = Object.keys(cached.project.services)[0]!;
    const problem = cached.project.sources.problem(['services', service, 'image'], 'no such image');
    expect(problem.location?.file).toBe('compose.yaml');
    expect(problem.location?.line).toBeGreaterThan(1);
    expect(problem.frame).toContain('image');
  });
});
