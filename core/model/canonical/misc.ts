// Small attribute families: string-or-list, list-or-map, ulimits, extra_hosts, devices,
// expose, cpus, logging, deploy, develop.
import type { KeyPath } from '../../errors.js';
import type { Deploy, DeviceMapping, Develop, Logging, ResourceLimits, Ulimit, WatchRule } from '../types.js';
import { describe, expectBoolean, expectNumber, expectRecord, expectString, fail, isRecord, type TransformContext } from './context.js';
import { hostPath } from './paths.js';
import { byteSizeAt, durationAt } from './units.js';

/** A string or a list of strings (`dns`, `tmpfs`, `cap_add`...) -> list. */
export function stringListAt(ctx: TransformContext, value: unknown, path: KeyPath): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) fail(ctx, path, `expected a list of strings, got ${describe(value)}`);
  return value.map((item, index) => expectString(ctx, item, [...path, index]));
}

/** `["KEY=VAL"]` or `{KEY: VAL}` -> `{KEY: "VAL"}` (labels, sysctls, driver_opts...). A bare `KEY` maps to "". */
export function stringMapAt(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const text = expectString(ctx, entry, [...path, index]);
      const eq = text.indexOf('=');
      if (eq < 0) out[text] = '';
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    });
    return out;
  }
  if (!isRecord(value)) fail(ctx, path, `expected a list of "KEY=VALUE" or a mapping, got ${describe(value)}`);
  for (const [key, item] of Object.entries(value)) {
    out[key] = item === null || item === undefined ? '' : expectString(ctx, item, [...path, key]);
  }
  return out;
}

/** Like stringMapAt but keeps `null` for "no value" (build args look those up later). */
export function nullableMapAt(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const text = expectString(ctx, entry, [...path, index]);
      const eq = text.indexOf('=');
      if (eq < 0) out[text] = ctx.environment[text] ?? null;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    });
    return out;
  }
  if (value === null || value === undefined) return out;
  if (!isRecord(value)) fail(ctx, path, `expected a list of "KEY=VALUE" or a mapping, got ${describe(value)}`);
  for (const [key, item] of Object.entries(value)) {
    out[key] = item === null || item === undefined ? (ctx.environment[key] ?? null) : expectString(ctx, item, [...path, key]);
  }
  return out;
}

export function ulimitsAt(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, Ulimit> {
  const raw = expectRecord(ctx, value, path);
  const out: Record<string, Ulimit> = {};
  for (const [name, item] of Object.entries(raw)) {
    const at = [...path, name];
    if (typeof item === 'number' || typeof item === 'string') {
      const limit = expectNumber(ctx, item, at);
      out[name] = { soft: limit, hard: limit };
    } else if (isRecord(item)) {
      if (item.soft === undefined || item.hard === undefined) fail(ctx, at, 'a ulimit mapping needs both `soft` and `hard`');
      out[name] = { soft: expectNumber(ctx, item.soft, [...at, 'soft']), hard: expectNumber(ctx, item.hard, [...at, 'hard']) };
    } else fail(ctx, at, `expected a number or {soft, hard}, got ${describe(item)}`);
  }
  return out;
}

/** `{host: ip}`, `{host: [ip, ip]}`, `["host=ip"]` or `["host:ip"]` -> `["host:ip"]`. */
export function extraHostsAt(ctx: TransformContext, value: unknown, path: KeyPath): string[] {
  if (isRecord(value)) {
    const out: string[] = [];
    for (const [host, ips] of Object.entries(value)) {
      for (const ip of Array.isArray(ips) ? ips : [ips]) out.push(`${host}:${expectString(ctx, ip, [...path, host])}`);
    }
    return out;
  }
  return stringListAt(ctx, value, path).map((entry, index) => {
    const eq = entry.indexOf('=');
    const colon = entry.indexOf(':');
    const cut = eq >= 0 ? eq : colon;
    if (cut <= 0) fail(ctx, [...path, index], `invalid extra host ${JSON.stringify(entry)}`, 'write "HOST:IP" or "HOST=IP"');
    let ip = entry.slice(cut + 1);
    if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
    return `${entry.slice(0, cut)}:${ip}`;
  });
}

export function devicesAt(ctx: TransformContext, value: unknown, path: KeyPath): DeviceMapping[] {
  if (!Array.isArray(value)) fail(ctx, path, `expected a list of devices, got ${describe(value)}`);
  return value.map((entry, index) => {
    const at = [...path, index];
    if (typeof entry === 'string') {
      const parts = entry.split(':');
      if (parts.length > 3 || parts.some((part) => part === '')) {
        fail(ctx, at, `invalid device ${JSON.stringify(entry)}`, 'write "HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]"');
      }
      const [source, target, permissions] = parts as [string, string | undefined, string | undefined];
      return { source, target: target ?? source, permissions: permissions ?? 'rwm' };
    }
    if (isRecord(entry)) {
      if (typeof entry.source !== 'string') fail(ctx, at, 'a device mapping needs a `source`');
      return {
        source: entry.source,
        target: typeof entry.target === 'string' ? entry.target : entry.source,
        permissions: typeof entry.permissions === 'string' ? entry.permissions : 'rwm',
      };
    }
    fail(ctx, at, `expected a device string or mapping, got ${describe(entry)}`);
  });
}

export function exposeAt(ctx: TransformContext, value: unknown, path: KeyPath): string[] {
  return stringListAt(ctx, Array.isArray(value) ? value : [value], path);
}

export function cpusAt(ctx: TransformContext, value: unknown, path: KeyPath): number {
  return expectNumber(ctx, value, path);
}

export function loggingAt(ctx: TransformContext, value: unknown, path: KeyPath): Logging {
  const raw = expectRecord(ctx, value, path);
  const out: Logging = {};
  if (raw.driver !== undefined && raw.driver !== null) out.driver = expectString(ctx, raw.driver, [...path, 'driver']);
  if (raw.options !== undefined && raw.options !== null) out.options = stringMapAt(ctx, raw.options, [...path, 'options']);
  return out;
}

function resourcesAt(ctx: TransformContext, value: unknown, path: KeyPath): ResourceLimits & { devices?: Record<string, unknown>[] } {
  const raw = expectRecord(ctx, value, path);
  const out: ResourceLimits & { devices?: Record<string, unknown>[] } = {};
  if (raw.cpus !== undefined && raw.cpus !== null) out.cpus = expectNumber(ctx, raw.cpus, [...path, 'cpus']);
  if (raw.memory !== undefined && raw.memory !== null) out.memory = byteSizeAt(ctx, raw.memory, [...path, 'memory']);
  if (raw.pids !== undefined && raw.pids !== null) out.pids = expectNumber(ctx, raw.pids, [...path, 'pids']);
  if (Array.isArray(raw.devices)) out.devices = raw.devices.map((device, i) => ({ ...expectRecord(ctx, device, [...path, 'devices', i]) }));
  return out;
}

export function deployAt(ctx: TransformContext, value: unknown, path: KeyPath): Deploy {
  const raw = expectRecord(ctx, value, path);
  const out: Deploy = {};
  if (raw.mode !== undefined && raw.mode !== null) out.mode = expectString(ctx, raw.mode, [...path, 'mode']);
  if (raw.replicas !== undefined && raw.replicas !== null) out.replicas = expectNumber(ctx, raw.replicas, [...path, 'replicas']);
  if (raw.labels !== undefined && raw.labels !== null) out.labels = stringMapAt(ctx, raw.labels, [...path, 'labels']);
  if (isRecord(raw.resources)) {
    const resources: NonNullable<Deploy['resources']> = {};
    if (raw.resources.limits != null) resources.limits = resourcesAt(ctx, raw.resources.limits, [...path, 'resources', 'limits']);
    if (raw.resources.reservations != null) {
      resources.reservations = resourcesAt(ctx, raw.resources.reservations, [...path, 'resources', 'reservations']);
    }
    out.resources = resources;
  }
  if (raw.restart_policy !== undefined && raw.restart_policy !== null) {
    const at = [...path, 'restart_policy'];
    const policy = expectRecord(ctx, raw.restart_policy, at);
    const restart: NonNullable<Deploy['restart_policy']> = {};
    if (policy.condition != null) restart.condition = expectString(ctx, policy.condition, [...at, 'condition']);
    if (policy.delay != null) restart.delay = durationAt(ctx, policy.delay, [...at, 'delay']);
    if (policy.max_attempts != null) restart.max_attempts = expectNumber(ctx, policy.max_attempts, [...at, 'max_attempts']);
    if (policy.window != null) restart.window = durationAt(ctx, policy.window, [...at, 'window']);
    out.restart_policy = restart;
  }
  for (const key of ['update_config', 'rollback_config', 'placement'] as const) {
    if (raw[key] !== undefined && raw[key] !== null) out[key] = { ...expectRecord(ctx, raw[key], [...path, key]) };
  }
  if (raw.endpoint_mode !== undefined && raw.endpoint_mode !== null) {
    out.endpoint_mode = expectString(ctx, raw.endpoint_mode, [...path, 'endpoint_mode']);
  }
  return out;
}

const WATCH_ACTIONS: readonly WatchRule['action'][] = ['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec'];

export function developAt(ctx: TransformContext, value: unknown, path: KeyPath): Develop {
  const raw = expectRecord(ctx, value, path);
  const rules: WatchRule[] = [];
  const watch = raw.watch ?? [];
  if (!Array.isArray(watch)) fail(ctx, [...path, 'watch'], `expected a list of watch rules, got ${describe(watch)}`);
  watch.forEach((item, index) => {
    const at = [...path, 'watch', index];
    const entry = expectRecord(ctx, item, at);
    const action = entry.action as WatchRule['action'];
    if (!WATCH_ACTIONS.includes(action)) fail(ctx, [...at, 'action'], `unknown watch action ${JSON.stringify(entry.action)}`, `use one of ${WATCH_ACTIONS.join(', ')}`);
    // compose-go's transformWatch: a list of paths is one rule per path.
    const paths = Array.isArray(entry.path) ? entry.path : [entry.path];
    for (const one of paths) {
      if (typeof one !== 'string') fail(ctx, [...at, 'path'], 'a watch rule needs a `path`');
      const rule: WatchRule = { path: hostPath(ctx, one), action, ignore: stringListAt(ctx, entry.ignore, [...at, 'ignore']) };
      if (entry.target != null) rule.target = expectString(ctx, entry.target, [...at, 'target']);
      if (entry.include != null) rule.include = stringListAt(ctx, entry.include, [...at, 'include']);
      if (entry.initial_sync != null) rule.initial_sync = expectBoolean(ctx, entry.initial_sync, [...at, 'initial_sync']);
      if (entry.exec != null) {
        const exec = expectRecord(ctx, entry.exec, [...at, 'exec']);
        const command = exec.command;
        const argv = typeof command === 'string' ? [command] : stringListAt(ctx, command, [...at, 'exec', 'command']);
        const out: NonNullable<WatchRule['exec']> = { command: argv };
        if (exec.user != null) out.user = expectString(ctx, exec.user, [...at, 'exec', 'user']);
        if (exec.privileged != null) out.privileged = expectBoolean(ctx, exec.privileged, [...at, 'exec', 'privileged']);
        if (exec.working_dir != null) out.working_dir = expectString(ctx, exec.working_dir, [...at, 'exec', 'working_dir']);
        if (exec.environment != null) out.environment = stringMapAt(ctx, exec.environment, [...at, 'exec', 'environment']);
        rule.exec = out;
      }
      rules.push(rule);
    }
  });
  return { watch: rules };
}
