// When a `pull_policy` pulls, given the local image and the time. The one rule shared by the
// planner (`up`), the executor's ensure-image (images not observed) and `stack pull`; pure: the
// local image (or its absence) and the clock come in, a decision comes out.
//
//   always            pull every time
//   missing           pull when not present locally (the default; `if_not_present` is the same)
//   never             never pull; a missing image is an error
//   build             build instead of pulling
//   daily, weekly,    pull when missing, or when the local copy was last pulled (tagged) longer
//   every_<duration>  ago than that (`every_12h`, `every_30m`, `every_1h30m`)
import type { ImageInfo } from '../engine/engine.js';
import type { PullPolicy } from '../model/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How old a local image may be before a periodic policy pulls it again; undefined = not periodic. */
export function refreshIntervalMs(policy: PullPolicy): number | undefined {
  if (policy === 'daily') return DAY_MS;
  if (policy === 'weekly') return 7 * DAY_MS;
  if (policy.startsWith('every_')) return parseDuration(policy.slice('every_'.length));
  return undefined;
}

/** Go-style durations as compose-go reads them: `12h`, `30m`, `1h30m`, `45s`, `2d` (days, too). */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * (units[unit as string] ?? 0), 0);
}

export type PullDecision = { pull: true; reason: string } | { pull: false; reason: string };

/**
 * Whether an image of this policy is pulled, given the local image (undefined = not present).
 * `nowMs` is the clock; the local image's age is that of its last tag (a pull tags it), else its
 * creation.
 */
export function pullDecision(policy: PullPolicy, local: Pick<ImageInfo, 'created' | 'lastTagTime'> | undefined, nowMs: number): PullDecision {
  switch (policy) {
    case 'always':
      return { pull: true, reason: 'pull_policy: always' };
    case 'never':
      return { pull: false, reason: 'pull_policy: never' };
    case 'build':
      return { pull: false, reason: 'pull_policy: build' };
    case 'missing':
    case 'if_not_present':
      return local === undefined ? { pull: true, reason: 'not found locally' } : { pull: false, reason: 'image is already present locally' };
    default: {
      if (local === undefined) return { pull: true, reason: 'not found locally' };
      const interval = refreshIntervalMs(policy);
      // An unknown policy the schema let through: behave as `missing`.
      if (interval === undefined) return { pull: false, reason: 'image is already present locally' };
      const stampSeconds = local.lastTagTime ?? local.created;
      const age = nowMs - stampSeconds * 1000;
      return age >= interval ? { pull: true, reason: `pull_policy: ${policy} (local copy is older)` } : { pull: false, reason: `pull_policy: ${policy} (local copy is recent)` };
    }
  }
}
