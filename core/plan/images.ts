// How a service gets its image, decided from pull_policy, `build:` and the observed local
// images. Pure: the planner turns the decision into a node (or a spec problem).
import type { ImageInfo } from '../engine/engine.js';
import type { PullPolicy, Service } from '../model/types.js';
import { findImage } from '../observe/observed-state.js';
import { pullDecision, refreshIntervalMs } from './pull-policy.js';
import type { WhenMissing } from './types.js';

export type ImageDecision =
  | { action: 'none' }
  | { action: 'build'; cause: string }
  /** `fallbackBuild`: a failed pull is a warning, then the image is built if it is not there. */
  | { action: 'pull'; cause: string; fallbackBuild?: true }
  /** Local images were not observed: the executor inspects and acts when missing (or, with `refresh`, old). */
  | { action: 'ensure'; whenMissing: WhenMissing; cause: string; refresh?: PullPolicy }
  | { action: 'error'; message: string; hint: string };

export interface ImageQuestion {
  /** The reference the containers will run (`serviceImage`). */
  image: string;
  service: Pick<Service, 'name' | 'image' | 'build' | 'pull_policy'>;
  /** Undefined = not observed. */
  images: readonly ImageInfo[] | undefined;
  /** --build */
  build: boolean;
  /**
   * The clock (ms since the epoch) that daily/weekly/every_<d> compare the local image's last
   * pull with. Undefined: those policies act as `missing`.
   */
  nowMs?: number;
}

const FALLBACK = 'build if the pull fails';

/**
 * Compose v2's rules:
 * - `build:` with --build or pull_policy build: build.
 * - pull_policy always: pull (a build-only service has nothing to pull from).
 * - present locally: nothing, unless a periodic policy finds its last pull too old: pull.
 * - missing: pull; never is an error.
 * A service with both `image:` and `build:` pulls first and builds only when the pull fails (the
 * pull's error is then a warning); with pull_policy never, or without `image:`, it just builds.
 */
export function decideImage(q: ImageQuestion): ImageDecision {
  const policy = q.service.pull_policy ?? 'missing';
  const hasBuild = q.service.build !== undefined;
  const pullable = q.service.image !== undefined;
  const fallback = hasBuild ? ({ fallbackBuild: true } as const) : {};
  if (hasBuild && (q.build || policy === 'build')) return { action: 'build', cause: q.build ? '--build' : 'pull_policy: build' };
  const local = q.images === undefined ? undefined : findImage(q.images, q.image);
  // A failed pull of a present image keeps it (a warning when the service could build): no build then.
  if (policy === 'always' && pullable) return { action: 'pull', cause: withFallback('pull_policy: always', hasBuild && !local), ...fallback };
  const periodic = pullable && q.nowMs !== undefined && refreshIntervalMs(policy) !== undefined;

  if (q.images === undefined) {
    const whenMissing: WhenMissing = hasBuild ? (pullable && policy !== 'never' ? 'pull-or-build' : 'build') : policy === 'never' ? 'fail' : 'pull';
    const refresh = periodic ? policy : undefined;
    return { action: 'ensure', whenMissing, cause: ensureCause(whenMissing, refresh), ...(refresh !== undefined ? { refresh } : {}) };
  }

  if (local) {
    if (!periodic) return { action: 'none' };
    const decision = pullDecision(policy, local, q.nowMs!);
    return decision.pull ? { action: 'pull', cause: decision.reason, ...fallback } : { action: 'none' };
  }
  if (hasBuild) {
    if (pullable && policy !== 'never') return { action: 'pull', cause: withFallback('not found locally', true), fallbackBuild: true };
    return { action: 'build', cause: 'not found locally' };
  }
  if (policy === 'never') {
    return {
      action: 'error',
      message: `image "${q.image}" of service ${q.service.name} is not present locally and pull_policy is never`,
      hint: `pull it with \`docker pull ${q.image}\`, or change pull_policy`,
    };
  }
  return { action: 'pull', cause: 'not found locally' };
}

function withFallback(cause: string, hasBuild: boolean): string {
  return hasBuild ? `${cause}; ${FALLBACK}` : cause;
}

/** The plan's words for an ensure-image node: `pull if missing`, `build if missing, pull if older than daily`. */
export function ensureCause(whenMissing: WhenMissing, refresh?: PullPolicy): string {
  const words: Record<WhenMissing, string> = { fail: 'check', pull: 'pull', build: 'build', 'pull-or-build': `pull (${FALLBACK})` };
  return `${words[whenMissing]} if missing${refresh !== undefined ? `, pull if older than ${refresh}` : ''}`;
}

/**
 * Two services need one image: a pull and a build of it is Compose's pull-then-build (a failed
 * pull of an image some service builds is not fatal); `fail` (never) yields to any other.
 */
export function mergeWhenMissing(a: WhenMissing, b: WhenMissing): WhenMissing {
  if (a === b || b === 'fail') return a;
  if (a === 'fail') return b;
  return 'pull-or-build';
}

/** Of two periodic policies, the one that pulls sooner. */
export function shorterRefresh(a: PullPolicy | undefined, b: PullPolicy | undefined): PullPolicy | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return (refreshIntervalMs(b) ?? Infinity) < (refreshIntervalMs(a) ?? Infinity) ? b : a;
}
