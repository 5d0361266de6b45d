// pull_policy decisions, and the pull/push/build operations against a fake engine: which images,
// in parallel within the limit, failures as warnings when asked, and no secret in any event or error.
import { describe, expect, it } from 'vitest';
import type { Engine, ImageInfo, PullProgress, RegistryAuth } from '../../../core/engine/engine.js';
import { EngineError, StackError } from '../../../core/errors.js';
import { RecordingSink } from '../../../core/events.js';
import type { Project, Service } from '../../../core/model/types.js';
import { build, buildableServices } from '../../../core/ops/build.js';
import { parseDuration, pullDecision, PullTally, refreshIntervalMs } from '../../../core/ops/images-policy.js';
import { pull } from '../../../core/ops/pull.js';
import { push, pushTargets } from '../../../core/ops/push.js';
import { parseBuildArgs } from '../../../cli/commands/build.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const SECRET = 'hunter2-very-secret';

describe('pullDecision', () => {
  const local = (ageMs: number): Pick<ImageInfo, 'created' | 'lastTagTime'> => ({ created: 0, lastTagTime: Math.floor((NOW - ageMs) / 1000) });
  it.each([
    ['always', local(0), true],
    ['never', undefined, false],
    ['build', undefined, false],
    ['missing', undefined, true],
    ['missing', local(0), false],
    ['if_not_present', local(0), false],
    ['daily', undefined, true],
    ['daily', local(25 * 3600_000), true],
    ['daily', local(3600_000), false],
    ['weekly', local(6 * 86400_000), false],
    ['weekly', local(8 * 86400_000), true],
    ['every_12h', local(13 * 3600_000), true],
    ['every_12h', local(11 * 3600_000), false],
  ] as const)('%s with local %o -> pull %s', (policy, image, expected) => {
    expect(pullDecision(policy, image, NOW).pull).toBe(expected);
  });

  it('uses the creation time when the image was never tagged here', () => {
    expect(pullDecision('daily', { created: Math.floor((NOW - 2 * 86400_000) / 1000) }, NOW).pull).toBe(true);
  });

  it('reads durations as compose-go does', () => {
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('2d')).toBe(2 * 86400_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(refreshIntervalMs('missing')).toBeUndefined();
  });
});

describe('PullTally', () => {
  it('sums bytes and counts layers across a pull', () => {
    const tally = new PullTally();
    const events: PullProgress[] = [
      { status: 'Pulling from team/app', id: '1' },
      { status: 'Pulling fs layer', id: 'a' },
      { status: 'Pulling fs layer', id: 'b' },
      { status: 'Downloading', id: 'a', current: 50, total: 100 },
      { status: 'Downloading', id: 'b', current: 10, total: 200 },
      { status: 'Pull complete', id: 'a' },
    ];
    for (const e of events) tally.add(e);
    expect(tally.summary()).toEqual({ current: 110, total: 300, layersDone: 1, layers: 2 });
  });
});

describe('parseBuildArgs', () => {
  it('takes K=V as is and K alone from the environment', () => {
    expect(parseBuildArgs(['A=1', 'B=x=y', 'HOME_DIR', 'UNSET'], { HOME_DIR: '/h' })).toEqual({ A: '1', B: 'x=y', HOME_DIR: '/h' });
  });
});

// ---- operations over a fake engine ----

function service(name: string, extra: Partial<Service> = {}): Service {
  return { name, environment: {}, labels: {}, ports: [], expose: [], networks: {}, links: [], external_links: [], dns: [], dns_search: [], dns_opt: [], extra_hosts: [], volumes: [], volumes_from: [], tmpfs: [], depends_on: {}, scale: 1, ...extra } as unknown as Service;
}

function project(services: Service[]): Project {
  return { name: 'proj', services: Object.fromEntries(services.map((s) => [s.name, s])), networks: {}, volumes: {}, secrets: {}, configs: {}, warnings: [] } as unknown as Project;
}

interface FakeEngine {
  engine: Engine;
  pulls: { image: string; auth?: RegistryAuth }[];
  pushes: string[];
  maxInFlight: () => number;
}

function fakeEngine(behaviour: { present?: string[]; failPull?: Record<string, Error>; failPush?: Record<string, Error> } = {}): FakeEngine {
  const pulls: { image: string; auth?: RegistryAuth }[] = [];
  const pushes: string[] = [];
  let inFlight = 0;
  let max = 0;
  const slow = async <T>(fn: () => T): Promise<T> => {
    inFlight++;
    max = Math.max(max, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    return fn();
  };
  const engine = {
    inspectImage: async (reference: string) => (behaviour.present?.includes(reference) ? ({ id: `sha256:${reference}`, repoTags: [reference], repoDigests: [], created: NOW / 1000, size: 1, labels: {} } as ImageInfo) : undefined),
    pullImage: (image: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void }) =>
      slow(() => {
        pulls.push({ image, ...(options.auth ? { auth: options.auth } : {}) });
        options.onProgress?.({ status: 'Downloading', id: 'l1', current: 5, total: 10 });
        const failure = behaviour.failPull?.[image];
        if (failure) throw failure;
      }),
    pushImage: (image: string) =>
      slow(() => {
        pushes.push(image);
        const failure = behaviour.failPush?.[image];
        if (failure) throw failure;
      }),
  } as unknown as Engine;
  return { engine, pulls, pushes, maxInFlight: () => max };
}

const bob: RegistryAuth = { serveraddress: '127.0.0.1:5001', username: 'bob', password: SECRET };
const authFor = async (image: string): Promise<RegistryAuth | undefined> => (image.startsWith('127.0.0.1:5001/') ? bob : undefined);

describe('pull', () => {
  it('pulls each image once, skips what has no image or must not be pulled, and honours the parallel limit', async () => {
    const fake = fakeEngine({ present: ['cached:1'] });
    const sink = new RecordingSink();
    const p = project([
      service('a', { image: 'shared:1' }),
      service('b', { image: 'shared:1' }),
      service('c', { image: 'own:1' }),
      service('d', { image: 'other:1' }),
      service('built', { build: { context: '/x', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } }),
      service('never', { image: 'never:1', pull_policy: 'never' }),
      service('cached', { image: 'cached:1', pull_policy: 'missing' }),
    ]);
    const result = await pull({ engine: fake.engine, project: p, sink, parallel: 2, auth: authFor });
    expect(fake.pulls.map((x) => x.image).sort()).toEqual(['other:1', 'own:1', 'shared:1']);
    expect(result.pulled.find((x) => x.image === 'shared:1')?.services).toEqual(['a', 'b']);
    expect(result.skipped.map((x) => `${x.image}: ${x.reason}`).sort()).toEqual(['cached:1: image is already present locally', 'never:1: pull_policy: never', 'proj-built: no image to be pulled']);
    expect(fake.maxInFlight()).toBe(2);
    expect(sink.events.some((e) => e.resource === 'own:1' && e.action === 'Pulled' && e.status === 'done')).toBe(true);
    expect(sink.events.some((e) => e.resource === 'own:1' && e.action === 'Pulling' && e.progress !== undefined)).toBe(true);
  });

  it('--policy missing skips what is present', async () => {
    const fake = fakeEngine({ present: ['a:1'] });
    await pull({ engine: fake.engine, project: project([service('a', { image: 'a:1' }), service('b', { image: 'b:1' })]), policy: 'missing', auth: authFor });
    expect(fake.pulls.map((x) => x.image)).toEqual(['b:1']);
  });

  it('sends credentials to the engine but never into events or errors', async () => {
    const rejected = new EngineError({ operation: 'pull image', resource: '127.0.0.1:5001/a:1', message: 'unauthorized: authentication required' });
    const fake = fakeEngine({ failPull: { '127.0.0.1:5001/a:1': rejected } });
    const sink = new RecordingSink();
    const error = (await pull({ engine: fake.engine, project: project([service('a', { image: '127.0.0.1:5001/a:1' }), service('b', { image: 'b:1' })]), sink, auth: authFor }).catch((e: unknown) => e)) as StackError;
    expect(fake.pulls.find((x) => x.image === '127.0.0.1:5001/a:1')?.auth?.password).toBe(SECRET);
    expect(error.message).toBe('registry 127.0.0.1:5001 rejected the credentials for user bob');
    // The other image was pulled all the same.
    expect(fake.pulls.map((x) => x.image)).toContain('b:1');
    const printed = [JSON.stringify(sink.events), error.message, error.hint ?? '', JSON.stringify(error)].join('\n');
    expect(printed).not.toContain(SECRET);
  });

  it('--ignore-pull-failures turns failures into warnings; a buildable service warns anyway', async () => {
    const missing = new EngineError({ operation: 'pull image', message: 'manifest for x not found: manifest unknown', statusCode: 404 });
    const fake = fakeEngine({ failPull: { 'nope:1': missing, 'mine:1': missing } });
    const p = project([service('a', { image: 'nope:1' })]);
    const result = await pull({ engine: fake.engine, project: p, ignoreFailures: true, auth: authFor });
    expect(result.warnings).toEqual(['pull access denied or image not found: nope:1']);
    const buildable = project([service('m', { image: 'mine:1', build: { context: '/x', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } })]);
    const second = await pull({ engine: fake.engine, project: buildable, auth: authFor });
    expect(second.warnings).toEqual(['m can be built instead: pull access denied or image not found: mine:1']);
  });
});

describe('push', () => {
  const buildConfig = (tags: string[] = []) => ({ context: '/x', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags });

  it('pushes built and named images with their extra tags; not image-only or build-only services', () => {
    const p = project([service('a', { image: 'r/a:1', build: buildConfig(['r/a:latest']) }), service('b', { image: 'r/b:1' }), service('c', { build: buildConfig() })]);
    expect([...pushTargets(p).keys()]).toEqual(['r/a:1', 'r/a:latest']);
  });

  it('--ignore-push-failures warns and carries on', async () => {
    const fake = fakeEngine({ failPush: { 'r/a:1': new EngineError({ operation: 'push image', message: 'An image does not exist locally with the tag: r/a' }) } });
    const p = project([service('a', { image: 'r/a:1', build: buildConfig() }), service('b', { image: 'r/b:1', build: buildConfig() })]);
    const result = await push({ engine: fake.engine, project: p, ignoreFailures: true, auth: authFor });
    expect(result.pushed.map((x) => x.image)).toEqual(['r/b:1']);
    expect(result.warnings).toEqual(['image r/a:1 does not exist locally, so it cannot be pushed']);
  });
});

describe('build', () => {
  it('builds only services with build:, warns about named ones without, and refuses unknown names', async () => {
    const built: string[] = [];
    const engine = { buildImage: async (_c: unknown, o: { tags: string[] }) => (built.push(o.tags[0]!), {}) } as unknown as Engine;
    const p = project([service('img', { image: 'x:1' }), service('web', { build: { context: '/nonexistent', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } })]);
    expect(buildableServices(p)).toEqual(['web']);
    await expect(build({ engine, project: p, services: ['nope'] })).rejects.toThrow('no such service: nope');
    const error = (await build({ engine, project: p, services: ['img', 'web'] }).catch((e: unknown) => e)) as StackError;
    // The context folder does not exist: the failure names the service and nothing was sent.
    expect(error.message).toBe('service web: build context /nonexistent does not exist');
    expect(built).toEqual([]);
  });
});
