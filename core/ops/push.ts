// `push [service...]`: pushes the images of services that are built and named (`build:` with
// `image:`, plus `build.tags`), as Compose does, in one bounded pool with per-image progress.
import { forEachBounded } from '../build/pool.js';
import { createCredentialLookup, explainRegistryError } from '../engine/credentials.js';
import type { ImageEngine } from '../engine/engine.js';
import type { RegistryAuth } from '../engine/engine.js';
import { silentSink } from '../events.js';
import type { Project } from '../model/types.js';
import { systemClock } from '../apply/wait.js';
import { parallelLimit, type OpsOptions } from './context.js';
import { transferProgress } from './images-policy.js';
import type { ImageOutcome } from './pull.js';

export interface PushOptions extends Omit<OpsOptions, 'engine'> {
  /** Only the image calls are used: the light client (core/engine/image-client.ts) will do. */
  engine: ImageEngine;
  project: Project;
  services?: string[];
  /** `--ignore-push-failures`: failures become warnings. */
  ignoreFailures?: boolean;
}

export interface PushResult {
  pushed: ImageOutcome[];
  failed: ImageOutcome[];
  warnings: string[];
}

/** The references `push` sends, each once, with the services they come from. */
export function pushTargets(project: Project, services?: readonly string[]): Map<string, string[]> {
  const wanted = services && services.length > 0 ? new Set(services) : undefined;
  const out = new Map<string, string[]>();
  for (const service of Object.values(project.services)) {
    if (wanted && !wanted.has(service.name)) continue;
    if (service.build === undefined || service.image === undefined) continue;
    for (const reference of [service.image, ...service.build.tags]) out.set(reference, [...(out.get(reference) ?? []), service.name]);
  }
  return out;
}

export async function push(options: PushOptions): Promise<PushResult> {
  const { engine } = options;
  const sink = options.sink ?? silentSink;
  const clock = options.clock ?? systemClock;
  const auth = options.auth ?? createCredentialLookup(options.env ? { env: options.env } : {});
  const result: PushResult = { pushed: [], failed: [], warnings: [] };
  let firstError: unknown;
  await forEachBounded(
    [...pushTargets(options.project, options.services)],
    parallelLimit(options.parallel, options.env),
    async ([image, services]) => {
      const started = clock.now();
      sink.emit({ kind: 'image', resource: image, action: 'Pushing', status: 'working', timestamp: started });
      const progress = transferProgress({ sink, clock, image, action: 'Pushing' });
      let credentials: RegistryAuth | undefined;
      try {
        credentials = await auth(image);
        await engine.pushImage(image, {
          ...(credentials ? { auth: credentials } : {}),
          onProgress: progress.onProgress,
        });
        result.pushed.push({ image, services });
        sink.emit({ kind: 'image', resource: image, action: 'Pushed', status: 'done', elapsedMs: clock.now() - started, timestamp: clock.now() });
      } catch (raw) {
        const error = explainRegistryError(raw, { image, action: 'push', auth: credentials });
        result.failed.push({ image, services, reason: error.message });
        if (options.ignoreFailures) result.warnings.push(error.message);
        else firstError ??= error;
        sink.emit({ kind: 'image', resource: image, action: options.ignoreFailures ? 'Warning' : 'Error', status: options.ignoreFailures ? 'warning' : 'error', detail: error.message, elapsedMs: clock.now() - started, timestamp: clock.now() });
      }
    },
    options.signal,
  );
  if (firstError !== undefined) throw firstError;
  return result;
}
