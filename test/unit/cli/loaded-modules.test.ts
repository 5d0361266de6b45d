// What the fast paths load, checked on real runs of the built CLI (loading code is most of a
// short command's cost): a spec that was loaded before needs neither the YAML parser nor the
// schema validator, and the list verbs never load dockerode.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadedModules, recordingLoads, type LoadedModules } from '../../support/loaded-modules.js';
import { ensureBuilt, stack } from './support/stack.js';

beforeAll(() => ensureBuilt(), 120_000);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-loaded-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function bigSpec(count: number): string {
  let text = 'services:\n';
  for (let i = 0; i < count; i++) text += `  svc${i}:\n    image: busybox\n    command: ["sleep", "3600"]\n    environment:\n      N: "${i}"\n`;
  return text;
}

// The precompiled schema validator and the YAML parser live in vendor files of their own.
const VALIDATOR = 'vendor/validator';
const YAML = 'vendor/yaml';

function run(args: string[], log: string): { status: number | null; stderr: string } & LoadedModules {
  const recording = recordingLoads(log);
  const result = stack(args, { cwd: dir, nodeArgs: recording.nodeArgs, env: { ...recording.env, XDG_CACHE_HOME: join(dir, 'cache') } });
  return { status: result.status, stderr: result.stderr, ...loadedModules(log) };
}

describe('modules loaded by a run', () => {
  it('config -q: the YAML parser and the schema validator on the first run only; the second is served by the caches', async () => {
    await writeFile(join(dir, 'compose.yaml'), bigSpec(50));
    const first = run(['config', '-q'], join(dir, 'first.log'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.bundles).toEqual(['config', VALIDATOR, YAML]);
    expect(first.packages).toContain('yaml');
    const second = run(['config', '-q'], join(dir, 'second.log'));
    expect(second.status, second.stderr).toBe(0);
    expect(second.bundles).toEqual(['config']);
    expect(second.packages).not.toContain('yaml');
    expect(second.sources).toContain('core/load/index.ts');
    // An edit is a new spec: parsed and validated again.
    await writeFile(join(dir, 'compose.yaml'), bigSpec(51));
    const third = run(['config', '-q'], join(dir, 'third.log'));
    expect(third.bundles).toEqual(['config', VALIDATOR, YAML]);
  });

  it('an edit of one simple value is patched into the last parse (core/load/scalar-edit.ts): validated again, not parsed again', async () => {
    await writeFile(join(dir, 'compose.yaml'), bigSpec(50));
    expect(run(['config', '-q'], join(dir, 'first.log')).bundles).toEqual(['config', VALIDATOR, YAML]);
    await writeFile(join(dir, 'compose.yaml'), bigSpec(50).replace('N: "7"', 'N: "seven"'));
    const edited = run(['config', '-q'], join(dir, 'edited.log'));
    expect(edited.status, edited.stderr).toBe(0);
    expect(edited.bundles).toEqual(['config', VALIDATOR]);
    const printed = JSON.parse(stack(['config', '--format', 'json'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } }).stdout);
    expect(printed.services.svc7.environment).toEqual({ N: 'seven' });
    // A structural edit is parsed.
    await writeFile(join(dir, 'compose.yaml'), bigSpec(50).replace('N: "7"', 'N: "7"\n      M: "8"'));
    expect(run(['config', '-q'], join(dir, 'structural.log')).bundles).toEqual(['config', VALIDATOR, YAML]);
  });

  it('an invalid spec is reported again on every run, never taken from the cache', async () => {
    await writeFile(join(dir, 'compose.yaml'), `${bigSpec(50)}  bad:\n    imagee: x\n`);
    for (const name of ['a.log', 'b.log']) {
      const result = run(['config', '-q'], join(dir, name));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('imagee');
    }
  });

  it('ps loads neither dockerode nor the spec libraries', () => {
    const result = run(['-p', 'nothing-here', 'ps'], join(dir, 'ps.log'));
    // The engine may or may not run where unit tests run: either answer is fine, the loading is what counts.
    expect([0, 1, 2, 3, 4, 5]).toContain(result.status);
    expect(result.bundles).toEqual(['ps']);
    for (const heavy of ['dockerode', 'docker-modem', 'ssh2', 'yaml', 'ajv', 'listr2', 'chokidar', 'tar-fs']) expect(result.packages).not.toContain(heavy);
    expect(result.packages).toContain('commander');
  });
});
