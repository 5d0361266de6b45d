// A dockerode-free client for the image calls of `pull` and `push` (inspect, pull, push). Loading
// dockerode (and ssh2 under it) costs several times Node's own start-up, which on a pull of a few
// small images is most of the run; these three calls need only node:http over the socket.
// Addresses it cannot serve (ssh) get the full client. Same answers and errors as docker.ts.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EngineError } from '../errors.js';
import { nonEmpty, resolveEngineAddress, type EngineAddress, type Env } from './address.js';
import type { Engine, ImageInfo, PullProgress, RegistryAuth } from './engine.js';
import { progressOf, readJsonLines, streamedFailure, type RawProgressMessage } from './json-lines.js';
import { fromInspectedImage, type RawInspectedImage } from './image-info.js';

/** What the image verbs need from the engine. */
export type ImageEngine = Pick<Engine, 'inspectImage' | 'pullImage' | 'pushImage'>;

/** The light client when the address allows it, else the full dockerode client (loaded lazily). */
export async function connectImageEngine(options: { env?: Env; homeDir?: string } = {}): Promise<ImageEngine> {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? nonEmpty(env['HOME']) ?? '/root';
  const address = resolveEngineAddress(env, homeDir);
  if (address.protocol === 'ssh') {
    const { connectEngine } = await import('./connect.js');
    return connectEngine({ env, homeDir });
  }
  return new ImageClient(address);
}



export class ImageClient implements ImageEngine {
  constructor(private readonly address: EngineAddress) {}

  async inspectImage(reference: string): Promise<ImageInfo | undefined> {
    const response = await this.send('GET', `/images/${reference}/json`, 'inspect image', reference);
    const text = await readAll(response);
    if (response.statusCode === 404) return undefined;
    if (!ok(response)) throw failure('inspect image', reference, response.statusCode ?? 0, text);
    const raw = JSON.parse(text) as RawInspectedImage;
    return fromInspectedImage(raw);
  }

  async pullImage(reference: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void; signal?: AbortSignal }): Promise<void> {
    const { repository, tag } = splitReference(reference);
    // An empty tag would pull every tag of the repository.
    const query = new URLSearchParams({ fromImage: repository, tag: tag ?? 'latest' });
    const response = await this.send('POST', `/images/create?${query.toString()}`, 'pull image', reference, options.auth, options.signal);
    await this.follow(response, 'pull image', reference, options.onProgress);
  }

  async pushImage(reference: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void }): Promise<void> {
    const { repository, tag } = splitReference(reference);
    const query = tag !== undefined ? `?${new URLSearchParams({ tag }).toString()}` : '';
    // The engine refuses a push without an X-Registry-Auth header, even an empty one.
    const response = await this.send('POST', `/images/${repository}/push${query}`, 'push image', reference, options.auth ?? ({} as RegistryAuth));
    await this.follow(response, 'push image', reference, options.onProgress);
  }

  /** Pull and push report failures inside a 200 response, as `{"error": ...}` lines. */
  private async follow(response: IncomingMessage, operation: string, resource: string, onProgress?: (p: PullProgress) => void): Promise<void> {
    if (!ok(response)) throw failure(operation, resource, response.statusCode ?? 0, await readAll(response));
    try {
      await readJsonLines<RawProgressMessage>(response, (message) => {
        const streamed = streamedFailure(message);
        if (streamed !== undefined) throw new EngineError({ operation, resource, message: streamed });
        const progress = progressOf(message);
        if (progress && onProgress) onProgress(progress);
      });
    } catch (error) {
      response.destroy();
      throw error;
    }
  }

  private send(method: string, path: string, operation: string, resource: string, auth?: RegistryAuth, signal?: AbortSignal): Promise<IncomingMessage> {
    const address = this.address;
    const headers: Record<string, string> = { Host: 'docker' };
    // Go's base64.URLEncoding: url-safe alphabet, with padding (Node's 'base64url' drops it).
    if (auth !== undefined) headers['X-Registry-Auth'] = Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const options: RequestOptions = { method, path, headers };
    if (signal) options.signal = signal;
    if (address.protocol === 'unix') options.socketPath = address.socketPath ?? '/var/run/docker.sock';
    else {
      options.host = address.host;
      options.port = address.port;
    }
    const tls = address.tls;
    if (tls) {
      const read = (file: string | undefined): Buffer | undefined => (file === undefined ? undefined : readFileSync(file));
      Object.assign(options, { ca: read(tls.caFile), cert: read(tls.certFile), key: read(tls.keyFile), rejectUnauthorized: tls.verify });
    }
    const send = tls ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(options, resolve);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') reject(error);
        else reject(unreachable(error, operation, resource, address));
      });
      req.end();
    });
  }
}

function ok(response: IncomingMessage): boolean {
  const status = response.statusCode ?? 0;
  return status >= 200 && status < 300;
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function failure(operation: string, resource: string, status: number, text: string): EngineError {
  let message = text.trim();
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // Not JSON: keep the text as the engine sent it.
  }
  return new EngineError({ code: status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : 'ENGINE', operation, resource, message: message || `HTTP ${status}`, statusCode: status });
}

function unreachable(error: NodeJS.ErrnoException, operation: string, resource: string, address: EngineAddress): EngineError {
  const denied = error.code === 'EACCES' || error.code === 'EPERM';
  const failed = new EngineError({
    code: 'ENGINE_UNREACHABLE',
    operation,
    resource,
    message: denied ? 'permission denied' : 'is dockerd running?',
    hint: denied ? `your user may not access ${address.socketPath ?? address.url}: add it to the docker group or use rootless Docker` : 'start Docker, or point DOCKER_HOST or the Docker context at a running engine',
    cause: error,
  });
  failed.message = `cannot reach the Docker engine at ${address.url}: ${denied ? 'permission denied' : 'is dockerd running?'}`;
  return failed;
}

/** `registry:5000/ns/app:1.2` -> repository and tag; a colon before the last slash is a port. Digests stay in the tag. */
function splitReference(reference: string): { repository: string; tag: string | undefined } {
  const at = reference.indexOf('@');
  if (at !== -1) return { repository: reference.slice(0, at), tag: reference.slice(at + 1) };
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: undefined };
}
