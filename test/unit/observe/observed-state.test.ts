import { describe, expect, test } from 'vitest';
import type { Engine, ImageInfo } from '../../../core/engine/engine.js';
import { findImage, normalizeImageReference, observe } from '../../../core/observe/observed-state.js';

/** Only the calls observe() may make; any other call fails the test. */
function fakeEngine(log: string[]): Engine {
  const pending: (() => void)[] = [];
  const later = <T>(name: string, value: T): Promise<T> => {
    log.push(name);
    return new Promise((resolve) => {
      pending.push(() => resolve(value));
      // Resolve only once all three list calls were issued: proves they run in parallel.
      if (log.filter((l) => l.startsWith('list')).length >= 3) for (const p of pending.splice(0)) p();
    });
  };
  const engine = {
    listContainers: (filter: unknown) => later(`listContainers ${JSON.stringify(filter)}`, []),
    listNetworks: (filter: unknown) => later(`listNetworks ${JSON.stringify(filter)}`, []),
    listVolumes: (filter: unknown) => later(`listVolumes ${JSON.stringify(filter)}`, []),
    listImages: () => Promise.resolve([]),
    inspectNetwork: (name: string) => Promise.resolve(name === 'here' ? { id: '1', name, driver: 'bridge', labels: {} } : undefined),
    inspectVolume: () => Promise.resolve(undefined),
  };
  return new Proxy(engine, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      throw new Error(`observe() must not call ${String(prop)}`);
    },
  }) as unknown as Engine;
}

describe('observe', () => {
  test('lists containers (all), networks and volumes by project label, in parallel', async () => {
    const log: string[] = [];
    const state = await observe(fakeEngine(log), 'myapp');
    expect(state).toEqual({ projectName: 'myapp', containers: [], networks: [], volumes: [] });
    expect(log).toEqual([
      'listContainers {"labels":["com.docker.compose.project=myapp"],"all":true}',
      'listNetworks {"labels":["com.docker.compose.project=myapp"]}',
      'listVolumes {"labels":["com.docker.compose.project=myapp"]}',
    ]);
  });

  test('looks at images and external resources only when asked', async () => {
    const state = await observe(fakeEngine([]), 'myapp', { images: true, externalNetworks: ['here', 'gone'], externalVolumes: ['v'] });
    expect(state.images).toEqual([]);
    expect(state.external).toEqual({ networks: ['here'], volumes: [] });
  });
});

describe('image references', () => {
  test('normalise to one spelling', () => {
    expect(normalizeImageReference('redis')).toBe('docker.io/library/redis:latest');
    expect(normalizeImageReference('docker.io/library/redis:latest')).toBe('docker.io/library/redis:latest');
    expect(normalizeImageReference('me/app:1')).toBe('docker.io/me/app:1');
    expect(normalizeImageReference('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizeImageReference('ghcr.io/o/app@sha256:abc')).toBe('ghcr.io/o/app@sha256:abc');
  });

  test('findImage matches tags, digests and ids', () => {
    const img: ImageInfo = { id: 'sha256:1', repoTags: ['redis:7'], repoDigests: ['redis@sha256:d'], created: 0, size: 0, labels: {} };
    expect(findImage([img], 'docker.io/library/redis:7')).toBe(img);
    expect(findImage([img], 'redis@sha256:d')).toBe(img);
    expect(findImage([img], 'sha256:1')).toBe(img);
    expect(findImage([img], 'redis')).toBeUndefined();
  });
});
