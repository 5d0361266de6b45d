import { describe, expect, test } from 'vitest';
import { planDown } from '../../../core/plan/down.js';
import { formatPlan } from '../../../core/plan/format.js';
import type { Plan, PlanNode } from '../../../core/plan/types.js';
import { appliedState, containerOf, makeProject } from './factory.js';

function node(plan: Plan, id: string): PlanNode {
  const found = plan.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

const project = makeProject({
  services: {
    db: { volumes: [{ type: 'volume', source: 'data', target: '/data' }] },
    cache: {},
    web: { depends_on: { db: { condition: 'service_healthy', restart: false, required: true }, cache: { condition: 'service_started', restart: false, required: true } } },
    proxy: { depends_on: { web: { condition: 'service_started', restart: false, required: true } } },
  },
  volumes: { data: {} },
});

describe('planDown', () => {
  const observed = appliedState(project);

  test('stops in reverse dependency order (from labels), then removes containers, then networks', () => {
    const plan = planDown(observed);
    expect(formatPlan(plan)).toBe(['network myapp_default: remove (down)', 'cache-1: remove (down)', 'db-1: remove (down)', 'proxy-1: remove (down)', 'web-1: remove (down)'].join('\n'));
    expect(node(plan, 'container:proxy:1:stop').dependsOn).toEqual([]);
    expect(node(plan, 'container:web:1:stop').dependsOn).toEqual(['container:proxy:1:stop']);
    expect(node(plan, 'container:db:1:stop').dependsOn).toEqual(['container:web:1:stop']);
    expect(node(plan, 'container:cache:1:stop').dependsOn).toEqual(['container:web:1:stop']);
    expect(node(plan, 'container:db:1:remove').dependsOn).toEqual(['container:db:1:stop']);
    expect(node(plan, 'network:myapp_default:remove').dependsOn).toEqual([
      'container:cache:1:remove',
      'container:db:1:remove',
      'container:proxy:1:remove',
      'container:web:1:remove',
    ]);
    expect(plan.nodes.some((n) => n.op.kind === 'remove-volume')).toBe(false);
    expect(node(plan, 'container:db:1:remove').op).toMatchObject({ removeAnonymousVolumes: false });
  });

  test('a stopped container is removed without a stop, still after its dependents stop', () => {
    const state = appliedState(project);
    state.containers = state.containers.map((c) => (c.name === 'myapp-db-1' ? { ...c, state: 'exited' as const } : c));
    const plan = planDown(state);
    expect(plan.nodes.some((n) => n.id === 'container:db:1:stop')).toBe(false);
    expect(node(plan, 'container:db:1:remove').dependsOn).toEqual(['container:web:1:stop']);
  });

  test('-v removes the labelled volumes (never unlabelled external ones) and anonymous volumes', () => {
    const plan = planDown(observed, { removeVolumes: true, timeout: 3 });
    expect(formatPlan(plan)).toContain('volume myapp_data: remove (down -v)');
    expect(node(plan, 'volume:myapp_data:remove').dependsOn).toHaveLength(4);
    expect(node(plan, 'container:db:1:remove').op).toMatchObject({ removeAnonymousVolumes: true });
    expect(node(plan, 'container:db:1:stop').op).toMatchObject({ timeoutSeconds: 3 });
    expect(planDown(observed, { removeVolumes: true, projectVolumes: ['other'] }).nodes.some((n) => n.op.kind === 'remove-volume')).toBe(false);
  });

  test('-v also removes anonymous volumes carried over by a recreate (the engine keeps those: they are mounted by name)', () => {
    const carried = 'a'.repeat(64);
    const withMount = {
      ...observed,
      containers: observed.containers.map((c) =>
        c.labels['com.docker.compose.service'] === 'cache'
          ? { ...c, mounts: [{ type: 'volume', name: carried, source: `/var/lib/docker/volumes/${carried}/_data`, destination: '/cache', readOnly: false }] }
          : c,
      ),
    };
    const plan = planDown(withMount, { removeVolumes: true });
    expect(node(plan, `volume:${carried}:remove`).cause).toBe('down -v (anonymous)');
    expect(node(plan, `volume:${carried}:remove`).dependsOn).toContain('container:cache:1:remove');
    expect(planDown(withMount, {}).nodes.some((n) => n.op.kind === 'remove-volume')).toBe(false);
  });

  test('services limits removal to their containers and keeps networks', () => {
    const plan = planDown(observed, { services: ['web', 'db'] });
    expect(formatPlan(plan)).toBe('db-1: remove (down)\nweb-1: remove (down)');
    expect(node(plan, 'container:db:1:stop').dependsOn).toEqual(['container:web:1:stop']);
  });

  test('orphans are kept and reported when the spec is known, removed with removeOrphans', () => {
    const state = appliedState(project);
    state.containers.push(containerOf(makeProject({ services: { old: {} } }), 'old', 1));
    const kept = planDown(state, { knownServices: ['db', 'cache', 'web', 'proxy'] });
    expect(kept.nodes.some((n) => n.resource === 'old-1')).toBe(false);
    expect(kept.warnings[0]).toMatch(/orphan containers \(myapp-old-1\)/);
    expect(formatPlan(planDown(state, { knownServices: ['db', 'cache', 'web', 'proxy'], removeOrphans: true }))).toContain('old-1: remove (down)');
    expect(formatPlan(planDown(state))).toContain('old-1: remove (down)');
  });

  test('--rmi all removes every image in use; local only default build names', () => {
    const build = makeProject({ services: { app: { image: undefined }, redis: { image: 'redis:7' } } });
    const state = appliedState(build);
    expect(planDown(state, { rmi: 'all' }).nodes.filter((n) => n.op.kind === 'remove-image').map((n) => n.resource)).toEqual(['image myapp-app', 'image redis:7']);
    expect(formatPlan(planDown(state, { rmi: 'local' }))).toContain('image myapp-app: remove (--rmi local)');
    expect(planDown(state, { rmi: 'local' }).nodes.filter((n) => n.op.kind === 'remove-image')).toHaveLength(1);
  });

  test('a cycle in depends_on labels does not deadlock: it warns and drops the order', () => {
    const cyc = makeProject({
      services: {
        a: { depends_on: { b: { condition: 'service_started', restart: false, required: true } } },
        b: { depends_on: { a: { condition: 'service_started', restart: false, required: true } } },
      },
    });
    const plan = planDown(appliedState(cyc));
    expect(plan.warnings[0]).toMatch(/dependency cycle/);
    expect(node(plan, 'container:a:1:stop').dependsOn).toEqual([]);
    expect(node(plan, 'container:b:1:stop').dependsOn).toEqual([]);
  });

  test('an empty project plans nothing', () => {
    expect(planDown({ projectName: 'x', containers: [], networks: [], volumes: [] })).toEqual({ nodes: [], warnings: [] });
  });
});
