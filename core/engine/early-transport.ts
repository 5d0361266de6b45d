// Engine requests started before the code that needs them has loaded. A short command spends
// most of its time starting up, then waits for its first engine answer (listing 200 containers
// takes dockerd ~25 ms); a request that can be predicted from the command line alone is sent
// first thing, and answered from flight when the command makes it.
//
// Only the identical request is served (method, path and query), once, and only through the
// transport for the same engine address; anything that went wrong with the early copy (an
// unreachable engine, an error status) is sent again live, so the command sees what it would
// have seen without this.
import { encodeQuery, type EngineRequest, type Transport } from './http-transport.js';

/** Requests that may be started early: plain reads with nothing but a path and a query. */
const earlyKey = (request: EngineRequest): string | undefined =>
  request.method === 'GET' && request.body === undefined && !request.stream && !request.hijack && request.file === undefined && request.signal === undefined && request.auth === undefined
    ? `GET ${request.path}${encodeQuery(request.query)}`
    : undefined;

export class EarlyTransport implements Transport {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly live: Transport) {}

  /** Sends `request` now; the first `send` of the same request takes its answer. */
  start(request: EngineRequest): void {
    const key = earlyKey(request);
    if (key === undefined || this.inFlight.has(key)) return;
    const answer = this.live.send(request);
    // Nobody may ever ask: a failure must not surface as an unhandled rejection.
    answer.catch(() => undefined);
    this.inFlight.set(key, answer);
  }

  send<T = unknown>(request: EngineRequest): Promise<T> {
    const key = earlyKey(request);
    const early = key === undefined ? undefined : this.inFlight.get(key);
    if (early === undefined) return this.live.send<T>(request);
    this.inFlight.delete(key!);
    return (early as Promise<T>).catch(() => this.live.send<T>(request));
  }
}
