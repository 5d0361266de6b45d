// The `build-image` operation of an apply (`up` builds what is missing, `up --build`,
// pull_policy: build): one service's build with its progress as events. core/apply/operations.ts
// calls this; the build itself is ./build.ts.
import type { CredentialLookup } from '../engine/credentials.js';
import type { Engine } from '../engine/engine.js';
import { InternalError } from '../errors.js';
import type { ProgressEvent } from '../events.js';
import type { Project } from '../model/types.js';
import { buildServiceImage, type BuiltImage } from './build.js';

export interface ApplyBuildInput {
  engine: Pick<Engine, 'buildImage'>;
  project: Project | undefined;
  service: string;
  image: string;
  auth?: CredentialLookup;
  emit: (event: Omit<ProgressEvent, 'timestamp'>) => void;
  now: () => number;
  signal?: AbortSignal;
}

export async function buildForApply(input: ApplyBuildInput): Promise<BuiltImage> {
  const service = input.project?.services[input.service];
  if (service?.build === undefined) throw new InternalError(`build-image planned for service ${input.service}, which has no build section`);
  const started = input.now();
  input.emit({ kind: 'service', resource: input.service, action: 'Building', status: 'working', detail: input.image });
  try {
    const built = await buildServiceImage({
      engine: input.engine,
      service,
      image: input.image,
      ...(input.auth ? { auth: input.auth } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      onOutput: (line) => {
        if (line.trim() !== '') input.emit({ kind: 'service', resource: input.service, action: 'Building', status: 'working', detail: line });
      },
    });
    input.emit({ kind: 'service', resource: input.service, action: 'Built', status: 'done', detail: input.image, elapsedMs: input.now() - started });
    return built;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    input.emit({ kind: 'service', resource: input.service, action: 'Error', status: 'error', detail: message.split('\n')[0] ?? message, elapsedMs: input.now() - started });
    throw error;
  }
}
