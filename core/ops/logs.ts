// `logs`: the output of the project's containers, interleaved in arrival order. With `follow`
// it keeps up with the project as it changes (compose-reference.md §4.5): engine events
// filtered by the project label announce every container start, and a started container not
// being followed (new replica, recreated container, restarted one) is attached from then on.
// A container that dies just ends its stream; following stops only when the signal aborts.
import { UsageError } from '../errors.js';
import type { Engine, LogLine, ObservedContainer } from '../engine/engine.js';
import { containerNumber, isOneOff, LABEL_SERVICE, projectFilter } from '../observe/labels.js';

export interface LogsOptions {
  projectName: string;
  /** Only these services; empty = all. */
  services?: string[];
  /** Only the replica with this number (`--index`). */
  index?: number;
  follow?: boolean;
  /** Lines from the end of each container's existing output (`--tail`); not applied to containers started later. */
  tail?: number | 'all';
  /** Epoch seconds. */
  since?: number;
  until?: number;
  timestamps?: boolean;
  /** Ends a follow; without it a follow never ends. */
  signal?: AbortSignal;
}

/** Where the lines go; calls come in arrival order. */
export interface LogSink {
  /** A container is about to send lines (before its first line); called again for a restart. */
  container(container: ObservedContainer): void;
  line(container: ObservedContainer, line: LogLine): void;
  /** A container's stream ended (it stopped, or the follow ended). */
  end?(container: ObservedContainer): void;
}

type LogEngine = Pick<Engine, 'listContainers' | 'inspectContainer' | 'containerLogs' | 'events'>;

interface Follower {
  container: ObservedContainer;
  active: boolean;
  /** The engine timestamp of the last line read: a restart resumes just after it. */
  lastTimestamp?: string;
  /** A start event arrived while the previous stream was still draining. */
  restartedAt?: number;
}

export async function logs(engine: LogEngine, options: LogsOptions, sink: LogSink): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const followers = new Map<string, Follower>();
  const running = new Set<Promise<void>>();
  const wanted = (c: ObservedContainer): boolean =>
    !isOneOff(c.labels) &&
    ((options.services ?? []).length === 0 || (options.services ?? []).includes(c.labels[LABEL_SERVICE] ?? '')) &&
    (options.index === undefined || containerNumber(c.labels) === options.index);

  const stream = (follower: Follower, since: number | string | undefined, initial: boolean): void => {
    follower.active = true;
    const task = pump(engine, follower, sink, {
      follow: options.follow === true,
      timestamps: options.timestamps === true,
      tail: initial ? options.tail : undefined,
      since: initial ? options.since : since,
      until: options.until,
      signal: stop.signal,
    }).finally(() => {
      follower.active = false;
      running.delete(task);
      const restartedAt = follower.restartedAt;
      follower.restartedAt = undefined;
      if (restartedAt !== undefined && !stop.signal.aborted) stream(follower, resumeFrom(follower, restartedAt), false);
    });
    running.add(task);
  };

  const started = async (id: string, time: number): Promise<void> => {
    const known = followers.get(id);
    if (known?.active) {
      known.restartedAt = time;
      return;
    }
    const container = known?.container ?? (await engine.inspectContainer(id));
    if (!container || !wanted(container) || stop.signal.aborted) return;
    if (followers.get(id)?.active) return;
    const follower: Follower = known ?? { container, active: false };
    followers.set(id, follower);
    // A container seen before (restarted) resumes where it was left; a new one is read from its start.
    stream(follower, known ? resumeFrom(known, time) : undefined, false);
  };

  // Subscribed before listing, so a container started in between is not missed.
  const watching = options.follow ? watchStarts(engine, options.projectName, stop.signal, started) : Promise.resolve();
  try {
    const listed = (await engine.listContainers({ labels: projectFilter(options.projectName), all: true })).filter(wanted);
    if ((options.services ?? []).length > 0 && listed.length === 0 && !options.follow) {
      throw new UsageError(`no containers for service ${(options.services ?? []).join(', ')} in project ${options.projectName}`);
    }
    // Inspect tells which containers have a TTY (raw stream) and gives the state of each.
    const inspected = await Promise.all(listed.map(async (c) => (await engine.inspectContainer(c.id)) ?? c));
    inspected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const container of inspected) {
      if (followers.get(container.id)?.active) continue;
      const follower: Follower = { container, active: false };
      followers.set(container.id, follower);
      stream(follower, undefined, true);
    }
    if (options.follow) {
      await watching;
    }
    while (running.size > 0) await Promise.all([...running]);
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled([...running]);
  }
}

/**
 * Where a restarted container's output resumes: just after the last line read. The restart
 * event's time has whole seconds, so output of the first run written in the same second would
 * be printed twice; the process's start time is no better (it may print before it is recorded).
 */
function resumeFrom(follower: Follower, restartedAt: number): number | string {
  return follower.lastTimestamp === undefined ? restartedAt : nanosecondAfter(follower.lastTimestamp) ?? restartedAt;
}

/** `2026-11-23T14:55:01.123456789Z` -> `"1795445701.123456790"`: the engine's `since` one nanosecond later. */
export function nanosecondAfter(timestamp: string): string | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  const nanos = Number((match[2] ?? '').padEnd(9, '0')) + 1;
  return nanos === 1_000_000_000 ? `${seconds + 1}.000000000` : `${seconds}.${String(nanos).padStart(9, '0')}`;
}

async function pump(
  engine: LogEngine,
  follower: Follower,
  sink: LogSink,
  options: { follow: boolean; timestamps: boolean; tail?: number | 'all'; since?: number | string; until?: number; signal: AbortSignal },
): Promise<void> {
  const container = follower.container;
  sink.container(container);
  // A follow always asks for timestamps, to know where to resume after a restart; the user sees them only when asked.
  const withTimestamps = options.timestamps || options.follow;
  try {
    const lines = engine.containerLogs(container.id, {
      follow: options.follow,
      timestamps: withTimestamps,
      tty: container.tty === true,
      signal: options.signal,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
    });
    for await (const line of lines) {
      if (line.timestamp !== undefined) follower.lastTimestamp = line.timestamp;
      sink.line(container, options.timestamps || line.timestamp === undefined ? line : { stream: line.stream, text: line.text });
    }
  } catch (error) {
    // A container removed while being read (recreated) just stops sending.
    if (!options.signal.aborted && !isGone(error)) throw error;
  } finally {
    sink.end?.(container);
  }
}

function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}

/** Resolves when the signal aborts; calls `onStart` for each container start of the project. */
async function watchStarts(engine: LogEngine, projectName: string, signal: AbortSignal, onStart: (id: string, time: number) => Promise<void>): Promise<void> {
  const pending = new Set<Promise<void>>();
  try {
    for await (const event of engine.events({ labels: projectFilter(projectName), types: ['container'] }, signal)) {
      if (event.action !== 'start') continue;
      const task = onStart(event.id, event.time).catch(() => undefined);
      pending.add(task);
      void task.finally(() => pending.delete(task));
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  await Promise.all([...pending]);
}

/**
 * `--since`/`--until`: an RFC 3339 date or time (`2026-11-23T10:00:00Z`, `2026-11-23`), a Unix
 * timestamp (`1763892000`), or a duration before now (`10m`, `1h30m`, `90s`). Epoch seconds.
 */
export function parseLogTime(value: string, now: number = Date.now(), flag = '--since'): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.floor(Number(text));
  const duration = parseDuration(text);
  if (duration !== undefined) return Math.floor((now - duration) / 1000);
  const date = Date.parse(text);
  if (!Number.isNaN(date)) return Math.floor(date / 1000);
  throw new UsageError(`invalid ${flag} value "${value}"`, 'use a date/time (2026-11-23T10:00:00Z), a Unix timestamp, or a duration such as 10m or 1h30m');
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Go's duration syntax (`1h30m`, `2.5s`, `300ms`), plus `d`; milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|\u00b5s|ms|s|m|h|d))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ns|us|\u00b5s|ms|s|m|h|d)/g) : null;
  if (!parts) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(\D+)$/.exec(part) ?? [];
    total += Number(amount) * (UNITS[unit ?? ''] ?? 0);
  }
  return total;
}

/** `--tail`: a number of lines or `all`. */
export function parseTail(value: string): number | 'all' {
  if (value === 'all' || value === '-1') return 'all';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid --tail value "${value}"`, 'use a number of lines or "all"');
  return n;
}
