// The typed, normalised project model: what a spec means once every short syntax is expanded,
// every relative path resolved and every default filled in. Raw YAML never reaches past the
// model builder (core/model/build.ts); everything downstream (graph, planner, executor, config
// output) reads these types.
//
// Field names follow the Compose Specification's long syntax (snake_case), so that the
// canonical `stack config` output is the model written out, and feeding it back in gives the
// same model. Units are normalised: durations are milliseconds, sizes are bytes.
import type { SourceMap } from '../load/source-map.js';

/** Milliseconds. Printed back as Compose durations (`1m30s`). */
export type Duration = number;
/** Bytes. Printed back as a plain number of bytes. */
export type ByteSize = number;

export interface Project {
  name: string;
  /** Absolute project directory: relative paths in the spec resolve against the file that wrote them. */
  workingDir: string;
  /** Absolute paths of the spec files, in merge order (what `com.docker.compose.project.config_files` records). */
  configFiles: string[];
  /** Every file the model was read from: spec files, extends/include sources, .env, env_files, secrets, configs. */
  sourceFiles: string[];
  /** Active services (profiles applied). */
  services: Record<string, Service>;
  /** Services switched off by profiles: known, so that they are not orphans and can be named to enable them. */
  disabledServices: Record<string, Service>;
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  secrets: Record<string, Secret>;
  configs: Record<string, Config>;
  /** Top-level `x-*` fields, kept and printed, never interpreted. */
  extensions: Record<string, unknown>;
  /** Variables used for interpolation (shell environment over .env files). */
  environment: Record<string, string>;
  /** Key path -> file:line:col, for errors raised after loading. */
  sources: SourceMap;
  /** Non-fatal findings (unset variables, obsolete `version`), already positioned. */
  warnings: string[];
}

export interface Service {
  name: string;
  image?: string;
  build?: BuildConfig;
  pull_policy?: PullPolicy;
  platform?: string;

  command?: string[] | null;
  entrypoint?: string[] | null;
  working_dir?: string;
  user?: string;
  /** Resolved values, env_file contents merged in (environment wins). `null` = pass through from the engine side unset. */
  environment: Record<string, string | null>;
  env_file?: EnvFile[];
  labels: Record<string, string>;
  annotations?: Record<string, string>;

  container_name?: string;
  hostname?: string;
  domainname?: string;
  mac_address?: string;

  ports: ServicePort[];
  expose: string[];
  networks: Record<string, ServiceNetwork>;
  network_mode?: string;
  links: string[];
  external_links: string[];
  dns: string[];
  dns_search: string[];
  dns_opt: string[];
  /** `host:ip` entries. */
  extra_hosts: string[];

  volumes: ServiceVolume[];
  volumes_from: string[];
  tmpfs: string[];

  depends_on: Record<string, DependsOn>;
  healthcheck?: Healthcheck;
  restart?: string;
  deploy?: Deploy;
  /** Number of containers wanted (from `scale`, `deploy.replicas`, else 1). */
  scale: number;
  profiles: string[];

  init?: boolean;
  tty?: boolean;
  stdin_open?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  stop_signal?: string;
  stop_grace_period?: Duration;

  cap_add: string[];
  cap_drop: string[];
  devices: DeviceMapping[];
  device_cgroup_rules?: string[];
  group_add: string[];
  security_opt: string[];
  ulimits: Record<string, Ulimit>;
  sysctls: Record<string, string>;
  logging?: Logging;

  pid?: string;
  ipc?: string;
  uts?: string;
  userns_mode?: string;
  cgroup?: string;
  cgroup_parent?: string;
  runtime?: string;
  isolation?: string;
  storage_opt?: Record<string, string>;

  shm_size?: ByteSize;
  mem_limit?: ByteSize;
  mem_reservation?: ByteSize;
  memswap_limit?: ByteSize;
  mem_swappiness?: number;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  pids_limit?: number;
  cpus?: number;
  cpu_shares?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpuset?: string;
  blkio_config?: Record<string, unknown>;

  secrets: ServiceFileReference[];
  configs: ServiceFileReference[];

  develop?: Develop;
  /** `x-*` fields of the service: printed, never hashed, never interpreted. */
  extensions: Record<string, unknown>;
}

export type PullPolicy = 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'daily' | 'weekly' | `every_${string}`;

export interface BuildConfig {
  /** Absolute path, or a git URL (kept as written). */
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args: Record<string, string | null>;
  target?: string;
  labels: Record<string, string>;
  cache_from: string[];
  cache_to?: string[];
  network?: string;
  shm_size?: ByteSize;
  extra_hosts: string[];
  tags: string[];
  no_cache?: boolean;
  pull?: boolean;
  platforms?: string[];
  ssh?: string[];
  secrets?: ServiceFileReference[];
  additional_contexts?: Record<string, string>;
}

export interface EnvFile {
  /** Absolute path. */
  path: string;
  required: boolean;
  format?: string;
}

export interface ServicePort {
  target: number;
  /** Host port or range, as a string (`"8080"`, `"8000-8010"`); absent = engine picks one. */
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  mode: 'ingress' | 'host';
  name?: string;
  app_protocol?: string;
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  priority?: number;
  gw_priority?: number;
  interface_name?: string;
  driver_opts?: Record<string, string>;
}

export type VolumeType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'image' | 'cluster';

export interface ServiceVolume {
  type: VolumeType;
  /**
   * bind: absolute host path; volume: the key of a top-level volume (named) or absent (anonymous);
   * image: an image reference.
   */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z' };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: ByteSize; mode?: number };
  image?: { subpath?: string };
}

export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface DependsOn {
  condition: DependsOnCondition;
  /** Recreate/restart this service when the dependency is recreated. */
  restart: boolean;
  /** false = a missing or failing dependency only warns. */
  required: boolean;
}

export interface Healthcheck {
  /** `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`. */
  test?: string[];
  interval?: Duration;
  timeout?: Duration;
  retries?: number;
  start_period?: Duration;
  start_interval?: Duration;
  disable?: boolean;
}

export interface Deploy {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  resources?: {
    limits?: ResourceLimits;
    reservations?: ResourceLimits & { devices?: Record<string, unknown>[] };
  };
  restart_policy?: { condition?: string; delay?: Duration; max_attempts?: number; window?: Duration };
  update_config?: Record<string, unknown>;
  rollback_config?: Record<string, unknown>;
  placement?: Record<string, unknown>;
  endpoint_mode?: string;
}

export interface ResourceLimits {
  cpus?: number;
  memory?: ByteSize;
  pids?: number;
}

export interface DeviceMapping {
  source: string;
  target: string;
  permissions: string;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

export interface Logging {
  driver?: string;
  options?: Record<string, string>;
}

/** A service's use of a top-level secret or config. */
export interface ServiceFileReference {
  source: string;
  /** Absolute path in the container (secrets default to /run/secrets/<source>, configs to /<source>). */
  target: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface Develop {
  watch: WatchRule[];
}

export interface WatchRule {
  /** Absolute host path. */
  path: string;
  action: 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';
  target?: string;
  ignore: string[];
  include?: string[];
  initial_sync?: boolean;
  exec?: { command: string[]; user?: string; privileged?: boolean; working_dir?: string; environment?: Record<string, string> };
}

export interface Network {
  /** Engine name: `<project>_<key>` unless `name:` is set or the network is external. */
  name: string;
  driver?: string;
  driver_opts: Record<string, string>;
  ipam?: { driver?: string; config?: Record<string, unknown>[]; options?: Record<string, string> };
  external: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  labels: Record<string, string>;
  extensions: Record<string, unknown>;
}

export interface Volume {
  /** Engine name: `<project>_<key>` unless `name:` is set or the volume is external. */
  name: string;
  driver?: string;
  driver_opts: Record<string, string>;
  external: boolean;
  labels: Record<string, string>;
  extensions: Record<string, unknown>;
}

/** A top-level secret. Exactly one source is set. */
export interface Secret {
  name: string;
  /** sha256 of the content (file or variable), so a changed secret recreates its users (compose#11900). */
  digest?: string;
  /** Absolute path. */
  file?: string;
  /** Name of a variable whose value is the secret. */
  environment?: string;
  external: boolean;
  labels: Record<string, string>;
  extensions: Record<string, unknown>;
}

/** A top-level config. Exactly one source is set. */
export interface Config {
  name: string;
  /** sha256 of the content, as for secrets. */
  digest?: string;
  file?: string;
  environment?: string;
  content?: string;
  external: boolean;
  labels: Record<string, string>;
  extensions: Record<string, unknown>;
}
