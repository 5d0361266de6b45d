// `pull [service...]`: pulls the services' images in one bounded pool, each image once however
// many services use it, with per-image progress (bytes, layers). Which images are pulled follows
// Compose: no `image:` = nothing to pull; pull_policy never/build = skipped; missing/if_not_present
// = only when absent; a buildable service whose pull fails is a warning (it can be built instead).
import { forEachBounded } from '../build/pool.js';
import { createCredentialLookup, explainRegistryError } from '../engine/credentials.js';
import type { ImageEngine } from '../engine/engine.js';
import { silentSink } from '../events.js';
import type { Project } from '../model/types.js';
import { systemClock } from '../apply/wait.js';
import { parallelLimit, type OpsOptions } from './context.js';
import { effectivePolicy, pullDecision, transferProgress, type PullPolicyOverride } from './images-policy.js';

export interface PullOptions extends Omit<OpsOptions, 'engine'> {
  /** Only the image calls are used: the light client (core/engine/image-client.ts) will do. */
  engine: ImageEngine;
  project: Project;
  /** Only these services; default all active ones (select dependencies when loading the project). */
  services?: string[];
  /** `--policy`: overrides each service's pull_policy (default: pull everything pullable, as `always`). */
  policy?: PullPolicyOverride;
  /** `--ignore-pull-failures`: failures become warnings. */
  ignoreFailures?: boolean;
  /** `--ignore-buildable`: skip services that can be built. */
  ignoreBuildable?: boolean;
  /** Decide only: `pulled` lists what would be pulled, nothing is pulled. */
  dryRun?: boolean;
}

export interface ImageOutcome {
  image: string;
  services: string[];
  /** Why it was skipped, or the error message when it failed. */
  reason?: string;
}

export interface PullResult {
  pulled: ImageOutcome[];
  skipped: ImageOutcome[];
  failed: ImageOutcome[];
  warnings: string[];
}

/** Throws (after every pull has ended) when a pull failed and failures are not ignored; the first failure's error, others in the result. */
export async function pull(options: PullOptions): Promise<PullResult> {
  const { project, engine } = options;
  const sink = options.sink ?? silentSink;
  const clock = options.clock ?? systemClock;
  const auth = options.auth ?? createCredentialLookup(options.env ? { env: options.env } : {});
  const wanted = options.services && options.services.length > 0 ? new Set(options.services) : undefined;

  // image -> services, and whether every one of them could be built instead.
  const byImage = new Map<string, { services: string[]; buildable: boolean; skip?: string }>();
  const result: PullResult = { pulled: [], skipped: [], failed: [], warnings: [] };
  for (const service of Object.values(project.services)) {
    if (wanted && !wanted.has(service.name)) continue;
    if (service.image === undefined) {
      result.skipped.push({ image: `${project.name}-${service.name}`, services: [service.name], reason: 'no image to be pulled' });
      continue;
    }
    const entry = byImage.get(service.image) ?? { services: [], buildable: true };
    entry.services.push(service.name);
    entry.buildable &&= service.build !== undefined;
    const policy = effectivePolicy(service, options.policy);
    if (options.ignoreBuildable && service.build !== undefined) entry.skip ??= 'image can be built';
    else if (policy === 'never' || policy === 'build') entry.skip ??= `pull_policy: ${policy}`;
    byImage.set(service.image, entry);
  }

  // `pull` pulls what has no policy (Compose does); an explicit or --policy `missing` or periodic
  // policy lets the local copy decide. One service wanting a pull is enough for the image.
  const candidates: { image: string; services: string[]; buildable: boolean }[] = [];
  await forEachBounded([...byImage], parallelLimit(options.parallel, options.env), async ([image, entry]) => {
    if (entry.skip !== undefined) {
      result.skipped.push({ image, services: entry.services, reason: entry.skip });
      return;
    }
    const policies = entry.services.map((name) => options.policy ?? project.services[name]?.pull_policy ?? 'always');
    const local = policies.includes('always') ? undefined : await engine.inspectImage(image);
    const decisions = policies.map((policy) => pullDecision(policy, local, clock.now()));
    if (decisions.some((d) => d.pull)) candidates.push({ image, ...entry });
    else result.skipped.push({ image, services: entry.services, reason: decisions[0]?.reason ?? 'image is already present locally' });
  });

  if (options.dryRun) {
    result.pulled.push(...candidates.map(({ image, services }) => ({ image, services })));
    return result;
  }
  for (const skipped of result.skipped) {
    sink.emit({ kind: 'image', resource: skipped.image, action: 'Skipped', status: 'info', detail: skipped.reason ?? '', timestamp: clock.now() });
  }

  let firstError: unknown;
  await forEachBounded(
    candidates,
    parallelLimit(options.parallel, options.env),
    async ({ image, services, buildable }) => {
      const started = clock.now();
      sink.emit({ kind: 'image', resource: image, action: 'Pulling', status: 'working', timestamp: started });
      const progress = transferProgress({ sink, clock, image, action: 'Pulling' });
      let credentials;
      try {
        credentials = await auth(image);
        await engine.pullImage(image, {
          ...(credentials ? { auth: credentials } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: progress.onProgress,
        });
        const s = progress.summary();
        result.pulled.push({ image, services });
        sink.emit({ kind: 'image', resource: image, action: 'Pulled', status: 'done', ...(s.layers > 0 ? { detail: `${s.layers} layers` } : {}), elapsedMs: clock.now() - started, timestamp: clock.now() });
      } catch (raw) {
        const error = explainRegistryError(raw, { image, action: 'pull', auth: credentials });
        const soft = options.ignoreFailures || buildable;
        result.failed.push({ image, services, reason: error.message });
        if (soft) result.warnings.push(`${buildable ? `${services.join(', ')} can be built instead: ` : ''}${error.message}`);
        else firstError ??= error;
        sink.emit({ kind: 'image', resource: image, action: soft ? 'Warning' : 'Error', status: soft ? 'warning' : 'error', detail: error.message, elapsedMs: clock.now() - started, timestamp: clock.now() });
      }
    },
    options.signal,
  );
  if (firstError !== undefined) throw firstError;
  return result;
}
