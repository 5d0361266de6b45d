// The small plans lifecycle commands build from labels alone (dry runs against a listing double):
// which containers each verb touches and in which order.
import { describe, expect, test } from 'vitest';
import { observedContainer, replicaLabels } from '../support/observed-container.js';
import type { Engine, ObservedContainer } from '../../../core/engine/engine.js';
import { kill, pause, restart, rm, start, stop, unpause } from '../../../core/ops/lifecycle.js';
import { parallelLimit } from '../../../core/ops/context.js';

function c(service: string, state: ObservedContainer['state'], dependsOn = '', extra: Record<string, string> = {}): ObservedContainer {
  const labels = { ...replicaLabels('p', service), 'com.docker.compose.depends_on': dependsOn, ...extra };
  return observedContainer({ id: `id-${service}`, name: `p-${service}-1`, image: 'x', labels, state });
}

function engineWith(containers: ObservedContainer[]): Engine {
  return { listContainers: async () => containers } as unknown as Engine;
}

const deps = (nodes: readonly { id: string; dependsOn: string[] }[]): Record<string, string[]> => Object.fromEntries(nodes.map((n) => [n.id, [...n.dependsOn].sort()]));

describe('lifecycle plans from labels', () => {
  const project = [c('db', 'exited'), c('web', 'exited', 'db:service_healthy:false'), c('proxy', 'exited', 'web:service_started:false'), c('job', 'running')];

  test('start: dependencies first, a health wait where the label asks for one; running containers untouched', async () => {
    const { plan } = await start({ engine: engineWith(project), projectName: 'p', dryRun: true });
    expect(deps(plan.nodes)).toEqual({
      'container:p-db-1:start': [],
      'wait:db:service_healthy': ['container:p-db-1:start'],
      'container:p-web-1:start': ['wait:db:service_healthy'],
      'container:p-proxy-1:start': ['container:p-web-1:start'],
    });
  });

  test('stop: dependents first', async () => {
    const running = project.map((x) => ({ ...x, state: 'running' as const }));
    const { plan } = await stop({ engine: engineWith(running), projectName: 'p', dryRun: true, timeout: 2 });
    expect(deps(plan.nodes)).toEqual({
      'container:p-proxy-1:stop': [],
      'container:p-job-1:stop': [],
      'container:p-web-1:stop': ['container:p-proxy-1:stop'],
      'container:p-db-1:stop': ['container:p-web-1:stop'],
    });
    expect(plan.nodes.every((n) => n.op.kind === 'stop-container' && n.op.timeoutSeconds === 2)).toBe(true);
  });

  test('restart: every container, dependencies first', async () => {
    const { plan } = await restart({ engine: engineWith(project), projectName: 'p', dryRun: true });
    expect(deps(plan.nodes)['container:p-web-1:restart']).toEqual(['container:p-db-1:restart']);
    expect(plan.nodes).toHaveLength(4);
  });

  test('kill, pause, unpause pick containers by state, all at once', async () => {
    const mixed = [c('a', 'running'), c('b', 'paused'), c('c', 'exited')];
    const names = async (p: Promise<{ plan: { nodes: readonly { id: string; dependsOn: string[] }[] } }>): Promise<string[]> => (await p).plan.nodes.map((n) => n.id);
    expect(await names(kill({ engine: engineWith(mixed), projectName: 'p', dryRun: true, killSignal: 'SIGHUP' }))).toEqual(['container:p-a-1:kill', 'container:p-b-1:kill']);
    expect(await names(pause({ engine: engineWith(mixed), projectName: 'p', dryRun: true }))).toEqual(['container:p-a-1:pause']);
    expect(await names(unpause({ engine: engineWith(mixed), projectName: 'p', dryRun: true }))).toEqual(['container:p-b-1:unpause']);
  });

  test('rm removes stopped containers; with stopFirst, running ones are stopped, then removed', async () => {
    const mixed = [c('a', 'running'), c('b', 'exited')];
    const plain = await rm({ engine: engineWith(mixed), projectName: 'p', dryRun: true });
    expect(deps(plain.plan.nodes)).toEqual({ 'container:p-b-1:remove': [] });
    expect(plain.warnings).toEqual(['running containers not removed (stop them first, or use --stop): p-a-1']);
    const stopping = await rm({ engine: engineWith(mixed), projectName: 'p', dryRun: true, stopFirst: true, volumes: true });
    expect(deps(stopping.plan.nodes)).toEqual({ 'container:p-a-1:stop': [], 'container:p-a-1:remove': ['container:p-a-1:stop'], 'container:p-b-1:remove': [] });
  });

  test('one-off containers are left to stop and kill only', async () => {
    const withRun = [c('a', 'exited'), { ...c('a', 'exited', '', { 'com.docker.compose.oneoff': 'True' }), name: 'p-a-run-1234', id: 'run' }];
    const { plan } = await start({ engine: engineWith(withRun), projectName: 'p', dryRun: true });
    expect(plan.nodes.map((n) => n.id)).toEqual(['container:p-a-1:start']);
  });

  test('a named service unknown to the loaded spec is an error', async () => {
    const spec = { services: { db: {} }, disabledServices: {} } as never;
    await expect(stop({ engine: engineWith(project), projectName: 'p', dryRun: true, services: ['dbb'], project: spec })).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE' });
  });
});

describe('parallelLimit', () => {
  test('--parallel wins, then COMPOSE_PARALLEL_LIMIT, then 64', () => {
    expect(parallelLimit(3, { COMPOSE_PARALLEL_LIMIT: '8' })).toBe(3);
    expect(parallelLimit(undefined, { COMPOSE_PARALLEL_LIMIT: '8' })).toBe(8);
    expect(parallelLimit(undefined, { COMPOSE_PARALLEL_LIMIT: 'lots' })).toBe(64);
    expect(parallelLimit(undefined, {})).toBe(64);
  });
});
