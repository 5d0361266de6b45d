// Service `networks` (list -> map with empty configs) and the top-level `networks`/`volumes`
// definitions with their engine names (`<project>_<key>` unless `name:` or external).
import type { KeyPath } from '../../errors.js';
import type { Network, ServiceNetwork, Volume } from '../types.js';
import { describe, expectBoolean, expectNumber, expectRecord, expectString, extensionsOf, fail, isRecord, type TransformContext } from './context.js';
import { stringMapAt, stringListAt } from './misc.js';

export function serviceNetworksAt(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, ServiceNetwork> {
  const out: Record<string, ServiceNetwork> = {};
  if (Array.isArray(value)) {
    value.forEach((name, index) => {
      if (typeof name !== 'string') fail(ctx, [...path, index], `expected a network name, got ${describe(name)}`);
      out[name] = {};
    });
    return out;
  }
  if (!isRecord(value)) fail(ctx, path, `expected a list of network names or a mapping, got ${describe(value)}`);
  for (const [name, raw] of Object.entries(value)) {
    out[name] = raw === null || raw === undefined ? {} : serviceNetwork(ctx, raw, [...path, name]);
  }
  return out;
}

function serviceNetwork(ctx: TransformContext, value: unknown, path: KeyPath): ServiceNetwork {
  const raw = expectRecord(ctx, value, path);
  const out: ServiceNetwork = {};
  if (raw.aliases !== undefined) out.aliases = stringListAt(ctx, raw.aliases, [...path, 'aliases']);
  for (const key of ['ipv4_address', 'ipv6_address', 'mac_address', 'interface_name'] as const) {
    if (raw[key] !== undefined && raw[key] !== null) out[key] = expectString(ctx, raw[key], [...path, key]);
  }
  if (raw.link_local_ips !== undefined) out.link_local_ips = stringListAt(ctx, raw.link_local_ips, [...path, 'link_local_ips']);
  if (raw.priority !== undefined) out.priority = expectNumber(ctx, raw.priority, [...path, 'priority']);
  if (raw.gw_priority !== undefined) out.gw_priority = expectNumber(ctx, raw.gw_priority, [...path, 'gw_priority']);
  if (raw.driver_opts !== undefined) out.driver_opts = stringMapAt(ctx, raw.driver_opts, [...path, 'driver_opts']);
  return out;
}

/** `external: true` or the legacy `external: {name: x}` (whose name becomes the resource name). */
function externalOf(ctx: TransformContext, raw: Record<string, unknown>, path: KeyPath): { external: boolean; legacyName?: string } {
  if (raw.external === undefined || raw.external === null) return { external: false };
  if (isRecord(raw.external)) {
    const name = raw.external.name;
    return typeof name === 'string' ? { external: true, legacyName: name } : { external: true };
  }
  return { external: expectBoolean(ctx, raw.external, [...path, 'external']) };
}

export function resourceName(project: string, key: string, explicit: unknown, external: boolean, legacyName?: string): string {
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  if (legacyName !== undefined) return legacyName;
  return external ? key : `${project}_${key}`;
}

export function networkAt(ctx: TransformContext, key: string, value: unknown, path: KeyPath): Network {
  const raw = value === null || value === undefined ? {} : expectRecord(ctx, value, path);
  const { external, legacyName } = externalOf(ctx, raw, path);
  const network: Network = {
    name: resourceName(ctx.spec.projectName, key, raw.name, external, legacyName),
    driver_opts: raw.driver_opts === undefined ? {} : stringMapAt(ctx, raw.driver_opts, [...path, 'driver_opts']),
    external,
    labels: raw.labels === undefined ? {} : stringMapAt(ctx, raw.labels, [...path, 'labels']),
    extensions: extensionsOf(raw),
  };
  if (raw.driver !== undefined && raw.driver !== null) network.driver = expectString(ctx, raw.driver, [...path, 'driver']);
  if (raw.ipam !== undefined && raw.ipam !== null) {
    const ipam = expectRecord(ctx, raw.ipam, [...path, 'ipam']);
    network.ipam = {};
    if (ipam.driver !== undefined) network.ipam.driver = expectString(ctx, ipam.driver, [...path, 'ipam', 'driver']);
    if (Array.isArray(ipam.config)) network.ipam.config = ipam.config.map((pool, i) => ({ ...expectRecord(ctx, pool, [...path, 'ipam', 'config', i]) }));
    if (ipam.options !== undefined) network.ipam.options = stringMapAt(ctx, ipam.options, [...path, 'ipam', 'options']);
  }
  for (const flag of ['internal', 'attachable', 'enable_ipv6'] as const) {
    if (raw[flag] !== undefined && raw[flag] !== null) network[flag] = expectBoolean(ctx, raw[flag], [...path, flag]);
  }
  return network;
}

export function volumeAt(ctx: TransformContext, key: string, value: unknown, path: KeyPath): Volume {
  const raw = value === null || value === undefined ? {} : expectRecord(ctx, value, path);
  const { external, legacyName } = externalOf(ctx, raw, path);
  const volume: Volume = {
    name: resourceName(ctx.spec.projectName, key, raw.name, external, legacyName),
    driver_opts: raw.driver_opts === undefined ? {} : stringMapAt(ctx, raw.driver_opts, [...path, 'driver_opts']),
    external,
    labels: raw.labels === undefined ? {} : stringMapAt(ctx, raw.labels, [...path, 'labels']),
    extensions: extensionsOf(raw),
  };
  if (raw.driver !== undefined && raw.driver !== null) volume.driver = expectString(ctx, raw.driver, [...path, 'driver']);
  return volume;
}
