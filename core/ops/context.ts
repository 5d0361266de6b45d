// What every core operation (up, down, start, stop...) needs: an engine, somewhere to send
// progress, and how to run: parallelism, cancellation, time. Options objects, no singletons.
import type { Engine, ObservedContainer } from '../engine/engine.js';
import type { CredentialLookup } from '../engine/credentials.js';
import { silentSink, type EventSink } from '../events.js';
import type { Project } from '../model/types.js';
import { isOneOff, projectFilter, serviceOf } from '../observe/labels.js';
import type { ExecutablePlan, ExecuteResult } from '../apply/executor.js';
import { DEFAULT_PARALLEL_LIMIT } from '../apply/parallel-limit.js';
import { systemClock, waitForReady, type Clock } from '../apply/wait.js';

export interface OpsOptions {
  engine: Engine;
  /** Progress events; default: none. */
  sink?: EventSink;
  /** Aborting stops scheduling new operations and cancels waits and pulls in flight. */
  signal?: AbortSignal;
  /** Most engine operations in flight (`--parallel`); default COMPOSE_PARALLEL_LIMIT, else 64. 0 or less = no limit. */
  parallel?: number;
  /** Read for COMPOSE_PARALLEL_LIMIT; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  /** Poll interval of health and exit waits, in ms (default 200). */
  pollIntervalMs?: number;
  /** Registry credentials for pulls; default: the Docker config file and its credential helpers. */
  auth?: CredentialLookup;
}

/** What a mutating operation gives back: the plan it walked, what happened, and what the user should know. */
export interface OpResult<P extends ExecutablePlan = ExecutablePlan> {
  plan: P;
  /** Absent for a dry run. */
  result?: ExecuteResult;
  warnings: string[];
}

/** `--parallel` wins, then COMPOSE_PARALLEL_LIMIT, then 64. */
export function parallelLimit(parallel: number | undefined, env: Readonly<Record<string, string | undefined>> = process.env): number {
  if (parallel !== undefined && Number.isFinite(parallel)) return Math.trunc(parallel);
  const raw = env['COMPOSE_PARALLEL_LIMIT'];
  if (raw !== undefined && /^-?\d+$/.test(raw.trim())) return Number(raw.trim());
  return DEFAULT_PARALLEL_LIMIT;
}

/**
 * Runs a plan; when a node failed (or the signal aborted the run), throws ApplyFailedError (code
 * SERVICE_FAILED, exit 130 when aborted) AFTER everything that could still run has run. The
 * error carries the result and the warnings.
 */
export async function applyPlan(plan: ExecutablePlan, options: OpsOptions, extra: { project?: Project; warnings?: string[] } = {}): Promise<ExecuteResult> {
  // Nothing to do is the common case of a repeated `up`: it needs none of the executor's code.
  if (plan.nodes.length === 0) return { completed: [], failed: [], skipped: [], warnings: [], aborted: false };
  const { ApplyFailedError, executePlan } = await import('../apply/executor.js');
  const result = await executePlan(plan, {
    engine: options.engine,
    sink: options.sink ?? silentSink,
    parallel: parallelLimit(options.parallel, options.env),
    ...(extra.project ? { project: extra.project } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
  });
  if (result.failed.length > 0 || result.aborted) throw new ApplyFailedError(result, [...(extra.warnings ?? []), ...result.warnings]);
  return result;
}

/** The project's service containers (one-offs excluded unless asked), optionally only some services. */
export async function projectContainers(engine: Engine, projectName: string, options: { services?: readonly string[]; oneOffs?: boolean } = {}): Promise<ObservedContainer[]> {
  const all = await engine.listContainers({ labels: projectFilter(projectName), all: true });
  const wanted = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  return all
    .filter((c) => (options.oneOffs ?? false) || !isOneOff(c.labels))
    .filter((c) => wanted === undefined || wanted.has(serviceOf(c.labels) ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface WaitReadyInput {
  projectName: string;
  services?: readonly string[];
  /** Seconds; absent = no limit. */
  timeoutSeconds?: number;
  /** Services that may finish with exit 0 (others wait on them with service_completed_successfully). */
  mayComplete?: ReadonlySet<string>;
}

/** `--wait`: every selected container running, and healthy when it has a healthcheck. */
export async function waitUntilReady(options: OpsOptions, input: WaitReadyInput): Promise<void> {
  const sink = options.sink ?? silentSink;
  const clock = options.clock ?? systemClock;
  const containers = await projectContainers(options.engine, input.projectName, input.services ? { services: input.services } : {});
  const since = new Map<string, number>();
  const waiting = new Set<string>();
  try {
    await waitForReady({
      engine: options.engine,
      containers: containers.map((c) => c.name),
      clock,
      ...(input.mayComplete ? { mayComplete: input.mayComplete } : {}),
      ...(input.timeoutSeconds !== undefined ? { timeoutMs: input.timeoutSeconds * 1000 } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onUpdate: (update) => {
        const now = clock.now();
        if (update.state === 'waiting') {
          since.set(update.container, now);
          waiting.add(update.container);
          sink.emit({ kind: 'container', resource: update.container, action: 'Waiting', status: 'working', timestamp: now });
        } else {
          waiting.delete(update.container);
          sink.emit({ kind: 'container', resource: update.container, action: update.action === 'Started' ? 'Running' : update.action, status: 'done', elapsedMs: now - (since.get(update.container) ?? now), timestamp: now });
        }
      },
    });
  } catch (error) {
    const now = clock.now();
    const detail = error instanceof Error ? error.message : String(error);
    for (const container of waiting) {
      sink.emit({ kind: 'container', resource: container, action: 'Error', status: 'error', detail, elapsedMs: now - (since.get(container) ?? now), timestamp: now });
    }
    throw error;
  }
}

/** Services something depends on with `service_completed_successfully`: their exit 0 is success. */
export function completingServices(project: Project): Set<string> {
  const out = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const [name, dep] of Object.entries(service.depends_on)) if (dep.condition === 'service_completed_successfully') out.add(name);
  }
  return out;
}
