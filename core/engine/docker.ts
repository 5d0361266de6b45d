// The Engine port over the Docker Engine API. Requests go through our own HTTP transport
// (core/engine/http-transport.ts) for unix, tcp and tls addresses; only ssh addresses load
// dockerode, lazily, for its modem. Bodies and query strings are ours either way: dockerode's
// convenience wrappers send the whole create body as a query string too and JSON-parse
// non-follow logs, which mangles output that happens to be valid JSON.
// Every engine answer is converted to our types and every failure to an EngineError that keeps
// the engine's own words ("port is already allocated") without the HTTP wrapping.
import type { IncomingMessage } from 'node:http';
import { Readable, type Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { EngineError, StackError, isNotFound, type ErrorCode } from '../errors.js';
import type { EngineAddress } from './connect.js';
import { followBuildStream } from './build-stream.js';
import { HttpTransport, goBase64Url, type EngineRequest, type Transport } from './http-transport.js';
import { LIST_IMAGES, listContainersRequest, listNetworksRequest, listVolumesRequest, type ContainerFilter } from './requests.js';
import type {
  BuildImageOptions,
  ContainerSpec,
  ContainerState,
  EndpointSettings,
  Engine,
  EngineEvent,
  ExecOptions,
  ExecSession,
  ExecStreamOptions,
  StreamSession,
  HealthState,
  ImageInfo,
  LogLine,
  LogOptions,
  NetworkSpec,
  ObservedContainer,
  ObservedMount,
  ObservedNetwork,
  ObservedPort,
  ObservedVolume,
  PullProgress,
  RegistryAuth,
  VolumeSpec,
} from './engine.js';
import { decodeLogStream, demuxToText } from './log-stream.js';
import { exitCodeFromStatus, fromListedContainer, fromMount, healthFromStatus, toState, type RawListedContainer, type RawMount } from './container-list.js';
import { progressOf, readJsonLines, streamedFailure, type RawProgressMessage } from './json-lines.js';
import { fromInspectedImage, type RawInspectedImage } from './image-info.js';

export { exitCodeFromStatus, healthFromStatus };

/** One engine request as `--debug` shows it: what, on what, how long until the answer (or the stream) came. */
export interface EngineCall {
  operation: string;
  resource: string | undefined;
  ms: number;
  /** The engine's HTTP status for a refusal; `error` alone when the engine was not reached. */
  outcome: 'ok' | 'error';
  statusCode?: number;
}

/** Receives one report per engine request, when it is answered: for `--debug` output. */
export type EngineTrace = (call: EngineCall) => void;

export interface DockerEngineOptions {
  trace?: EngineTrace;
  /** How requests reach the engine; by default a new client for the address. */
  transport?: Transport;
}

export type { ContainerFilter } from './requests.js';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTSOCK']);

export class DockerEngine implements Engine {
  readonly address: EngineAddress;
  private readonly transport: Transport;
  private readonly trace: EngineTrace | undefined;

  constructor(address: EngineAddress, options: DockerEngineOptions = {}) {
    this.address = address;
    this.trace = options.trace;
    this.transport = options.transport ?? (address.protocol === 'ssh' ? new ModemTransport(address) : new HttpTransport(address));
  }

  // ---- system ----

  async ping(): Promise<void> {
    await this.request('ping', undefined, { method: 'GET', path: '/_ping' });
  }

  async version(): Promise<{ version: string; apiVersion: string }> {
    const body = await this.request<{ Version?: string; ApiVersion?: string }>('version', undefined, { method: 'GET', path: '/version' });
    return { version: body.Version ?? 'unknown', apiVersion: body.ApiVersion ?? 'unknown' };
  }

  // ---- containers ----

  async listContainers(filter: ContainerFilter): Promise<ObservedContainer[]> {
    const list = await this.request<RawListedContainer[]>('list containers', undefined, listContainersRequest(filter));
    return (list ?? []).map(fromListedContainer);
  }

  async inspectContainer(id: string): Promise<ObservedContainer | undefined> {
    const raw = await this.optional(this.request<RawInspectedContainer>('inspect container', id, { method: 'GET', path: `/containers/${enc(id)}/json` }));
    return raw === undefined ? undefined : fromInspectedContainer(raw);
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    // Engines before API 1.44 reject more than one network at create time.
    const endpoints = Object.entries(spec.body.NetworkingConfig?.EndpointsConfig ?? {});
    const [first, ...rest] = endpoints;
    const body = { ...spec.body, NetworkingConfig: first ? { EndpointsConfig: { [first[0]]: first[1] } } : undefined };
    const created = await this.request<{ Id: string }>('create container', spec.name, {
      method: 'POST',
      path: '/containers/create',
      query: { name: spec.name },
      body,
    });
    try {
      for (const [network, endpoint] of [...rest, ...Object.entries(spec.extraNetworks)]) {
        await this.connectNetwork(network, created.Id, endpoint);
      }
    } catch (error) {
      // A container missing a network would look "up to date" by name but be unreachable:
      // remove it so a retry creates it whole.
      await this.removeContainer(created.Id, { force: true, volumes: true }).catch(() => undefined);
      throw error;
    }
    return created.Id;
  }

  async startContainer(id: string): Promise<void> {
    await this.request('start container', id, { method: 'POST', path: `/containers/${enc(id)}/start` });
  }

  async stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    await this.request('stop container', id, { method: 'POST', path: `/containers/${enc(id)}/stop`, query: { t: timeoutSeconds } });
  }

  async killContainer(id: string, signal?: string): Promise<void> {
    await this.request('kill container', id, { method: 'POST', path: `/containers/${enc(id)}/kill`, query: { signal } });
  }

  async restartContainer(id: string, timeoutSeconds?: number): Promise<void> {
    await this.request('restart container', id, { method: 'POST', path: `/containers/${enc(id)}/restart`, query: { t: timeoutSeconds } });
  }

  async pauseContainer(id: string): Promise<void> {
    await this.request('pause container', id, { method: 'POST', path: `/containers/${enc(id)}/pause` });
  }

  async unpauseContainer(id: string): Promise<void> {
    await this.request('unpause container', id, { method: 'POST', path: `/containers/${enc(id)}/unpause` });
  }

  async removeContainer(id: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    await this.request('remove container', id, { method: 'DELETE', path: `/containers/${enc(id)}`, query: { force: options.force, v: options.volumes } });
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await this.request('rename container', id, { method: 'POST', path: `/containers/${enc(id)}/rename`, query: { name } });
  }

  /**
   * Waits with the engine's default condition, "not-running": call it after start. A created,
   * never started container counts as not running and answers at once.
   */
  async waitContainer(id: string, signal?: AbortSignal): Promise<number> {
    const result = await this.request<{ StatusCode: number; Error?: { Message?: string } | null }>('wait for container', id, {
      method: 'POST',
      path: `/containers/${enc(id)}/wait`,
      ...(signal ? { signal } : {}),
    });
    return result.StatusCode;
  }

  containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    const response = this.request<IncomingMessage>('read logs of', id, {
      method: 'GET',
      path: `/containers/${enc(id)}/logs`,
      query: {
        stdout: true,
        stderr: true,
        follow: options.follow,
        timestamps: options.timestamps,
        tail: options.tail === undefined ? undefined : String(options.tail),
        since: options.since,
        until: options.until,
      },
      stream: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Not a generator: the request starts now, so lines written after this call are not missed.
    return this.streamed(response, { operation: 'read logs of', resource: id, signal: options.signal }, (stream) =>
      decodeLogStream(stream, { tty: options.tty, timestamps: options.timestamps }),
    );
  }

  async topContainer(id: string): Promise<{ titles: string[]; processes: string[][] }> {
    const result = await this.request<{ Titles?: string[] | null; Processes?: string[][] | null }>('list processes of', id, {
      method: 'GET',
      path: `/containers/${enc(id)}/top`,
    });
    return { titles: result.Titles ?? [], processes: result.Processes ?? [] };
  }

  async putArchive(id: string, path: string, tar: Readable): Promise<void> {
    await this.request('copy files into', id, { method: 'PUT', path: `/containers/${enc(id)}/archive`, query: { path }, file: tar });
  }

  async exec(id: string, options: ExecOptions): Promise<{ exitCode: number; output: string }> {
    const created = await this.request<{ Id: string }>('exec in', id, {
      method: 'POST',
      path: `/containers/${enc(id)}/exec`,
      body: {
        Cmd: options.command,
        AttachStdout: true,
        AttachStderr: true,
        // Output is collected, not streamed: there is no stdin to attach whatever `interactive` says.
        AttachStdin: false,
        Tty: options.tty,
        ...(options.user !== undefined ? { User: options.user } : {}),
        ...(options.workingDir !== undefined ? { WorkingDir: options.workingDir } : {}),
        ...(options.env !== undefined ? { Env: options.env } : {}),
        ...(options.privileged !== undefined ? { Privileged: options.privileged } : {}),
      },
    });
    const stream = await this.request<IncomingMessage>('exec in', id, {
      method: 'POST',
      path: `/exec/${enc(created.Id)}/start`,
      body: { Detach: false, Tty: options.tty },
      stream: true,
    });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (error) {
      throw toEngineError(error, 'exec in', id, this.address);
    }
    const inspected = await this.request<{ ExitCode: number | null; Running: boolean }>('exec in', id, { method: 'GET', path: `/exec/${enc(created.Id)}/json` });
    return { exitCode: inspected.ExitCode ?? -1, output: demuxToText(Buffer.concat(chunks), { tty: options.tty }) };
  }

  async execStream(id: string, options: ExecStreamOptions): Promise<ExecSession> {
    const detach = options.detach === true;
    const stdin = options.interactive && !detach;
    const created = await this.request<{ Id: string }>('exec in', id, {
      method: 'POST',
      path: `/containers/${enc(id)}/exec`,
      body: {
        Cmd: options.command,
        AttachStdin: stdin,
        AttachStdout: !detach,
        AttachStderr: !detach,
        Tty: options.tty,
        ...(options.user !== undefined ? { User: options.user } : {}),
        ...(options.workingDir !== undefined ? { WorkingDir: options.workingDir } : {}),
        ...(options.env !== undefined ? { Env: options.env } : {}),
        ...(options.privileged !== undefined ? { Privileged: options.privileged } : {}),
      },
    });
    const path = `/exec/${enc(created.Id)}`;
    const resize = async (rows: number, columns: number): Promise<void> => {
      if (!options.tty) return;
      // A resize racing the process's exit is harmless: nothing is left to draw.
      await this.request('resize exec in', id, { method: 'POST', path: `${path}/resize`, query: { h: rows, w: columns } }).catch(() => undefined);
    };
    const exitCode = async (): Promise<number> => {
      // The exit code is recorded a moment after the output closes: poll briefly.
      for (let attempt = 0; ; attempt++) {
        const state = await this.request<{ ExitCode: number | null; Running: boolean }>('exec in', id, { method: 'GET', path: `${path}/json` });
        if (!state.Running || (attempt > 100 && !detach)) return state.ExitCode ?? -1;
        await new Promise((resolve) => setTimeout(resolve, detach ? 200 : 20));
      }
    };
    if (detach) {
      await this.request('exec in', id, { method: 'POST', path: `${path}/start`, body: { Detach: true, Tty: options.tty } });
      return { output: Readable.from([]), tty: options.tty, resize, close: () => undefined, exitCode };
    }
    const connection = await this.request<Duplex>('exec in', id, {
      method: 'POST',
      path: `${path}/start`,
      body: { Detach: false, Tty: options.tty },
      stream: true,
      ...(stdin ? { hijack: true } : {}),
    });
    const ended = finished(connection).catch(() => undefined);
    return {
      output: connection,
      ...(stdin ? { input: connection } : {}),
      tty: options.tty,
      resize,
      close: () => connection.destroy(),
      exitCode: async () => {
        await ended;
        return exitCode();
      },
    };
  }

  async attachContainer(id: string, options: { stdin: boolean; tty: boolean }): Promise<StreamSession> {
    const connection = await this.request<Duplex>('attach to', id, {
      method: 'POST',
      path: `/containers/${enc(id)}/attach`,
      query: { stream: true, stdin: options.stdin, stdout: true, stderr: true },
      stream: true,
      ...(options.stdin ? { hijack: true } : {}),
    });
    return {
      output: connection,
      ...(options.stdin ? { input: connection } : {}),
      tty: options.tty,
      resize: async (rows: number, columns: number) => {
        if (!options.tty) return;
        await this.request('resize', id, { method: 'POST', path: `/containers/${enc(id)}/resize`, query: { h: rows, w: columns } }).catch(() => undefined);
      },
      close: () => connection.destroy(),
    };
  }

  // ---- networks ----

  async listNetworks(filter: { labels: string[] }): Promise<ObservedNetwork[]> {
    const list = await this.request<RawNetwork[]>('list networks', undefined, listNetworksRequest(filter.labels));
    return (list ?? []).map(fromNetwork);
  }

  async inspectNetwork(name: string): Promise<ObservedNetwork | undefined> {
    const raw = await this.optional(this.request<RawNetwork>('inspect network', name, { method: 'GET', path: `/networks/${enc(name)}` }));
    return raw === undefined ? undefined : fromNetwork(raw);
  }

  async createNetwork(spec: NetworkSpec): Promise<string> {
    const created = await this.request<{ Id: string }>('create network', spec.name, {
      method: 'POST',
      path: '/networks/create',
      body: {
        Name: spec.name,
        // Without it, a concurrent create makes two networks of the same name (API < 1.44).
        CheckDuplicate: true,
        Driver: spec.driver ?? 'bridge',
        Options: spec.driverOpts ?? {},
        Internal: spec.internal ?? false,
        Attachable: spec.attachable ?? false,
        EnableIPv6: spec.enableIPv6 ?? false,
        Labels: spec.labels,
        ...(spec.ipam ? { IPAM: spec.ipam } : {}),
      },
    });
    return created.Id;
  }

  async removeNetwork(name: string): Promise<void> {
    await this.request('remove network', name, { method: 'DELETE', path: `/networks/${enc(name)}` });
  }

  async connectNetwork(network: string, container: string, endpoint: EndpointSettings): Promise<void> {
    await this.request('connect to network', `${container} -> ${network}`, {
      method: 'POST',
      path: `/networks/${enc(network)}/connect`,
      body: { Container: container, EndpointConfig: endpoint },
    });
  }

  async disconnectNetwork(network: string, container: string): Promise<void> {
    await this.request('disconnect from network', `${container} -> ${network}`, {
      method: 'POST',
      path: `/networks/${enc(network)}/disconnect`,
      body: { Container: container, Force: false },
    });
  }

  // ---- volumes ----

  async listVolumes(filter: { labels: string[] }): Promise<ObservedVolume[]> {
    const result = await this.request<{ Volumes?: RawVolume[] | null }>('list volumes', undefined, listVolumesRequest(filter.labels));
    return (result.Volumes ?? []).map(fromVolume);
  }

  async inspectVolume(name: string): Promise<ObservedVolume | undefined> {
    const raw = await this.optional(this.request<RawVolume>('inspect volume', name, { method: 'GET', path: `/volumes/${enc(name)}` }));
    return raw === undefined ? undefined : fromVolume(raw);
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.request('create volume', spec.name, {
      method: 'POST',
      path: '/volumes/create',
      body: { Name: spec.name, Driver: spec.driver ?? 'local', DriverOpts: spec.driverOpts ?? {}, Labels: spec.labels },
    });
  }

  async removeVolume(name: string): Promise<void> {
    await this.request('remove volume', name, { method: 'DELETE', path: `/volumes/${enc(name)}` });
  }

  // ---- images ----

  async inspectImage(reference: string): Promise<ImageInfo | undefined> {
    const raw = await this.optional(this.request<RawInspectedImage>('inspect image', reference, { method: 'GET', path: `/images/${reference}/json` }));
    return raw === undefined ? undefined : fromInspectedImage(raw);
  }

  async listImages(): Promise<ImageInfo[]> {
    const list = await this.request<RawListedImage[]>('list images', undefined, LIST_IMAGES);
    return (list ?? []).map(fromListedImage);
  }

  async pullImage(reference: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void; signal?: AbortSignal }): Promise<void> {
    const { repository, tag } = splitReference(reference);
    const stream = await this.request<IncomingMessage>('pull image', reference, {
      method: 'POST',
      path: '/images/create',
      // An empty tag would pull every tag of the repository.
      query: { fromImage: repository, tag: tag ?? 'latest' },
      stream: true,
      ...(options.auth ? { auth: options.auth } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await this.followProgress(stream, 'pull image', reference, options.onProgress);
  }

  async pushImage(reference: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void }): Promise<void> {
    const { repository, tag } = splitReference(reference);
    const stream = await this.request<IncomingMessage>('push image', reference, {
      method: 'POST',
      path: `/images/${repository}/push`,
      query: { tag },
      stream: true,
      // The engine refuses a push without an X-Registry-Auth header, even an empty one.
      auth: options.auth ?? {},
    });
    await this.followProgress(stream, 'push image', reference, options.onProgress);
  }

  /**
   * The classic builder over a tar context (API 1.41 has BuildKit only through the session API).
   * `tag`-only callers (the integration tests' image) still work.
   */
  async buildImage(context: Readable, options: Partial<BuildImageOptions> & { tag?: string }): Promise<{ id?: string }> {
    const tags = options.tags ?? (options.tag !== undefined ? [options.tag] : []);
    const resource = tags[0] ?? 'image';
    const stream = await this.request<IncomingMessage>('build image', resource, {
      method: 'POST',
      path: '/build',
      query: {
        t: tags.length > 0 ? tags : undefined,
        dockerfile: options.dockerfile,
        target: options.target,
        buildargs: options.buildArgs && Object.keys(options.buildArgs).length > 0 ? JSON.stringify(options.buildArgs) : undefined,
        labels: options.labels && Object.keys(options.labels).length > 0 ? JSON.stringify(options.labels) : undefined,
        cachefrom: options.cacheFrom && options.cacheFrom.length > 0 ? JSON.stringify(options.cacheFrom) : undefined,
        networkmode: options.networkMode,
        shmsize: options.shmSize,
        extrahosts: options.extraHosts && options.extraHosts.length > 0 ? options.extraHosts.join(',') : undefined,
        nocache: options.noCache ? true : undefined,
        pull: options.pull ? true : undefined,
        rm: true,
        forcerm: true,
      },
      file: context,
      stream: true,
      ...(options.registryConfig ? { registryConfig: options.registryConfig } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      return await followBuildStream(stream, resource, {
        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (error) {
      throw toEngineError(error, 'build image', resource, this.address);
    }
  }

  async removeImage(reference: string, options: { force?: boolean } = {}): Promise<void> {
    await this.request('remove image', reference, { method: 'DELETE', path: `/images/${reference}`, query: { force: options.force } });
  }

  async tagImage(source: string, target: string): Promise<void> {
    const { repository, tag } = splitReference(target);
    await this.request('tag image', `${source} as ${target}`, { method: 'POST', path: `/images/${source}/tag`, query: { repo: repository, tag: tag ?? 'latest' } });
  }

  // ---- events ----

  events(filter: { labels: string[]; types?: string[] }, signal: AbortSignal): AsyncIterable<EngineEvent> {
    const filters: Record<string, string[]> = {};
    if (filter.labels.length > 0) filters['label'] = filter.labels;
    if (filter.types && filter.types.length > 0) filters['type'] = filter.types;
    // Started now rather than on first iteration, so events right after this call are seen. The
    // engine answers before it subscribes, so on a local socket (same clock) `since` closes that gap.
    const since = this.address.protocol === 'unix' ? (Date.now() / 1000).toFixed(3) : undefined;
    const response = this.request<IncomingMessage>('watch events', undefined, {
      method: 'GET',
      path: '/events',
      query: { filters: JSON.stringify(filters), since },
      stream: true,
      signal,
    });
    return this.streamed(response, { operation: 'watch events', resource: undefined, signal }, async function* (stream) {
      let pending = '';
      for await (const chunk of stream) {
        pending += (chunk as Buffer).toString('utf8');
        let newline: number;
        while ((newline = pending.indexOf('\n')) !== -1) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line !== '') yield fromEvent(JSON.parse(line) as RawEvent);
        }
      }
    });
  }

  // ---- plumbing ----

  /**
   * Items read from a streamed answer whose request has already started (so nothing sent after
   * the call is missed). Ending because the signal aborted is quiet; other failures are
   * EngineErrors naming the operation. The stream is closed however iteration ends.
   */
  private streamed<T>(
    response: Promise<IncomingMessage>,
    call: { operation: string; resource: string | undefined; signal: AbortSignal | undefined },
    read: (stream: IncomingMessage) => AsyncIterable<T>,
  ): AsyncIterable<T> {
    response.catch(() => undefined);
    const address = this.address;
    return (async function* () {
      let stream: IncomingMessage;
      try {
        stream = await response;
      } catch (error) {
        if (call.signal?.aborted) return;
        throw error;
      }
      try {
        yield* read(stream);
      } catch (error) {
        if (call.signal?.aborted) return;
        throw toEngineError(error, call.operation, call.resource, address);
      } finally {
        stream.destroy();
      }
    })();
  }

  private async request<T = unknown>(operation: string, resource: string | undefined, request: EngineRequest): Promise<T> {
    const started = this.trace ? performance.now() : 0;
    try {
      const answer = await this.transport.send<T>(request);
      this.trace?.({ operation, resource, ms: performance.now() - started, outcome: 'ok' });
      return answer;
    } catch (error) {
      const failure = toEngineError(error, operation, resource, this.address);
      const statusCode = (failure as { statusCode?: number }).statusCode;
      this.trace?.({ operation, resource, ms: performance.now() - started, outcome: 'error', ...(statusCode !== undefined ? { statusCode } : {}) });
      throw failure;
    }
  }

  /** Turns "not found" into undefined, for inspect calls. */
  private async optional<T>(promise: Promise<T>): Promise<T | undefined> {
    try {
      return await promise;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Pull and push report failures inside a 200 response, as `{"error": ...}` lines. */
  private async followProgress(stream: IncomingMessage, operation: string, resource: string, onProgress?: (p: PullProgress) => void): Promise<void> {
    try {
      await readJsonLines<RawProgressMessage>(stream, (message) => {
        const failure = streamedFailure(message);
        if (failure !== undefined) throw new EngineError({ operation, resource, message: failure, ...hintFor(failure) });
        const progress = progressOf(message);
        if (progress && onProgress) onProgress(progress);
      });
    } catch (error) {
      stream.destroy();
      throw toEngineError(error, operation, resource, this.address);
    }
  }
}

// ---- errors ----

interface RawModemError {
  message?: string;
  code?: string;
  statusCode?: number;
  json?: unknown;
  name?: string;
}

export function toEngineError(error: unknown, operation: string, resource: string | undefined, address: EngineAddress): StackError | Error {
  if (error instanceof StackError) return error;
  const raw = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as RawModemError;
  // Aborts are the caller's own doing: let them through unchanged.
  if (raw.name === 'AbortError') return error as Error;
  if (raw.code !== undefined && UNREACHABLE_CODES.has(raw.code) && raw.statusCode === undefined) {
    return unreachable(raw.code, operation, address, error);
  }
  if (raw.statusCode === undefined && isTlsFailure(raw.code)) return untrusted(raw, operation, address, error);
  const statusCode = raw.statusCode;
  const message = engineMessage(raw);
  const code: ErrorCode = statusCode === 404 ? 'NOT_FOUND' : statusCode === 409 ? 'CONFLICT' : 'ENGINE';
  return new EngineError({
    code,
    operation,
    ...(resource !== undefined ? { resource } : {}),
    ...(statusCode !== undefined ? { statusCode } : {}),
    message,
    ...hintFor(message),
    cause: error,
  });
}

function unreachable(errno: string, operation: string, address: EngineAddress, cause: unknown): EngineError {
  const denied = errno === 'EACCES' || errno === 'EPERM';
  const where = address.source === 'default' ? '' : ` (from ${address.source})`;
  const hint = denied
    ? `your user may not access ${address.socketPath ?? address.url}: add it to the docker group (\`sudo usermod -aG docker $USER\`, then log in again) or use rootless Docker`
    : `start Docker, or point DOCKER_HOST or the Docker context at a running engine${where}`;
  const error = new EngineError({ code: 'ENGINE_UNREACHABLE', operation, resource: address.url, message: denied ? 'permission denied' : 'is dockerd running?', hint, cause });
  // The operation adds nothing when the engine cannot be reached at all; name the address instead.
  error.message = `cannot reach the Docker engine at ${address.url}: ${denied ? 'permission denied' : 'is dockerd running?'}`;
  return error;
}

/** Node's codes for a TLS handshake that failed on a certificate (ours or the engine's). */
function isTlsFailure(code: string | undefined): boolean {
  if (code === undefined) return false;
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^ERR_SSL_|^ERR_TLS_|EPROTO/.test(code);
}

function untrusted(raw: RawModemError, operation: string, address: EngineAddress, cause: unknown): EngineError {
  const reason = raw.message ?? raw.code ?? 'TLS handshake failed';
  const error = new EngineError({
    code: 'ENGINE_UNREACHABLE',
    operation,
    resource: address.url,
    message: `TLS: ${reason}`,
    hint: 'DOCKER_CERT_PATH must hold ca.pem (the CA that signed the engine\'s certificate) and cert.pem/key.pem (a client certificate the engine trusts); check DOCKER_HOST names the engine\'s certificate host',
    cause,
  });
  // As for an unreachable engine, the address says more than the operation.
  error.message = `cannot connect securely to the Docker engine at ${address.url}: ${reason}`;
  return error;
}

/** The engine's own sentence, without the modem's "(HTTP code 500) server error - " wrapping. */
function engineMessage(raw: RawModemError): string {
  const json = raw.json;
  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim();
  }
  const text = raw.message ?? 'unknown error';
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim() || text;
}

const HINTS: [RegExp, string][] = [
  [/port is already allocated|address already in use/i, 'another container or program uses that host port: stop it or publish a different port'],
  [/pull access denied|repository does not exist|requested access to the resource is denied/i, 'check the image name; for a private registry run `docker login` first'],
  [/manifest unknown|manifest for .* not found/i, 'that tag does not exist in the registry: check the image tag'],
  [/is already in use by container/i, 'a container with that name already exists (another project or tool?): remove or rename it'],
  [/has active endpoints/i, 'containers still use this network: stop and remove them first'],
  [/volume is in use/i, 'a container still uses this volume: remove the container first'],
  [/no such image/i, 'pull or build the image first'],
];

function hintFor(message: string): { hint?: string } {
  for (const [pattern, hint] of HINTS) if (pattern.test(message)) return { hint };
  return {};
}

// ---- conversions ----

interface RawInspectedContainer {
  Id: string;
  Name?: string;
  Image?: string;
  Created?: string;
  Path?: string;
  Args?: string[] | null;
  Config?: { Image?: string; Labels?: Record<string, string> | null; Tty?: boolean } | null;
  State?: {
    Status?: string;
    ExitCode?: number;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; Log?: { ExitCode?: number; Output?: string }[] | null } | null;
  } | null;
  NetworkSettings?: {
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    Networks?: Record<string, unknown> | null;
  } | null;
  Mounts?: RawMount[] | null;
}
interface RawNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Labels?: Record<string, string> | null;
}
interface RawVolume {
  Name: string;
  Driver?: string;
  Labels?: Record<string, string> | null;
  Mountpoint?: string;
}
interface RawListedImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: number;
  Size?: number;
  Labels?: Record<string, string> | null;
}
interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> | null };
  time?: number;
}


function fromInspectedContainer(raw: RawInspectedContainer): ObservedContainer {
  const state = toState(raw.State?.Status);
  const health = raw.State?.Health?.Status;
  const ports: ObservedPort[] = [];
  for (const [key, bindings] of Object.entries(raw.NetworkSettings?.Ports ?? {})) {
    const [portText, protocol = 'tcp'] = key.split('/');
    const privatePort = Number(portText);
    if (!bindings || bindings.length === 0) {
      ports.push({ privatePort, protocol });
      continue;
    }
    for (const binding of bindings) {
      const port: ObservedPort = { privatePort, protocol };
      if (binding.HostIp) port.ip = binding.HostIp;
      if (binding.HostPort) port.publicPort = Number(binding.HostPort);
      ports.push(port);
    }
  }
  const observed: ObservedContainer = {
    id: raw.Id,
    name: (raw.Name ?? raw.Id).replace(/^\//, ''),
    image: raw.Config?.Image ?? '',
    imageId: raw.Image ?? '',
    labels: raw.Config?.Labels ?? {},
    state,
    status: statusText(raw),
    created: raw.Created ? Math.floor(Date.parse(raw.Created) / 1000) : 0,
    command: [raw.Path ?? '', ...(raw.Args ?? [])].filter((part) => part !== '').join(' '),
    ports,
    networks: Object.keys(raw.NetworkSettings?.Networks ?? {}),
    mounts: (raw.Mounts ?? []).map(fromMount),
  };
  if (health === 'starting' || health === 'healthy' || health === 'unhealthy') observed.health = health;
  // The last probe's output tells the user *why* a dependency is unhealthy.
  const lastProbe = raw.State?.Health?.Log?.at(-1)?.Output?.trim();
  if (lastProbe) observed.healthOutput = lastProbe;
  if (raw.Config?.Tty) observed.tty = true;
  if (state === 'exited' || state === 'dead' || state === 'restarting') observed.exitCode = raw.State?.ExitCode ?? 0;
  return observed;
}

/** The same words `docker ps` uses, so list and inspect read alike. */
function statusText(raw: RawInspectedContainer, now = Date.now()): string {
  const state = raw.State;
  const since = (iso: string | undefined): string => humanDuration((now - Date.parse(iso ?? '')) / 1000);
  switch (state?.Status) {
    case 'running': {
      const health = state.Health?.Status;
      const suffix = health === 'starting' ? ' (health: starting)' : health === 'healthy' || health === 'unhealthy' ? ` (${health})` : '';
      return `Up ${since(state.StartedAt)}${suffix}`;
    }
    case 'paused':
      return `Up ${since(state.StartedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${state.ExitCode ?? 0}) ${since(state.FinishedAt)} ago`;
    case 'exited':
      return `Exited (${state.ExitCode ?? 0}) ${since(state.FinishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}

/** go-units HumanDuration, which the engine uses for status text. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) return 'Less than a second';
  const s = Math.floor(seconds);
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const minutes = Math.floor(s / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(s / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

function fromNetwork(raw: RawNetwork): ObservedNetwork {
  return { id: raw.Id, name: raw.Name, driver: raw.Driver ?? '', labels: raw.Labels ?? {} };
}

function fromVolume(raw: RawVolume): ObservedVolume {
  const volume: ObservedVolume = { name: raw.Name, driver: raw.Driver ?? 'local', labels: raw.Labels ?? {} };
  if (raw.Mountpoint) volume.mountpoint = raw.Mountpoint;
  return volume;
}

function fromListedImage(raw: RawListedImage): ImageInfo {
  return {
    id: raw.Id,
    repoTags: (raw.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
    repoDigests: (raw.RepoDigests ?? []).filter((digest) => digest !== '<none>@<none>'),
    created: raw.Created ?? 0,
    size: raw.Size ?? 0,
    labels: raw.Labels ?? {},
  };
}


/** Absent or zero (`0001-01-01...`) when the image was never tagged here (built by id, loaded). */

function fromEvent(raw: RawEvent): EngineEvent {
  return {
    type: raw.Type ?? 'container',
    action: raw.Action ?? raw.status ?? '',
    id: raw.Actor?.ID ?? raw.id ?? '',
    attributes: raw.Actor?.Attributes ?? {},
    time: raw.time ?? 0,
  };
}

// ---- helpers ----

/** `{"label": [...]}` as the engine's `filters` query parameter; key-only labels match any value. */

/** Path segment: ids and names are safe, but a name could hold characters URLs reserve. */
function enc(value: string): string {
  return encodeURIComponent(value);
}

/**
 * `registry:5000/ns/app:1.2@sha256:...` -> repository and tag (or digest). A colon after the
 * last slash is a tag; before it, a registry port.
 */
export function splitReference(reference: string): { repository: string; tag: string | undefined } {
  const at = reference.indexOf('@');
  if (at !== -1) return { repository: reference.slice(0, at), tag: reference.slice(at + 1) };
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: undefined };
}

// ---- ssh ----

interface Modem {
  dial(options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void): void;
}

/**
 * ssh addresses go through dockerode's modem (ssh2 under it), loaded on the first request so
 * that no other address pays for loading it.
 */
class ModemTransport implements Transport {
  private modem: Promise<Modem> | undefined;

  constructor(private readonly address: EngineAddress) {}

  async send<T = unknown>(request: EngineRequest): Promise<T> {
    this.modem ??= import('dockerode').then(({ default: DockerodeClass }) => (new DockerodeClass(sshOptions(this.address)) as unknown as { modem: Modem }).modem);
    const modem = await this.modem;
    return new Promise<T>((resolve, reject) => {
      try {
        modem.dial(modemRequest(request), (error, data) => (error ? reject(error) : resolve(data as T)));
      } catch (error) {
        reject(error);
      }
    });
  }
}

/** Success in the modem's terms: any other status is an error with the engine's body as `json`. */
const MODEM_STATUS: Record<number, true | string> = { 200: true, 201: true, 204: true, 304: true, 404: 'not found', 409: 'conflict', 500: 'server error' };

function modemRequest(request: EngineRequest): Record<string, unknown> {
  const query: Record<string, string | number | boolean | string[]> = {};
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) query[key] = value;
  const options: Record<string, unknown> = {
    path: `${request.path}?`,
    method: request.method,
    // The modem sends `_body` as JSON on POST; `{}` means "no body", which start/stop require.
    options: { _query: query, _body: request.body ?? {} },
    isStream: request.stream === true,
    statusCodes: MODEM_STATUS,
  };
  if (request.file) options['file'] = request.file;
  if (request.hijack) {
    options['hijack'] = true;
    options['openStdin'] = true;
    // The modem drops an empty `{}` body, and a request with neither body nor end() never sends
    // its headers: the engine would never answer the upgrade.
    options['allowEmpty'] = true;
  }
  if (request.signal) options['abortSignal'] = request.signal;
  if (request.auth) options['authconfig'] = request.auth;
  // The modem would send standard base64; the engine decodes this header as Go's URLEncoding.
  if (request.registryConfig) options['registryconfig'] = { base64: goBase64Url(request.registryConfig) };
  return options;
}

function sshOptions(address: EngineAddress): Dockerode.DockerOptions {
  // Every key is set, even to undefined: the modem fills unset keys from process.env.DOCKER_HOST.
  return {
    socketPath: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    protocol: 'ssh',
    host: address.host,
    port: address.port,
    username: address.username,
    sshOptions: { agent: process.env['SSH_AUTH_SOCK'] },
  } as Dockerode.DockerOptions;
}
