// Attached `up`: follows the output of the project's containers (core/ops/logs.ts does the
// streaming, including containers started later) and tells when they exit, as Compose's log
// printer does: `web-1 exited with code 0`. The session ends when every watched container has
// exited (or, with `stopOnFirstExit`, at the first exit), or when the signal aborts.
import type { Engine, LogLine, ObservedContainer } from '../engine/engine.js';
import { serviceOf } from '../observe/labels.js';
import { logs } from './logs.js';
import { projectContainers } from './context.js';

type AttachEngine = Pick<Engine, 'listContainers' | 'inspectContainer' | 'containerLogs' | 'events'>;

export interface AttachOptions {
  projectName: string;
  /** Services whose containers are watched: their exits end the session. */
  services: string[];
  /** Services whose output is passed on (default: `services`); others are watched silently. */
  print?: string[];
  /**
   * Containers that count even when already exited (the ones this `up` started: a one-shot may
   * be done before the session begins). Running containers always count.
   */
  include?: readonly string[];
  /** Epoch seconds: output before it is not shown (it belongs to earlier runs). */
  since: number;
  /** Pass the engine's timestamps on with each line. */
  timestamps?: boolean;
  /** End the session at the first exit of a watched container (`--abort-on-container-exit`). */
  stopOnFirstExit?: boolean;
  signal?: AbortSignal;
  /** Poll interval while telling a stopped container from a restarting one (ms, default 100). */
  pollIntervalMs?: number;
}

export interface AttachSink {
  /** Called once per watched container, before its first line. */
  attached?(container: ObservedContainer): void;
  line(container: ObservedContainer, line: LogLine): void;
  /** A watched container stopped for good (not about to be restarted by its restart policy). */
  exited(container: ObservedContainer, exitCode: number): void;
}

export interface ContainerExit {
  container: ObservedContainer;
  service: string;
  exitCode: number;
}

export interface AttachOutcome {
  /** `exited`: every watched container stopped; `first-exit`: stopOnFirstExit fired; `aborted`: the signal. */
  reason: 'exited' | 'first-exit' | 'aborted';
  /** Exits in the order seen. */
  exits: ContainerExit[];
  /** The containers watched when the session began. */
  containers: ObservedContainer[];
}

const RUNNING = new Set(['running', 'restarting', 'paused']);

/** The containers an attached session starts with: running ones, plus those named in `include`. */
export async function attachTargets(engine: Pick<Engine, 'listContainers'>, projectName: string, services: readonly string[], include: readonly string[] = []): Promise<ObservedContainer[]> {
  const wanted = new Set(include);
  const all = await projectContainers(engine as Engine, projectName, { services });
  return all.filter((c) => RUNNING.has(c.state) || wanted.has(c.name));
}

export async function attach(engine: AttachEngine, options: AttachOptions, sink: AttachSink): Promise<AttachOutcome> {
  const watched = new Set(options.services);
  const printed = new Set(options.print ?? options.services);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  const initial = await attachTargets(engine, options.projectName, [...watched], options.include ?? []);
  const relevant = new Set(initial.map((c) => c.id));
  /** id -> still expected to produce output or exit. */
  const live = new Map<string, boolean>();
  const exits: ContainerExit[] = [];
  let reason: AttachOutcome['reason'] = 'aborted';
  const pending = new Set<Promise<void>>();

  const finish = (why: AttachOutcome['reason']): void => {
    if (stop.signal.aborted) return;
    reason = why;
    stop.abort();
  };
  const checkDone = (): void => {
    if (live.size > 0 && [...live.values()].every((alive) => !alive)) finish('exited');
  };

  const ended = async (container: ObservedContainer): Promise<void> => {
    if (stop.signal.aborted || !live.has(container.id)) return;
    const state = await settledState(engine, container.id, options.pollIntervalMs ?? 100, stop.signal);
    if (stop.signal.aborted || state === 'running') return;
    if (state === undefined) {
      // Removed (recreated by another `up`, or `rm`): gone without an exit to report.
      live.set(container.id, false);
      checkDone();
      return;
    }
    if (state.state === 'restarting') return;
    if (live.get(container.id) === false) return;
    live.set(container.id, false);
    const exitCode = state.exitCode ?? 0;
    exits.push({ container, service: serviceOf(container.labels) ?? '', exitCode });
    sink.exited(container, exitCode);
    if (options.stopOnFirstExit) finish('first-exit');
    else checkDone();
  };

  if (initial.length === 0) {
    options.signal?.removeEventListener('abort', onAbort);
    return { reason: 'exited', exits, containers: initial };
  }

  try {
    await logs(
      engine,
      { projectName: options.projectName, services: [...watched], follow: true, since: options.since, timestamps: true, signal: stop.signal },
      {
        container: (c) => {
          // Exited containers of earlier runs are listed too: only running ones and those this run started count.
          if (!relevant.has(c.id) && !RUNNING.has(c.state)) return;
          relevant.add(c.id);
          if (!live.has(c.id)) sink.attached?.(c);
          live.set(c.id, true);
        },
        line: (c, line) => {
          if (!relevant.has(c.id) || !printed.has(serviceOf(c.labels) ?? '')) return;
          sink.line(c, options.timestamps ? line : { stream: line.stream, text: line.text });
        },
        end: (c) => {
          if (!relevant.has(c.id)) return;
          const task = ended(c).catch(() => undefined);
          pending.add(task);
          void task.finally(() => pending.delete(task));
        },
      },
    );
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled([...pending]);
  }
  return { reason, exits, containers: initial };
}

/**
 * A container's state once its output stream ended. The stream can end a moment before the engine
 * marks the container stopped, so `running` is re-read a few times before it is believed (then it
 * was restarted, and logs() follows the new run).
 */
async function settledState(engine: AttachEngine, id: string, intervalMs: number, signal: AbortSignal): Promise<ObservedContainer | undefined | 'running'> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const info = await engine.inspectContainer(id).catch(() => undefined);
    if (info === undefined || info.state !== 'running') return info;
    if (signal.aborted) return 'running';
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return 'running';
}
