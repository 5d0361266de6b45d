// attach(): exit bookkeeping of attached `up` over a fake engine (streams end when a container
// "exits"; the engine state then says exited with a code).
import { describe, expect, it } from 'vitest';
import { observedContainer, replicaLabels } from '../support/observed-container.js';
import type { Engine, EngineEvent, LogLine, LogOptions, ObservedContainer } from '../../../core/engine/engine.js';
import { attach, type AttachSink } from '../../../core/ops/attach.js';

interface FakeContainer {
  info: ObservedContainer;
  lines: LogLine[];
  exited: Promise<void>;
  exit: (code: number) => void;
}

function container(project: string, service: string, state: ObservedContainer['state'] = 'running', lines: string[] = []): FakeContainer {
  const info = observedContainer({ id: `${service}-id`, name: `${project}-${service}-1`, imageId: 'sha', labels: replicaLabels(project, service), state });
  let exit: (code: number) => void = () => {};
  const exited = new Promise<void>((resolve) => {
    exit = (code) => {
      info.state = 'exited';
      info.exitCode = code;
      resolve();
    };
  });
  if (state !== 'running') exit(info.exitCode ?? 0);
  return { info, lines: lines.map((text) => ({ stream: 'stdout', text, timestamp: '2026-11-23T10:00:00.000000000Z' })), exited, exit };
}

function fakeEngine(containers: FakeContainer[]): Pick<Engine, 'listContainers' | 'inspectContainer' | 'containerLogs' | 'events'> {
  const byId = new Map(containers.map((c) => [c.info.id, c]));
  return {
    listContainers: async () => containers.map((c) => ({ ...c.info })),
    inspectContainer: async (id) => {
      const c = byId.get(id);
      return c ? { ...c.info } : undefined;
    },
    containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine> {
      const c = byId.get(id)!;
      return (async function* () {
        for (const line of c.lines) yield options.timestamps ? line : { stream: line.stream, text: line.text };
        if (!options.follow) return;
        await Promise.race([c.exited, new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }))]);
      })();
    },
    events(_filter, signal): AsyncIterable<EngineEvent> {
      return (async function* () {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      })();
    },
  };
}

function recorder(): AttachSink & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    attached: (c) => log.push(`attach ${c.name}`),
    line: (c, line) => log.push(`${c.name}: ${line.timestamp ? `${line.timestamp} ` : ''}${line.text}`),
    exited: (c, code) => log.push(`exit ${c.name} ${code}`),
  };
}

const base = { projectName: 'p', since: 0, pollIntervalMs: 1 };

describe('attach', () => {
  it('passes lines on and ends once every watched container has exited', async () => {
    const web = container('p', 'web', 'running', ['hello']);
    const db = container('p', 'db', 'running', ['ready']);
    const sink = recorder();
    const session = attach(fakeEngine([web, db]), { ...base, services: ['web', 'db'] }, sink);
    await new Promise((resolve) => setTimeout(resolve, 20));
    web.exit(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    db.exit(2);
    const outcome = await session;
    expect(outcome.reason).toBe('exited');
    expect(outcome.exits.map((e) => [e.service, e.exitCode])).toEqual([
      ['web', 0],
      ['db', 2],
    ]);
    expect(sink.log).toContain('p-web-1: hello');
    expect(sink.log).toContain('p-db-1: ready');
    expect(sink.log.indexOf('p-web-1: hello')).toBeLessThan(sink.log.indexOf('exit p-web-1 0'));
  });

  it('with stopOnFirstExit, ends at the first exit', async () => {
    const job = container('p', 'job');
    const server = container('p', 'server');
    const session = attach(fakeEngine([job, server]), { ...base, services: ['job', 'server'], stopOnFirstExit: true }, recorder());
    await new Promise((resolve) => setTimeout(resolve, 20));
    job.exit(3);
    const outcome = await session;
    expect(outcome.reason).toBe('first-exit');
    expect(outcome.exits).toHaveLength(1);
    expect(outcome.exits[0]?.exitCode).toBe(3);
  });

  it('ignores exited containers of earlier runs, but counts the ones this run started', async () => {
    const old = container('p', 'old', 'exited', ['from a previous run']);
    const oneShot = container('p', 'once', 'exited', ['done already']);
    const web = container('p', 'web');
    const sink = recorder();
    const session = attach(fakeEngine([old, oneShot, web]), { ...base, services: ['old', 'once', 'web'], include: [oneShot.info.name] }, sink);
    await new Promise((resolve) => setTimeout(resolve, 20));
    web.exit(0);
    const outcome = await session;
    expect(outcome.exits.map((e) => e.service).sort()).toEqual(['once', 'web']);
    expect(sink.log).not.toContain('p-old-1: from a previous run');
    expect(sink.log).toContain('p-once-1: done already');
  });

  it('prints only the `print` services but watches all', async () => {
    const web = container('p', 'web', 'running', ['web line']);
    const db = container('p', 'db', 'running', ['db line']);
    const sink = recorder();
    const session = attach(fakeEngine([web, db]), { ...base, services: ['web', 'db'], print: ['web'] }, sink);
    await new Promise((resolve) => setTimeout(resolve, 20));
    web.exit(0);
    db.exit(0);
    const outcome = await session;
    expect(outcome.exits).toHaveLength(2);
    expect(sink.log).toContain('p-web-1: web line');
    expect(sink.log).not.toContain('p-db-1: db line');
  });

  it('passes the engine timestamps on only when asked', async () => {
    const web = container('p', 'web', 'running', ['hi']);
    const plain = recorder();
    const first = attach(fakeEngine([web]), { ...base, services: ['web'] }, plain);
    await new Promise((resolve) => setTimeout(resolve, 20));
    web.exit(0);
    await first;
    expect(plain.log).toContain('p-web-1: hi');

    const again = container('p', 'web', 'exited', ['hi']);
    const stamped = recorder();
    await attach(fakeEngine([again]), { ...base, services: ['web'], include: [again.info.name], timestamps: true }, stamped);
    expect(stamped.log).toContain('p-web-1: 2026-11-23T10:00:00.000000000Z hi');
  });

  it('returns at once when there is nothing to watch', async () => {
    const outcome = await attach(fakeEngine([container('p', 'old', 'exited')]), { ...base, services: ['old'] }, recorder());
    expect(outcome).toEqual({ reason: 'exited', exits: [], containers: [] });
  });

  it('ends as aborted when the signal fires', async () => {
    const controller = new AbortController();
    const session = attach(fakeEngine([container('p', 'web')]), { ...base, services: ['web'], signal: controller.signal }, recorder());
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const outcome = await session;
    expect(outcome.reason).toBe('aborted');
    expect(outcome.exits).toEqual([]);
  });
});
