// Waiting on containers: depends_on conditions (service_started, service_healthy,
// service_completed_successfully) and `up --wait`. Polls inspect at an injected interval with an
// injected clock, so tests run without real time; aborts through an AbortSignal.
import type { Engine, ObservedContainer } from '../engine/engine.js';
import { StackError } from '../errors.js';
import type { DependsOnCondition } from '../model/types.js';
import { conditionWords } from '../model/conditions.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export const DEFAULT_POLL_INTERVAL_MS = 200;

/** What a wait reports about one container, for progress events. */
export type WaitUpdate = { container: string; state: 'waiting' } | { container: string; state: 'done'; action: 'Healthy' | 'Exited' | 'Running' | 'Started' };

export interface WaitBase {
  engine: Engine;
  clock?: Clock;
  pollIntervalMs?: number;
  /** Give up after this long (TIMEOUT error); absent = wait as long as the containers can still get there. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onUpdate?: (update: WaitUpdate) => void;
}

export interface WaitConditionOptions extends WaitBase {
  service: string;
  condition: DependsOnCondition;
  /** Engine names or ids. */
  containers: readonly string[];
}

type Verdict = { done: true; action: 'Healthy' | 'Exited' | 'Running' | 'Started' } | { done: false } | { failed: string };

/** Resolves when every container meets the condition; throws SERVICE_FAILED when one never can. */
export async function waitForCondition(options: WaitConditionOptions): Promise<void> {
  const judge = (c: ObservedContainer | undefined, name: string): Verdict => judgeCondition(options.service, options.condition, c, name);
  await pollAll(options, options.containers, judge, `service ${options.service} to be ${conditionWords(options.condition)}`);
}

export interface WaitReadyOptions extends WaitBase {
  /** Engine names or ids. */
  containers: readonly string[];
  /** Services whose containers may finish with exit code 0 (one-shots others wait on with service_completed_successfully). */
  mayComplete?: ReadonlySet<string>;
}

/**
 * `up --wait`: every container running (and healthy when it has a healthcheck). A container that
 * exited is a failure, unless its service may complete and it exited with 0 (compose#10596).
 */
export async function waitForReady(options: WaitReadyOptions): Promise<void> {
  const judge = (c: ObservedContainer | undefined, name: string): Verdict => {
    if (c === undefined) return { failed: `container ${name} is gone` };
    const service = c.labels['com.docker.compose.service'] ?? name;
    if (options.mayComplete?.has(service) && (c.state === 'exited' || c.state === 'dead')) {
      return c.exitCode === 0 ? { done: true, action: 'Exited' } : { failed: `container ${c.name} exited with code ${c.exitCode ?? 'unknown'}` };
    }
    if (c.health !== undefined) return judgeCondition(service, 'service_healthy', c, name);
    return judgeCondition(service, 'service_started', c, name);
  };
  await pollAll(options, options.containers, judge, 'containers to be running and healthy');
}

export function judgeCondition(service: string, condition: DependsOnCondition, c: ObservedContainer | undefined, name: string): Verdict {
  if (c === undefined) return { failed: `container ${name} of service ${service} does not exist` };
  const exited = c.state === 'exited' || c.state === 'dead';
  switch (condition) {
    case 'service_started':
      if (c.state === 'running') return { done: true, action: 'Started' };
      if (exited) return { failed: `container ${c.name} of service ${service} exited with code ${c.exitCode ?? 'unknown'}` };
      return { done: false };
    case 'service_healthy':
      if (c.state === 'running' && c.health === 'healthy') return { done: true, action: 'Healthy' };
      if (c.state === 'running' && c.health === 'unhealthy') return { failed: `container ${c.name} of service ${service} is unhealthy${lastOutput(c)}` };
      if (c.state === 'running' && c.health === undefined) {
        return { failed: `container ${c.name} of service ${service} has no healthcheck configured, so it can never be healthy` };
      }
      if (exited) return { failed: `container ${c.name} of service ${service} exited with code ${c.exitCode ?? 'unknown'} before it was healthy${lastOutput(c)}` };
      return { done: false };
    case 'service_completed_successfully':
      if (exited) {
        return c.exitCode === 0 ? { done: true, action: 'Exited' } : { failed: `container ${c.name} of service ${service} did not complete successfully: exit code ${c.exitCode ?? 'unknown'}` };
      }
      return { done: false };
  }
}

function lastOutput(c: ObservedContainer): string {
  const output = c.healthOutput?.trim();
  return output ? `; last health check output: ${output}` : '';
}

async function pollAll(options: WaitBase, containers: readonly string[], judge: (c: ObservedContainer | undefined, name: string) => Verdict, what: string): Promise<void> {
  const clock = options.clock ?? systemClock;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const deadline = options.timeoutMs === undefined ? undefined : clock.now() + options.timeoutMs;
  const pending = new Set(containers);
  for (const name of pending) options.onUpdate?.({ container: name, state: 'waiting' });
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const seen = await Promise.all([...pending].map(async (name) => [name, await options.engine.inspectContainer(name)] as const));
    for (const [name, c] of seen) {
      const verdict = judge(c, name);
      if ('failed' in verdict) throw new StackError('SERVICE_FAILED', verdict.failed, { hint: failureHint(verdict.failed) });
      if (verdict.done) {
        pending.delete(name);
        options.onUpdate?.({ container: name, state: 'done', action: verdict.action });
      }
    }
    if (pending.size === 0) return;
    if (deadline !== undefined && clock.now() >= deadline) {
      throw new StackError('TIMEOUT', `timed out after ${formatMs(options.timeoutMs!)} waiting for ${what}: ${[...pending].sort().join(', ')} not ready`, {
        hint: 'look at `stack ps` and `stack logs` for what the containers are doing; raise the timeout if they are just slow',
      });
    }
    await clock.sleep(interval, options.signal);
  }
}

function failureHint(message: string): string | undefined {
  if (message.includes('no healthcheck')) return 'add a `healthcheck:` to that service, or use `condition: service_started`';
  if (message.includes('unhealthy') || message.includes('before it was healthy')) return 'read its logs with `stack logs <service>`';
  if (message.includes('exit code') || message.includes('exited with')) return 'read its logs with `stack logs <service>`';
  return undefined;
}


function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('the operation was aborted');
  error.name = 'AbortError';
  return error;
}
