import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Service } from '../../../core/model/types.js';
import { canonicalJson, networkConfigHash, serviceConfig, serviceConfigHash, volumeConfigHash } from '../../../core/observe/hash.js';
import { makeNetwork, makeProject, makeService, makeVolume } from '../plan/factory.js';

const project = makeProject({ services: {} });
const base = makeService('web', { environment: { A: '1', B: '2' }, labels: { x: 'y' }, command: ['sh', '-c', 'true'] });

function reorder<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reorder) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) out[key] = reorder((value as Record<string, unknown>)[key]);
    return out as T;
  }
  return value;
}

describe('serviceConfigHash', () => {
  test('is a sha256 hex digest and stable across runs', () => {
    const hash = serviceConfigHash(base, project);
    expect(hash).toMatch(/^[a-f0-9]{64}$/);
    expect(serviceConfigHash(structuredClone(base), project)).toBe(hash);
  });

  test('key order does not change the hash', () => {
    expect(serviceConfigHash(reorder(base), project)).toBe(serviceConfigHash(base, project));
  });

  test('key order never changes the hash (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (env) => {
        const reversed = Object.fromEntries(Object.entries(env).reverse());
        return serviceConfigHash({ ...base, environment: env }, project) === serviceConfigHash({ ...base, environment: reversed }, project);
      }),
    );
  });

  test.each<[string, Partial<Service>]>([
    ['scale', { scale: 5 }],
    ['deploy.replicas', { deploy: { replicas: 3 } }],
    ['depends_on', { depends_on: { db: { condition: 'service_healthy', restart: true, required: true } } }],
    ['profiles', { profiles: ['x'] }],
    ['build', { build: { context: '/x', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] } }],
    ['pull_policy', { pull_policy: 'always' }],
    ['extensions', { extensions: { 'x-a': 1 } }],
    ['name', { name: 'other' }],
    ['env_file paths', { env_file: [{ path: '/a/.env', required: true }] }],
    ['develop', { develop: { watch: [{ path: '/src', action: 'rebuild', ignore: [] }] } }],
    ['an empty list the model starts filling', { device_cgroup_rules: [] }],
  ])('%s does not change the hash', (_name, change) => {
    expect(serviceConfigHash({ ...base, ...change }, project)).toBe(serviceConfigHash(base, project));
  });

  test('deploy fields other than replicas do change it', () => {
    expect(serviceConfigHash({ ...base, deploy: { resources: { limits: { memory: 1024 } } } }, project)).not.toBe(serviceConfigHash(base, project));
  });

  test.each<[string, Partial<Service>]>([
    ['environment value', { environment: { A: '1', B: '3' } }],
    ['environment null (pass-through) vs value', { environment: { A: '1', B: null } }],
    ['image', { image: 'busybox:1.36' }],
    ['ports', { ports: [{ target: 80, protocol: 'tcp', mode: 'ingress' }] }],
    ['volumes', { volumes: [{ type: 'bind', source: '/h', target: '/c' }] }],
    ['labels', { labels: { x: 'z' } }],
    ['command', { command: ['sh'] }],
    ['entrypoint cleared', { entrypoint: [] }],
    ['networks', { networks: { back: {} } }],
  ])('%s changes the hash', (_name, change) => {
    expect(serviceConfigHash({ ...base, ...change }, project)).not.toBe(serviceConfigHash(base, project));
  });

  test('secret and config content digests are part of the hash (compose#11900)', () => {
    const svc = { ...base, secrets: [{ source: 's', target: '/run/secrets/s' }], configs: [{ source: 'c', target: '/c' }] };
    const with_ = (s: string, c: string) =>
      makeProject({
        services: {},
        secrets: { s: { name: 's', digest: s, file: '/s', external: false, labels: {}, extensions: {} } },
        configs: { c: { name: 'c', digest: c, content: 'x', external: false, labels: {}, extensions: {} } },
      });
    const h = serviceConfigHash(svc, with_('1', '1'));
    expect(serviceConfigHash(svc, with_('2', '1'))).not.toBe(h);
    expect(serviceConfigHash(svc, with_('1', '2'))).not.toBe(h);
    expect(serviceConfigHash(svc, with_('1', '1'))).toBe(h);
    // An unreferenced secret does not matter.
    expect(serviceConfigHash(base, with_('1', '1'))).toBe(serviceConfigHash(base, with_('2', '2')));
  });

  test('the stored canonical text is what is hashed, and it parses back', () => {
    const config = serviceConfig(base, project);
    expect(JSON.parse(config.canonical)).toMatchObject({ environment: { A: '1', B: '2' }, image: 'busybox:latest' });
    expect(JSON.parse(config.canonical)).not.toHaveProperty('scale');
    expect(config.hash).toBe(serviceConfigHash(base, project));
  });
});

describe('canonicalJson', () => {
  test('sorts keys recursively and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [{ z: 1, y: 2 }] } })).toBe('{"a":{"c":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('network and volume hashes', () => {
  test('ignore extensions, follow configuration', () => {
    const n = makeNetwork('p', 'default');
    expect(networkConfigHash({ ...n, extensions: { 'x-a': 1 } })).toBe(networkConfigHash(n));
    expect(networkConfigHash({ ...n, driver: 'overlay' })).not.toBe(networkConfigHash(n));
    const v = makeVolume('p', 'data');
    expect(volumeConfigHash({ ...v, extensions: { 'x-a': 1 } })).toBe(volumeConfigHash(v));
    expect(volumeConfigHash({ ...v, driver_opts: { type: 'nfs' } })).not.toBe(volumeConfigHash(v));
  });
});
