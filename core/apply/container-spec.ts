// Service model -> Engine API `POST /containers/create` body, the way Docker Compose v2's
// getCreateConfigs builds it, written for Engine API 1.41 (dockerd 20.10). Pure: everything the
// executor knows (labels, image, other services' container names, volumes to carry over) comes in
// through the input. Fields an API 1.41 engine cannot honour are left out with a comment rather
// than failing the create. The families live in container-spec/: ports, mounts, resources,
// networking.
import { isAbsolute, resolve } from 'node:path';
import type { ContainerCreateBody, ContainerSpec } from '../engine/engine.js';
import type { Duration, Project, Service } from '../model/types.js';
import { buildMounts, tmpfsMap, volumesFrom } from './container-spec/mounts.js';
import { networking } from './container-spec/networking.js';
import { exposedPorts, portBindings } from './container-spec/ports.js';
import { defaultContainerNamesOf, resolveServiceMode, type ContainerNamesOf } from './container-spec/references.js';
import { resources, restartPolicy } from './container-spec/resources.js';

export type { ContainerNamesOf } from './container-spec/references.js';
export { networksByPriority } from './container-spec/networking.js';

export interface ContainerSpecInput {
  project: Project;
  service: Service;
  /** Replica number (1..n). */
  number: number;
  /** Container name (`<project>-<service>-<n>` or `container_name`). */
  name: string;
  /** Stack's own labels (project, service, number, config-hash...): they win over `service.labels`. */
  labels: Record<string, string>;
  /** The image to run: `image:` or the built image's reference. */
  imageRef: string;
  /**
   * Container path -> existing anonymous volume to reuse, carried over from the container being
   * replaced. Pass the service's anonymous volume targets and the image's VOLUME paths (as
   * Compose does); targets the spec mounts otherwise are ignored.
   */
  anonymousVolumes?: Record<string, string>;
  /**
   * Names of another service's containers, first first: for `network_mode`/`pid`/`ipc:
   * service:x`, `volumes_from` and `links`. Default: container 1's deterministic name.
   */
  containerNamesOf?: ContainerNamesOf;
  /**
   * Reads a seccomp profile file (`security_opt: [seccomp=./profile.json]`): the API wants the
   * profile's JSON, not a path. Without it the option is passed as written.
   */
  readFile?: (absolutePath: string) => string;
}

/** Seconds the engine waits between the stop signal and SIGKILL (Go's int(d.Seconds()) truncates). */
const toSeconds = (ms: Duration): number => Math.floor(ms / 1000);
/** The API takes healthcheck durations in nanoseconds. */
const toNanos = (ms: Duration): number => Math.round(ms * 1e6);

export function toContainerSpec(input: ContainerSpecInput): ContainerSpec {
  const { project, service } = input;
  const names = input.containerNamesOf ?? defaultContainerNamesOf(project);
  const anonymousVolumes = input.anonymousVolumes ?? {};

  const body: ContainerCreateBody = {
    Image: input.imageRef,
    Labels: { ...service.labels, ...input.labels },
    // Compose attaches stdout/stderr so `logs`/`attach` see the streams, whether or not tty is set.
    AttachStdout: true,
    AttachStderr: true,
  };
  if (service.command !== undefined && service.command !== null) body.Cmd = [...service.command];
  if (service.entrypoint !== undefined && service.entrypoint !== null) body.Entrypoint = [...service.entrypoint];
  const env = environment(project, service);
  if (env.length > 0) body.Env = env;
  if (service.working_dir !== undefined) body.WorkingDir = service.working_dir;
  if (service.user !== undefined) body.User = service.user;
  // No hostname by default: the engine uses the short container id, as with Compose.
  if (service.hostname !== undefined) body.Hostname = service.hostname;
  if (service.domainname !== undefined) body.Domainname = service.domainname;
  if (service.tty !== undefined) body.Tty = service.tty;
  if (service.stdin_open !== undefined) body.OpenStdin = service.stdin_open;
  if (service.stop_signal !== undefined) body.StopSignal = service.stop_signal;
  if (service.stop_grace_period !== undefined) body.StopTimeout = toSeconds(service.stop_grace_period);
  const healthcheck = healthcheckBody(service);
  if (healthcheck !== undefined) body.Healthcheck = healthcheck;
  const exposed = exposedPorts(service);
  if (Object.keys(exposed).length > 0) body.ExposedPorts = exposed;

  const net = networking({ project, service, name: input.name, names });
  if (net.macAddress !== undefined) body.MacAddress = net.macAddress;
  if (net.endpointsConfig !== undefined) body.NetworkingConfig = { EndpointsConfig: net.endpointsConfig };

  const mounts = buildMounts({ project, service, anonymousVolumes });
  const host: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (isPlainObject(value) && Object.keys(value).length === 0) return;
    host[key] = value;
  };

  put('Binds', mounts.binds);
  put('Mounts', mounts.mounts);
  put('Tmpfs', tmpfsMap(service));
  put('VolumesFrom', volumesFrom(service, names));
  put('PortBindings', portBindings(service));
  put('NetworkMode', net.networkMode);
  put('Links', net.links);
  put('RestartPolicy', restartPolicy(service));
  put('Init', service.init);
  put('Privileged', service.privileged);
  put('ReadonlyRootfs', service.read_only);
  put('CapAdd', service.cap_add);
  put('CapDrop', service.cap_drop);
  put('Dns', service.dns);
  put('DnsSearch', service.dns_search);
  put('DnsOptions', service.dns_opt);
  put('ExtraHosts', service.extra_hosts);
  put('GroupAdd', service.group_add);
  const security = securityOptions(project, service.security_opt, input.readFile);
  put('SecurityOpt', security.options);
  if (security.unconfinedPaths) {
    // `systempaths=unconfined` is a CLI spelling: the API takes empty masked/read-only path lists.
    host.MaskedPaths = [];
    host.ReadonlyPaths = [];
  }
  put('Sysctls', service.sysctls);
  put('StorageOpt', service.storage_opt);
  if (service.logging !== undefined) put('LogConfig', { Type: service.logging.driver ?? '', Config: { ...(service.logging.options ?? {}) } });
  put('ShmSize', service.shm_size);
  put('PidMode', resolveServiceMode(service.pid, names, service.name, 'PID namespace'));
  put('IpcMode', resolveServiceMode(service.ipc, names, service.name, 'IPC namespace'));
  put('UTSMode', service.uts);
  put('UsernsMode', service.userns_mode);
  put('CgroupnsMode', service.cgroup);
  put('Runtime', service.runtime);
  put('Isolation', service.isolation);
  put('OomScoreAdj', service.oom_score_adj);
  for (const [key, value] of Object.entries(resources(service))) put(key, value);
  // Not sent at API 1.41: `annotations` (HostConfig.Annotations, API 1.43), healthcheck
  // start_interval (API 1.44), `platform` (a query parameter of create, the executor's concern).
  body.HostConfig = host;

  return {
    name: input.name,
    body,
    extraNetworks: net.extraNetworks,
    hostPathsToCreate: mounts.hostPathsToCreate,
    filesToCopy: mounts.filesToCopy,
  };
}

/**
 * `K=V` in the model's order. A null value is looked up in the project environment (the model
 * builder normally did so already); still unset, it is sent as a bare `K`, which the engine reads
 * as "unset K", removing even a value the image sets (Compose's ToMobyEnv does the same).
 */
function environment(project: Project, service: Service): string[] {
  return Object.entries(service.environment).map(([key, value]) => {
    const resolved = value ?? project.environment[key];
    return resolved === undefined || resolved === null ? key : `${key}=${resolved}`;
  });
}

function healthcheckBody(service: Service): ContainerCreateBody['Healthcheck'] {
  const check = service.healthcheck;
  if (check === undefined) return undefined;
  if (check.disable || (check.test !== undefined && check.test[0] === 'NONE')) return { Test: ['NONE'] };
  const out: NonNullable<ContainerCreateBody['Healthcheck']> = {};
  // An absent test keeps the image's HEALTHCHECK command with these timings, as the engine merges them.
  if (check.test !== undefined) out.Test = [...check.test];
  if (check.interval !== undefined) out.Interval = toNanos(check.interval);
  if (check.timeout !== undefined) out.Timeout = toNanos(check.timeout);
  if (check.retries !== undefined) out.Retries = check.retries;
  if (check.start_period !== undefined) out.StartPeriod = toNanos(check.start_period);
  return out;
}

interface SecurityOptions {
  options: string[];
  unconfinedPaths: boolean;
}

/**
 * As Compose's parseSecurityOpts: `systempaths=unconfined` becomes empty path lists, and a seccomp
 * profile file (relative to the project directory) is inlined as compact JSON.
 */
function securityOptions(project: Project, options: string[], readFile: ContainerSpecInput['readFile']): SecurityOptions {
  const out: SecurityOptions = { options: [], unconfinedPaths: false };
  for (const option of options) {
    if (option === 'systempaths=unconfined') {
      out.unconfinedPaths = true;
      continue;
    }
    const match = /^seccomp[=:](.*)$/.exec(option);
    const profile = match?.[1];
    if (profile === undefined || profile === 'unconfined' || profile === 'builtin' || readFile === undefined) {
      out.options.push(option);
      continue;
    }
    const file = isAbsolute(profile) ? profile : resolve(project.workingDir, profile);
    out.options.push(`seccomp=${compactJson(readFile(file))}`);
  }
  return out;
}

/** A profile that is not JSON is passed on as read: the engine names the problem. */
function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
