// `stack watch` and `up --watch`: the dev loop. Two watchers run side by side:
//   - the spec: every file the model came from (Project.sourceFiles); a save reloads it
//     (core/watch/reload.ts) and applies only the difference: removed services are stopped and
//     removed (`rm --stop`), added and changed ones (and their dependants) go through `up`;
//   - the sources: develop.watch rules (core/watch/sources.ts): sync, sync+restart, sync+exec,
//     restart, rebuild.
// Nothing here prints: the caller gets typed reports (and the sink one event per reload/sync).
import { silentSink, type EventSink } from '../events.js';
import { StackError } from '../errors.js';
import type { Project, Service } from '../model/types.js';
import type { ExecutableNode } from '../apply/operations.js';
import type { TimerClock } from '../watch/debounce.js';
import type { ProjectChange } from '../watch/diff.js';
import { Reloader, type AppliedChange, type LoadedModel, type ReloadReport } from '../watch/reload.js';
import { SourceWatch, type SourceReport } from '../watch/sources.js';
import { watchFiles, type FileSetWatcher } from '../watch/watcher.js';
import type { OpsOptions } from './context.js';
import { serviceImage } from '../plan/naming.js';
import { rm } from './lifecycle.js';
import { up } from './up.js';

/** Spec saves: an editor's save is a burst of writes within a few ms; 100 ms of quiet sees its end. */
export const DEFAULT_SPEC_QUIET_MS = 100;
/** Source saves: shorter, the point is to see a change at once. */
export const DEFAULT_SYNC_QUIET_MS = 50;

export type WatchReport = ReloadReport | SourceReport | { kind: 'watch-error'; error: StackError };

export interface WatchOptions extends OpsOptions {
  /** The model that is currently applied (after the initial `up`). */
  project: Project;
  /** load -> validate -> model -> graph, with the options the command was started with. */
  load: () => Promise<LoadedModel>;
  /** Also watched though the model did not read them (yet): a `.env` that does not exist so far. */
  extraFiles?: string[];
  /** Reload the spec on saves (default true). */
  watchSpec?: boolean;
  /** Run develop.watch rules (default true). */
  watchSources?: boolean;
  /** Debounce quiet window of spec saves, ms. */
  quietMs?: number;
  /** Debounce quiet window of source saves, ms. */
  syncQuietMs?: number;
  /** Stop timeout (seconds) for replaced, removed and restarted containers. */
  timeout?: number;
  /** Progress of the applies themselves (default: none; `sink` gets one event per reload). */
  applySink?: EventSink;
  timerClock?: TimerClock;
  onReport: (report: WatchReport) => void;
}

export interface WatchSession {
  /** The last model that loaded and validated. */
  readonly project: Project;
  /** Files the spec watcher follows. */
  readonly files: readonly string[];
  /** Resolves when no reload and no sync is running (tests, benchmarks). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function watch(options: WatchOptions): Promise<WatchSession> {
  const sink = options.sink ?? silentSink;
  const clock = options.timerClock;
  let specWatcher: FileSetWatcher | undefined;
  let sources: SourceWatch | undefined;

  const report = (r: WatchReport): void => {
    options.onReport(r);
    const event = eventOf(r, options.project.name);
    if (event) sink.emit({ ...event, timestamp: Date.now() });
  };

  const reloader = new Reloader({
    initial: options.project,
    load: options.load,
    apply: (input) => applyChange(options, input),
    onReport: (r) => {
      report(r);
      if (r.kind !== 'invalid') {
        // A reload may read other files (a new env_file, an include): follow them from now on.
        void specWatcher?.setFiles([...r.project.sourceFiles, ...(options.extraFiles ?? [])]).catch((error: unknown) => report({ kind: 'watch-error', error: asStackError(error) }));
        void sources?.setProject(r.project).catch((error: unknown) => report({ kind: 'watch-error', error: asStackError(error) }));
      }
    },
  });

  if (options.watchSpec !== false) {
    specWatcher = await watchFiles([...options.project.sourceFiles, ...(options.extraFiles ?? [])], {
      quietMs: options.quietMs ?? DEFAULT_SPEC_QUIET_MS,
      ...(clock ? { clock } : {}),
      onBatch: (batch) => void reloader.request([...new Set(batch.map((c) => c.path))]),
      onError: (error) => report({ kind: 'watch-error', error: asStackError(error) }),
    });
  }
  if (options.watchSources !== false) {
    sources = new SourceWatch({
      engine: options.engine,
      project: options.project,
      quietMs: options.syncQuietMs ?? DEFAULT_SYNC_QUIET_MS,
      ...(clock ? { clock } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      rebuild: (service) => rebuild(options, reloader.project, service),
      settled: () => reloader.idle(),
      onReport: report,
    });
    await sources.start();
  }

  const onAbort = (): void => void session.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let closing: Promise<void> | undefined;
  const session: WatchSession = {
    get project() {
      return reloader.project;
    },
    get files() {
      return [...(specWatcher?.files ?? [])];
    },
    async idle() {
      await reloader.idle();
      await sources?.idle();
      await reloader.idle();
    },
    close() {
      options.signal?.removeEventListener('abort', onAbort);
      closing ??= (async () => {
        await specWatcher?.close();
        await sources?.close();
        await reloader.idle();
      })();
      return closing;
    },
  };
  return session;
}

/** Removed services first (their ports and names become free), then `up` on the selection. */
async function applyChange(options: WatchOptions, input: { previous: Project; next: Project; change: ProjectChange }): Promise<AppliedChange> {
  const { next, change } = input;
  const ops = { engine: options.engine, sink: options.applySink ?? silentSink, ...pick(options) };
  const touched: string[] = [];
  const warnings: string[] = [];
  if (change.removed.length > 0) {
    const removed = await rm({ ...ops, projectName: next.name, services: change.removed, stopFirst: true, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) });
    touched.push(...servicesOf(removed.plan.nodes));
  }
  if (change.selection.length > 0) {
    const result = await up({ ...ops, project: next, services: change.selection, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) });
    touched.push(...servicesOf(result.plan.nodes));
    warnings.push(...result.warnings.filter((w) => !w.startsWith('Found orphan containers')));
  }
  for (const volume of change.volumesLeft) {
    warnings.push(`volume ${volume} is no longer in the spec: kept with its data (remove it with \`docker volume rm ${volume}\`)`);
  }
  return { touched, warnings };
}

/**
 * develop.watch `rebuild`: build the service's image (core/build, issue 5), then converge the
 * service alone: the planner sees the new image id and recreates its containers.
 */
async function rebuild(options: WatchOptions, project: Project, service: Service): Promise<void> {
  if (!service.build) {
    throw new StackError('USAGE', `service ${service.name}: develop.watch action rebuild needs a \`build:\` section to rebuild from`, {
      hint: 'use action sync (or sync+restart) for services that run a prebuilt image',
    });
  }
  const { buildServiceImage } = await import('../build/build.js');
  await buildServiceImage({ engine: options.engine, service, image: serviceImage(project.name, service), ...(options.auth ? { auth: options.auth } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  await up({ engine: options.engine, sink: options.applySink ?? silentSink, ...pick(options), project, services: [service.name], noDeps: true, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) });
}

function pick(options: WatchOptions): Pick<OpsOptions, 'parallel' | 'env' | 'clock' | 'pollIntervalMs' | 'auth' | 'signal'> {
  const out: Pick<OpsOptions, 'parallel' | 'env' | 'clock' | 'pollIntervalMs' | 'auth' | 'signal'> = {};
  // Aborting also cuts short an apply in flight (a second Ctrl-C): nothing new is scheduled.
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.parallel !== undefined) out.parallel = options.parallel;
  if (options.env !== undefined) out.env = options.env;
  if (options.clock !== undefined) out.clock = options.clock;
  if (options.pollIntervalMs !== undefined) out.pollIntervalMs = options.pollIntervalMs;
  if (options.auth !== undefined) out.auth = options.auth;
  return out;
}

const CONTAINER_KINDS = new Set(['create-container', 'start-container', 'stop-container', 'restart-container', 'remove-container']);

/** Services whose containers a plan creates, starts, stops, restarts or removes. */
export function servicesOf(nodes: readonly ExecutableNode[]): string[] {
  const out = new Set<string>();
  for (const node of nodes) {
    if (!CONTAINER_KINDS.has(node.op.kind)) continue;
    const op = node.op as { service?: string; container?: { service: string } };
    const service = op.service ?? op.container?.service;
    if (service) out.add(service);
  }
  return [...out].sort();
}

function eventOf(r: WatchReport, project: string): Omit<import('../events.js').ProgressEvent, 'timestamp'> | undefined {
  switch (r.kind) {
    case 'applied':
      return { kind: 'project', resource: project, action: 'Reloaded', status: 'done', detail: r.line, elapsedMs: r.durationMs };
    case 'invalid':
      return { kind: 'project', resource: project, action: 'Reload skipped', status: 'error', detail: r.error.message, elapsedMs: r.durationMs };
    case 'failed':
      return { kind: 'project', resource: project, action: 'Reload failed', status: 'error', detail: r.error.message, elapsedMs: r.durationMs };
    case 'synced':
      return { kind: 'service', resource: r.service, action: r.action === 'sync' ? 'Synced' : r.action === 'restart' ? 'Restarted' : `Synced (${r.action})`, status: 'done', detail: `${r.copied} copied, ${r.deleted} deleted`, elapsedMs: r.durationMs };
    case 'rebuilt':
      return { kind: 'service', resource: r.service, action: 'Rebuilt', status: 'done', elapsedMs: r.durationMs };
    case 'refused':
      return { kind: 'service', resource: r.service, action: 'Sync refused', status: 'warning', detail: r.reason };
    case 'sync-failed':
      return { kind: 'service', resource: r.service, action: 'Sync failed', status: 'error', detail: r.error.message };
    case 'watch-error':
      return { kind: 'project', resource: project, action: 'Watch error', status: 'error', detail: r.error.message };
  }
}

function asStackError(error: unknown): StackError {
  return error instanceof StackError ? error : new StackError('INTERNAL', error instanceof Error ? error.message : String(error), { cause: error });
}
