// How a service gets its image, decided from pull_policy, `build:` and the observed local
// images. Pure: the planner turns the decision into a node (or a spec problem).
import type { ImageInfo } from '../engine/engine.js';
import type { Service } from '../model/types.js';
import { findImage } from '../observe/observed-state.js';

export type ImageDecision =
  | { action: 'none' }
  | { action: 'pull' | 'build'; cause: string }
  /** Local images were not observed: the executor inspects and acts when missing. */
  | { action: 'ensure'; whenMissing: 'pull' | 'build' | 'fail'; cause: string }
  | { action: 'error'; message: string; hint: string };

export interface ImageQuestion {
  /** The reference the containers will run (`serviceImage`). */
  image: string;
  service: Pick<Service, 'name' | 'image' | 'build' | 'pull_policy'>;
  /** Undefined = not observed. */
  images: readonly ImageInfo[] | undefined;
  /** --build */
  build: boolean;
}

/**
 * - `build:` with --build or pull_policy build: build.
 * - pull_policy always: pull (a build-only service has nothing to pull from).
 * - present locally: nothing.
 * - missing: build when the service can, else pull; pull_policy never is an error.
 * `missing`, `if_not_present`, `daily`, `weekly` and `every_<d>` all act as "pull when missing":
 * without a record of the last pull (we keep no state file) the periodic ones cannot do better.
 */
export function decideImage(q: ImageQuestion): ImageDecision {
  const policy = q.service.pull_policy;
  const hasBuild = q.service.build !== undefined;
  if (hasBuild && (q.build || policy === 'build')) return { action: 'build', cause: q.build ? '--build' : 'pull_policy: build' };
  if (policy === 'always' && q.service.image !== undefined) return { action: 'pull', cause: 'pull_policy: always' };
  if (q.images === undefined) {
    const whenMissing = hasBuild ? 'build' : policy === 'never' ? 'fail' : 'pull';
    return { action: 'ensure', whenMissing, cause: `${whenMissing === 'fail' ? 'check' : whenMissing} if missing` };
  }
  if (findImage(q.images, q.image)) return { action: 'none' };
  if (hasBuild) return { action: 'build', cause: 'not found locally' };
  if (policy === 'never') {
    return {
      action: 'error',
      message: `image "${q.image}" of service ${q.service.name} is not present locally and pull_policy is never`,
      hint: `pull it with \`docker pull ${q.image}\`, or change pull_policy`,
    };
  }
  return { action: 'pull', cause: 'not found locally' };
}
