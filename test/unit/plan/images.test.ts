import { describe, expect, test } from 'vitest';
import type { ImageInfo } from '../../../core/engine/engine.js';
import type { PullPolicy } from '../../../core/model/types.js';
import { decideImage, ensureCause, mergeWhenMissing, shorterRefresh, type ImageDecision } from '../../../core/plan/images.js';

/** A fixed clock: 2026-01-10T00:00:00Z. */
const NOW = Date.UTC(2026, 0, 10);
const seconds = (ms: number): number => Math.floor(ms / 1000);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const localImage = (ref: string, lastTagMsAgo: number): ImageInfo[] => [
  // created long ago: the last tag (the last pull) is what counts.
  { id: 'sha256:1', repoTags: [ref], repoDigests: [], created: seconds(NOW - 400 * DAY), lastTagTime: seconds(NOW - lastTagMsAgo), size: 0, labels: {} },
];
const build = { context: '/b', args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [] };

/** present: pulled a minute ago; old: pulled 8 days ago (older than daily, weekly and every_1h); missing. */
type Local = 'present' | 'old' | 'missing';
const LOCALS: Local[] = ['present', 'old', 'missing'];
const imagesFor = (ref: string, local: Local): ImageInfo[] => (local === 'missing' ? [] : localImage(ref, local === 'present' ? 60_000 : 8 * DAY));

const NONE: ImageDecision = { action: 'none' };
const pull = (cause: string): ImageDecision => ({ action: 'pull', cause });
const pullOrBuild = (cause: string): ImageDecision => ({ action: 'pull', cause, fallbackBuild: true });
const buildIt = (cause: string): ImageDecision => ({ action: 'build', cause });
const neverError: ImageDecision = {
  action: 'error',
  message: 'image "app:1" of service a is not present locally and pull_policy is never',
  hint: 'pull it with `docker pull app:1`, or change pull_policy',
};
const FALLBACK = 'not found locally; build if the pull fails';
const older = (policy: string): string => `pull_policy: ${policy} (local copy is older)`;

/** policy -> [present, old, missing] for `image: app:1` alone, `image:` + `build:`, and `build:` alone. */
const MATRIX: [PullPolicy | undefined, { image: ImageDecision[]; imageAndBuild: ImageDecision[]; buildOnly: ImageDecision[] }][] = [
  [undefined, { image: [NONE, NONE, pull('not found locally')], imageAndBuild: [NONE, NONE, pullOrBuild(FALLBACK)], buildOnly: [NONE, NONE, buildIt('not found locally')] }],
  ['missing', { image: [NONE, NONE, pull('not found locally')], imageAndBuild: [NONE, NONE, pullOrBuild(FALLBACK)], buildOnly: [NONE, NONE, buildIt('not found locally')] }],
  ['if_not_present', { image: [NONE, NONE, pull('not found locally')], imageAndBuild: [NONE, NONE, pullOrBuild(FALLBACK)], buildOnly: [NONE, NONE, buildIt('not found locally')] }],
  [
    'always',
    {
      image: [pull('pull_policy: always'), pull('pull_policy: always'), pull('pull_policy: always')],
      // A failed pull of a present image keeps it; of a missing one, builds.
      imageAndBuild: [pullOrBuild('pull_policy: always'), pullOrBuild('pull_policy: always'), pullOrBuild('pull_policy: always; build if the pull fails')],
      buildOnly: [NONE, NONE, buildIt('not found locally')],
    },
  ],
  ['never', { image: [NONE, NONE, neverError], imageAndBuild: [NONE, NONE, buildIt('not found locally')], buildOnly: [NONE, NONE, buildIt('not found locally')] }],
  [
    'build',
    {
      image: [NONE, NONE, pull('not found locally')],
      imageAndBuild: [buildIt('pull_policy: build'), buildIt('pull_policy: build'), buildIt('pull_policy: build')],
      buildOnly: [buildIt('pull_policy: build'), buildIt('pull_policy: build'), buildIt('pull_policy: build')],
    },
  ],
  ...(['daily', 'weekly', 'every_1h'] as const).map(
    (policy) =>
      [
        policy,
        {
          image: [NONE, pull(older(policy)), pull('not found locally')],
          imageAndBuild: [NONE, pullOrBuild(older(policy)), pullOrBuild(FALLBACK)],
          // Nothing to pull from: only a missing image matters.
          buildOnly: [NONE, NONE, buildIt('not found locally')],
        },
      ] as [PullPolicy, { image: ImageDecision[]; imageAndBuild: ImageDecision[]; buildOnly: ImageDecision[] }],
  ),
];

const CASES = MATRIX.flatMap(([policy, expected]) =>
  LOCALS.flatMap((local, i) => [
    { policy, local, variant: 'image' as const, expected: expected.image[i]! },
    { policy, local, variant: 'image + build' as const, expected: expected.imageAndBuild[i]! },
    { policy, local, variant: 'build only' as const, expected: expected.buildOnly[i]! },
  ]),
);

function serviceOf(variant: 'image' | 'image + build' | 'build only', policy: PullPolicy | undefined) {
  return {
    name: 'a',
    ...(variant !== 'build only' ? { image: 'app:1' } : {}),
    ...(variant !== 'image' ? { build } : {}),
    ...(policy !== undefined ? { pull_policy: policy } : {}),
  };
}

describe('decideImage: every pull_policy x local image x build (clock fixed)', () => {
  test.each(CASES)('pull_policy $policy, $variant, image $local', ({ policy, local, variant, expected }) => {
    const image = variant === 'build only' ? 'p-a' : 'app:1';
    expect(decideImage({ image, service: serviceOf(variant, policy), images: imagesFor(image, local), build: false, nowMs: NOW })).toEqual(expected);
  });
});

describe('decideImage: periodic policies and the clock', () => {
  test.each([
    ['every_30m', 29 * 60_000, false],
    ['every_30m', 30 * 60_000, true],
    ['every_1h30m', 89 * 60_000, false],
    ['every_1h30m', 91 * 60_000, true],
    ['daily', DAY - 1000, false],
    ['daily', DAY, true],
    ['weekly', 6 * DAY, false],
    ['weekly', 7 * DAY, true],
  ] as const)('%s with a last pull %d ms ago pulls: %s', (policy, ago, pulls) => {
    const d = decideImage({ image: 'app:1', service: { name: 'a', image: 'app:1', pull_policy: policy }, images: localImage('app:1', ago), build: false, nowMs: NOW });
    expect(d.action).toBe(pulls ? 'pull' : 'none');
  });

  test('without lastTagTime the creation time is the age', () => {
    const images: ImageInfo[] = [{ id: 'sha256:1', repoTags: ['app:1'], repoDigests: [], created: seconds(NOW - 2 * DAY), size: 0, labels: {} }];
    expect(decideImage({ image: 'app:1', service: { name: 'a', image: 'app:1', pull_policy: 'daily' }, images, build: false, nowMs: NOW })).toEqual(pull(older('daily')));
  });

  test('without a clock, a periodic policy acts as missing', () => {
    expect(decideImage({ image: 'app:1', service: { name: 'a', image: 'app:1', pull_policy: 'daily' }, images: localImage('app:1', 30 * DAY), build: false })).toEqual(NONE);
    expect(decideImage({ image: 'app:1', service: { name: 'a', image: 'app:1', pull_policy: 'daily' }, images: [], build: false })).toEqual(pull('not found locally'));
  });
});

describe('decideImage: --build', () => {
  test.each(LOCALS)('builds a service with build: whatever its policy (image %s)', (local) => {
    for (const policy of ['always', 'never', 'missing', 'daily'] as const) {
      expect(decideImage({ image: 'app:1', service: serviceOf('image + build', policy), images: imagesFor('app:1', local), build: true, nowMs: NOW })).toEqual(buildIt('--build'));
    }
  });

  test('does not build a service without build:', () => {
    expect(decideImage({ image: 'app:1', service: serviceOf('image', undefined), images: [], build: true, nowMs: NOW })).toEqual(pull('not found locally'));
  });
});

describe('decideImage: images not observed (the executor looks)', () => {
  test.each([
    ['image, default', serviceOf('image', undefined), { action: 'ensure', whenMissing: 'pull', cause: 'pull if missing' }],
    ['image, never', serviceOf('image', 'never'), { action: 'ensure', whenMissing: 'fail', cause: 'check if missing' }],
    ['image, daily', serviceOf('image', 'daily'), { action: 'ensure', whenMissing: 'pull', cause: 'pull if missing, pull if older than daily', refresh: 'daily' }],
    ['image + build, default', serviceOf('image + build', undefined), { action: 'ensure', whenMissing: 'pull-or-build', cause: 'pull (build if the pull fails) if missing' }],
    ['image + build, never', serviceOf('image + build', 'never'), { action: 'ensure', whenMissing: 'build', cause: 'build if missing' }],
    [
      'image + build, every_2h',
      serviceOf('image + build', 'every_2h'),
      { action: 'ensure', whenMissing: 'pull-or-build', cause: 'pull (build if the pull fails) if missing, pull if older than every_2h', refresh: 'every_2h' },
    ],
    ['build only, weekly', serviceOf('build only', 'weekly'), { action: 'ensure', whenMissing: 'build', cause: 'build if missing' }],
    ['image, always', serviceOf('image', 'always'), pull('pull_policy: always')],
    ['image + build, always', serviceOf('image + build', 'always'), pullOrBuild('pull_policy: always; build if the pull fails')],
    ['image + build, build', serviceOf('image + build', 'build'), buildIt('pull_policy: build')],
  ] as const)('%s', (_name, service, expected) => {
    expect(decideImage({ image: 'app:1', service, images: undefined, build: false, nowMs: NOW })).toEqual(expected);
  });

  test('without a clock no refresh is asked for', () => {
    expect(decideImage({ image: 'app:1', service: serviceOf('image', 'daily'), images: undefined, build: false })).toEqual({ action: 'ensure', whenMissing: 'pull', cause: 'pull if missing' });
  });
});

describe('merging the needs of services sharing one image', () => {
  test.each([
    ['pull', 'pull', 'pull'],
    ['pull', 'fail', 'pull'],
    ['fail', 'build', 'build'],
    ['pull', 'build', 'pull-or-build'],
    ['build', 'pull-or-build', 'pull-or-build'],
    ['fail', 'fail', 'fail'],
  ] as const)('%s + %s = %s', (a, b, merged) => {
    expect(mergeWhenMissing(a, b)).toBe(merged);
    expect(mergeWhenMissing(b, a)).toBe(merged);
  });

  test('the shorter refresh interval wins', () => {
    expect(shorterRefresh('daily', 'every_2h')).toBe('every_2h');
    expect(shorterRefresh('every_2h', 'weekly')).toBe('every_2h');
    expect(shorterRefresh(undefined, 'weekly')).toBe('weekly');
    expect(shorterRefresh(undefined, undefined)).toBeUndefined();
    expect(ensureCause('pull-or-build', 'daily')).toBe('pull (build if the pull fails) if missing, pull if older than daily');
  });
});
