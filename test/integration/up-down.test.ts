// up and down against the real engine: ordering by health, published ports, volumes and bind
// mounts, idempotence, and what a change recreates.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { down, up } from '../../core/ops/index.js';
import { FAST_STOP, HEALTHY_AFTER_1S, TEST_IMAGE, cleanedUpProjects, eventually, freePort, httpGet, idsByName, execIn, testProject } from './ops-support.js';

const newProject = cleanedUpProjects();


const FAST = FAST_STOP;

function webAndDb(port: number, env = 'one'): string {
  return `services:
  db:
${HEALTHY_AFTER_1S}
    volumes:
      - data:/data
  web:
    image: ${TEST_IMAGE}
${FAST}
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    environment:
      MODE: ${env}
    ports:
      - "127.0.0.1:${port}:8080"
    volumes:
      - ./site:/www
    depends_on:
      db:
        condition: service_healthy
volumes:
  data: {}
`;
}

describe('up', () => {
  test('starts web only once db is healthy, publishes its port and serves a bind-mounted folder live', async () => {
    const p = await newProject('web-db', { 'site/index.html': 'first\n' });
    const port = await freePort();
    const spec = await p.write(webAndDb(port));

    const { result, warnings } = await up({ engine: p.engine, project: spec, sink: p.sink, pollIntervalMs: 100 });

    expect(result?.failed).toEqual([]);
    expect(warnings).toEqual([]);
    const events = p.sink.events.map((e) => `${e.resource} ${e.action}`);
    const healthy = events.indexOf(`${p.name}-db-1 Healthy`);
    const webStarting = events.indexOf(`${p.name}-web-1 Starting`);
    expect(healthy).toBeGreaterThan(-1);
    expect(webStarting).toBeGreaterThan(healthy);
    expect(events).toContain(`${p.name}_default Created`);
    expect(events).toContain(`${p.name}_data Created`);
    expect(p.sink.events.filter((e) => e.status === 'done').every((e) => typeof e.elapsedMs === 'number')).toBe(true);

    expect((await httpGet(port, '/index.html')).body).toBe('first\n');
    await writeFile(join(p.dir, 'site/index.html'), 'edited on the host\n');
    expect((await httpGet(port, '/index.html')).body).toBe('edited on the host\n');
  });

  test('a second up plans nothing and leaves every container as it was', async () => {
    const p = await newProject('twice', { 'site/index.html': 'x' });
    const spec = await p.write(webAndDb(await freePort()));
    await up({ engine: p.engine, project: spec, pollIntervalMs: 100 });
    const before = await idsByName(p);

    const second = await up({ engine: p.engine, project: await p.load(), sink: p.sink, pollIntervalMs: 100 });

    expect(second.plan.nodes).toEqual([]);
    expect(second.result?.completed).toEqual([]);
    expect(p.sink.events).toEqual([]);
    expect(await idsByName(p)).toEqual(before);
  });

  test('an environment change recreates only that service, and keeps its anonymous volume', async () => {
    const p = await newProject('recreate');
    const yaml = (mode: string): string => `services:
  app:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    environment:
      MODE: ${mode}
    volumes:
      - /cache
  other:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`;
    await up({ engine: p.engine, project: await p.write(yaml('one')) });
    await execIn(p.engine, `${p.name}-app-1`, ['sh', '-c', 'echo kept > /cache/file']);
    const before = await idsByName(p);

    const { plan } = await up({ engine: p.engine, project: await p.write(yaml('two')), sink: p.sink });

    const creates = plan.nodes.filter((n) => n.op.kind === 'create-container');
    expect(creates.map((n) => n.resource)).toEqual(['app-1']);
    expect(creates[0]?.changes).toEqual([{ path: 'environment.MODE', before: 'one', after: 'two' }]);
    const after = await idsByName(p);
    expect(Object.keys(after).sort()).toEqual([`${p.name}-app-1`, `${p.name}-other-1`]);
    expect(after[`${p.name}-other-1`]).toBe(before[`${p.name}-other-1`]);
    expect(after[`${p.name}-app-1`]).not.toBe(before[`${p.name}-app-1`]);
    expect(p.sink.events.map((e) => `${e.resource} ${e.action}`)).toContain(`${p.name}-app-1 Recreated`);
    expect(await execIn(p.engine, `${p.name}-app-1`, ['sh', '-c', 'echo $MODE; cat /cache/file'])).toBe('two\nkept\n');
  });

  test('scale up adds replicas and scale down removes the highest numbers', async () => {
    const p = await newProject('scale');
    const spec = await p.write(`services:
  worker:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`);
    await up({ engine: p.engine, project: spec, scale: { worker: 3 } });
    expect((await p.containers()).map((c) => c.name)).toEqual([1, 2, 3].map((n) => `${p.name}-worker-${n}`));
    const first = (await p.container('worker', 1))?.id;

    await up({ engine: p.engine, project: spec, scale: { worker: 1 } });

    const left = await p.containers();
    expect(left.map((c) => c.name)).toEqual([`${p.name}-worker-1`]);
    expect(left[0]?.id).toBe(first);
  });

  test('orphans are reported, and removed only with removeOrphans', async () => {
    const p = await newProject('orphans');
    const both = `services:
  keep:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
  gone:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`;
    await up({ engine: p.engine, project: await p.write(both) });
    const onlyKeep = await p.write(both.replace(/  gone:[\s\S]*$/, ''));

    const reported = await up({ engine: p.engine, project: onlyKeep });
    expect(reported.warnings.join('\n')).toContain(`Found orphan containers (${p.name}-gone-1)`);
    expect((await p.containers()).map((c) => c.name)).toContain(`${p.name}-gone-1`);

    const removed = await up({ engine: p.engine, project: onlyKeep, removeOrphans: true, timeout: 1 });
    expect(removed.warnings).toEqual([]);
    expect((await p.containers()).map((c) => c.name)).toEqual([`${p.name}-keep-1`]);
  });

  test('a port conflict fails that service cleanly, skips what depends on it, and starts the rest', async () => {
    const port = await freePort();
    // Another project holds the port: the spec itself is valid, the engine refuses.
    const holder = await testProject('holder');
    try {
      await up({
        engine: holder.engine,
        project: await holder.write(`services:
  holder:
    image: ${TEST_IMAGE}
${FAST}
    command: ["httpd", "-f", "-p", "8080"]
    ports: ["127.0.0.1:${port}:8080"]
`),
      });
      const p = await newProject('conflict');
      const spec = await p.write(`services:
  clash:
    image: ${TEST_IMAGE}
${FAST}
    command: ["httpd", "-f", "-p", "8080"]
    ports: ["127.0.0.1:${port}:8080"]
  needs-clash:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    depends_on: [clash]
  independent:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`);
      const error = await up({ engine: p.engine, project: spec, sink: p.sink }).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toMatchObject({ code: 'SERVICE_FAILED', exitCode: 1 });
      const message = (error as Error).message;
      expect(message).toContain(`${p.name}-clash-1`);
      expect(message).toMatch(/port is already allocated|address already in use/);
      const state = Object.fromEntries((await p.containers()).map((c) => [c.name, c.state]));
      expect(state[`${p.name}-independent-1`]).toBe('running');
      expect(state[`${p.name}-clash-1`]).not.toBe('running');
      expect(state[`${p.name}-needs-clash-1`]).toBe('created');
      const errorEvent = p.sink.events.find((e) => e.status === 'error');
      expect(errorEvent).toMatchObject({ resource: `${p.name}-clash-1`, action: 'Error' });
    } finally {
      await holder.cleanup();
    }
  });

  test('service_completed_successfully starts the dependent after a one-shot exits 0, and fails on a non-zero exit', async () => {
    const p = await newProject('completed');
    const yaml = (code: number): string => `services:
  migrate:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "sleep 1; exit ${code}"]
  app:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    depends_on:
      migrate:
        condition: service_completed_successfully
`;
    await up({ engine: p.engine, project: await p.write(yaml(0)), sink: p.sink, pollIntervalMs: 100 });
    expect((await p.container('app'))?.state).toBe('running');
    expect((await p.container('migrate'))?.exitCode).toBe(0);
    const events = p.sink.events.map((e) => `${e.resource} ${e.action}`);
    expect(events.indexOf(`${p.name}-app-1 Starting`)).toBeGreaterThan(events.indexOf(`${p.name}-migrate-1 Exited`));

    await down({ engine: p.engine, projectName: p.name, timeout: 1 });
    const failed = await up({ engine: p.engine, project: await p.write(yaml(3)), pollIntervalMs: 100 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failed?.message).toContain('exit code 3');
    expect(failed?.message).toContain('migrate');
    expect((await p.container('app'))?.state).toBe('created');
  });

  test('--wait waits for running and healthy containers', async () => {
    const p = await newProject('wait');
    const spec = await p.write(`services:
  slow:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sh", "-c", "sleep 1; touch /ok; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ok"]
      interval: 1s
`);
    await up({ engine: p.engine, project: spec, wait: true, waitTimeout: 30, pollIntervalMs: 100 });
    expect((await p.container('slow'))?.health).toBe('healthy');
  });

  test('--wait gives up after --wait-timeout, naming what is not ready', async () => {
    const p = await newProject('wait-timeout');
    const spec = await p.write(`services:
  stuck:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 1h
`);
    const error = await up({ engine: p.engine, project: spec, wait: true, waitTimeout: 1, pollIntervalMs: 100, sink: p.sink }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect((error as Error).message).toContain(`${p.name}-stuck-1 not ready`);
    expect(p.sink.events.at(-1)).toMatchObject({ resource: `${p.name}-stuck-1`, action: 'Error', status: 'error' });
  });
});

describe('down', () => {
  test('named volume data survives down and up, and is gone after down -v; nothing is left behind', async () => {
    const p = await newProject('volumes', { 'site/index.html': 'x' });
    const spec = await p.write(webAndDb(await freePort()));
    await up({ engine: p.engine, project: spec, pollIntervalMs: 100 });
    await execIn(p.engine, `${p.name}-db-1`, ['sh', '-c', 'echo precious > /data/file']);

    const first = await down({ engine: p.engine, projectName: p.name, sink: p.sink });
    expect(first.result?.failed).toEqual([]);
    // Dependents stop first: web before db.
    const actions = p.sink.events.map((e) => `${e.resource} ${e.action}`);
    expect(actions.indexOf(`${p.name}-web-1 Stopped`)).toBeLessThan(actions.indexOf(`${p.name}-db-1 Stopping`));
    expect(actions.indexOf(`${p.name}_default Removing`)).toBeGreaterThan(actions.indexOf(`${p.name}-db-1 Removed`));
    expect(await p.containers()).toEqual([]);
    expect(await p.engine.inspectNetwork(`${p.name}_default`)).toBeUndefined();
    expect(await p.engine.inspectVolume(`${p.name}_data`)).toBeDefined();

    await up({ engine: p.engine, project: await p.load(), pollIntervalMs: 100 });
    expect(await execIn(p.engine, `${p.name}-db-1`, ['cat', '/data/file'])).toBe('precious\n');

    await down({ engine: p.engine, projectName: p.name, removeVolumes: true });
    expect(await p.engine.inspectVolume(`${p.name}_data`)).toBeUndefined();
    const left = await Promise.all([
      p.engine.listContainers({ labels: [`com.docker.compose.project=${p.name}`], all: true }),
      p.engine.listNetworks({ labels: [`com.docker.compose.project=${p.name}`] }),
      p.engine.listVolumes({ labels: [`com.docker.compose.project=${p.name}`] }),
    ]);
    expect(left).toEqual([[], [], []]);
  });

  test('works from the project name alone when the spec is gone', async () => {
    const p = await newProject('no-spec');
    await up({
      engine: p.engine,
      project: await p.write(`services:
  a:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`),
    });
    await mkdir(join(p.dir, 'elsewhere'));
    await writeFile(join(p.dir, 'compose.yaml'), 'services: [broken');

    await down({ engine: p.engine, projectName: p.name });

    await eventually(async () => expect(await p.containers()).toEqual([]));
  });
});
