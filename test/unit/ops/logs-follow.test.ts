// logs() over a scripted engine: lines of all containers in arrival order, and with `follow`
// containers that start later (new ones from their beginning, restarted ones from the restart)
// until the signal aborts.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, LogLine, LogOptions, ObservedContainer } from '../../../core/engine/engine.js';
import { logs, nanosecondAfter } from '../../../core/ops/logs.js';
import { observedContainer, replicaLabels } from '../support/observed-container.js';

function container(id: string, service: string, n: number, oneoff = false): ObservedContainer {
  return observedContainer({ id, name: `p-${service}-${n}`, imageId: 'x', labels: replicaLabels('p', service, n, oneoff), status: 'Up' });
}

/** Each containerLogs call gets a queue; the test pushes lines and ends streams. */
class ScriptedEngine {
  containers = new Map<string, ObservedContainer>();
  streams: { id: string; options: LogOptions; push(text: string, timestamp?: string): void; end(): void }[] = [];
  private emit: ((event: EngineEvent) => void) | undefined;

  async listContainers(): Promise<ObservedContainer[]> {
    return [...this.containers.values()];
  }
  async inspectContainer(id: string): Promise<ObservedContainer | undefined> {
    return this.containers.get(id);
  }
  containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    const queue: (LogLine | null)[] = [];
    let wake: (() => void) | undefined;
    const push = (item: LogLine | null): void => {
      queue.push(item);
      wake?.();
    };
    this.streams.push({ id, options, push: (text, timestamp) => push({ stream: 'stdout', text, ...(timestamp ? { timestamp } : {}) }), end: () => push(null) });
    options.signal?.addEventListener('abort', () => push(null));
    return (async function* () {
      for (;;) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const item = queue.shift();
        if (item === null || item === undefined) return;
        yield item;
      }
    })();
  }
  events(_filter: unknown, signal: AbortSignal): AsyncIterable<EngineEvent> {
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    this.emit = (event) => {
      queue.push(event);
      wake?.();
    };
    signal.addEventListener('abort', () => wake?.());
    return (async function* () {
      while (!signal.aborted) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        while (queue.length > 0) yield queue.shift()!;
      }
    })();
  }
  start(id: string, time = 100): void {
    this.emit?.({ type: 'container', action: 'start', id, attributes: {}, time });
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('logs()', () => {
  it('without follow: every non-one-off container, tail applied, ends when the streams end', async () => {
    const engine = new ScriptedEngine();
    engine.containers.set('a', container('a', 'web', 1));
    engine.containers.set('b', container('b', 'db', 1));
    engine.containers.set('r', container('r', 'web', 1, true));
    const seen: string[] = [];
    const done = logs(engine, { projectName: 'p', tail: 5 }, { container: () => undefined, line: (c, l) => seen.push(`${c.name}:${l.text}`) });
    await tick();
    expect(engine.streams.map((s) => [s.id, s.options.tail, s.options.follow])).toEqual([
      ['b', 5, false],
      ['a', 5, false],
    ]);
    engine.streams[1]!.push('one');
    engine.streams[0]!.push('two');
    engine.streams[1]!.push('three');
    for (const s of engine.streams) s.end();
    await done;
    expect(seen).toEqual(['p-web-1:one', 'p-db-1:two', 'p-web-1:three']);
  });

  it('with follow: picks up new and restarted containers until aborted', async () => {
    const engine = new ScriptedEngine();
    engine.containers.set('a', container('a', 'web', 1));
    const seen: string[] = [];
    const controller = new AbortController();
    const done = logs(engine, { projectName: 'p', follow: true, tail: 1, signal: controller.signal }, { container: () => undefined, line: (c, l) => seen.push(`${c.id}:${l.text}`) });
    await tick();
    engine.streams[0]!.push('old');
    // Recreated: a new container id starts; read from its beginning, without the tail.
    engine.containers.set('b', container('b', 'web', 1));
    engine.start('b');
    await tick();
    expect(engine.streams.map((s) => [s.id, s.options.tail, s.options.since])).toEqual([
      ['a', 1, undefined],
      ['b', undefined, undefined],
    ]);
    engine.streams[1]!.push('new');
    // Restarted: its start event comes while the old stream still drains; it resumes from the restart.
    engine.start('b', 200);
    engine.streams[1]!.end();
    await tick();
    expect(engine.streams[2]).toMatchObject({ id: 'b', options: { since: 200 } });
    engine.streams[2]!.push('after restart');
    // A start of an already-followed container is not followed twice; one-offs are ignored.
    engine.containers.set('r', container('r', 'web', 1, true));
    engine.start('r');
    engine.start('b', 300);
    await tick();
    expect(engine.streams).toHaveLength(3);
    controller.abort();
    await done;
    expect(seen).toEqual(['a:old', 'b:new', 'b:after restart']);
  });

  it('a restarted container resumes one nanosecond after its last line, not at the restart second; timestamps shown only when asked', async () => {
    const engine = new ScriptedEngine();
    engine.containers.set('a', container('a', 'web', 1));
    const seen: string[] = [];
    const controller = new AbortController();
    const done = logs(engine, { projectName: 'p', follow: true, signal: controller.signal }, { container: () => undefined, line: (c, l) => seen.push(`${l.text}|${l.timestamp ?? '-'}`) });
    await tick();
    expect(engine.streams[0]!.options.timestamps).toBe(true);
    engine.streams[0]!.push('first run', '2026-11-23T14:55:01.999999999Z');
    engine.start('a', 1795445701);
    engine.streams[0]!.end();
    await tick();
    expect(engine.streams[1]!.options.since).toBe(`${Date.parse('2026-11-23T14:55:02Z') / 1000}.000000000`);
    controller.abort();
    await done;
    expect(seen).toEqual(['first run|-']);
  });
});

describe('nanosecondAfter', () => {
  it('adds one nanosecond to an RFC 3339 timestamp, as epoch seconds with nine decimals', () => {
    const base = Date.parse('2026-11-23T14:55:01Z') / 1000;
    expect(nanosecondAfter('2026-11-23T14:55:01.123456789Z')).toBe(`${base}.123456790`);
    expect(nanosecondAfter('2026-11-23T14:55:01.5Z')).toBe(`${base}.500000001`);
    expect(nanosecondAfter('2026-11-23T14:55:01Z')).toBe(`${base}.000000001`);
    expect(nanosecondAfter('2026-11-23T15:55:01.000000000+01:00')).toBe(`${base}.000000001`);
    expect(nanosecondAfter('not a time')).toBeUndefined();
  });
});
