// The rule table: one small transformer per service attribute, from the raw (validated) value
// to the model's long form. Attributes that need the whole service (environment + env_file,
// scale, default networks) are handled in build.ts.
import type { KeyPath } from '../errors.js';
import { buildAt } from './canonical/build-config.js';
import { commandAt } from './canonical/command.js';
import { describe, expectBoolean, expectNumber, expectString, fail, isRecord, type TransformContext } from './canonical/context.js';
import { dependsOnAt } from './canonical/depends-on.js';
import { healthcheckAt } from './canonical/healthcheck.js';
import { cpusAt, deployAt, developAt, devicesAt, exposeAt, extraHostsAt, loggingAt, stringListAt, stringMapAt, ulimitsAt } from './canonical/misc.js';
import { serviceNetworksAt } from './canonical/networks.js';
import { portsAt } from './canonical/ports.js';
import { fileReferencesAt } from './canonical/secrets.js';
import { byteSizeAt, durationAt } from './canonical/units.js';
import { serviceVolumesAt } from './canonical/volumes.js';
import type { Service } from './types.js';

export type Rule = (ctx: TransformContext, value: unknown, path: KeyPath) => unknown;

const text: Rule = expectString;
const flag: Rule = expectBoolean;
const number: Rule = expectNumber;
const list: Rule = stringListAt;
const map: Rule = stringMapAt;
const bytes: Rule = byteSizeAt;
const record: Rule = (ctx, value, path) => {
  if (!isRecord(value)) fail(ctx, path, `expected a mapping, got ${describe(value)}`);
  return structuredClone(value);
};
/** `restart: no` parses as `false` under YAML 1.1. */
const restart: Rule = (ctx, value, path) => (value === false ? 'no' : expectString(ctx, value, path));

type RuleKey = Exclude<keyof Service, 'name' | 'environment' | 'env_file' | 'extensions'>;

export const serviceRules: Record<RuleKey, Rule> = {
  image: text,
  build: buildAt,
  pull_policy: text,
  platform: text,
  command: commandAt,
  entrypoint: commandAt,
  working_dir: text,
  user: text,
  labels: map,
  annotations: map,
  container_name: text,
  hostname: text,
  domainname: text,
  mac_address: text,
  ports: portsAt,
  expose: exposeAt,
  networks: serviceNetworksAt,
  network_mode: text,
  links: list,
  external_links: list,
  dns: list,
  dns_search: list,
  dns_opt: list,
  extra_hosts: extraHostsAt,
  volumes: serviceVolumesAt,
  volumes_from: list,
  tmpfs: list,
  depends_on: dependsOnAt,
  healthcheck: healthcheckAt,
  restart,
  deploy: deployAt,
  scale: number,
  profiles: list,
  init: flag,
  tty: flag,
  stdin_open: flag,
  privileged: flag,
  read_only: flag,
  stop_signal: text,
  stop_grace_period: durationAt,
  cap_add: list,
  cap_drop: list,
  devices: devicesAt,
  device_cgroup_rules: list,
  group_add: list,
  security_opt: list,
  ulimits: ulimitsAt,
  sysctls: map,
  logging: loggingAt,
  pid: text,
  ipc: text,
  uts: text,
  userns_mode: text,
  cgroup: text,
  cgroup_parent: text,
  runtime: text,
  isolation: text,
  storage_opt: map,
  shm_size: bytes,
  mem_limit: bytes,
  mem_reservation: bytes,
  memswap_limit: bytes,
  mem_swappiness: number,
  oom_kill_disable: flag,
  oom_score_adj: number,
  pids_limit: number,
  cpus: cpusAt,
  cpu_shares: number,
  cpu_period: number,
  cpu_quota: number,
  cpuset: text,
  blkio_config: record,
  secrets: (ctx, value, path) => fileReferencesAt(ctx, 'secrets', value, path),
  configs: (ctx, value, path) => fileReferencesAt(ctx, 'configs', value, path),
  develop: developAt,
};

/** Keys handled outside the table, or resolved by the loader before the model sees them. */
export const handledElsewhere = new Set(['environment', 'env_file', 'extends', 'name']);
