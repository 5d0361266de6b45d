import { describe, expect, it } from 'vitest';
import { EarlyTransport, type EarlyAnswers, type RawAnswer } from '../../../core/engine/early-transport.js';
import type { EngineRequest, Transport } from '../../../core/engine/http-transport.js';
import { listContainersRequest, readKey } from '../../../core/engine/requests.js';

/** A transport that records what is sent live and answers `live N`. */
function recording(fail?: Error): Transport & { sent: EngineRequest[] } {
  const sent: EngineRequest[] = [];
  return { sent, send: <T>(request: EngineRequest) => (sent.push(request), (fail ? Promise.reject(fail) : Promise.resolve(`live ${sent.length}`)) as Promise<T>) };
}

const list = listContainersRequest({ labels: ['com.docker.compose.project=demo'], all: true });
const answered = (answer: Promise<RawAnswer>): EarlyAnswers => new Map([[readKey(list)!, answer]]);

describe('EarlyTransport: reads sent before the command asks', () => {
  it('serves the identical read once from its early answer, then sends live again', async () => {
    const live = recording();
    const early = new EarlyTransport(live, answered(Promise.resolve({ status: 200, text: '[{"Id":"a"}]' })));
    expect(await early.send({ ...list, query: { ...list.query } })).toEqual([{ Id: 'a' }]);
    expect(live.sent).toEqual([]);
    expect(await early.send(list)).toBe('live 1');
  });

  it('sends another read live and keeps the answer for the one it is for', async () => {
    const live = recording();
    const early = new EarlyTransport(live, answered(Promise.resolve({ status: 200, text: '[]' })));
    await early.send(listContainersRequest({ labels: ['com.docker.compose.project=other'], all: true }));
    expect(live.sent).toHaveLength(1);
    expect(await early.send(list)).toEqual([]);
  });

  it('answers describe the engine before the command changed it: the first other request drops them', async () => {
    const live = recording();
    const early = new EarlyTransport(live, answered(Promise.resolve({ status: 200, text: '[]' })));
    await early.send({ method: 'POST', path: '/containers/x/stop' });
    expect(await early.send(list)).toBe('live 2');
    const following = new EarlyTransport(recording(), answered(Promise.resolve({ status: 200, text: '[]' })));
    await following.send({ ...list, stream: true });
    expect(await following.send(list)).toBe('live 2');
  });

  it('an early error status or a failed connection is sent again, so the command sees the live outcome', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    for (const answer of [Promise.resolve({ status: 500, text: '{"message":"busy"}' }), Promise.reject(refused)]) {
      answer.catch(() => undefined);
      const live = recording(new Error('the live answer'));
      await expect(new EarlyTransport(live, answered(answer)).send(list)).rejects.toThrow('the live answer');
      expect(live.sent).toEqual([list]);
    }
  });

  it('only plain reads have a key: nothing with a body, a stream or a method other than GET is served early', () => {
    expect(readKey(list)).toBe('GET /containers/json?all=true&filters=%7B%22label%22%3A%5B%22com.docker.compose.project%3Ddemo%22%5D%7D');
    expect(readKey({ method: 'POST', path: '/containers/x/stop' })).toBeUndefined();
    expect(readKey({ method: 'GET', path: '/events', stream: true })).toBeUndefined();
  });
});
