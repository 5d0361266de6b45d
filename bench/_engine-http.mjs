// The bench's own Engine API client: raw HTTP over the unix socket with node:http, no SDK. It is
// the "direct API" baseline of bench/reconcile.mjs, so it must cost no more than a careful script
// would: one keep-alive agent, JSON in and out, nothing else.
import { request, Agent } from 'node:http';

const API = '/v1.41';

function socketPath() {
  const host = process.env.DOCKER_HOST;
  if (host === undefined || host === '') return '/var/run/docker.sock';
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`bench: only a unix-socket engine is supported (DOCKER_HOST=${host})`);
}

export class EngineHttpError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} -> ${status}: ${body.trim().slice(0, 500)}`);
    this.status = status;
  }
}

export class EngineHttp {
  constructor({ maxSockets = 64 } = {}) {
    this.socketPath = socketPath();
    // Without keep-alive every call would pay a connect; a careful script keeps its sockets.
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Sends one request; resolves the parsed JSON body (or undefined when empty). `ok` lists extra statuses taken as success. */
  call(method, path, { body, query, ok = [], raw } = {}) {
    const qs = query ? `?${new URLSearchParams(query).toString()}` : '';
    const fullPath = `${API}${path}${qs}`;
    const payload = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
    const headers = {};
    if (payload !== undefined && !raw) headers['Content-Type'] = 'application/json';
    if (raw) headers['Content-Type'] = 'application/x-tar';
    if (Buffer.isBuffer(payload)) headers['Content-Length'] = payload.length;
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, agent: this.agent, method, path: fullPath, headers }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if ((status >= 200 && status < 300) || ok.includes(status)) {
            const json = res.headers['content-type']?.includes('application/json') && text !== '' ? safeJson(text) : text;
            resolve({ status, body: json });
          } else reject(new EngineHttpError(method, fullPath, status, text));
        });
      });
      req.on('error', reject);
      if (payload !== undefined && typeof payload.pipe === 'function') payload.pipe(req);
      else req.end(payload);
    });
  }

  async json(method, path, options) {
    return (await this.call(method, path, options)).body;
  }

  close() {
    this.agent.destroy();
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight: one flat pool, a slot never waits for another slot. */
export async function pool(items, limit, fn) {
  let next = 0;
  let failure;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

export const labelFilter = (labels) => ({ filters: JSON.stringify({ label: labels }) });
