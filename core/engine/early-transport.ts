// Engine reads started before the code that needs them has loaded. A short command spends most
// of its time starting up, then waits for its first engine answers (listing 200 containers takes
// dockerd ~25 ms); reads that can be predicted from the command line alone are sent by the
// launcher first thing (cli/early-requests.ts), and answered from flight when the command makes them.
//
// Only the identical read is served (method, path and query), once, and only through the client
// for the same engine address (core/engine/connect.ts); an early read that failed (an unreachable
// engine, an error status) is sent again live, so the command sees what it would have seen
// without this.
import { parseBody, SUCCESS, type Transport } from './http-transport.js';
import { readKey, type EngineRequest } from './requests.js';

/** An answer as it came off the wire. */
export interface RawAnswer {
  status: number;
  text: string;
}

/** Answers on their way, by readKey(). */
export type EarlyAnswers = Map<string, Promise<RawAnswer>>;

export class EarlyTransport implements Transport {
  constructor(
    private readonly live: Transport,
    private readonly answers: EarlyAnswers,
  ) {}

  send<T = unknown>(request: EngineRequest): Promise<T> {
    const key = readKey(request);
    // The answers describe the engine before this command changed anything: once it sends
    // anything but a plain read (a stop, a create, a followed stream), they are dropped.
    if (key === undefined) this.answers.clear();
    const early = key === undefined ? undefined : this.answers.get(key);
    if (early === undefined) return this.live.send<T>(request);
    this.answers.delete(key!);
    const again = (): Promise<T> => this.live.send<T>(request);
    return early.then((answer) => (SUCCESS.has(answer.status) ? (parseBody(answer.text) as T) : again()), again);
  }
}
