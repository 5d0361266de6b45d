// start/stop/restart/kill/pause/unpause/rm/create/scale against the real engine: they work from
// the project name and labels, in dependency order read from the depends_on label.
import { describe, expect, test } from 'vitest';
import { create, kill, pause, restart, rm, scale, start, stop, unpause, up } from '../../core/ops/index.js';
import { FAST_STOP, HEALTHY_AFTER_1S, TEST_IMAGE, cleanedUpProjects, idsByName, type TestProject } from './ops-support.js';

const newProject = cleanedUpProjects();

const FAST = FAST_STOP;

/** db (healthy after 1 s) <- web (waits for healthy); worker stands alone. */
const SPEC = `services:
  db:
${HEALTHY_AFTER_1S}
  web:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    depends_on:
      db:
        condition: service_healthy
  worker:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    volumes:
      - /scratch
`;

async function running(prefix: string): Promise<TestProject> {
  const p = await newProject(prefix);
  await up({ engine: p.engine, project: await p.write(SPEC), pollIntervalMs: 100 });
  return p;
}

async function states(p: TestProject): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of await p.containers()) out[c.name.slice(p.name.length + 1)] = c.state;
  return out;
}

function order(p: TestProject): string[] {
  return p.sink.events.map((e) => `${e.resource.slice(p.name.length + 1)} ${e.action}`);
}

describe('stop and start', () => {
  test('stop stops dependents first; start starts dependencies first and waits for health from the labels', async () => {
    const p = await running('stop-start');

    await stop({ engine: p.engine, projectName: p.name, sink: p.sink });

    expect(await states(p)).toEqual({ 'db-1': 'exited', 'web-1': 'exited', 'worker-1': 'exited' });
    let events = order(p);
    expect(events.indexOf('web-1 Stopped')).toBeLessThan(events.indexOf('db-1 Stopping'));

    p.sink.events.length = 0;
    await start({ engine: p.engine, projectName: p.name, sink: p.sink, pollIntervalMs: 100 });

    expect(await states(p)).toEqual({ 'db-1': 'running', 'web-1': 'running', 'worker-1': 'running' });
    events = order(p);
    expect(events.indexOf('db-1 Healthy')).toBeGreaterThan(-1);
    expect(events.indexOf('web-1 Starting')).toBeGreaterThan(events.indexOf('db-1 Healthy'));
  });

  test('only the named services are touched', async () => {
    const p = await running('stop-one');

    await stop({ engine: p.engine, projectName: p.name, services: ['worker'] });

    expect(await states(p)).toEqual({ 'db-1': 'running', 'web-1': 'running', 'worker-1': 'exited' });
    const result = await start({ engine: p.engine, projectName: p.name, services: ['worker'] });
    expect(result.plan.nodes.map((n) => n.id)).toEqual([`container:${p.name}-worker-1:start`]);
    expect((await states(p))['worker-1']).toBe('running');
  });
});

describe('restart, kill, pause, unpause', () => {
  test('restart keeps the containers and restarts dependencies first', async () => {
    const p = await running('restart');
    const before = await idsByName(p);

    await restart({ engine: p.engine, projectName: p.name, sink: p.sink, timeout: 1 });

    expect(await idsByName(p)).toEqual(before);
    expect(await states(p)).toEqual({ 'db-1': 'running', 'web-1': 'running', 'worker-1': 'running' });
    const events = order(p);
    expect(events.indexOf('web-1 Restarting')).toBeGreaterThan(events.indexOf('db-1 Restarted'));
  });

  test('kill sends the signal; pause and unpause freeze and thaw', async () => {
    const p = await running('kill-pause');

    await pause({ engine: p.engine, projectName: p.name, services: ['web', 'worker'] });
    expect(await states(p)).toEqual({ 'db-1': 'running', 'web-1': 'paused', 'worker-1': 'paused' });

    await unpause({ engine: p.engine, projectName: p.name });
    expect(await states(p)).toEqual({ 'db-1': 'running', 'web-1': 'running', 'worker-1': 'running' });

    await kill({ engine: p.engine, projectName: p.name, services: ['worker'], killSignal: 'SIGKILL', sink: p.sink });
    expect((await states(p))['worker-1']).toBe('exited');
    expect((await p.container('worker'))?.exitCode).toBe(137);
    expect(order(p)).toEqual(['worker-1 Killing', 'worker-1 Killed']);
  });
});

describe('rm', () => {
  test('removes stopped containers only, unless asked to stop first; -v takes anonymous volumes along', async () => {
    const p = await running('rm');
    const scratch = (await p.container('worker'))?.mounts.find((m) => m.destination === '/scratch')?.name;
    expect(scratch).toBeDefined();
    await stop({ engine: p.engine, projectName: p.name, services: ['worker'] });

    const first = await rm({ engine: p.engine, projectName: p.name, volumes: true });

    expect(first.warnings.join('\n')).toContain('running containers not removed');
    expect(await states(p)).toEqual({ 'db-1': 'running', 'web-1': 'running' });
    expect(await p.engine.inspectVolume(scratch!)).toBeUndefined();

    await rm({ engine: p.engine, projectName: p.name, stopFirst: true, timeout: 1 });
    expect(await p.containers()).toEqual([]);
  });
});

describe('create and scale', () => {
  test('create makes containers without starting them; scale adds and removes replicas without recreating', async () => {
    const p = await newProject('create-scale');
    const spec = await p.write(`services:
  worker:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`);
    await create({ engine: p.engine, project: spec });
    expect(await states(p)).toEqual({ 'worker-1': 'created' });

    await up({ engine: p.engine, project: spec });
    const first = await idsByName(p);
    await scale({ engine: p.engine, project: spec, scale: { worker: 3 } });
    expect(await states(p)).toEqual({ 'worker-1': 'running', 'worker-2': 'running', 'worker-3': 'running' });
    expect((await idsByName(p))[`${p.name}-worker-1`]).toBe(first[`${p.name}-worker-1`]);

    await scale({ engine: p.engine, project: spec, scale: { worker: 2 }, timeout: 1 });
    expect(await states(p)).toEqual({ 'worker-1': 'running', 'worker-2': 'running' });
  });
});
