// The engine port: everything core needs from a container engine, in our own types.
// core/engine/docker.ts implements it over dockerode and is the only module that imports
// dockerode. The planner never sees this interface: it gets an ObservedState snapshot instead.
import type { Readable, Writable } from 'node:stream';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthState = 'starting' | 'healthy' | 'unhealthy';

export interface ObservedPort {
  ip?: string;
  privatePort: number;
  publicPort?: number;
  protocol: string;
}

export interface ObservedMount {
  type: string;
  /** Volume name, for volume mounts (anonymous volumes have a generated name). */
  name?: string;
  source: string;
  destination: string;
  readOnly: boolean;
}

export interface ObservedContainer {
  id: string;
  /** Without the leading slash. */
  name: string;
  /** The image as written in the container's config (e.g. `redis:7`). */
  image: string;
  imageId: string;
  labels: Record<string, string>;
  state: ContainerState;
  /** The engine's human status: `Up 3 minutes (healthy)`, `Exited (0) 2 seconds ago`. */
  status: string;
  health?: HealthState;
  /** Output of the last health check run, when inspected (the list API does not carry it). */
  healthOutput?: string;
  exitCode?: number;
  /** Seconds since the epoch. */
  created: number;
  command: string;
  ports: ObservedPort[];
  /** Network names the container is attached to. */
  networks: string[];
  mounts: ObservedMount[];
  /** Whether the container has a TTY (its output is then one raw stream). Known from inspect only. */
  tty?: boolean;
}

export interface ObservedNetwork {
  id: string;
  name: string;
  driver: string;
  labels: Record<string, string>;
}

export interface ObservedVolume {
  name: string;
  driver: string;
  labels: Record<string, string>;
  mountpoint?: string;
}

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  created: number;
  size: number;
  labels: Record<string, string>;
  /** When the image was last tagged or pulled here, seconds since the epoch (from inspect; undefined = not known). */
  lastTagTime?: number;
  /** Container paths the image declares as VOLUME (from inspect; undefined = not known). */
  volumes?: string[];
}

/**
 * The body of the Engine API's `POST /containers/create`, as documented for API v1.41+.
 * Written here (not dockerode's types) so that the port does not leak the SDK.
 */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Domainname?: string;
  MacAddress?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  StopSignal?: string;
  /** Seconds. */
  StopTimeout?: number;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number; StartInterval?: number };
  Volumes?: Record<string, Record<string, never>>;
  HostConfig?: Record<string, unknown>;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSettings> };
}

export interface EndpointSettings {
  Aliases?: string[];
  Links?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  MacAddress?: string;
  DriverOpts?: Record<string, string>;
}

export interface ContainerSpec {
  name: string;
  body: ContainerCreateBody;
  /**
   * Networks beyond the first: engines before API 1.44 accept one network at create time,
   * so the rest are connected after create and before start.
   */
  extraNetworks: Record<string, EndpointSettings>;
  /**
   * Absolute host paths of bind mounts that the executor creates (as directories, when missing)
   * before create: the Mount API errors on a missing source and API 1.41 has no CreateMountpoint.
   */
  hostPathsToCreate?: string[];
  /**
   * Secrets and configs with no file to bind-mount (`environment:` or `content:` sources):
   * the executor writes them with putArchive after create and before start, as Compose does.
   */
  filesToCopy?: FileToCopy[];
}

/** One file to write into a created container through the archive API. */
export interface FileToCopy {
  /** Absolute path in the container. */
  target: string;
  content: string;
  /** Permission bits (Compose's default is 0o444). */
  mode: number;
  /** Numeric owner; when both are absent the archive is written without ownership (CopyUIDGID off). */
  uid?: number;
  gid?: number;
}

export interface NetworkSpec {
  name: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  internal?: boolean;
  attachable?: boolean;
  enableIPv6?: boolean;
  ipam?: { Driver?: string; Config?: Record<string, unknown>[]; Options?: Record<string, string> };
  labels: Record<string, string>;
}

export interface VolumeSpec {
  name: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels: Record<string, string>;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** The line without its trailing newline. */
  text: string;
  /** The engine's RFC 3339 timestamp, when asked for. */
  timestamp?: string;
}

export interface LogOptions {
  follow: boolean;
  tail?: number | 'all';
  /** Epoch seconds; a string keeps nanoseconds exact (`"1795000000.123456789"`), as the engine reads it. */
  since?: number | string;
  until?: number;
  timestamps: boolean;
  /** TTY containers send a raw stream (no multiplexing header). */
  tty: boolean;
  signal?: AbortSignal;
}

export interface EngineEvent {
  type: string;
  action: string;
  id: string;
  attributes: Record<string, string>;
  time: number;
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress: string;
}

export interface PullProgress {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

/** What `POST /build` (the classic builder) takes, in our words. Build args are already interpolated. */
export interface BuildImageOptions {
  /** Every name to tag the result with; the first is the service's image. */
  tags: string[];
  /** Path of the Dockerfile inside the context tar. */
  dockerfile?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  cacheFrom?: string[];
  networkMode?: string;
  /** Bytes. */
  shmSize?: number;
  /** `host:ip` entries. */
  extraHosts?: string[];
  noCache?: boolean;
  /** Always try to pull a newer version of the base images. */
  pull?: boolean;
  /** Credentials for the registries of the base images, by server address (X-Registry-Config). */
  registryConfig?: Record<string, RegistryAuth>;
  /** Each line the builder prints (`Step 2/4 : RUN make`, the commands' output), without its newline. */
  onOutput?: (line: string) => void;
  /** Base-image pull progress during the build. */
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
}

export interface ExecOptions {
  command: string[];
  user?: string;
  workingDir?: string;
  env?: string[];
  tty: boolean;
  interactive: boolean;
  privileged?: boolean;
}

/**
 * A live exec or attach connection. `output` carries the container's bytes: multiplexed frames
 * (core/engine/log-stream.ts) unless the session has a TTY, then raw. `input`, when stdin was
 * asked for, is the same hijacked connection: write to it, and `end()` it to close the process's stdin.
 */
export interface StreamSession {
  output: Readable;
  input?: Writable;
  tty: boolean;
  /** Sets the TTY size (rows x columns); a no-op without TTY. */
  resize(rows: number, columns: number): Promise<void>;
  /** Closes the connection (the process keeps running). */
  close(): void;
}

export interface ExecSession extends StreamSession {
  /** The exit code, once `output` has ended (for detached execs: once the process ends). */
  exitCode(): Promise<number>;
}

export interface ExecStreamOptions extends ExecOptions {
  /** Start and return at once (`exec -d`): no output, `exitCode()` polls. */
  detach?: boolean;
}

export interface Engine {
  /** Resolves when the engine answers; rejects with a clear EngineError naming the address otherwise. */
  ping(): Promise<void>;
  version(): Promise<{ version: string; apiVersion: string }>;

  listContainers(filter: { labels: string[]; all: boolean }): Promise<ObservedContainer[]>;
  inspectContainer(id: string): Promise<ObservedContainer | undefined>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** `timeoutSeconds` before the engine kills. */
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  restartContainer(id: string, timeoutSeconds?: number): Promise<void>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  removeContainer(id: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  /** Resolves with the exit code once the container stops. */
  waitContainer(id: string, signal?: AbortSignal): Promise<number>;
  containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine>;
  topContainer(id: string): Promise<{ titles: string[]; processes: string[][] }>;
  /** Writes a tar stream into the container at `path` (the archive API). */
  putArchive(id: string, path: string, tar: Readable): Promise<void>;
  exec(id: string, options: ExecOptions): Promise<{ exitCode: number; output: string }>;
  /** Runs a command with its streams connected (interactive `exec`); `interactive` attaches stdin. */
  execStream(id: string, options: ExecStreamOptions): Promise<ExecSession>;
  /** Attaches to a container's streams (before start, to miss nothing: `run`). */
  attachContainer(id: string, options: { stdin: boolean; tty: boolean }): Promise<StreamSession>;

  listNetworks(filter: { labels: string[] }): Promise<ObservedNetwork[]>;
  inspectNetwork(name: string): Promise<ObservedNetwork | undefined>;
  createNetwork(spec: NetworkSpec): Promise<string>;
  removeNetwork(name: string): Promise<void>;
  connectNetwork(network: string, container: string, endpoint: EndpointSettings): Promise<void>;
  disconnectNetwork(network: string, container: string): Promise<void>;

  listVolumes(filter: { labels: string[] }): Promise<ObservedVolume[]>;
  inspectVolume(name: string): Promise<ObservedVolume | undefined>;
  createVolume(spec: VolumeSpec): Promise<void>;
  removeVolume(name: string): Promise<void>;

  inspectImage(reference: string): Promise<ImageInfo | undefined>;
  listImages(): Promise<ImageInfo[]>;
  pullImage(reference: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void; signal?: AbortSignal }): Promise<void>;
  pushImage(reference: string, options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void }): Promise<void>;
  removeImage(reference: string, options?: { force?: boolean }): Promise<void>;
  tagImage(source: string, target: string): Promise<void>;
  /** Builds an image from a tar context; resolves with the new image's id. Failures carry the builder's message. */
  buildImage(context: Readable, options: BuildImageOptions): Promise<{ id?: string }>;

  /** Engine events (container die/start/destroy...), filtered by labels; ends when the signal aborts. */
  events(filter: { labels: string[]; types?: string[] }, signal: AbortSignal): AsyncIterable<EngineEvent>;
}

/** What the image verbs (`pull`, `push`) need from the engine. */
export type ImageEngine = Pick<Engine, 'inspectImage' | 'pullImage' | 'pushImage'>;
