// `pull_policy` for the image verbs: the command line's override, and pull progress. When a
// policy pulls is core/plan/pull-policy.ts (the planner uses it too), re-exported here.
import type { PullProgress } from '../engine/engine.js';
import type { PullPolicy, Service } from '../model/types.js';
import type { EventSink } from '../events.js';
import type { Clock } from '../apply/wait.js';

export { parseDuration, pullDecision, refreshIntervalMs, type PullDecision } from '../plan/pull-policy.js';

/** `--policy` of `pull` (and `--pull` of `up`): overrides every service's pull_policy. */
export type PullPolicyOverride = 'always' | 'missing' | 'never' | 'build';

/** The policy in force for a service: the command line's, else the spec's, else `missing`. */
export function effectivePolicy(service: Pick<Service, 'pull_policy'>, override?: PullPolicyOverride): PullPolicy {
  return override ?? service.pull_policy ?? 'missing';
}

/**
 * Sums a pull's per-layer progress into one figure per image: bytes downloaded of bytes known,
 * and layers done of layers seen. Feeds the `progress` of image events.
 */
export class PullTally {
  private readonly layers = new Map<string, { current: number; total: number; done: boolean }>();

  add(p: PullProgress): void {
    if (p.id === undefined || /^(Pulling from|Digest|Status)/.test(p.status)) return;
    const layer = this.layers.get(p.id) ?? { current: 0, total: 0, done: false };
    if ((p.status === 'Downloading' || p.status === 'Pushing') && p.total !== undefined && p.total > 0) {
      layer.current = p.current ?? 0;
      layer.total = p.total;
    } else if (/^(Download complete|Pull complete|Already exists|Pushed|Layer already exists|Mounted from)/.test(p.status)) {
      if (layer.total > 0) layer.current = layer.total;
      layer.done = true;
    }
    this.layers.set(p.id, layer);
  }

  summary(): { current: number; total: number; layersDone: number; layers: number } {
    let current = 0;
    let total = 0;
    let layersDone = 0;
    for (const layer of this.layers.values()) {
      current += layer.current;
      total += layer.total;
      if (layer.done) layersDone++;
    }
    return { current, total, layersDone, layers: this.layers.size };
  }
}

/** Progress events at most this often per image: a pull or push sends hundreds of updates a second. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * The onProgress of one pull or push: sums its layers (PullTally) and sends at most one `working`
 * event per interval, `3/7 layers` with bytes; `summary` gives the totals once it is done.
 */
export function transferProgress(input: { sink: EventSink; clock: Clock; image: string; action: 'Pulling' | 'Pushing' }): {
  onProgress(p: PullProgress): void;
  summary(): ReturnType<PullTally['summary']>;
} {
  const tally = new PullTally();
  let lastEmit = 0;
  return {
    onProgress(p) {
      tally.add(p);
      const now = input.clock.now();
      if (now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      const s = tally.summary();
      if (s.layers === 0) return;
      input.sink.emit({
        kind: 'image',
        resource: input.image,
        action: input.action,
        status: 'working',
        detail: `${s.layersDone}/${s.layers} layers`,
        progress: { current: s.current, ...(s.total > 0 ? { total: s.total } : {}) },
        timestamp: now,
      });
    },
    summary: () => tally.summary(),
  };
}
