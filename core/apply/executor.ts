// Walks a Plan's DAG and carries no decision logic (Compose's executor.go): a node runs once
// every node it depends on finished OK, in ONE flat pool of bounded size (a node never takes a
// second slot, so no limit can deadlock it, unlike Compose v1's nested pools, compose#5864).
// A failed node is recorded and everything that transitively depends on it is skipped; the rest
// of the plan goes on, so one broken service does not stop unrelated ones.
import type { Engine } from '../engine/engine.js';
import { createCredentialLookup, type CredentialLookup } from '../engine/credentials.js';
import { InternalError, StackError, toStackError } from '../errors.js';
import { silentSink, type EventSink } from '../events.js';
import type { Project } from '../model/types.js';
import { ApplyState, describeOperation, runOperation, type EmittedEvent, type ExecutableNode, type OperationContext, type OperationOutcome } from './operations.js';
import { systemClock, type Clock } from './wait.js';

import { DEFAULT_PARALLEL_LIMIT } from './parallel-limit.js';

export { DEFAULT_PARALLEL_LIMIT };

export interface ExecuteOptions {
  engine: Engine;
  /** Needed when the plan creates containers. */
  project?: Project;
  sink?: EventSink;
  /** Most nodes in flight at once; default 64. 0 or less = no limit. */
  parallel?: number;
  /** Stops scheduling: nodes not started are skipped, running waits and pulls are aborted. */
  signal?: AbortSignal;
  clock?: Clock;
  /** Poll interval of wait-condition nodes. */
  pollIntervalMs?: number;
  /** Registry credentials for pulls; default: the Docker config file and its credential helpers. */
  auth?: CredentialLookup;
  readFile?: (path: string) => string;
  /** Replaces the engine handlers (unit tests of the walk itself). */
  run?: (node: ExecutableNode, ctx: OperationContext) => Promise<OperationOutcome | void>;
}

export interface NodeFailure {
  node: ExecutableNode;
  error: StackError;
}

export interface SkippedNode {
  node: ExecutableNode;
  /** Id of the failed node that made this one impossible, or `aborted`. */
  because: string;
}

export interface ExecuteResult {
  /** Nodes that finished OK, in completion order. */
  completed: ExecutableNode[];
  failed: NodeFailure[];
  /** Nodes not run because a node they depend on failed (or the run was aborted). */
  skipped: SkippedNode[];
  /** Non-fatal findings of handlers (an optional dependency that failed, a network still in use). */
  warnings: string[];
  aborted: boolean;
}

export interface ExecutablePlan {
  nodes: readonly ExecutableNode[];
}

type NodeState = 'pending' | 'running' | 'ok' | 'failed' | 'skipped';

export async function executePlan(plan: ExecutablePlan, options: ExecuteOptions): Promise<ExecuteResult> {
  const sink = options.sink ?? silentSink;
  const clock = options.clock ?? systemClock;
  const limit = options.parallel === undefined ? DEFAULT_PARALLEL_LIMIT : options.parallel <= 0 ? Number.POSITIVE_INFINITY : options.parallel;
  const emit = (event: EmittedEvent): void => sink.emit({ ...event, timestamp: clock.now() });
  const ctx: OperationContext = {
    engine: options.engine,
    emit,
    clock,
    auth: options.auth ?? lazyCredentials(),
    state: new ApplyState(),
    ...(options.project ? { project: options.project } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.readFile ? { readFile: options.readFile } : {}),
  };
  const run = options.run ?? ((node: ExecutableNode, c: OperationContext) => runOperation(node.op, c));

  const byId = new Map<string, ExecutableNode>();
  for (const node of plan.nodes) {
    if (byId.has(node.id)) throw new InternalError(`plan node ${node.id} appears twice`);
    byId.set(node.id, node);
  }
  const state = new Map<string, NodeState>();
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of plan.nodes) {
    state.set(node.id, 'pending');
    const deps = new Set(node.dependsOn);
    for (const dep of deps) {
      if (!byId.has(dep)) throw new InternalError(`plan node ${node.id} depends on unknown node ${dep}`);
      dependents.set(dep, [...(dependents.get(dep) ?? []), node.id]);
    }
    waitingOn.set(node.id, deps.size);
  }

  const result: ExecuteResult = { completed: [], failed: [], skipped: [], warnings: [], aborted: false };
  const ready: ExecutableNode[] = plan.nodes.filter((node) => waitingOn.get(node.id) === 0);
  let running = 0;

  const skipDependentsOf = (id: string, because: string): void => {
    const stack = [...(dependents.get(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (state.get(next) !== 'pending') continue;
      state.set(next, 'skipped');
      result.skipped.push({ node: byId.get(next)!, because });
      stack.push(...(dependents.get(next) ?? []));
    }
  };

  const runNode = async (node: ExecutableNode): Promise<void> => {
    const words = describeOperation(node.op);
    const started = clock.now();
    if (words) emit({ kind: words.kind, resource: words.resource, action: words.working, status: 'working' });
    try {
      const outcome = await run(node, ctx);
      state.set(node.id, 'ok');
      result.completed.push(node);
      if (outcome && outcome.warning !== undefined) {
        result.warnings.push(`${node.resource}: ${outcome.warning}`);
        if (words) emit({ kind: words.kind, resource: words.resource, action: outcome.action ?? 'Warning', status: 'warning', detail: outcome.warning, elapsedMs: clock.now() - started });
      } else if (words) {
        emit({ kind: words.kind, resource: words.resource, action: words.done, status: 'done', elapsedMs: clock.now() - started });
      }
      for (const next of dependents.get(node.id) ?? []) {
        const left = waitingOn.get(next)! - 1;
        waitingOn.set(next, left);
        if (left === 0 && state.get(next) === 'pending') ready.push(byId.get(next)!);
      }
    } catch (error) {
      const failure = options.signal?.aborted ? abortedError(error) : toStackError(error);
      state.set(node.id, 'failed');
      result.failed.push({ node, error: failure });
      if (words) emit({ kind: words.kind, resource: words.resource, action: 'Error', status: 'error', detail: failure.message, elapsedMs: clock.now() - started });
      skipDependentsOf(node.id, node.id);
    }
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (options.signal?.aborted && !result.aborted) {
        result.aborted = true;
        for (const node of plan.nodes) {
          if (state.get(node.id) !== 'pending') continue;
          state.set(node.id, 'skipped');
          result.skipped.push({ node, because: 'aborted' });
        }
        ready.length = 0;
      }
      while (running < limit && ready.length > 0) {
        const node = ready.shift()!;
        if (state.get(node.id) !== 'pending') continue;
        state.set(node.id, 'running');
        running++;
        void runNode(node).finally(() => {
          running--;
          pump();
        });
      }
      if (running === 0) {
        options.signal?.removeEventListener('abort', pump);
        resolve();
      }
    };
    options.signal?.addEventListener('abort', pump, { once: true });
    pump();
  });

  const stuck = plan.nodes.filter((node) => state.get(node.id) === 'pending');
  if (stuck.length > 0) throw new InternalError(`plan has a dependency cycle between ${stuck.map((n) => n.id).join(', ')}`);
  return result;
}

/** The config file is read on the first pull only: most runs pull nothing. */
function lazyCredentials(): CredentialLookup {
  let lookup: CredentialLookup | undefined;
  return (image) => (lookup ??= createCredentialLookup())(image);
}

function abortedError(error: unknown): StackError {
  if (error instanceof StackError && error.code !== 'INTERNAL') return error;
  return new StackError('USAGE', 'interrupted', { cause: error, exitCode: 130 });
}

/**
 * Thrown by `up` and the other commands once everything that could run has run and at least
 * one operation failed: names every failed resource with the engine's words.
 */
export class ApplyFailedError extends StackError {
  readonly result: ExecuteResult;
  /** Plan warnings (orphans...) and handler warnings, so a caller that catches still has them. */
  readonly warnings: string[];

  constructor(result: ExecuteResult, warnings: string[] = []) {
    const lines = result.failed.map((f) => `${f.node.resource}: ${f.error.message}`);
    const dependents = [...new Set(result.skipped.filter((s) => s.because !== 'aborted').map((s) => s.node.resource))];
    if (dependents.length > 0) lines.push(`not done, as they depend on a failure: ${dependents.join(', ')}`);
    const aborted = result.skipped.filter((s) => s.because === 'aborted').length;
    if (result.aborted) lines.push(`interrupted: ${aborted} operation(s) were not started`);
    const hint = result.failed.map((f) => f.error.hint).find((h) => h !== undefined);
    const exitCode = result.aborted ? 130 : 1;
    super('SERVICE_FAILED', lines.join('\n'), { ...(hint !== undefined ? { hint } : {}), exitCode });
    this.result = result;
    this.warnings = warnings;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      failed: this.result.failed.map((f) => ({ node: f.node.id, resource: f.node.resource, error: f.error.toJSON() })),
      skipped: this.result.skipped.map((s) => ({ node: s.node.id, because: s.because })),
    };
  }
}
