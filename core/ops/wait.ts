// `wait SERVICE...`: blocks until the services' containers stop; the first exit code to come is
// the result (Compose's `wait`). With `downProject` the whole project is then taken down.
import { StackError } from '../errors.js';
import type { Engine, ObservedContainer } from '../engine/engine.js';
import { isOneOff, LABEL_SERVICE, projectFilter } from '../observe/labels.js';

export interface WaitOptions {
  projectName: string;
  services: string[];
  signal?: AbortSignal;
}

export interface WaitResult {
  container: ObservedContainer;
  exitCode: number;
}

export async function wait(engine: Pick<Engine, 'listContainers' | 'waitContainer'>, options: WaitOptions): Promise<WaitResult> {
  const containers = (await engine.listContainers({ labels: projectFilter(options.projectName), all: true }))
    .filter((c) => !isOneOff(c.labels) && options.services.includes(c.labels[LABEL_SERVICE] ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (containers.length === 0) {
    throw new StackError('NOT_FOUND', `no containers for ${options.services.join(', ')} in project ${options.projectName}`, { hint: '`stack ps -a` shows the project\'s containers' });
  }
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.any(containers.map(async (container) => ({ container, exitCode: await engine.waitContainer(container.id, stop.signal) })));
  } catch (error) {
    throw error instanceof AggregateError ? (error.errors[0] as Error) : error;
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
