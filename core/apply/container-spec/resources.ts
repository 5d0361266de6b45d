// Resource limits, devices, ulimits and the restart policy -> HostConfig fields, as Compose's
// getDeployResources / getRestartPolicy do: `deploy.resources` and `deploy.restart_policy` win over
// the service-level keys when both are written.
import type { Service } from '../../model/types.js';

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'on-failure' | 'unless-stopped';
  MaximumRetryCount?: number;
}

export interface DeviceRequest {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[];
  Capabilities?: string[][];
  Options?: Record<string, string>;
}

/** The HostConfig resource fields (Engine API `Resources`, embedded in HostConfig). */
export interface ResourcesBody {
  CgroupParent?: string;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  PidsLimit?: number;
  OomKillDisable?: boolean;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  DeviceCgroupRules?: string[];
  DeviceRequests?: DeviceRequest[];
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  BlkioWeight?: number;
  BlkioWeightDevice?: { Path: string; Weight: number }[];
  BlkioDeviceReadBps?: { Path: string; Rate: number }[];
  BlkioDeviceWriteBps?: { Path: string; Rate: number }[];
  BlkioDeviceReadIOps?: { Path: string; Rate: number }[];
  BlkioDeviceWriteIOps?: { Path: string; Rate: number }[];
}

export function resources(service: Service): ResourcesBody {
  const out: ResourcesBody = {};
  set(out, 'CgroupParent', service.cgroup_parent);
  set(out, 'Memory', service.mem_limit);
  set(out, 'MemoryReservation', service.mem_reservation);
  set(out, 'MemorySwap', service.memswap_limit);
  set(out, 'MemorySwappiness', service.mem_swappiness);
  if (service.cpus !== undefined) out.NanoCpus = nanoCpus(service.cpus);
  set(out, 'CpuShares', service.cpu_shares);
  set(out, 'CpuPeriod', service.cpu_period);
  set(out, 'CpuQuota', service.cpu_quota);
  set(out, 'CpusetCpus', service.cpuset);
  set(out, 'PidsLimit', service.pids_limit);
  set(out, 'OomKillDisable', service.oom_kill_disable);

  const limits = service.deploy?.resources?.limits;
  if (limits?.memory) out.Memory = limits.memory;
  if (limits?.cpus) out.NanoCpus = nanoCpus(limits.cpus);
  if (limits?.pids !== undefined && limits.pids > 0) out.PidsLimit = limits.pids;
  // CPU reservations are a Swarm scheduling hint; only memory and devices map to a container.
  const reservations = service.deploy?.resources?.reservations;
  if (reservations?.memory) out.MemoryReservation = reservations.memory;
  const requests = (reservations?.devices ?? []).map(deviceRequest);
  if (requests.length > 0) out.DeviceRequests = requests;

  const devices = service.devices.filter((device) => !isCdiDevice(device.source, device.target));
  if (devices.length > 0) {
    out.Devices = devices.map((device) => ({ PathOnHost: device.source, PathInContainer: device.target, CgroupPermissions: device.permissions }));
  }
  if (service.device_cgroup_rules !== undefined && service.device_cgroup_rules.length > 0) out.DeviceCgroupRules = [...service.device_cgroup_rules];

  const ulimits = Object.entries(service.ulimits).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (ulimits.length > 0) out.Ulimits = ulimits.map(([name, limit]) => ({ Name: name, Soft: limit.soft, Hard: limit.hard }));

  if (service.blkio_config !== undefined) blkio(service.blkio_config, out);
  return out;
}

function set<K extends keyof ResourcesBody>(out: ResourcesBody, key: K, value: ResourcesBody[K] | undefined): void {
  if (value !== undefined) out[key] = value;
}

/** Rounded, because 0.1 * 1e9 is not an integer in floating point and the engine wants an int64. */
function nanoCpus(cpus: number): number {
  return Math.round(cpus * 1e9);
}

/**
 * CDI names (`vendor.com/class=name` as both source and target) need Engine 25's CDI driver; an
 * API 1.41 engine would read them as host paths and fail, so they are left out.
 */
function isCdiDevice(source: string, target: string): boolean {
  return source === target && /^[a-z0-9][a-z0-9.-]*\/[a-zA-Z0-9][a-zA-Z0-9._-]*=[a-zA-Z0-9._:-]+$/.test(source);
}

/** `deploy.resources.reservations.devices` entries (GPUs): the model keeps them as written. */
function deviceRequest(raw: Record<string, unknown>): DeviceRequest {
  const out: DeviceRequest = {};
  if (typeof raw.driver === 'string') out.Driver = raw.driver;
  // `count: all` is -1 for the engine.
  if (raw.count === 'all') out.Count = -1;
  else if (typeof raw.count === 'number') out.Count = raw.count;
  else if (typeof raw.count === 'string' && /^\d+$/.test(raw.count)) out.Count = Number(raw.count);
  if (Array.isArray(raw.device_ids)) out.DeviceIDs = raw.device_ids.map(String);
  if (Array.isArray(raw.capabilities)) out.Capabilities = [raw.capabilities.map(String)];
  if (isStringRecord(raw.options)) out.Options = raw.options;
  return out;
}

function blkio(raw: Record<string, unknown>, out: ResourcesBody): void {
  if (typeof raw.weight === 'number') out.BlkioWeight = raw.weight;
  const weights = list(raw.weight_device).flatMap((d) => (typeof d.path === 'string' && typeof d.weight === 'number' ? [{ Path: d.path, Weight: d.weight }] : []));
  if (weights.length > 0) out.BlkioWeightDevice = weights;
  const throttles: [string, 'BlkioDeviceReadBps' | 'BlkioDeviceWriteBps' | 'BlkioDeviceReadIOps' | 'BlkioDeviceWriteIOps'][] = [
    ['device_read_bps', 'BlkioDeviceReadBps'],
    ['device_write_bps', 'BlkioDeviceWriteBps'],
    ['device_read_iops', 'BlkioDeviceReadIOps'],
    ['device_write_iops', 'BlkioDeviceWriteIOps'],
  ];
  for (const [key, field] of throttles) {
    const rates = list(raw[key]).flatMap((d) => {
      const rate = typeof d.rate === 'number' ? d.rate : typeof d.rate === 'string' && /^\d+$/.test(d.rate) ? Number(d.rate) : undefined;
      return typeof d.path === 'string' && rate !== undefined ? [{ Path: d.path, Rate: rate }] : [];
    });
    if (rates.length > 0) out[field] = rates;
  }
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * `restart: no|always|on-failure[:N]|unless-stopped`; `deploy.restart_policy` (conditions
 * none/on-failure/any, max_attempts) replaces it when written, as in Compose's getRestartPolicy.
 * delay and window are Swarm-only.
 */
export function restartPolicy(service: Pick<Service, 'restart' | 'deploy'>): RestartPolicy | undefined {
  const deployPolicy = service.deploy?.restart_policy;
  if (deployPolicy !== undefined) {
    // Swarm's default condition is `any`.
    const policy: RestartPolicy = { Name: restartName(deployPolicy.condition ?? 'any') };
    if (deployPolicy.max_attempts !== undefined && policy.Name === 'on-failure') policy.MaximumRetryCount = deployPolicy.max_attempts;
    return policy;
  }
  if (service.restart === undefined) return undefined;
  const [name = '', count] = service.restart.split(':');
  const policy: RestartPolicy = { Name: restartName(name) };
  if (count !== undefined && policy.Name === 'on-failure') {
    const retries = Number.parseInt(count, 10);
    if (Number.isFinite(retries)) policy.MaximumRetryCount = retries;
  }
  return policy;
}

function restartName(condition: string): RestartPolicy['Name'] {
  switch (condition) {
    case 'no':
    case 'none':
      return 'no';
    case 'always':
    case 'any':
      return 'always';
    case 'on-failure':
      return 'on-failure';
    case 'unless-stopped':
      return 'unless-stopped';
    default:
      // The schema rejects other words; an unknown one means the engine default (never restart).
      return '';
  }
}
