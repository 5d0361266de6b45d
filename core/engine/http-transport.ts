// The one HTTP client for the Engine API, on node:http and node:https. dockerode (with
// docker-modem, ssh2 and protobufjs under it) costs several times Node's own start-up to load,
// and we only ever used its modem's `dial`: this does the same for unix, tcp and tls addresses.
// ssh addresses still go through the modem, loaded lazily (core/engine/docker.ts).
//
// It answers in raw terms (parsed JSON, a response stream, a socket, or an EngineHttpError /
// errno error); core/engine/docker.ts turns failures into EngineErrors with the operation named.
import { readFileSync } from 'node:fs';
import type { Agent as HttpAgent, ClientRequest, IncomingMessage, OutgoingHttpHeaders, RequestOptions, request as httpRequest } from 'node:http';
import { Duplex, addAbortSignal } from 'node:stream';
import { EngineError } from '../errors.js';
import type { EngineAddress } from './address.js';
import { encodeQuery, type EngineRequest } from './requests.js';

export { encodeQuery, type EngineRequest, type QueryValue } from './requests.js';

/** Sends one Engine API request. Non-stream answers are the parsed JSON, else the text, else undefined when empty. */
export interface Transport {
  send<T = unknown>(request: EngineRequest): Promise<T>;
}

/** An error status from the engine; `json` is the parsed body when it was JSON. Read by toEngineError. */
export class EngineHttpError extends Error {
  readonly statusCode: number;
  readonly json: unknown;

  constructor(statusCode: number, message: string, json: unknown) {
    super(message);
    this.name = 'EngineHttpError';
    this.statusCode = statusCode;
    this.json = json;
  }
}

/** 304 is "already started/stopped", which is what the caller wanted. */
export const SUCCESS: ReadonlySet<number> = new Set([200, 201, 204, 304]);

const REASONS: Record<number, string> = {
  400: 'bad parameter',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  406: 'not acceptable',
  409: 'conflict',
  500: 'server error',
  503: 'unavailable',
};

/**
 * Idle connections kept per engine: the executor runs up to this many requests at once, and
 * reusing a connection saves a connect (and on tls a handshake) per request. Not a cap on open
 * connections: followed logs and events hold theirs for as long as they run.
 */
const IDLE_CONNECTIONS = 32;

interface Client {
  agent: HttpAgent;
  open: typeof httpRequest;
}

export class HttpTransport implements Transport {
  private readonly target: RequestOptions;
  /**
   * Made on the first request: node:http costs a few ms to load, and a command whose reads were
   * all answered early (cli/early-requests.ts) never needs it. node:https (and tls, crypto under
   * it) is loaded only for a TLS engine.
   */
  private client: Client | Promise<Client> | undefined;
  private readonly makeClient: () => Client | Promise<Client>;

  /** Reads the TLS files now, so a missing certificate fails before any request. */
  constructor(address: EngineAddress) {
    if (address.protocol === 'ssh') throw new Error('HttpTransport cannot serve ssh addresses');
    const target: RequestOptions & { servername?: string } =
      address.protocol === 'unix' ? { socketPath: address.socketPath ?? '/var/run/docker.sock' } : { host: address.host, port: address.port };
    // Without TLS there is no server name to send; left unset, the agent derives one per request
    // with net.isIP, whose first call compiles a large regular expression (~6 ms of a short command).
    if (!address.tls) target.servername = '';
    this.target = target;
    const tls = address.tls;
    if (tls) {
      const [ca, cert, key] = [tls.caFile, tls.certFile, tls.keyFile].map(readCertificate);
      this.makeClient = () =>
        import('node:https').then(({ Agent, request }) => ({
          agent: new Agent({ keepAlive: true, maxFreeSockets: IDLE_CONNECTIONS, ca, cert, key, rejectUnauthorized: tls.verify }),
          open: request,
        }));
    } else {
      this.makeClient = () => {
        const http = process.getBuiltinModule('node:http');
        return { agent: new http.Agent({ keepAlive: true, maxFreeSockets: IDLE_CONNECTIONS }), open: http.request };
      };
    }
  }

  async send<T = unknown>(request: EngineRequest): Promise<T> {
    const client = (this.client = await (this.client ?? this.makeClient()));
    return this.attempt<T>(client, request, true);
  }

  /** Closes idle connections (they never keep the process alive: the agent unrefs them). */
  close(): void {
    if (this.client !== undefined) void Promise.resolve(this.client).then((client) => client.agent.destroy());
  }

  private attempt<T>(client: Client, request: EngineRequest, mayRetry: boolean): Promise<T> {
    const { headers, body } = requestHeaders(request);
    const options: RequestOptions = { ...this.target, method: request.method, path: request.path + encodeQuery(request.query), headers, agent: client.agent };
    if (request.signal) options.signal = request.signal;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        outcome();
      };
      let req: ClientRequest;
      try {
        req = client.open(options);
      } catch (error) {
        reject(error);
        return;
      }
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the engine closed while idle: the request never reached it.
        const retry = mayRetry && req.reusedSocket && error.code === 'ECONNRESET' && request.file === undefined && request.hijack !== true;
        settle(() => (retry ? resolve(this.attempt<T>(client, request, false)) : reject(error)));
      });
      if (request.hijack) {
        req.on('upgrade', (_response: IncomingMessage, socket, head: Buffer) => {
          if (head.length > 0) socket.unshift(head);
          settle(() => resolve(socket as unknown as T));
        });
      }
      req.on('response', (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        if (!SUCCESS.has(status)) {
          readBody(response).then(
            (text) => settle(() => reject(statusError(status, text))),
            (error: unknown) => settle(() => reject(error)),
          );
          return;
        }
        // An engine that answers the upgrade with a plain 200: still a two-way stream.
        if (request.hijack) return settle(() => resolve(Duplex.from({ readable: response, writable: req }) as unknown as T));
        if (request.stream) return settle(() => resolve(response as unknown as T));
        // The request's signal stops at the response headers; a slow body (wait) must abort too.
        if (request.signal) addAbortSignal(request.signal, response);
        readBody(response).then(
          (text) => settle(() => resolve(parseBody(text) as T)),
          (error: unknown) => settle(() => reject(error)),
        );
      });
      if (request.file) {
        request.file.on('error', (error) => req.destroy(error));
        request.file.pipe(req);
      } else {
        req.end(body);
      }
    });
  }
}

// ---- pure parts ----

/** Go's base64.URLEncoding (url-safe alphabet, with padding), which the engine decodes registry headers with. */
export function goBase64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The headers and JSON body of a request (a `file` body is streamed separately). */
export function requestHeaders(request: EngineRequest): { headers: OutgoingHttpHeaders; body: string | undefined } {
  const headers: OutgoingHttpHeaders = {};
  let body: string | undefined;
  // An empty `{}` auth is still sent: the engine refuses a push without the header.
  if (request.auth !== undefined) headers['X-Registry-Auth'] = goBase64Url(request.auth);
  if (request.registryConfig !== undefined) headers['X-Registry-Config'] = goBase64Url(request.registryConfig);
  if (request.file !== undefined) {
    headers['Content-Type'] = 'application/x-tar';
  } else if (request.body !== undefined || request.hijack === true) {
    // A hijacked request needs a body to be complete; `{}` is what the engine reads as "nothing".
    body = JSON.stringify(request.body ?? {});
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(body);
  } else if (request.method === 'POST' || request.method === 'PUT') {
    // Never chunked: the engine reads an unknown-length body on start as a (removed) host config.
    headers['Content-Length'] = 0;
  }
  if (request.hijack === true) {
    headers['Connection'] = 'Upgrade';
    headers['Upgrade'] = 'tcp';
  }
  return { headers, body };
}

/** The engine's error body as an EngineHttpError carrying its own sentence. */
export function statusError(status: number, text: string): EngineHttpError {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  const fields = typeof json === 'object' && json !== null ? (json as { message?: unknown; error?: unknown }) : {};
  const said = typeof fields.message === 'string' ? fields.message : typeof fields.error === 'string' ? fields.error : text;
  const message = said.trim() || `${REASONS[status] ?? 'unexpected status'} (HTTP ${status})`;
  return new EngineHttpError(status, message, json);
}

/** JSON when it parses (the engine's answers), else the text (`/_ping` says `OK`), undefined when empty. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readCertificate(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new EngineError({
      code: 'ENGINE_UNREACHABLE',
      operation: 'read TLS certificate',
      resource: file,
      message: error instanceof Error ? error.message : String(error),
      hint: 'DOCKER_CERT_PATH must name a folder holding ca.pem, cert.pem and key.pem',
      cause: error,
    });
  }
}
