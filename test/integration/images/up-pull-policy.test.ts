// `up` and pull_policy against the real engine and a real registry (Debian's docker-registry on
// 127.0.0.1): a periodic policy pulls a stale local copy again, and a service with both `image:`
// and `build:` pulls first and builds only when the pull fails (Compose v2). Through the API (the
// source under test, not dist/); every image made here is removed by reference and by id.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import tar from 'tar-fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { up } from '../../../core/ops/index.js';
import { formatPlan } from '../../../core/plan/format.js';
import { TEST_IMAGE, eventually, execIn, testProject, type TestProject } from '../ops-support.js';
import { makeTempDir, uniqueProjectName } from '../support/project.js';
import { registryUnavailable, startRegistry, type RealRegistry } from './registry.js';

const unavailable = registryUnavailable();
let registry: RealRegistry;
let current: TestProject | undefined;
/** References and ids of every image a test made or pulled. */
let made: string[] = [];

beforeAll(async () => {
  if (unavailable) throw new Error(`these tests need a registry: ${unavailable}`);
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.close();
});

afterEach(async () => {
  const engine = current?.engine;
  try {
    await current?.cleanup();
  } finally {
    // References first (untag), then ids: a pull that moved a tag leaves the old image untagged.
    for (const image of [...made].reverse()) await engine?.removeImage(image, { force: true }).catch(() => undefined);
    current = undefined;
    made = [];
  }
});

async function project(prefix: string): Promise<TestProject> {
  current = await testProject(prefix);
  return current;
}

/** A repository name of this run on the registry. */
function repository(name: string): string {
  return `${registry.host}/${uniqueProjectName(name)}`;
}

/** Builds `FROM busybox` with /content = `content` as `reference`, remembered for cleanup; returns its id. */
async function buildLocal(p: TestProject, reference: string, content: string): Promise<string> {
  const ctx = await makeTempDir({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${content} > /content\n` });
  try {
    await p.engine.buildImage(tar.pack(ctx.dir) as unknown as Readable, { tags: [reference] });
  } finally {
    await ctx.remove();
  }
  const id = (await p.engine.inspectImage(reference))?.id;
  if (!id) throw new Error(`the build of ${reference} made no image`);
  made.push(reference, id);
  return id;
}

/** Puts an image with /content = `content` on the registry as `reference`, leaving nothing local. */
async function seed(p: TestProject, reference: string, content: string): Promise<string> {
  const id = await buildLocal(p, reference, content);
  await p.engine.pushImage(reference, {});
  await p.engine.removeImage(reference);
  return id;
}

/** Points `repo:to` at the manifest of `repo:from` on the registry (a retag that touches no local image). */
async function retagOnRegistry(repo: string, from: string, to: string): Promise<void> {
  const path = repo.slice(registry.host.length + 1);
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  const got = await fetch(`http://${registry.host}/v2/${path}/manifests/${from}`, { headers: { Accept: accept } });
  if (!got.ok) throw new Error(`GET manifest ${repo}:${from}: ${got.status}`);
  const put = await fetch(`http://${registry.host}/v2/${path}/manifests/${to}`, {
    method: 'PUT',
    headers: { 'Content-Type': got.headers.get('content-type') ?? accept },
    body: await got.text(),
  });
  if (!put.ok) throw new Error(`PUT manifest ${repo}:${to}: ${put.status} ${await put.text()}`);
}

const content = (p: TestProject): Promise<string> => execIn(p.engine, `${p.name}-app-1`, ['cat', '/content']).then((out) => out.trim());

const LONG_RUNNING = '    init: true\n    stop_grace_period: 1s\n    command: ["sleep", "3600"]\n';

describe('up: periodic pull_policy', () => {
  test('every_1s: a second up pulls the newer content the registry now has for the tag and recreates the container', async () => {
    const p = await project('every');
    const repo = repository('every');
    const v1 = await seed(p, `${repo}:1`, 'v1');
    const v2 = await seed(p, `${repo}:2`, 'v2');
    const spec = await p.write(`services:\n  app:\n    image: ${repo}:1\n    pull_policy: every_1s\n${LONG_RUNNING}`);

    await up({ engine: p.engine, project: spec, sink: p.sink });
    expect((await p.engine.inspectImage(`${repo}:1`))?.id).toBe(v1);
    expect(await content(p)).toBe('v1');

    await retagOnRegistry(repo, '2', '1');
    // The local copy must be older than the policy's second. A pulled image has no tag time on
    // dockerd 20.10 (only `docker tag` and builds set it): its creation is its age.
    const age = async (): Promise<number> => {
      const local = await p.engine.inspectImage(`${repo}:1`);
      return local ? Date.now() - (local.lastTagTime ?? local.created) * 1000 : 0;
    };
    await eventually(async () => (await age()) >= 1100, { timeoutMs: 5000, intervalMs: 200, description: 'the local copy to be older than 1 s' });
    // The planner plans images for what it creates: force a create to see its decision.
    const dry = await up({ engine: p.engine, project: spec, dryRun: true, forceRecreate: true });
    expect(formatPlan(dry.plan)).toContain(`image ${repo}:1: pull (pull_policy: every_1s (local copy is older))`);

    await up({ engine: p.engine, project: spec, sink: p.sink });
    expect((await p.engine.inspectImage(`${repo}:1`))?.id).toBe(v2);
    expect(await content(p)).toBe('v2');
  });

  test('daily: a local copy pulled moments ago is not pulled again', async () => {
    const p = await project('daily');
    const repo = repository('daily');
    const v1 = await seed(p, `${repo}:1`, 'v1');
    await seed(p, `${repo}:2`, 'v2');
    const spec = await p.write(`services:\n  app:\n    image: ${repo}:1\n    pull_policy: daily\n${LONG_RUNNING}`);
    await up({ engine: p.engine, project: spec, sink: p.sink });
    await retagOnRegistry(repo, '2', '1');
    const dry = await up({ engine: p.engine, project: spec, dryRun: true, forceRecreate: true });
    expect(dry.plan.nodes.filter((n) => n.op.kind.endsWith('-image'))).toEqual([]);
    await up({ engine: p.engine, project: spec, sink: p.sink });
    expect((await p.engine.inspectImage(`${repo}:1`))?.id).toBe(v1);
    expect(await content(p)).toBe('v1');
  });
});

describe('up: image + build pulls first, builds only when the pull fails', () => {
  const spec = (image: string): string =>
    `services:\n  app:\n    image: ${image}\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM ${TEST_IMAGE}\n        RUN echo built > /content\n${LONG_RUNNING}`;

  test('the registry has the image: up pulls it and builds nothing', async () => {
    const p = await project('pullnotbuild');
    const image = `${repository('pullnotbuild')}:1`;
    const seeded = await seed(p, image, 'from-registry');
    const result = await up({ engine: p.engine, project: await p.write(spec(image)), sink: p.sink });

    expect((await p.engine.inspectImage(image))?.id).toBe(seeded);
    expect(await content(p)).toBe('from-registry');
    expect(p.sink.events.filter((e) => e.kind === 'service' && /^Buil/.test(e.action))).toEqual([]);
    expect(p.sink.events.some((e) => e.kind === 'image' && e.resource === image && e.action === 'Pulled')).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  test('the registry does not have the image: up warns that the pull failed, builds it and starts', async () => {
    const p = await project('buildafter');
    const image = `${repository('buildafter')}:1`;
    made.push(image);
    const result = await up({ engine: p.engine, project: await p.write(spec(image)), sink: p.sink });
    const built = await p.engine.inspectImage(image);
    if (built) made.push(built.id);

    expect(built).toBeDefined();
    expect(await content(p)).toBe('built');
    const warning = p.sink.events.find((e) => e.kind === 'image' && e.resource === image && e.status === 'warning');
    expect(warning?.detail).toBe(`pull failed, building instead: pull access denied or image not found: ${image}`);
    expect(p.sink.events.some((e) => e.kind === 'service' && e.resource === 'app' && e.action === 'Built')).toBe(true);
    expect(p.sink.events.some((e) => e.status === 'error')).toBe(false);
    expect(result.warnings).toEqual([`image ${image}: pull failed, building instead: pull access denied or image not found: ${image}`]);
    // A second up finds the built image: no pull, no build.
    const again = await up({ engine: p.engine, project: await p.load(), sink: p.sink, dryRun: true });
    expect(again.plan.nodes).toEqual([]);
  });

  test('a periodic policy whose pull fails builds the missing image after one pull attempt', async () => {
    const p = await project('periodicbuild');
    const image = `${repository('periodicbuild')}:1`;
    made.push(image);
    const yaml = spec(image).replace('    build:\n', '    pull_policy: every_1h\n    build:\n');
    const result = await up({ engine: p.engine, project: await p.write(yaml), sink: p.sink });
    const built = await p.engine.inspectImage(image);
    if (built) made.push(built.id);
    expect(await content(p)).toBe('built');
    const attempts = p.sink.events.filter((e) => e.kind === 'image' && e.resource === image && e.action === 'Pulling' && e.progress === undefined && e.detail === undefined);
    expect(attempts).toHaveLength(1);
    expect(p.sink.events.filter((e) => e.kind === 'service' && e.action === 'Built')).toHaveLength(1);
    expect(p.sink.events.filter((e) => e.kind === 'image' && e.resource === image && e.status === 'warning')).toHaveLength(1);
    expect(result.result?.failed ?? []).toEqual([]);
  });

  test('an unreachable registry is not fatal either: the image is built', async () => {
    const p = await project('unreachable');
    // A port nobody listens on: the pull fails with "connection refused".
    const image = `127.0.0.1:9/${uniqueProjectName('unreachable')}-${randomBytes(2).toString('hex')}:1`;
    made.push(image);
    const result = await up({ engine: p.engine, project: await p.write(spec(image)), sink: p.sink });
    const built = await p.engine.inspectImage(image);
    if (built) made.push(built.id);
    expect(await content(p)).toBe('built');
    expect(result.warnings.join('\n')).toContain('pull failed, building instead');
  });
});
