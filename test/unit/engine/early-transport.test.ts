import { describe, expect, it } from 'vitest';
import { listContainersRequest } from '../../../core/engine/docker.js';
import { EarlyTransport } from '../../../core/engine/early-transport.js';
import type { EngineRequest, Transport } from '../../../core/engine/http-transport.js';

/** A transport that records what is sent and answers from a queue of outcomes. */
function recording(outcomes: (() => Promise<unknown>)[] = []): Transport & { sent: EngineRequest[] } {
  const sent: EngineRequest[] = [];
  return {
    sent,
    send: <T>(request: EngineRequest) => {
      sent.push(request);
      const next = outcomes.shift();
      return (next ? next() : Promise.resolve(`answer ${sent.length}`)) as Promise<T>;
    },
  };
}

const list = listContainersRequest({ labels: ['com.docker.compose.project=demo'], all: true });

describe('EarlyTransport: requests started before the command asks', () => {
  it('serves the identical request once from flight, then sends live again', async () => {
    const live = recording();
    const early = new EarlyTransport(live);
    early.start(list);
    expect(live.sent).toHaveLength(1);
    expect(await early.send({ ...list, query: { ...list.query } })).toBe('answer 1');
    expect(live.sent).toHaveLength(1);
    expect(await early.send(list)).toBe('answer 2');
    expect(live.sent).toHaveLength(2);
  });

  it('sends anything else live: another query, a body, a stream', async () => {
    const live = recording();
    const early = new EarlyTransport(live);
    early.start(list);
    await early.send(listContainersRequest({ labels: ['com.docker.compose.project=other'], all: true }));
    await early.send({ ...list, stream: true });
    expect(live.sent).toHaveLength(3);
    expect(await early.send(list)).toBe('answer 1');
  });

  it('a failed early copy is sent again, so the command sees the live outcome', async () => {
    const live = recording([() => Promise.reject(new Error('connect ECONNREFUSED')), () => Promise.reject(new Error('connect ECONNREFUSED again'))]);
    const early = new EarlyTransport(live);
    early.start(list);
    await expect(early.send(list)).rejects.toThrow('ECONNREFUSED again');
    expect(live.sent).toHaveLength(2);
  });

  it('an early request nobody takes fails quietly (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const early = new EarlyTransport(recording([() => Promise.reject(new Error('unreachable'))]));
      early.start(list);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(unhandled).toEqual([]);
  });

  it('starts only plain reads', () => {
    const live = recording();
    const early = new EarlyTransport(live);
    early.start({ method: 'POST', path: '/containers/x/stop' });
    early.start({ method: 'GET', path: '/events', stream: true });
    expect(live.sent).toEqual([]);
  });
});
