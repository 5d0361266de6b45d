// `stack config` end to end through the built CLI, on fixture folders in test/fixtures/cli/.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureBuilt, fixture, stack } from './support/stack.js';

type Model = { name: string; services: Record<string, Record<string, unknown>>; volumes?: Record<string, unknown>; networks?: Record<string, unknown> };

beforeAll(() => ensureBuilt(), 120_000);

const temps: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-cli-'));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configOf(args: string[], options: Parameters<typeof stack>[1] = {}): Model {
  const result = stack(['config', ...args], options);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return parse(result.stdout) as Model;
}

describe('stack config output', () => {
  it('prints the resolved model as YAML, interpolated from .env', () => {
    const model = configOf([], { cwd: fixture('basic') });
    expect(model.name).toBe('basic');
    expect(Object.keys(model.services).sort()).toEqual(['db', 'web']);
    expect(model.services.web?.image).toBe('busybox:latest');
    expect(model.services.web?.ports).toEqual([expect.objectContaining({ target: 80, published: '8080', host_ip: '127.0.0.1' })]);
    expect(Object.keys(model.volumes ?? {})).toEqual(['data']);
  });

  it('prints the same model as JSON with --format json', () => {
    const yaml = stack(['config'], { cwd: fixture('basic') });
    const json = stack(['config', '--format', 'json'], { cwd: fixture('basic') });
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(parse(yaml.stdout));
  });

  it('prints the same text for the same spec every time', () => {
    const first = stack(['config'], { cwd: fixture('basic') }).stdout;
    expect(stack(['config'], { cwd: fixture('basic') }).stdout).toBe(first);
  });

  it.each([
    ['--services', 'db\nweb\n'],
    ['--volumes', 'data\n'],
    ['--profiles', 'jobs\ntools\n'],
  ])('lists names one per line with %s', (flag, expected) => {
    const result = stack(['config', flag], { cwd: fixture('basic') });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(expected);
  });

  it('lists networks and images one per line', () => {
    const networks = stack(['config', '--networks'], { cwd: fixture('basic') });
    expect(networks.stdout.trim().split('\n')).toEqual(['default', 'front']);
    const images = stack(['config', '--images', '--profile', 'jobs'], { cwd: fixture('basic') });
    expect(images.stdout.trim().split('\n').sort()).toEqual(['basic-worker', 'busybox:latest', 'postgres:16']);
  });

  it('refuses two listing flags at once', () => {
    const result = stack(['config', '--services', '--volumes'], { cwd: fixture('basic') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: choose one of --services, --volumes');
  });

  it('writes to a file with -o and prints nothing', () => {
    const out = join(tempDir(), 'out.yaml');
    const result = stack(['config', '-o', out], { cwd: fixture('basic') });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(stack(['config'], { cwd: fixture('basic') }).stdout);
  });

  it('gives the same output when its output is fed back in', () => {
    const first = stack(['config'], { cwd: fixture('basic') }).stdout;
    const dir = tempDir();
    writeFileSync(join(dir, 'out.yaml'), first);
    const second = stack(['config', '-f', join(dir, 'out.yaml')], { cwd: dir });
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(first);
  });

  it('gives the same JSON when its JSON output is fed back in', () => {
    const first = stack(['config', '--format', 'json'], { cwd: fixture('basic') }).stdout;
    const dir = tempDir();
    writeFileSync(join(dir, 'out.json'), first);
    expect(stack(['config', '--format', 'json', '-f', join(dir, 'out.json')], { cwd: dir }).stdout).toBe(first);
  });

  it('prints uninterpolated data with --no-interpolate', () => {
    const result = stack(['config', '--no-interpolate'], { cwd: fixture('uninterpolated') });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('${TAG:-latest}');
    expect(result.stdout).toContain('${PORT:-8080}');
  });
});

describe('stack config -q', () => {
  it('exits 0 and prints nothing for a valid spec', () => {
    const result = stack(['config', '-q'], { cwd: fixture('basic') });
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('exits 1 and explains the problem for an invalid spec', () => {
    const result = stack(['config', '-q'], { cwd: fixture('bad') });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('services.web.imagee');
  });
});

describe('choosing the spec files', () => {
  it('merges several -f files in order, later ones overriding', () => {
    const dir = fixture('override');
    const model = configOf(['-f', 'base.yaml', '-f', 'override.yaml'], { cwd: dir });
    const app = model.services.app ?? {};
    expect(app.image).toBe('busybox:2');
    expect(app.environment).toEqual({ A: '1', B: '2' });
    expect((app.ports as unknown[]).length).toBe(2);
  });

  it('accepts global flags before the verb too', () => {
    const dir = fixture('override');
    const before = stack(['-f', 'base.yaml', 'config', '-f', 'override.yaml'], { cwd: dir });
    const after = stack(['config', '-f', 'base.yaml', '-f', 'override.yaml'], { cwd: dir });
    expect(before.status).toBe(0);
    expect(before.stdout).toBe(after.stdout);
  });

  it('reads the spec from stdin with -f -', () => {
    const spec = 'name: piped\nservices:\n  one:\n    image: busybox:stdin\n';
    const model = configOf(['-f', '-'], { cwd: tempDir(), input: spec });
    expect(model.name).toBe('piped');
    expect(model.services.one?.image).toBe('busybox:stdin');
  });

  it('takes the files from COMPOSE_FILE', () => {
    const model = configOf([], { cwd: fixture('override'), env: { COMPOSE_FILE: 'base.yaml:override.yaml' } });
    expect(model.services.app?.image).toBe('busybox:2');
  });
});

describe('project name, env files and profiles', () => {
  it('uses -p as the project name', () => {
    expect(configOf(['-p', 'other'], { cwd: fixture('basic') }).name).toBe('other');
  });

  it('rejects an invalid -p with exit status 1', () => {
    const result = stack(['-p', 'Not Valid!', 'config'], { cwd: fixture('basic') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*Not Valid!/m);
  });

  it('interpolates from .env by default and from --env-file when given', () => {
    expect(configOf([], { cwd: fixture('envfile') }).services.app?.image).toBe('busybox:dotenv');
    expect(configOf(['--env-file', 'custom.env'], { cwd: fixture('envfile') }).services.app?.image).toBe('busybox:custom');
  });

  it('lets the shell environment win over .env', () => {
    expect(configOf([], { cwd: fixture('envfile'), env: { TAG: 'shell' } }).services.app?.image).toBe('busybox:shell');
  });

  it('enables profiles with --profile or COMPOSE_PROFILES', () => {
    expect(Object.keys(configOf(['--profile', 'tools'], { cwd: fixture('basic') }).services).sort()).toEqual(['db', 'debug', 'web']);
    const fromEnv = configOf([], { cwd: fixture('basic'), env: { COMPOSE_PROFILES: 'tools,jobs' } });
    expect(Object.keys(fromEnv.services).sort()).toEqual(['db', 'debug', 'web', 'worker']);
  });

  it('restricts the output to named services and what they need, enabling their profiles', () => {
    expect(Object.keys(configOf(['web'], { cwd: fixture('basic') }).services).sort()).toEqual(['db', 'web']);
    expect(Object.keys(configOf(['debug'], { cwd: fixture('basic') }).services)).toEqual(['debug']);
  });

  it('fails on an unknown service name', () => {
    const result = stack(['config', 'nope'], { cwd: fixture('basic') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('nope');
  });
});

describe('the project cache, through the CLI', () => {
  it('a second run reuses the resolved project, and edits to any file it read, or a new override file, are seen at once', () => {
    const dir = tempDir();
    const env = { XDG_CACHE_HOME: join(dir, 'cache') };
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: "web:${TAG}"\n    env_file: [web.env]\n');
    writeFileSync(join(dir, '.env'), 'TAG=1\n');
    writeFileSync(join(dir, 'web.env'), 'MODE=one\n');
    const web = (): Record<string, unknown> => configOf(['--format', 'json'], { cwd: dir, env }).services.web!;
    expect(web()).toMatchObject({ image: 'web:1', environment: { MODE: 'one' } });
    expect(web()).toMatchObject({ image: 'web:1', environment: { MODE: 'one' } });
    expect(readdirSync(join(dir, 'cache/stack/project'))).toHaveLength(1);
    writeFileSync(join(dir, '.env'), 'TAG=2\n');
    expect(web()).toMatchObject({ image: 'web:2' });
    writeFileSync(join(dir, 'web.env'), 'MODE=two\n');
    expect(web()).toMatchObject({ environment: { MODE: 'two' } });
    writeFileSync(join(dir, 'compose.override.yaml'), 'services:\n  web:\n    image: overridden\n');
    expect(web()).toMatchObject({ image: 'overridden' });
    expect(configOf(['--format', 'json'], { cwd: dir, env: { ...env, STACK_NO_CACHE: '1' } }).services.web).toMatchObject({ image: 'overridden' });
  });
});
