import { describe, expect, test } from 'vitest';
import type { ImageInfo } from '../../../core/engine/engine.js';
import { SpecError, UsageError } from '../../../core/errors.js';
import type { DependsOn, Service } from '../../../core/model/types.js';
import { LABEL_STACK_CONFIG } from '../../../core/observe/labels.js';
import type { ObservedState } from '../../../core/observe/observed-state.js';
import { formatPlan } from '../../../core/plan/format.js';
import { planUp, type PlanUpOptions } from '../../../core/plan/planner.js';
import type { Plan, PlanNode } from '../../../core/plan/types.js';
import { appliedState, containerOf, emptyState, fakeId, makeProject, type ProjectInput } from './factory.js';

function image(ref: string, id = `sha256:${fakeId(ref)}`): ImageInfo {
  return { id, repoTags: [ref], repoDigests: [], created: 0, size: 0, labels: {} };
}

const BUSYBOX = image('busybox:latest');

function withImages(state: ObservedState, ...images: ImageInfo[]): ObservedState {
  return { ...state, images: [BUSYBOX, ...images] };
}

function dep(condition: DependsOn['condition'], restart = false): DependsOn {
  return { condition, restart, required: true };
}

/** Plans `after` against the engine state left by `up` of `before`. */
function replan(before: ProjectInput, after: ProjectInput, options: PlanUpOptions = {}): Plan {
  const observed = withImages(appliedState(makeProject(before)), image('postgres:16'));
  return planUp({ project: makeProject(after), observed, options });
}

function node(plan: Plan, id: string): PlanNode {
  const found = plan.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id} in\n${plan.nodes.map((n) => n.id).join('\n')}`);
  return found;
}

const webDb: ProjectInput = {
  services: {
    web: { ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }], environment: { MODE: 'one' }, depends_on: { db: dep('service_healthy') } },
    db: { image: 'postgres:16', volumes: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data' }] },
  },
  volumes: { data: {} },
};

function edit(input: ProjectInput, service: string, change: Partial<Service>): ProjectInput {
  return { ...input, services: { ...input.services, [service]: { ...input.services[service], ...change } } };
}

describe('planUp: fresh and no-op', () => {
  test('a fresh up creates networks, volumes, pulls missing images, creates and starts containers', () => {
    const plan = planUp({ project: makeProject(webDb), observed: withImages(emptyState()) });
    expect(formatPlan(plan)).toBe(
      [
        'network myapp_default: create',
        'volume myapp_data: create',
        'image postgres:16: pull (not found locally)',
        'db-1: create (not found)',
        'db: wait until healthy',
        'web-1: create (not found)',
      ].join('\n'),
    );
    expect(node(plan, 'container:db:1:create').dependsOn).toEqual(['image:postgres:16:pull', 'network:default:create', 'volume:data:create']);
    expect(node(plan, 'container:web:1:create').dependsOn).toEqual(['network:default:create']);
    expect(node(plan, 'container:web:1:start').dependsOn).toEqual(['container:web:1:create', 'wait:db:service_healthy']);
    expect(node(plan, 'wait:db:service_healthy').dependsOn).toEqual(['container:db:1:start']);
    expect(node(plan, 'wait:db:service_healthy').op).toEqual({ kind: 'wait-condition', service: 'db', condition: 'service_healthy', containers: ['myapp-db-1'], required: true });
  });

  test('every edge points at an earlier node (insertion order is a topological order)', () => {
    const plan = replan(webDb, edit(edit(webDb, 'db', { environment: { X: '1' } }), 'web', { scale: 3 }));
    const seen = new Set<string>();
    for (const n of plan.nodes) {
      for (const d of n.dependsOn) expect(seen.has(d), `${n.id} -> ${d}`).toBe(true);
      seen.add(n.id);
    }
  });

  test('the create op carries the full label set, hash and config', () => {
    const plan = planUp({ project: makeProject(webDb), observed: withImages(emptyState()) });
    const op = node(plan, 'container:web:1:create').op;
    expect(op.kind).toBe('create-container');
    if (op.kind !== 'create-container') return;
    expect(op.name).toBe('myapp-web-1');
    expect(op.labels['com.docker.compose.project']).toBe('myapp');
    expect(op.labels['com.docker.compose.container-number']).toBe('1');
    expect(op.labels['com.docker.compose.depends_on']).toBe('db:service_healthy:false');
    expect(op.labels['com.docker.compose.config-hash']).toBe(op.configHash);
    expect(JSON.parse(op.labels[LABEL_STACK_CONFIG]!)).toMatchObject({ environment: { MODE: 'one' } });
  });

  test('a second up with nothing changed plans nothing', () => {
    const plan = replan(webDb, webDb);
    expect(plan.nodes).toEqual([]);
    expect(formatPlan(plan)).toBe('');
  });

  test('unknown images: ensure-image nodes let the executor look', () => {
    const plan = planUp({ project: makeProject({ services: { web: {}, b: { image: undefined, build: { context: '/src/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } } } }), observed: emptyState() });
    expect(formatPlan(plan)).toBe(
      [
        'network myapp_default: create',
        'image busybox:latest: ensure (pull if missing)',
        'image myapp-b: ensure (build if missing)',
        'b-1: create (not found)',
        'web-1: create (not found)',
      ].join('\n'),
    );
    expect(node(plan, 'image:myapp-b:ensure').op).toMatchObject({ whenMissing: 'build', services: ['b'] });
  });

  test('a service that builds an image another one pulls: pull, and build if the pull fails (Compose)', () => {
    const build = { context: '/src/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] };
    const plan = planUp({ project: makeProject({ services: { a: { image: 'shared:1' }, b: { image: 'shared:1', build, pull_policy: 'never' } } }), observed: emptyState() });
    expect(node(plan, 'image:shared:1:ensure').op).toMatchObject({ whenMissing: 'pull-or-build', services: ['a', 'b'] });
    expect(node(plan, 'image:shared:1:ensure').cause).toBe('pull (build if the pull fails) if missing');
  });
});

describe('planUp: images and pull_policy', () => {
  const NOW = Date.UTC(2026, 0, 10);
  const build = { context: '/src/app', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] };
  const pulledAgo = (ref: string, ms: number): ImageInfo => ({ ...image(ref), lastTagTime: Math.floor((NOW - ms) / 1000) });

  test('a missing image of a service that can also build it: one pull node that builds when the pull fails', () => {
    const plan = planUp({ project: makeProject({ services: { app: { image: 'reg/app:1', build } } }), observed: withImages(emptyState()), options: { nowMs: NOW } });
    expect(formatPlan(plan)).toContain('image reg/app:1: pull (not found locally; build if the pull fails)');
    expect(node(plan, 'image:reg/app:1:pull').op).toEqual({ kind: 'pull-image', image: 'reg/app:1', services: ['app'], fallbackBuild: 'app' });
    expect(node(plan, 'container:app:1:create').dependsOn).toContain('image:reg/app:1:pull');
    expect(plan.nodes.some((n) => n.op.kind === 'build-image')).toBe(false);
  });

  test('a build-only service, --build, pull_policy build and never with build: still build', () => {
    const project = makeProject({ services: { only: { image: undefined, build }, forced: { image: 'reg/f:1', build, pull_policy: 'build' }, never: { image: 'reg/n:1', build, pull_policy: 'never' } } });
    const plan = planUp({ project, observed: withImages(emptyState()), options: { nowMs: NOW } });
    expect(plan.nodes.filter((n) => n.op.kind.endsWith('-image')).map((n) => [n.id, n.cause])).toEqual([
      ['image:reg/f:1:build', 'pull_policy: build'],
      ['image:reg/n:1:build', 'not found locally'],
      ['image:myapp-only:build', 'not found locally'],
    ]);
    const built = planUp({ project: makeProject({ services: { app: { image: 'reg/app:1', build } } }), observed: withImages(emptyState()), options: { build: true } });
    expect(node(built, 'image:reg/app:1:build').cause).toBe('--build');
  });

  test('daily pulls an image last pulled two days ago, not one pulled an hour ago; the clock is an option', () => {
    const project = makeProject({ services: { old: { image: 'reg/old:1', pull_policy: 'daily' }, fresh: { image: 'reg/fresh:1', pull_policy: 'daily' } } });
    const observed = withImages(emptyState(), pulledAgo('reg/old:1', 2 * 86_400_000), pulledAgo('reg/fresh:1', 3_600_000));
    const plan = planUp({ project, observed, options: { nowMs: NOW } });
    expect(plan.nodes.filter((n) => n.op.kind === 'pull-image').map((n) => [n.id, n.cause])).toEqual([['image:reg/old:1:pull', 'pull_policy: daily (local copy is older)']]);
    // Without a clock the planner cannot tell the age: present is enough.
    expect(planUp({ project, observed }).nodes.some((n) => n.op.kind === 'pull-image')).toBe(false);
  });

  test('an old image of a service with build: a failed refresh keeps it (fallbackBuild is set, the executor checks)', () => {
    const project = makeProject({ services: { app: { image: 'reg/app:1', build, pull_policy: 'every_1h' } } });
    const plan = planUp({ project, observed: withImages(emptyState(), pulledAgo('reg/app:1', 2 * 3_600_000)), options: { nowMs: NOW } });
    expect(node(plan, 'image:reg/app:1:pull')).toMatchObject({ op: { fallbackBuild: 'app' }, cause: 'pull_policy: every_1h (local copy is older)' });
  });

  test('images not observed: ensure-image carries the periodic policy for the executor', () => {
    const project = makeProject({ services: { a: { image: 'reg/x:1', pull_policy: 'weekly' }, b: { image: 'reg/x:1', build, pull_policy: 'every_2h' } } });
    const plan = planUp({ project, observed: emptyState(), options: { nowMs: NOW } });
    expect(node(plan, 'image:reg/x:1:ensure')).toMatchObject({
      op: { kind: 'ensure-image', whenMissing: 'pull-or-build', refresh: 'every_2h', services: ['a', 'b'] },
      cause: 'pull (build if the pull fails) if missing, pull if older than every_2h',
    });
  });

  test('two services pulling one image, one able to build it: the shared pull node falls back to building', () => {
    const project = makeProject({ services: { a: { image: 'reg/x:1' }, b: { image: 'reg/x:1', build } } });
    const plan = planUp({ project, observed: withImages(emptyState()), options: { nowMs: NOW } });
    expect(node(plan, 'image:reg/x:1:pull').op).toEqual({ kind: 'pull-image', image: 'reg/x:1', services: ['a', 'b'], fallbackBuild: 'b' });
  });
});

describe('planUp: what recreates', () => {
  test('an environment change recreates only that service, with the diff', () => {
    const plan = replan(webDb, edit(webDb, 'web', { environment: { MODE: 'two' } }));
    expect(formatPlan(plan)).toBe('db: wait until healthy\nweb-1: recreate (environment.MODE: "one" -> "two")');
    expect(plan.nodes.map((n) => n.id)).toEqual([
      'container:web:1:stop',
      'container:web:1:rename',
      'container:web:1:create',
      'wait:db:service_healthy',
      'container:web:1:start',
      'container:web:1:remove',
    ]);
  });

  test('the recreate sequence: stop, rename to <id12>_name, create inheriting from the old one, start, remove old', () => {
    const plan = replan(webDb, edit(webDb, 'web', { environment: { MODE: 'two' } }));
    const oldId = fakeId('myapp-web-1');
    const tmp = `${oldId.slice(0, 12)}_myapp-web-1`;
    expect(node(plan, 'container:web:1:rename').op).toEqual({ kind: 'rename-container', container: { name: 'myapp-web-1', id: oldId, service: 'web', number: 1 }, to: tmp });
    const create = node(plan, 'container:web:1:create');
    expect(create.op).toMatchObject({ kind: 'create-container', name: 'myapp-web-1', inheritFrom: { id: oldId, name: tmp } });
    expect(create.dependsOn).toEqual(['container:web:1:rename']);
    expect(node(plan, 'container:web:1:remove').op).toEqual({
      kind: 'remove-container',
      container: { name: tmp, id: oldId, service: 'web', number: 1 },
      removeAnonymousVolumes: false,
    });
    expect(node(plan, 'container:web:1:remove').dependsOn).toEqual(['container:web:1:start']);
    expect(create.changes).toEqual([{ path: 'environment.MODE', before: 'one', after: 'two' }]);
  });

  test('a port change shows the port path', () => {
    const plan = replan(webDb, edit(webDb, 'web', { ports: [{ target: 80, published: '8081', protocol: 'tcp', mode: 'ingress' }] }));
    expect(formatPlan(plan)).toContain('web-1: recreate (ports[0].published: "8080" -> "8081")');
  });

  test('an env_file content change recreates (its values are in environment); an env_file path change alone does not', () => {
    const before = edit(webDb, 'db', { env_file: [{ path: '/src/myapp/db.env', required: true }], environment: { PGUSER: 'a' } });
    expect(formatPlan(replan(before, edit(before, 'db', { environment: { PGUSER: 'b' } })))).toBe('db-1: recreate (environment.PGUSER: "a" -> "b")');
    expect(replan(before, edit(before, 'db', { env_file: [{ path: '/src/myapp/other.env', required: true }] })).nodes).toEqual([]);
  });

  test('a secret content change recreates its users (compose#11900)', () => {
    const secret = (digest: string): ProjectInput['secrets'] => ({ token: { name: 'myapp_token', file: '/src/myapp/token.txt', digest, external: false, labels: {}, extensions: {} } });
    const base: ProjectInput = { services: { api: { secrets: [{ source: 'token', target: '/run/secrets/token' }] }, other: {} }, secrets: secret('aaa') };
    const plan = replan(base, { ...base, secrets: secret('bbb') });
    expect(formatPlan(plan)).toBe('api-1: recreate (secrets[0].digest: "aaa" -> "bbb")');
  });

  test('a config content change recreates its users', () => {
    const config = (digest: string): ProjectInput['configs'] => ({ conf: { name: 'myapp_conf', content: 'x', digest, external: false, labels: {}, extensions: {} } });
    const base: ProjectInput = { services: { api: { configs: [{ source: 'conf', target: '/conf' }] } }, configs: config('c1') };
    expect(formatPlan(replan(base, { ...base, configs: config('c2') }))).toBe('api-1: recreate (configs[0].digest: "c1" -> "c2")');
  });

  test.each<[string, Partial<Service>]>([
    ['depends_on', { depends_on: { db: dep('service_started') } }],
    ['profiles', { profiles: ['debug'] }],
    ['build', { build: { context: '/src/web', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } }],
    ['pull_policy', { pull_policy: 'always' }],
    ['x- extensions', { extensions: { 'x-note': 'hi' } }],
    ['deploy.replicas', { deploy: { replicas: 1 } }],
    ['develop', { develop: { watch: [{ path: '/src', action: 'sync', target: '/app', ignore: [] }] } }],
  ])('a %s change does not recreate', (_name, change) => {
    const plan = replan(webDb, edit(webDb, 'web', change));
    expect(plan.nodes.filter((n) => n.op.kind !== 'pull-image')).toEqual([]);
  });

  test('a container made by Compose (no dev.stack.config) says "config hash changed"', () => {
    const project = makeProject(edit(webDb, 'web', { environment: { MODE: 'two' } }));
    const observed = withImages(appliedState(makeProject(webDb)));
    observed.containers = observed.containers.map((c) => {
      const labels = { ...c.labels };
      delete labels[LABEL_STACK_CONFIG];
      return { ...c, labels };
    });
    expect(formatPlan(planUp({ project, observed }))).toBe('db: wait until healthy\nweb-1: recreate (config hash changed)');
  });

  test('a new local image id for the same reference recreates', () => {
    const project = makeProject(webDb);
    const observed = withImages(appliedState(project), image('postgres:16', 'sha256:new'));
    observed.containers = observed.containers.map((c) => ({ ...c, imageId: c.name === 'myapp-db-1' ? 'sha256:old' : BUSYBOX.id }));
    expect(formatPlan(planUp({ project, observed }))).toBe('db-1: recreate (image changed)');
  });

  test('a dead container is replaced; a running one not attached to its network is replaced', () => {
    const project = makeProject(webDb);
    const observed = withImages(appliedState(project), image('postgres:16'));
    observed.containers = [containerOf(project, 'db', 1, { state: 'dead' }), containerOf(project, 'web', 1, { networks: ['bridge'] })];
    expect(formatPlan(planUp({ project, observed }))).toBe(
      ['db-1: recreate (container dead)', 'db: wait until healthy', 'web-1: recreate (not attached to network myapp_default)'].join('\n'),
    );
  });

  test('a namespace parent recreate cascades to network_mode/volumes_from users', () => {
    const base: ProjectInput = {
      services: { vpn: { environment: { A: '1' } }, app: { network_mode: 'service:vpn' }, side: { volumes_from: ['vpn:ro'] }, free: { depends_on: { vpn: dep('service_started') } } },
    };
    const plan = replan(base, edit(base, 'vpn', { environment: { A: '2' } }));
    expect(formatPlan(plan)).toBe(
      ['app-1: recreate (namespace parent vpn recreated)', 'side-1: recreate (namespace parent vpn recreated)', 'vpn-1: recreate (environment.A: "1" -> "2")'].join('\n'),
    );
    expect(node(plan, 'container:app:1:create').dependsOn).toContain('container:vpn:1:create');
    expect(node(plan, 'container:app:1:start').dependsOn).toContain('container:vpn:1:start');
  });

  test('a recreated dependency restarts dependents only with depends_on.restart', () => {
    const base: ProjectInput = {
      services: { db: { environment: { V: '1' } }, web: { depends_on: { db: dep('service_started', true) } }, worker: { depends_on: { db: dep('service_started', false) } } },
    };
    const plan = replan(base, edit(base, 'db', { environment: { V: '2' } }));
    expect(formatPlan(plan)).toBe(['db-1: recreate (environment.V: "1" -> "2")', 'web-1: restart (dependency db recreated)'].join('\n'));
    expect(node(plan, 'container:web:1:restart').dependsOn).toEqual(['container:db:1:start']);
  });

  test('a stopped container with the same config is started', () => {
    const project = makeProject(webDb);
    const observed = withImages(appliedState(project));
    observed.containers = observed.containers.map((c) => ({ ...c, state: 'exited' as const }));
    const plan = planUp({ project, observed });
    expect(formatPlan(plan)).toBe(['db-1: start (exited)', 'db: wait until healthy', 'web-1: start (exited)'].join('\n'));
    expect(node(plan, 'container:web:1:start').dependsOn).toEqual(['wait:db:service_healthy']);
  });
});

describe('planUp: start ordering per depends_on condition', () => {
  const project = makeProject({
    services: {
      db: {},
      cache: {},
      migrate: {},
      web: { depends_on: { db: dep('service_healthy'), cache: dep('service_started'), migrate: dep('service_completed_successfully') } },
      api: { depends_on: { db: dep('service_healthy') } },
    },
  });
  const plan = planUp({ project, observed: withImages(emptyState()) });

  test('service_started waits for the start node, the others for a shared wait node', () => {
    expect(node(plan, 'container:web:1:start').dependsOn).toEqual([
      'container:cache:1:start',
      'container:web:1:create',
      'wait:db:service_healthy',
      'wait:migrate:service_completed_successfully',
    ]);
    expect(node(plan, 'container:api:1:start').dependsOn).toEqual(['container:api:1:create', 'wait:db:service_healthy']);
    expect(plan.nodes.filter((n) => n.id === 'wait:db:service_healthy')).toHaveLength(1);
    expect(node(plan, 'wait:migrate:service_completed_successfully').dependsOn).toEqual(['container:migrate:1:start']);
  });

  test('creates do not wait for dependencies, only starts do', () => {
    expect(node(plan, 'container:web:1:create').dependsOn).toEqual(['network:default:create']);
  });

  test('links count as service_started dependencies', () => {
    const p = planUp({ project: makeProject({ services: { db: {}, web: { links: ['db:database'] } } }), observed: withImages(emptyState()) });
    expect(node(p, 'container:web:1:start').dependsOn).toEqual(['container:db:1:start', 'container:web:1:create']);
  });

  test('a dependency cycle is an error, not a deadlocked plan', () => {
    const p = makeProject({ services: { a: { depends_on: { b: dep('service_started') } }, b: { depends_on: { a: dep('service_started') } } } });
    expect(() => planUp({ project: p, observed: emptyState() })).toThrow(/dependency cycle/);
  });
});

describe('planUp: scale', () => {
  const one: ProjectInput = { services: { web: {} } };

  test('scale up fills gaps from 1 and names new replicas', () => {
    const project = makeProject(edit(one, 'web', { scale: 4 }));
    const observed = withImages(emptyState());
    observed.containers = [containerOf(project, 'web', 1), containerOf(project, 'web', 3)];
    observed.networks = appliedState(project).networks;
    expect(formatPlan(planUp({ project, observed }))).toBe('web-2: create (scale up)\nweb-4: create (scale up)');
  });

  test('--scale overrides the spec', () => {
    expect(formatPlan(replan(one, one, { scale: { web: 2 } }))).toBe('web-2: create (scale up)');
  });

  test('scale down stops then removes the highest numbers first', () => {
    const plan = replan(edit(one, 'web', { scale: 3 }), one);
    expect(formatPlan(plan)).toBe('web-2: remove (scale down)\nweb-3: remove (scale down)');
    expect(plan.nodes.map((n) => n.id)).toEqual(['container:web:3:stop', 'container:web:3:remove', 'container:web:2:stop', 'container:web:2:remove']);
    expect(node(plan, 'container:web:3:remove').dependsOn).toEqual(['container:web:3:stop']);
  });

  test('a duplicate replica number is removed, keeping the newest', () => {
    const project = makeProject(one);
    const observed = withImages(appliedState(project));
    observed.containers.push(containerOf(project, 'web', 1, { name: 'old_myapp-web-1', created: 1, state: 'exited' }));
    const plan = planUp({ project, observed });
    expect(plan.nodes.map((n) => n.id)).toEqual(['container:web:1:remove']);
    expect(node(plan, 'container:web:1:remove').op).toMatchObject({ container: { name: 'old_myapp-web-1' } });
  });

  test('scale 0 removes every replica', () => {
    expect(formatPlan(replan(one, edit(one, 'web', { scale: 0 })))).toBe('web-1: remove (scale down)');
  });
});

describe('planUp: orphans', () => {
  const base: ProjectInput = { services: { web: {} }, disabledServices: { debug: {} } };

  function withExtras(): ObservedState {
    const project = makeProject({ services: { web: {}, old: {}, debug: {} } });
    const observed = withImages(appliedState(project));
    const oneOff = (state: 'exited' | 'running', slug: string) => {
      const c = containerOf(project, 'web', 1, { name: `myapp-web-run-${slug}`, state, labels: { 'com.docker.compose.oneoff': 'True', 'com.docker.compose.slug': slug } });
      delete c.labels['com.docker.compose.container-number'];
      return c;
    };
    observed.containers.push(oneOff('exited', 'aaaaaaaaaaaa'), oneOff('running', 'bbbbbbbbbbbb'));
    return observed;
  }

  test('are warned about by default; profile-disabled services and running one-offs are not orphans', () => {
    const plan = planUp({ project: makeProject(base), observed: withExtras() });
    expect(plan.nodes).toEqual([]);
    expect(formatPlan(plan)).toBe(
      'warning: Found orphan containers (myapp-old-1, myapp-web-run-aaaaaaaaaaaa) for this project. If you removed or renamed this service in your spec, run this command with --remove-orphans to clean it up.',
    );
  });

  test('are stopped and removed with removeOrphans', () => {
    const plan = planUp({ project: makeProject(base), observed: withExtras(), options: { removeOrphans: true } });
    expect(formatPlan(plan)).toBe(['myapp-web-run-aaaaaaaaaaaa: remove (orphaned container)', 'old-1: remove (orphaned container)'].join('\n'));
    expect(plan.nodes.map((n) => n.id)).toEqual(['container:old:1:stop', 'container:old:1:remove', 'container:myapp-web-run-aaaaaaaaaaaa:remove']);
  });
});

describe('planUp: recreate policies', () => {
  const changed = edit(webDb, 'web', { environment: { MODE: 'two' } });

  test('forceRecreate recreates every target', () => {
    expect(formatPlan(replan(webDb, webDb, { forceRecreate: true }))).toBe(['db-1: recreate (forced)', 'db: wait until healthy', 'web-1: recreate (forced)'].join('\n'));
  });

  test('forceRecreate spares non-target dependencies unless alwaysRecreateDeps', () => {
    expect(formatPlan(replan(webDb, webDb, { forceRecreate: true, targets: ['web'] }))).toBe('db: wait until healthy\nweb-1: recreate (forced)');
    expect(formatPlan(replan(webDb, webDb, { targets: ['web'], alwaysRecreateDeps: true }))).toBe('db-1: recreate (forced)');
  });

  test('noRecreate keeps diverged containers', () => {
    expect(replan(webDb, changed, { noRecreate: true }).nodes).toEqual([]);
  });

  test('noStart creates without starting, and starts nothing', () => {
    const plan = planUp({ project: makeProject(webDb), observed: withImages(emptyState(), image('postgres:16')), options: { noStart: true } });
    expect(formatPlan(plan)).toBe(['network myapp_default: create', 'volume myapp_data: create', 'db-1: create (not found, not started)', 'web-1: create (not found, not started)'].join('\n'));
    expect(plan.nodes.some((n) => n.op.kind === 'start-container' || n.op.kind === 'wait-condition')).toBe(false);
    const recreate = replan(webDb, changed, { noStart: true });
    expect(formatPlan(recreate)).toBe('web-1: recreate (environment.MODE: "one" -> "two", not started)');
    expect(node(recreate, 'container:web:1:remove').dependsOn).toEqual(['container:web:1:create']);
  });

  test('services limits the plan to the selection', () => {
    const plan = replan(webDb, edit(changed, 'db', { environment: { X: '1' } }), { services: ['db'] });
    expect(formatPlan(plan)).toBe('db-1: recreate (environment.X: (unset) -> "1")');
  });

  test('an unknown service is a usage error that mentions profiles', () => {
    const project = makeProject({ services: { web: {} }, disabledServices: { debug: {} } });
    expect(() => planUp({ project, observed: emptyState(), options: { services: ['debug'] } })).toThrow(UsageError);
  });
});

describe('planUp: images, networks and volumes', () => {
  test('pull_policy always pulls; never with a missing image is an error; build services build', () => {
    const project = makeProject({
      services: {
        a: { image: 'redis:7', pull_policy: 'always' },
        b: { build: { context: '/src/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] }, image: undefined },
      },
    });
    expect(formatPlan(planUp({ project, observed: withImages(emptyState()) }))).toBe(
      ['network myapp_default: create', 'image myapp-b: build (not found locally)', 'image redis:7: pull (pull_policy: always)', 'a-1: create (not found)', 'b-1: create (not found)'].join('\n'),
    );
    const never = makeProject({ services: { a: { image: 'redis:7', pull_policy: 'never' } } });
    expect(() => planUp({ project: never, observed: withImages(emptyState()) })).toThrow(/image "redis:7" of service a is not present locally and pull_policy is never/);
  });

  test('--build rebuilds even when the image is present', () => {
    const project = makeProject({ services: { b: { build: { context: '/src/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] }, image: undefined, scale: 0 } } });
    const p2 = makeProject({ services: { b: { build: { context: '/src/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] }, image: undefined } } });
    const plan = planUp({ project: p2, observed: withImages(appliedState(project), image('myapp-b')), options: { build: true } });
    expect(formatPlan(plan)).toBe('image myapp-b: build (--build)\nb-1: create (not found)');
  });

  test('a missing external network is a plan error with a hint; a present one is used as is', () => {
    const input: ProjectInput = { services: { web: { networks: { shared: {} } } }, networks: { shared: { name: 'shared', external: true } } };
    const observed = withImages(emptyState());
    observed.external = { networks: [], volumes: [] };
    let error: unknown;
    try {
      planUp({ project: makeProject(input), observed });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toBe('networks.shared.external: external network "shared" not found');
    expect((error as SpecError).hint).toMatch(/docker network create shared/);
    observed.external = { networks: ['shared'], volumes: [] };
    expect(formatPlan(planUp({ project: makeProject(input), observed }))).toBe('web-1: create (not found)');
  });

  test('a diverged network or volume is reported, never removed', () => {
    const project = makeProject(webDb);
    const observed = withImages(appliedState(project), image('postgres:16'));
    observed.networks = observed.networks.map((n) => ({ ...n, labels: { ...n.labels, 'com.docker.compose.config-hash': 'old' } }));
    observed.volumes = observed.volumes.map((v) => ({ ...v, labels: { ...v.labels, 'com.docker.compose.config-hash': 'old' } }));
    const plan = planUp({ project, observed, options: { forceRecreate: true, removeOrphans: true } });
    expect(plan.nodes.some((n) => n.op.kind === 'remove-volume' || n.op.kind === 'remove-network')).toBe(false);
    expect(plan.warnings).toHaveLength(2);
    expect(plan.warnings[1]).toMatch(/volume myapp_data differs .* kept as is/);
  });

  test('a named volume is never removed by planUp, even when its service goes away', () => {
    const plan = replan(webDb, { services: { web: webDb.services.web!, db: { ...webDb.services.db, scale: 0 } }, volumes: { data: {} } }, { removeOrphans: true });
    expect(formatPlan(plan)).toBe('db-1: remove (scale down)');
    expect(plan.nodes.some((n) => n.op.kind === 'remove-volume')).toBe(false);
  });
});

describe('planUp: purity', () => {
  function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
  }

  test('does not touch its input and gives the same plan twice', () => {
    const project = makeProject(edit(webDb, 'web', { environment: { MODE: 'two' }, scale: 2 }));
    const observed = withImages(appliedState(makeProject(webDb)));
    // The SourceMap is a class with private maps; freezing the rest is what matters here.
    const { sources, ...rest } = project;
    deepFreeze(rest);
    deepFreeze(observed);
    const frozen = { ...rest, sources };
    const a = planUp({ project: frozen, observed });
    const b = planUp({ project: frozen, observed });
    expect(formatPlan(a)).toBe(formatPlan(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(formatPlan(a)).toBe(
      ['db: wait until healthy', 'web-1: recreate (environment.MODE: "one" -> "two")', 'web-2: create (scale up)'].join('\n'),
    );
  });
});

describe('planUp: recovery after a failed replacement', () => {
  const project = makeProject(webDb);
  const id = fakeId('myapp-web-1');
  const tmp = `${id.slice(0, 12)}_myapp-web-1`;
  function leftover(p = project): ObservedState {
    const observed = withImages(appliedState(p), image('postgres:16'));
    observed.containers = observed.containers.map((c) => (c.name === 'myapp-web-1' ? { ...c, name: tmp, state: 'exited' as const } : c));
    return observed;
  }

  test('the same config renames the old container back and starts it', () => {
    const plan = planUp({ project, observed: leftover() });
    expect(formatPlan(plan)).toBe(`db: wait until healthy\nweb-1: rename + start (named ${tmp}, exited)`);
    expect(node(plan, 'container:web:1:rename').op).toMatchObject({ kind: 'rename-container', to: 'myapp-web-1' });
    expect(node(plan, 'container:web:1:start').dependsOn).toEqual(['container:web:1:rename', 'wait:db:service_healthy']);
  });

  test('a changed config replaces it without renaming it twice', () => {
    const plan = planUp({ project: makeProject(edit(webDb, 'web', { environment: { MODE: 'two' } })), observed: leftover() });
    expect(plan.nodes.some((n) => n.id === 'container:web:1:rename' || n.id === 'container:web:1:stop')).toBe(false);
    expect(node(plan, 'container:web:1:create').op).toMatchObject({ name: 'myapp-web-1', inheritFrom: { id, name: tmp } });
  });
});
