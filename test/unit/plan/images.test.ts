import { expect, test } from 'vitest';
import type { ImageInfo } from '../../../core/engine/engine.js';
import { decideImage } from '../../../core/plan/images.js';

const present: ImageInfo[] = [{ id: 'sha256:1', repoTags: ['redis:7'], repoDigests: [], created: 0, size: 0, labels: {} }];
const build = { context: '/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] };

test.each([
  ['missing policy, present', { name: 'a', image: 'redis:7' }, present, { action: 'none' }],
  ['daily acts as missing', { name: 'a', image: 'redis:8', pull_policy: 'daily' as const }, present, { action: 'pull', cause: 'not found locally' }],
  ['always pulls even when present', { name: 'a', image: 'redis:7', pull_policy: 'always' as const }, present, { action: 'pull', cause: 'pull_policy: always' }],
  ['always on a build-only service builds when missing', { name: 'a', build, pull_policy: 'always' as const }, [], { action: 'build', cause: 'not found locally' }],
  ['never, missing, unknown images', { name: 'a', image: 'x', pull_policy: 'never' as const }, undefined, { action: 'ensure', whenMissing: 'fail', cause: 'check if missing' }],
])('%s', (_name, service, images, expected) => {
  const image = 'image' in service ? service.image : 'p-a';
  expect(decideImage({ image, service, images, build: false })).toEqual(expected);
});

test('never with a missing image is an error with a hint', () => {
  const d = decideImage({ image: 'x:1', service: { name: 'a', image: 'x:1', pull_policy: 'never' }, images: [], build: false });
  expect(d).toMatchObject({ action: 'error', hint: 'pull it with `docker pull x:1`, or change pull_policy' });
});
