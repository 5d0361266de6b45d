import { describe, expect, it } from 'vitest';
import { DependencyCycleError } from '../../../core/errors.js';
import { buildGraph } from '../../../core/graph/graph.js';
import { findCycle } from '../../../core/graph/order.js';
import { build, errorOf } from '../model/support.js';

const chain = `
services:
  web:
    image: x
    depends_on:
      api: { condition: service_healthy, restart: true }
    links: [cache:redis]
  api:
    image: x
    depends_on: [db, cache]
  db:
    image: x
  cache:
    image: x
  worker:
    image: x
    depends_on: [db]
  logger:
    image: x
`;

describe('edges', () => {
  const graph = buildGraph(build(chain));

  it('depends_on keeps condition/required/restart', () => {
    expect(graph.dependenciesOf('web')).toEqual([
      { from: 'web', to: 'api', kind: 'depends_on', condition: 'service_healthy', required: true, restart: true, path: ['services', 'web', 'depends_on', 'api'] },
      { from: 'web', to: 'cache', kind: 'links', condition: 'service_started', required: true, restart: false, path: ['services', 'web', 'links', 0] },
    ]);
  });

  it('dependents', () => {
    expect(graph.dependentsOf('db')).toEqual(['api', 'worker']);
    expect(graph.dependentsOf('cache')).toEqual(['api', 'web']);
    expect(graph.dependentsOf('web')).toEqual([]);
  });

  it('volumes_from, network_mode, ipc and pid service references are edges; container: is not', () => {
    const g = buildGraph(
      build(`
services:
  app:
    image: x
    volumes_from: [data:ro, "container:abc"]
    network_mode: service:net
    ipc: service:shm
    pid: service:net
  data: { image: x }
  net: { image: x }
  shm: { image: x }
`),
    );
    expect(g.dependenciesOf('app').map((edge) => [edge.to, edge.kind])).toEqual([
      ['data', 'volumes_from'],
      ['net', 'network_mode'],
      ['shm', 'ipc'],
    ]);
    expect(g.order().at(-1)).toBe('app');
  });

  it('several references to one service merge into one edge', () => {
    const g = buildGraph(build(`services:\n  web:\n    image: x\n    depends_on:\n      db: { required: false }\n    links: [db]\n  db: { image: x }\n`));
    expect(g.dependenciesOf('web')).toHaveLength(1);
    expect(g.dependenciesOf('web')[0]).toMatchObject({ to: 'db', kind: 'depends_on', required: true });
  });
});

describe('order, levels, closure', () => {
  const graph = buildGraph(build(chain));

  it('order puts dependencies first, ties by name', () => {
    expect(graph.order()).toEqual(['cache', 'db', 'logger', 'api', 'worker', 'web']);
  });

  it('reverseOrder puts dependents first', () => {
    expect(graph.reverseOrder()).toEqual(['web', 'worker', 'api', 'logger', 'db', 'cache']);
  });

  it('levels are start waves', () => {
    expect(graph.levels()).toEqual([['cache', 'db', 'logger'], ['api', 'worker'], ['web']]);
  });

  it('closure adds transitive dependencies, in start order', () => {
    expect(graph.closure(['web'])).toEqual(['cache', 'db', 'api', 'web']);
    expect(graph.closure(['worker', 'logger'])).toEqual(['db', 'logger', 'worker']);
    expect(graph.closure([])).toEqual([]);
  });

  it('dependentClosure adds transitive dependents', () => {
    expect(graph.dependentClosure(['db'])).toEqual(['db', 'api', 'worker', 'web']);
  });

  it('every edge goes from an earlier to a later service in order()', () => {
    const position = new Map(graph.order().map((name, index) => [name, index]));
    for (const name of graph.services) for (const edge of graph.dependenciesOf(name)) expect(position.get(edge.to)!).toBeLessThan(position.get(name)!);
  });

  it('an empty project has an empty graph', () => {
    const g = buildGraph(build(`services: {}\n`));
    expect(g.order()).toEqual([]);
    expect(g.levels()).toEqual([]);
  });
});

describe('errors', () => {
  it('a cycle names the path and points at the first edge', () => {
    const error = errorOf(() =>
      build(`
services:
  web:
    image: x
    depends_on: [api]
  api:
    image: x
    depends_on:
      web: { condition: service_started }
`),
    );
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.message).toContain('dependency cycle between services: api -> web -> api');
    expect((error as unknown as DependencyCycleError).cycle).toEqual(['api', 'web', 'api']);
    expect(error.problems?.[0]?.location?.line).toBe(9);
  });

  it('a cycle through links and volumes_from', () => {
    const error = errorOf(() => build(`services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: x\n    volumes_from: [c]\n  c:\n    image: x\n    network_mode: service:a\n`));
    expect(error.message).toContain('a -> b -> c -> a');
    expect(error.problems?.[0]?.location?.line).toBe(4);
  });

  it('a self dependency is a cycle', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: x\n    depends_on: [web]\n`)).message).toContain('web -> web');
  });

  it('an unknown dependency names both services, with position and the defined services', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    depends_on:\n      api:\n        condition: service_healthy\n  db:\n    image: x\n`));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain('service "web" depends on undefined service "api"');
    expect(error.problems?.[0]?.location?.line).toBe(6);
    expect(error.problems?.[0]?.hint).toBe('defined services: db, web');
  });

  it('unknown links / volumes_from / network_mode references say what they are', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    links: [a]\n    volumes_from: [b]\n  net:\n    image: x\n    network_mode: service:c\n`));
    expect(error.problems?.map((problem) => problem.message)).toEqual([
      'service "net" shares the network_mode namespace of undefined service "c"',
      'service "web" links to undefined service "a"',
      'service "web" mounts volumes from undefined service "b"',
    ]);
  });

  it('a required:false dependency on an absent service is dropped', () => {
    const graph = buildGraph(build(`services:\n  web:\n    image: x\n    depends_on:\n      api: { required: false }\n`));
    expect(graph.dependenciesOf('web')).toEqual([]);
  });
});

describe('findCycle', () => {
  it('returns undefined for a DAG and a closed path otherwise', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: [] };
    expect(findCycle(['a', 'b', 'c'], (name) => edges[name] ?? [])).toBeUndefined();
    edges.c = ['b'];
    expect(findCycle(['a', 'b', 'c'], (name) => edges[name] ?? [])).toEqual(['b', 'c', 'b']);
  });
});

describe('names that collide with Object.prototype', () => {
  it('a dependency on "constructor" is still an undefined service', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: x\n    depends_on: [constructor]\n`)).message).toContain('undefined service "constructor"');
  });

  it('a service may be called "constructor"', () => {
    const graph = buildGraph(build(`services:\n  web:\n    image: x\n    depends_on: [constructor]\n  constructor:\n    image: x\n`));
    expect(graph.order()).toEqual(['constructor', 'web']);
  });
});

describe('graphs of selected services', () => {
  it('--no-deps: a need of a service outside the selection is left out, not an error', async () => {
    const { withServices } = await import('../../../core/model/select.js');
    const project = withServices(build(chain), ['web'], { includeDeps: false });
    const graph = buildGraph(project);
    expect(graph.order()).toEqual(['web']);
    expect(graph.dependenciesOf('web')).toEqual([]);
    expect(project.services.web?.depends_on).toHaveProperty('api');
  });
});
