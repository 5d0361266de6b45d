// The DAG walk on its own: order, the flat pool bound, skipping dependents of a failure,
// progress words, warnings and aborts. Handlers are replaced by scripted ones; no engine.
import { describe, expect, test } from 'vitest';
import { ApplyFailedError, executePlan } from '../../../core/apply/executor.js';
import type { ExecutableNode, OperationOutcome } from '../../../core/apply/operations.js';
import type { Engine } from '../../../core/engine/engine.js';
import { EngineError } from '../../../core/errors.js';
import { RecordingSink } from '../../../core/events.js';
import type { ContainerRef } from '../../../core/plan/types.js';

const engine = {} as Engine;

function start(name: string, dependsOn: string[] = []): ExecutableNode {
  const container: ContainerRef = { name: `p-${name}-1`, service: name, number: 1 };
  return { id: name, op: { kind: 'start-container', container }, resource: `${name}-1`, cause: 'test', dependsOn };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('executePlan', () => {
  test('runs a node only after all its dependencies finished', async () => {
    const log: string[] = [];
    const nodes = [start('db'), start('cache'), start('web', ['db', 'cache']), start('worker', ['web'])];
    await executePlan(
      { nodes },
      {
        engine,
        run: async (node) => {
          log.push(`begin ${node.id}`);
          await tick();
          log.push(`end ${node.id}`);
        },
      },
    );
    expect(log.indexOf('begin web')).toBeGreaterThan(log.indexOf('end db'));
    expect(log.indexOf('begin web')).toBeGreaterThan(log.indexOf('end cache'));
    expect(log.indexOf('begin worker')).toBeGreaterThan(log.indexOf('end web'));
  });

  test('never has more nodes in flight than the limit, and a limit of 1 cannot deadlock', async () => {
    for (const parallel of [1, 3]) {
      let inFlight = 0;
      let most = 0;
      const nodes = Array.from({ length: 10 }, (_, i) => start(`s${i}`, i >= 5 ? [`s${i - 5}`] : []));
      const result = await executePlan(
        { nodes },
        {
          engine,
          parallel,
          run: async () => {
            inFlight++;
            most = Math.max(most, inFlight);
            await tick();
            inFlight--;
          },
        },
      );
      expect(result.completed).toHaveLength(10);
      expect(most).toBe(parallel);
    }
  });

  test('a failure skips everything that transitively depends on it; the rest still runs', async () => {
    const nodes = [start('db'), start('web', ['db']), start('proxy', ['web']), start('other'), start('after-other', ['other'])];
    const ran: string[] = [];
    const result = await executePlan(
      { nodes },
      {
        engine,
        run: async (node) => {
          ran.push(node.id);
          if (node.id === 'db') throw new EngineError({ operation: 'start container', resource: 'p-db-1', statusCode: 500, message: 'port is already allocated' });
        },
      },
    );
    expect(ran.sort()).toEqual(['after-other', 'db', 'other']);
    expect(result.failed.map((f) => f.node.id)).toEqual(['db']);
    expect(result.failed[0]?.error.message).toBe('start container p-db-1: port is already allocated');
    expect(result.skipped.map((s) => [s.node.id, s.because]).sort()).toEqual([
      ['proxy', 'db'],
      ['web', 'db'],
    ]);
    expect(result.completed.map((n) => n.id).sort()).toEqual(['after-other', 'other']);
  });

  test("emits Compose's words with elapsed time, and an Error event with the engine's message", async () => {
    const sink = new RecordingSink();
    let now = 1000;
    const clock = { now: () => now, sleep: async () => undefined };
    const nodes: ExecutableNode[] = [
      { id: 'n', op: { kind: 'create-network', key: 'default', name: 'p_default', network: { name: 'p_default', driver_opts: {}, external: false, labels: {}, extensions: {} }, labels: {} }, resource: 'network p_default', cause: 'not found', dependsOn: [] },
      start('db', ['n']),
      { id: 'rm', op: { kind: 'remove-container', container: { name: 'abcdef123456_p-db-1', id: 'abcdef1234567890', service: 'db' }, removeAnonymousVolumes: false }, resource: 'db-1', cause: 'x', dependsOn: [] },
    ];
    await executePlan(
      { nodes },
      {
        engine,
        sink,
        clock,
        parallel: 1,
        run: async (node) => {
          now += 40;
          if (node.id === 'db') throw new EngineError({ operation: 'start container', resource: 'p-db-1', message: 'boom' });
        },
      },
    );
    expect(sink.events.map(({ kind, resource, action, status, elapsedMs, detail }) => ({ kind, resource, action, status, elapsedMs, detail }))).toEqual([
      { kind: 'network', resource: 'p_default', action: 'Creating', status: 'working', elapsedMs: undefined, detail: undefined },
      { kind: 'network', resource: 'p_default', action: 'Created', status: 'done', elapsedMs: 40, detail: undefined },
      // The temporary container of a recreate is removed quietly.
      { kind: 'container', resource: 'p-db-1', action: 'Starting', status: 'working', elapsedMs: undefined, detail: undefined },
      { kind: 'container', resource: 'p-db-1', action: 'Error', status: 'error', elapsedMs: 40, detail: 'start container p-db-1: boom' },
    ]);
  });

  test('a handler warning keeps the node OK and is collected', async () => {
    const sink = new RecordingSink();
    const nodes: ExecutableNode[] = [{ id: 'net', op: { kind: 'remove-network', name: 'p_default' }, resource: 'network p_default', cause: 'down', dependsOn: [] }, start('x', ['net'])];
    const result = await executePlan({ nodes }, { engine, sink, run: async (node): Promise<OperationOutcome | void> => (node.id === 'net' ? { warning: 'Resource is still in use' } : undefined) });
    expect(result.failed).toEqual([]);
    expect(result.completed.map((n) => n.id)).toEqual(['net', 'x']);
    expect(result.warnings).toEqual(['network p_default: Resource is still in use']);
    expect(sink.events[1]).toMatchObject({ resource: 'p_default', action: 'Warning', status: 'warning', detail: 'Resource is still in use' });
  });

  test('abort: nodes not started are skipped and the running one sees the signal', async () => {
    const controller = new AbortController();
    const gate = deferred();
    const nodes = [start('a'), start('b', ['a']), start('c', ['b'])];
    const running = executePlan(
      { nodes },
      {
        engine,
        signal: controller.signal,
        run: async (_node, ctx) => {
          await gate.promise;
          if (ctx.signal?.aborted) throw new Error('aborted');
        },
      },
    );
    await tick();
    controller.abort();
    gate.resolve();
    const result = await running;
    expect(result.aborted).toBe(true);
    expect(result.failed.map((f) => [f.node.id, f.error.exitCode])).toEqual([['a', 130]]);
    expect(result.skipped.map((s) => s.node.id).sort()).toEqual(['b', 'c']);
  });

  test('an empty plan does nothing', async () => {
    const result = await executePlan({ nodes: [] }, { engine, run: async () => expect.unreachable() });
    expect(result).toEqual({ completed: [], failed: [], skipped: [], warnings: [], aborted: false });
  });

  test('a dependency on a missing node is a bug, reported before anything runs', async () => {
    await expect(executePlan({ nodes: [start('a', ['nope'])] }, { engine, run: async () => expect.unreachable() })).rejects.toThrow(/unknown node nope/);
  });

  test('ApplyFailedError names each failed resource and the hint of the first failure', async () => {
    const nodes = [start('db'), start('web', ['db'])];
    const result = await executePlan(
      { nodes },
      {
        engine,
        run: async () => {
          throw new EngineError({ operation: 'start container', resource: 'p-db-1', message: 'port is already allocated', hint: 'free the port' });
        },
      },
    );
    const error = new ApplyFailedError(result, ['an orphan']);
    expect(error.code).toBe('SERVICE_FAILED');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('db-1: start container p-db-1: port is already allocated\nnot done, as they depend on a failure: web-1');
    expect(error.hint).toBe('free the port');
    expect(error.warnings).toEqual(['an orphan']);
    expect(error.toJSON()).toMatchObject({ failed: [{ node: 'db', resource: 'db-1' }], skipped: [{ node: 'web', because: 'db' }] });
  });
});
