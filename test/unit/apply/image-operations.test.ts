// The image operations of an apply against an engine double: pull-then-build (Compose v2 pulls
// a service's `image:` first and builds it only when the pull fails) and ensure-image's periodic
// pull_policy check when the planner did not observe the local images.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ApplyState, runOperation, type EmittedEvent, type OperationContext } from '../../../core/apply/operations.js';
import type { Engine, ImageInfo, RegistryAuth } from '../../../core/engine/engine.js';
import { EngineError } from '../../../core/errors.js';
import type { Project } from '../../../core/model/types.js';
import { makeProject } from '../plan/factory.js';

const NOW = Date.UTC(2026, 0, 10);
const IMAGE = 'reg.example:5000/app:1';
const SECRET = 'hunter2-secret';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stack-image-ops-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const project = (): Project =>
  makeProject({ services: { app: { image: IMAGE, build: { context: dir, args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } } } });

const local = (pulledMsAgo: number): ImageInfo => ({ id: 'sha256:old', repoTags: [IMAGE], repoDigests: [], created: 0, lastTagTime: Math.floor((NOW - pulledMsAgo) / 1000), size: 0, labels: {} });

interface Fake {
  engine: Engine;
  calls: string[];
}

/**
 * `present`: what inspectImage answers (it becomes `sha256:new` after a successful pull or build);
 * `pullError`: the engine's answer to a pull.
 */
function fakeEngine(options: { present?: ImageInfo; pullError?: Error }): Fake {
  const calls: string[] = [];
  let current = options.present;
  const engine = {
    inspectImage: async () => {
      calls.push('inspectImage');
      return current;
    },
    pullImage: async () => {
      calls.push('pullImage');
      if (options.pullError) throw options.pullError;
      current = { ...local(0), id: 'sha256:new' };
    },
    buildImage: async (context: Readable) => {
      calls.push('buildImage');
      for await (const _ of context) void _;
      current = { ...local(0), id: 'sha256:built' };
      return { id: 'sha256:built' };
    },
  } as unknown as Engine;
  return { engine, calls };
}

function context(engine: Engine, extra: Partial<OperationContext> = {}): OperationContext & { events: EmittedEvent[] } {
  const events: EmittedEvent[] = [];
  const auth: RegistryAuth = { serveraddress: 'reg.example:5000', username: 'bob', password: SECRET };
  return {
    engine,
    project: project(),
    emit: (e) => events.push(e),
    clock: { now: () => NOW, sleep: async () => undefined },
    auth: async () => auth,
    state: new ApplyState(),
    events,
    ...extra,
  };
}

const notFound = (): EngineError => new EngineError({ operation: 'pull', resource: IMAGE, statusCode: 404, code: 'NOT_FOUND', message: `manifest for ${IMAGE} not found: manifest unknown` });

describe('pull-image with a build fallback', () => {
  test('a pull that succeeds builds nothing and warns of nothing', async () => {
    const { engine, calls } = fakeEngine({});
    const ctx = context(engine);
    const outcome = await runOperation({ kind: 'pull-image', image: IMAGE, services: ['app'], fallbackBuild: 'app' }, ctx);
    expect(outcome).toBeUndefined();
    expect(calls).toEqual(['pullImage']);
    expect(ctx.events.map((e) => e.action)).toEqual(['Pulling', 'Pulled']);
  });

  test('a failed pull of a missing image is a warning naming the image, then the image is built', async () => {
    const { engine, calls } = fakeEngine({ pullError: notFound() });
    const ctx = context(engine);
    const outcome = await runOperation({ kind: 'pull-image', image: IMAGE, services: ['app'], fallbackBuild: 'app' }, ctx);
    expect(calls).toEqual(['pullImage', 'inspectImage', 'buildImage']);
    expect(outcome).toEqual({ warning: `pull failed, building instead: pull access denied or image not found: ${IMAGE}`, action: 'Warning' });
    expect(ctx.events.map((e) => [e.kind, e.resource, e.action, e.status])).toEqual([
      ['image', IMAGE, 'Pulling', 'working'],
      ['image', IMAGE, 'Warning', 'warning'],
      ['service', 'app', 'Building', 'working'],
      ['service', 'app', 'Built', 'done'],
    ]);
    expect(ctx.events[1]?.detail).toBe(`pull failed, building instead: pull access denied or image not found: ${IMAGE}`);
    // No Error event: the failure is not fatal.
    expect(ctx.events.some((e) => e.status === 'error')).toBe(false);
  });

  test('the warning never carries the credentials, even when the registry quotes them', async () => {
    const quoting = new EngineError({ operation: 'pull', statusCode: 500, message: `Get "http://bob:${SECRET}@reg.example:5000/v2/": weird failure` });
    const { engine } = fakeEngine({ pullError: quoting });
    const ctx = context(engine);
    const outcome = await runOperation({ kind: 'pull-image', image: IMAGE, services: ['app'], fallbackBuild: 'app' }, ctx);
    expect(JSON.stringify([outcome, ctx.events])).not.toContain(SECRET);
    expect(outcome?.warning).toContain('pull failed, building instead');
  });

  test('a failed pull of a present image keeps it: a warning, no build', async () => {
    const { engine, calls } = fakeEngine({ present: local(60_000), pullError: notFound() });
    const ctx = context(engine);
    const outcome = await runOperation({ kind: 'pull-image', image: IMAGE, services: ['app'], fallbackBuild: 'app' }, ctx);
    expect(calls).toEqual(['pullImage', 'inspectImage']);
    expect(outcome?.warning).toBe(`pull failed, keeping the local image: pull access denied or image not found: ${IMAGE}`);
  });

  test('without a fallback a failed pull fails the node with an Error event', async () => {
    const { engine, calls } = fakeEngine({ pullError: notFound() });
    const ctx = context(engine);
    await expect(runOperation({ kind: 'pull-image', image: IMAGE, services: ['app'] }, ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toEqual(['pullImage']);
    expect(ctx.events.at(-1)).toMatchObject({ action: 'Error', status: 'error' });
  });

  test('an aborted pull does not build', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine, calls } = fakeEngine({ pullError: new Error('aborted') });
    await expect(runOperation({ kind: 'pull-image', image: IMAGE, services: ['app'], fallbackBuild: 'app' }, context(engine, { signal: controller.signal }))).rejects.toThrow('aborted');
    expect(calls).toEqual(['pullImage']);
  });
});

describe('ensure-image (local images not observed)', () => {
  test.each([
    ['a present image pulled recently is left alone', 'daily', 3_600_000, ['inspectImage']],
    ['a present image pulled longer ago than daily is pulled', 'daily', 2 * 86_400_000, ['inspectImage', 'pullImage']],
    ['every_1s pulls an image pulled 2 s ago', 'every_1s', 2000, ['inspectImage', 'pullImage']],
    ['weekly leaves an image pulled 6 days ago', 'weekly', 6 * 86_400_000, ['inspectImage']],
  ] as const)('%s', async (_name, refresh, ago, expected) => {
    const { engine, calls } = fakeEngine({ present: local(ago) });
    await runOperation({ kind: 'ensure-image', image: IMAGE, services: ['app'], whenMissing: 'pull', refresh }, context(engine));
    expect(calls).toEqual(expected);
  });

  test('without refresh a present image is never pulled, however old', async () => {
    const { engine, calls } = fakeEngine({ present: local(365 * 86_400_000) });
    await runOperation({ kind: 'ensure-image', image: IMAGE, services: ['app'], whenMissing: 'pull' }, context(engine));
    expect(calls).toEqual(['inspectImage']);
  });

  test('pull-or-build: a missing image whose pull fails is built', async () => {
    const { engine, calls } = fakeEngine({ pullError: notFound() });
    const outcome = await runOperation({ kind: 'ensure-image', image: IMAGE, services: ['app'], whenMissing: 'pull-or-build' }, context(engine));
    // The first look is remembered: a failed pull changes nothing locally.
    expect(calls).toEqual(['inspectImage', 'pullImage', 'buildImage']);
    expect(outcome?.warning).toContain('pull failed, building instead');
  });

  test('pull-or-build with an old image: a failed refresh keeps the local copy', async () => {
    const { engine, calls } = fakeEngine({ present: local(2 * 86_400_000), pullError: notFound() });
    const outcome = await runOperation({ kind: 'ensure-image', image: IMAGE, services: ['app'], whenMissing: 'pull-or-build', refresh: 'daily' }, context(engine));
    expect(calls).toEqual(['inspectImage', 'pullImage']);
    expect(outcome?.warning).toContain('keeping the local image');
  });

  test('a periodic refresh without a build fallback that fails is an error', async () => {
    const { engine } = fakeEngine({ present: local(2 * 86_400_000), pullError: notFound() });
    await expect(runOperation({ kind: 'ensure-image', image: IMAGE, services: ['app'], whenMissing: 'pull', refresh: 'daily' }, context(engine))).rejects.toMatchObject({
      message: `pull access denied or image not found: ${IMAGE}`,
    });
  });
});
