// up details against the real engine: files copied in, host folders made, several networks,
// dry runs, partial down, and cancellation.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { down, up } from '../../core/ops/index.js';
import { FAST_STOP, TEST_IMAGE, cleanedUpProjects, execIn, idsByName } from './ops-support.js';

const newProject = cleanedUpProjects();

const FAST = FAST_STOP;

describe('up', () => {
  test('copies inline configs and environment secrets in, makes missing bind folders, and joins every network', async () => {
    const p = await newProject('files', { '.env': 'TOKEN=s3cret\n' });
    const spec = await p.write(`services:
  app:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    configs:
      - source: settings
        target: /etc/app/settings.conf
    secrets:
      - token
    volumes:
      - ./made/by/stack:/work
    networks: [front, back]
configs:
  settings:
    content: "mode=fast"
secrets:
  token:
    environment: TOKEN
networks:
  front: {}
  back: {}
`);
    await up({ engine: p.engine, project: spec });

    expect(await execIn(p.engine, `${p.name}-app-1`, ['cat', '/etc/app/settings.conf'])).toBe('mode=fast');
    expect(await execIn(p.engine, `${p.name}-app-1`, ['cat', '/run/secrets/token'])).toBe('s3cret');
    expect((await stat(join(p.dir, 'made/by/stack'))).isDirectory()).toBe(true);
    expect((await p.container('app'))?.networks.sort()).toEqual([`${p.name}_back`, `${p.name}_front`]);
  });

  test('a dry run returns the plan and changes nothing', async () => {
    const p = await newProject('dry');
    const spec = await p.write(`services:
  a:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`);
    const { plan, result } = await up({ engine: p.engine, project: spec, dryRun: true, sink: p.sink });

    expect(result).toBeUndefined();
    expect(plan.nodes.map((n) => n.id)).toEqual(['network:default:create', 'container:a:1:create', 'container:a:1:start']);
    expect(p.sink.events).toEqual([]);
    expect(await p.containers()).toEqual([]);
    expect(await p.engine.inspectNetwork(`${p.name}_default`)).toBeUndefined();
  });

  test('aborting stops a long wait and reports the interruption', async () => {
    const p = await newProject('abort');
    const spec = await p.write(`services:
  never-healthy:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1h
  app:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    depends_on:
      never-healthy:
        condition: service_healthy
`);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1500);
    const error = await up({ engine: p.engine, project: spec, signal: controller.signal, pollIntervalMs: 100 }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ code: 'SERVICE_FAILED', exitCode: 130 });
    expect((await p.container('app'))?.state).toBe('created');
  });
});

describe('service selection and dependency restarts', () => {
  const spec = (dbMode: string): string => `services:
  db:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    environment:
      MODE: ${dbMode}
  web:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
    depends_on:
      db:
        condition: service_started
        restart: true
  unrelated:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`;

  test('naming a service brings its dependencies but nothing else; noDeps brings only it', async () => {
    const p = await newProject('select');
    const project = await p.write(spec('one'));

    await up({ engine: p.engine, project, services: ['web'] });
    expect((await p.containers()).map((c) => c.name)).toEqual([`${p.name}-db-1`, `${p.name}-web-1`]);

    await up({ engine: p.engine, project, services: ['unrelated'], noDeps: true });
    expect((await p.containers()).map((c) => c.name)).toEqual([`${p.name}-db-1`, `${p.name}-unrelated-1`, `${p.name}-web-1`]);
  });

  test('recreating a dependency restarts dependents that ask for it (depends_on.restart), without recreating them', async () => {
    const p = await newProject('dep-restart');
    await up({ engine: p.engine, project: await p.write(spec('one')) });
    const before = await idsByName(p);

    const { plan } = await up({ engine: p.engine, project: await p.write(spec('two')), sink: p.sink });

    expect(plan.nodes.filter((n) => n.op.kind === 'restart-container').map((n) => n.resource)).toEqual(['web-1']);
    const after = await idsByName(p);
    expect(after[`${p.name}-web-1`]).toBe(before[`${p.name}-web-1`]);
    expect(after[`${p.name}-unrelated-1`]).toBe(before[`${p.name}-unrelated-1`]);
    expect(after[`${p.name}-db-1`]).not.toBe(before[`${p.name}-db-1`]);
    const events = p.sink.events.map((e) => `${e.resource.slice(p.name.length + 1)} ${e.action}`);
    expect(events.indexOf('web-1 Restarting')).toBeGreaterThan(events.indexOf('db-1 Started'));
  });
});

describe('parallelism', () => {
  test('a chain with health waits completes with a pool of 2, and down leaves nothing', async () => {
    const p = await newProject('pool');
    const services = Array.from({ length: 8 }, (_, i) => {
      const dep = i === 0 ? '' : `\n    depends_on:\n      s${i - 1}:\n        condition: ${i % 2 === 0 ? 'service_healthy' : 'service_started'}`;
      return `  s${i}:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sh", "-c", "touch /ready; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s${dep}`;
    });
    const spec = await p.write(`services:\n${services.join('\n')}\n`);

    const { result } = await up({ engine: p.engine, project: spec, parallel: 2, pollIntervalMs: 100 });

    expect(result?.failed).toEqual([]);
    expect((await p.containers()).filter((c) => c.state === 'running')).toHaveLength(8);
    await down({ engine: p.engine, projectName: p.name, parallel: 2 });
    expect(await p.containers()).toEqual([]);
    expect(await p.engine.inspectNetwork(`${p.name}_default`)).toBeUndefined();
  });
});

describe('down', () => {
  test('down of some services removes only their containers and keeps the network', async () => {
    const p = await newProject('partial');
    const spec = await p.write(`services:
  a:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
  b:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`);
    await up({ engine: p.engine, project: spec });

    await down({ engine: p.engine, projectName: p.name, services: ['b'], project: spec });

    expect((await p.containers()).map((c) => c.name)).toEqual([`${p.name}-a-1`]);
    expect(await p.engine.inspectNetwork(`${p.name}_default`)).toBeDefined();
  });

  test('orphans are kept (and their network with them) unless removeOrphans is set', async () => {
    const p = await newProject('down-orphans');
    const both = `services:
  a:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
  old:
    image: ${TEST_IMAGE}
${FAST}
    command: ["sleep", "3600"]
`;
    await up({ engine: p.engine, project: await p.write(both) });
    const onlyA = await p.write(both.replace(/  old:[\s\S]*$/, ''));

    const kept = await down({ engine: p.engine, projectName: p.name, project: onlyA });
    expect(kept.warnings.join('\n')).toContain(`Found orphan containers (${p.name}-old-1)`);
    expect(kept.warnings.join('\n')).toContain('Resource is still in use');
    expect((await p.containers()).map((c) => c.name)).toEqual([`${p.name}-old-1`]);

    await down({ engine: p.engine, projectName: p.name, project: onlyA, removeOrphans: true });
    expect(await p.containers()).toEqual([]);
    expect(await p.engine.inspectNetwork(`${p.name}_default`)).toBeUndefined();
  });
});
