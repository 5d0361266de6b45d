// Operation handlers against a recording engine double: which engine calls each operation makes,
// and how engine answers that mean "already done" are read.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { extract } from 'tar-stream';
import { ApplyState, runOperation, type OperationContext, type EmittedEvent } from '../../../core/apply/operations.js';
import type { ContainerSpec, Engine, ObservedContainer, PullProgress, RegistryAuth } from '../../../core/engine/engine.js';
import { EngineError } from '../../../core/errors.js';
import type { Project } from '../../../core/model/types.js';
import { makeProject } from '../plan/factory.js';

type Call = [string, ...unknown[]];

/** Records every call; `answers` overrides a method (throw to simulate an engine error). */
function recordingEngine(answers: Partial<Record<keyof Engine, (...args: never[]) => unknown>> = {}): { engine: Engine; calls: Call[] } {
  const calls: Call[] = [];
  const engine = new Proxy({} as Engine, {
    get: (_target, key: string) =>
      async (...args: unknown[]) => {
        calls.push([key, ...args]);
        const answer = (answers as Record<string, ((...a: unknown[]) => unknown) | undefined>)[key];
        return answer ? answer(...args) : undefined;
      },
  });
  return { engine, calls };
}

function context(engine: Engine, extra: Partial<OperationContext> = {}): OperationContext & { events: EmittedEvent[] } {
  const events: EmittedEvent[] = [];
  let now = 0;
  return {
    engine,
    emit: (e) => events.push(e),
    clock: { now: () => (now += 10), sleep: async () => undefined },
    auth: async () => undefined,
    state: new ApplyState(),
    events,
    ...extra,
  };
}

const notFound = (): never => {
  throw new EngineError({ operation: 'x', statusCode: 404, code: 'NOT_FOUND', message: 'No such container' });
};
const conflict = (message: string) => (): never => {
  throw new EngineError({ operation: 'x', statusCode: 409, code: 'CONFLICT', message });
};

const ref = { name: 'p-web-1', id: 'abc', service: 'web', number: 1 };

describe('already-done answers', () => {
  test('stop and remove of a container that is gone succeed', async () => {
    const { engine } = recordingEngine({ stopContainer: notFound, removeContainer: notFound });
    await expect(runOperation({ kind: 'stop-container', container: ref, timeoutSeconds: 1 }, context(engine))).resolves.toBeUndefined();
    await expect(runOperation({ kind: 'remove-container', container: ref, removeAnonymousVolumes: true }, context(engine))).resolves.toBeUndefined();
  });

  test('a removal already in progress and a kill of a stopped container succeed', async () => {
    const { engine } = recordingEngine({ removeContainer: conflict('removal of container p-web-1 is already in progress'), killContainer: conflict('Container abc is not running') });
    await expect(runOperation({ kind: 'remove-container', container: ref, removeAnonymousVolumes: false }, context(engine))).resolves.toBeUndefined();
    await expect(runOperation({ kind: 'kill-container', container: ref, signal: 'SIGTERM' }, context(engine))).resolves.toBeUndefined();
  });

  test('other conflicts are failures', async () => {
    const { engine } = recordingEngine({ removeContainer: conflict('You cannot remove a running container') });
    await expect(runOperation({ kind: 'remove-container', container: ref, removeAnonymousVolumes: false }, context(engine))).rejects.toThrow('running container');
  });

  test('a network still in use is a warning, not a failure', async () => {
    const { engine } = recordingEngine({
      removeNetwork: () => {
        throw new EngineError({ operation: 'remove network', statusCode: 403, message: 'error while removing network: network p_default id 123 has active endpoints' });
      },
    });
    await expect(runOperation({ kind: 'remove-network', name: 'p_default', id: 'n1' }, context(engine))).resolves.toEqual({ warning: 'Resource is still in use', action: 'Warning' });
  });

  test('a network whose endpoints are still being released is removed on a later try', async () => {
    let attempts = 0;
    const { engine } = recordingEngine({
      removeNetwork: () => {
        attempts += 1;
        if (attempts < 3) throw new EngineError({ operation: 'remove network', statusCode: 403, message: 'network p_default id 123 has active endpoints' });
      },
    });
    await expect(runOperation({ kind: 'remove-network', name: 'p_default', id: 'n1' }, context(engine))).resolves.toBeUndefined();
    expect(attempts).toBe(3);
  });

  test('engine calls use container names, so engine messages name what the user knows', async () => {
    const { engine, calls } = recordingEngine();
    const ctx = context(engine);
    await runOperation({ kind: 'stop-container', container: ref, timeoutSeconds: 3 }, ctx);
    await runOperation({ kind: 'remove-container', container: ref, removeAnonymousVolumes: true }, ctx);
    await runOperation({ kind: 'start-container', container: ref }, ctx);
    await runOperation({ kind: 'rename-container', container: ref, to: 'abc_p-web-1' }, ctx);
    expect(calls).toEqual([
      ['stopContainer', 'p-web-1', 3],
      ['removeContainer', 'p-web-1', { force: false, volumes: true }],
      ['startContainer', 'p-web-1'],
      ['renameContainer', 'p-web-1', 'abc_p-web-1'],
    ]);
  });
});

describe('wait-condition', () => {
  const unhealthy = (): Partial<ObservedContainer> => ({ id: 'x', name: 'p-db-1', state: 'running', health: 'unhealthy', labels: {}, mounts: [] });

  test('a required dependency that fails fails the node, with an Error event on its container', async () => {
    const { engine } = recordingEngine({ inspectContainer: unhealthy });
    const ctx = context(engine);
    await expect(runOperation({ kind: 'wait-condition', service: 'db', condition: 'service_healthy', containers: ['p-db-1'], required: true }, ctx)).rejects.toThrow('is unhealthy');
    expect(ctx.events.map((e) => [e.resource, e.action, e.status])).toEqual([
      ['p-db-1', 'Waiting', 'working'],
      ['p-db-1', 'Error', 'error'],
    ]);
  });

  test('an optional one (required: false) only warns', async () => {
    const { engine } = recordingEngine({ inspectContainer: unhealthy });
    const ctx = context(engine);
    const outcome = await runOperation({ kind: 'wait-condition', service: 'db', condition: 'service_healthy', containers: ['p-db-1'], required: false }, ctx);
    expect(outcome).toEqual({ warning: 'container p-db-1 of service db is unhealthy (the dependency is optional: required: false)' });
    expect(ctx.events.at(-1)).toMatchObject({ action: 'Warning', status: 'warning' });
  });
});

describe('images', () => {
  test('ensure-image does nothing when the image is there', async () => {
    const { engine, calls } = recordingEngine({ inspectImage: () => ({ id: 'sha256:1', repoTags: [], repoDigests: [], created: 0, size: 0, labels: {} }) });
    const ctx = context(engine);
    await runOperation({ kind: 'ensure-image', image: 'redis:7', services: ['cache'], whenMissing: 'pull' }, ctx);
    expect(calls.map((c) => c[0])).toEqual(['inspectImage']);
    expect(ctx.events).toEqual([]);
  });

  test('ensure-image pulls a missing image with the registry credentials, which never reach an event', async () => {
    const auth: RegistryAuth = { username: 'u', password: 'hunter2', serveraddress: 'https://index.docker.io/v1/' };
    const { engine, calls } = recordingEngine({
      inspectImage: () => undefined,
      pullImage: (_image: never, options: never) => {
        const { onProgress } = options as { onProgress: (p: PullProgress) => void };
        onProgress({ id: 'l1', status: 'Downloading', current: 5, total: 10 });
        onProgress({ id: 'l1', status: 'Download complete' });
      },
    });
    let now = 0;
    // Each reading of the clock is 200 ms later: past the progress throttle every time.
    const clock = { now: () => (now += 200), sleep: async () => undefined };
    const ctx = context(engine, { clock, auth: async (image) => (image === 'redis:7' ? auth : undefined) });
    await runOperation({ kind: 'ensure-image', image: 'redis:7', services: ['cache'], whenMissing: 'pull' }, ctx);
    const pull = calls.find((c) => c[0] === 'pullImage');
    expect(pull?.[1]).toBe('redis:7');
    expect((pull?.[2] as { auth: RegistryAuth }).auth).toBe(auth);
    expect(ctx.events.map((e) => [e.action, e.status, e.progress])).toEqual([
      ['Pulling', 'working', undefined],
      ['Pulling', 'working', { current: 5, total: 10 }],
      ['Pulling', 'working', { current: 10, total: 10 }],
      ['Pulled', 'done', undefined],
    ]);
    expect(JSON.stringify(ctx.events)).not.toContain('hunter2');
  });

  test('ensure-image with pull_policy never fails clearly when the image is missing', async () => {
    const { engine } = recordingEngine({ inspectImage: () => undefined });
    await expect(runOperation({ kind: 'ensure-image', image: 'app:dev', services: ['app'], whenMissing: 'fail' }, context(engine))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'image app:dev of service app is not present locally and pull_policy is never',
    });
  });
});

describe('create-container', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function projectWith(bindSource: string): Project {
    const project = makeProject({
      services: {
        web: {
          volumes: [
            { type: 'bind', source: bindSource, target: '/src', bind: { create_host_path: true } },
            { type: 'volume', source: 'data', target: '/data' },
            { type: 'volume', target: '/cache' },
          ],
          configs: [{ source: 'app', target: '/etc/app.conf', mode: 0o440 }],
        },
      },
      volumes: { data: {} },
      configs: { app: { name: 'myapp_app', content: 'key=value\n', external: false, labels: {}, extensions: {} } },
    });
    return project;
  }

  test('makes missing bind sources, carries anonymous volumes over, labels the image and copies inline configs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stack-ops-'));
    const source = join(dir, 'not', 'yet');
    const project = projectWith(source);
    const old: Partial<ObservedContainer> = {
      mounts: [
        { type: 'volume', name: 'myapp_data', source: '/v/data', destination: '/data', readOnly: false },
        { type: 'volume', name: 'f'.repeat(64), source: '/v/anon', destination: '/cache', readOnly: false },
        { type: 'volume', name: 'e'.repeat(64), source: '/v/img', destination: '/image-volume', readOnly: false },
        { type: 'bind', source, destination: '/src', readOnly: false },
      ],
    };
    let tar: Readable | undefined;
    const { engine, calls } = recordingEngine({
      inspectContainer: () => old,
      inspectImage: () => ({ id: 'sha256:img', repoTags: [], repoDigests: [], created: 0, size: 0, labels: {} }),
      createContainer: () => 'new-id',
      putArchive: (_id: never, _path: never, stream: never) => {
        tar = stream as Readable;
      },
    });
    const ctx = context(engine, { project });

    await runOperation(
      {
        kind: 'create-container',
        service: 'web',
        number: 1,
        name: 'myapp-web-1',
        image: 'busybox:latest',
        configHash: 'h',
        labels: { 'com.docker.compose.project': 'myapp' },
        inheritFrom: { id: 'old-id', name: 'old-id_myapp-web-1' },
      },
      ctx,
    );

    expect((await stat(source)).isDirectory()).toBe(true);
    const spec = calls.find((c) => c[0] === 'createContainer')?.[1] as ContainerSpec;
    expect(spec.name).toBe('myapp-web-1');
    expect(spec.body.Labels?.['com.docker.compose.image']).toBe('sha256:img');
    const mounts = spec.body.HostConfig?.['Mounts'] as { Type: string; Source?: string; Target: string }[];
    expect(mounts.filter((m) => m.Type === 'volume').map((m) => [m.Target, m.Source])).toEqual([
      ['/data', 'myapp_data'],
      ['/cache', 'f'.repeat(64)],
      ['/image-volume', 'e'.repeat(64)],
    ]);
    const put = calls.find((c) => c[0] === 'putArchive');
    expect(put?.slice(1, 3)).toEqual(['new-id', '/']);
    expect(await entries(tar!)).toEqual([{ name: 'etc/app.conf', mode: 0o440, body: 'key=value\n' }]);
    expect(ctx.state.created.get('myapp-web-1')).toEqual({ id: 'new-id', publishesPorts: false });
  });
});

describe('create-container: anonymous volumes carried over on recreate', () => {
  const recreate = {
    kind: 'create-container' as const,
    service: 'web',
    number: 1,
    name: 'myapp-web-1',
    image: 'busybox:latest',
    configHash: 'h',
    labels: {},
    inheritFrom: { id: 'old-id', name: 'old-id_myapp-web-1' },
  };
  const anon = (name: string, destination: string) => ({ type: 'volume', name, source: `/v/${name}`, destination, readOnly: false });

  async function carried(project: Project, mounts: ReturnType<typeof anon>[], image: { volumes?: string[] }, others: Record<string, ReturnType<typeof anon>[]> = {}): Promise<[string, string | undefined][]> {
    const { engine, calls } = recordingEngine({
      inspectContainer: (id: never) => (id === 'old-id' ? { id: 'old-id', mounts } : others[id as string] ? { mounts: others[id as string] } : undefined),
      inspectImage: () => ({ id: 'sha256:i', repoTags: [], repoDigests: [], created: 0, size: 0, labels: {}, ...image }),
      createContainer: () => 'new',
    });
    await runOperation(recreate, context(engine, { project }));
    const spec = calls.find((c) => c[0] === 'createContainer')?.[1] as ContainerSpec;
    const list = (spec.body.HostConfig?.['Mounts'] ?? []) as { Type: string; Source?: string; Target: string }[];
    return list.filter((m) => m.Type === 'volume').map((m) => [m.Target, m.Source]);
  }

  test("with the image's VOLUME paths known, only those and the spec's anonymous volumes are carried", async () => {
    const project = makeProject({ services: { web: { volumes: [{ type: 'volume', target: '/cache' }] } } });
    const mounts = [anon('a'.repeat(64), '/cache'), anon('b'.repeat(64), '/var/lib/db'), anon('c'.repeat(64), '/was-in-an-older-spec')];
    expect(await carried(project, mounts, { volumes: ['/var/lib/db/'] })).toEqual([
      ['/cache', 'a'.repeat(64)],
      ['/var/lib/db', 'b'.repeat(64)],
    ]);
  });

  test('named volumes and volumes that came through volumes_from are not carried', async () => {
    const project = makeProject({ services: { web: { volumes_from: ['store'] }, store: {} }, volumes: { data: {} } });
    const mounts = [anon('myapp_data', '/data'), anon('d'.repeat(64), '/shared'), anon('e'.repeat(64), '/own')];
    expect(await carried(project, mounts, {}, { 'myapp-store-1': [anon('d'.repeat(64), '/shared')] })).toEqual([['/own', 'e'.repeat(64)]]);
  });
});

async function entries(stream: Readable): Promise<{ name: string; mode: number | undefined; body: string }[]> {
  const out: { name: string; mode: number | undefined; body: string }[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        out.push({ name: header.name, mode: header.mode, body: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  stream.pipe(ex);
  await done;
  return out;
}
