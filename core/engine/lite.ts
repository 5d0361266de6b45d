// A dockerode-free client for the read-only list calls of `ps` and `ls`. Loading dockerode (and
// ssh2 under it) costs several times Node's own start-up; a plain `GET /containers/json` over the
// socket needs only node:http. Addresses it cannot serve (ssh) fall back to the full client.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EngineError } from '../errors.js';
import { nonEmpty, resolveEngineAddress, type EngineAddress, type Env } from './address.js';
import { fromListedContainer, type RawListedContainer } from './container-list.js';
import type { Engine, ObservedContainer } from './engine.js';

/** What the list-only verbs need from the engine. */
export type ListEngine = Pick<Engine, 'listContainers'>;

export interface LiteConnectOptions {
  env?: Env;
  homeDir?: string;
}

/** The lite client when the address allows it, else the full dockerode client (loaded lazily). */
export async function connectListEngine(options: LiteConnectOptions = {}): Promise<ListEngine> {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? nonEmpty(env['HOME']) ?? '/root';
  const address = resolveEngineAddress(env, homeDir);
  if (address.protocol === 'ssh') {
    const { connectEngine } = await import('./connect.js');
    return connectEngine({ env, homeDir });
  }
  return new LiteEngine(address);
}

export class LiteEngine implements ListEngine {
  constructor(private readonly address: EngineAddress) {}

  async listContainers(filter: { labels: string[]; all: boolean }): Promise<ObservedContainer[]> {
    const query = new URLSearchParams({ all: String(filter.all) });
    if (filter.labels.length > 0) query.set('filters', JSON.stringify({ label: filter.labels }));
    const list = await this.getJson<RawListedContainer[] | null>('list containers', `/containers/json?${query.toString()}`);
    return (list ?? []).map(fromListedContainer);
  }

  private getJson<T>(operation: string, path: string): Promise<T> {
    const address = this.address;
    const options: RequestOptions = { method: 'GET', path, headers: { Host: 'docker' } };
    if (address.protocol === 'unix') options.socketPath = address.socketPath ?? '/var/run/docker.sock';
    else {
      options.host = address.host;
      options.port = address.port;
    }
    const tls = address.tls;
    const send = tls ? httpsRequest : httpRequest;
    if (tls) {
      const read = (file: string | undefined): Buffer | undefined => (file === undefined ? undefined : readFileSync(file));
      Object.assign(options, { ca: read(tls.caFile), cert: read(tls.certFile), key: read(tls.keyFile), rejectUnauthorized: tls.verify });
    }
    return new Promise<T>((resolve, reject) => {
      const req = send(options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text) as T);
            } catch (error) {
              reject(new EngineError({ operation, message: `unreadable answer from the engine: ${(error as Error).message}`, statusCode: status }));
            }
            return;
          }
          let message = text.trim();
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // Not JSON: keep the text as the engine sent it.
          }
          reject(new EngineError({ operation, message: message || `HTTP ${status}`, statusCode: status }));
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => reject(unreachable(error, operation, address)));
      req.end();
    });
  }
}

function unreachable(error: NodeJS.ErrnoException, operation: string, address: EngineAddress): EngineError {
  const denied = error.code === 'EACCES' || error.code === 'EPERM';
  const where = address.source === 'default' ? '' : ` (from ${address.source})`;
  const failure = new EngineError({
    code: 'ENGINE_UNREACHABLE',
    operation,
    resource: address.url,
    message: denied ? 'permission denied' : 'is dockerd running?',
    hint: denied
      ? `your user may not access ${address.socketPath ?? address.url}: add it to the docker group or use rootless Docker`
      : `start Docker, or point DOCKER_HOST or the Docker context at a running engine${where}`,
    cause: error,
  });
  failure.message = `cannot reach the Docker engine at ${address.url}: ${denied ? 'permission denied' : 'is dockerd running?'}`;
  return failure;
}
